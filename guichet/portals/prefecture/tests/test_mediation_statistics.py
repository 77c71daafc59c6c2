from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.mediation.models import AssistedSession
from guichet.mediation.services import assisted_session_end, assisted_session_open
from guichet.territory.models import Department, Place, PlaceKind

pytestmark = pytest.mark.django_db


def test_the_activity_page_counts_sessions_per_place_of_the_admins_department_only(personas, verified_client):
    mediator = personas["mediator"]
    point = mediator.role_assignments.get().place
    session = assisted_session_open(place=point, actor=mediator)
    AssistedSession.objects.filter(pk=session.pk).update(opened_at=timezone.now() - timedelta(minutes=25))
    assisted_session_end(session=session, actor=mediator)
    other_department = Department.objects.create(code="22", name="Côtes-d'Armor", region=point.department.region)
    elsewhere = Place.objects.create(
        kind=PlaceKind.POINT_NUMERIQUE, name="Point numérique de Saint-Brieuc", department=other_department
    )
    AssistedSession.objects.create(place=elsewhere, helper=personas["instructor"])

    page = verified_client(personas["prefecture_admin"]).get(reverse("prefecture:mediation_statistics"))
    content = page.content.decode()
    assert page.status_code == 200
    assert point.name.replace("'", "&#x27;") in content and "25 min" in content
    assert "Saint-Brieuc" not in content
    assert mediator.email not in content and mediator.last_name not in content  # nobody named


def test_an_impossible_period_is_refused_with_a_message(personas, verified_client):
    client = verified_client(personas["prefecture_admin"])
    page = client.get(reverse("prefecture:mediation_statistics"), {"start": "2026-05-10", "end": "2026-05-01"})
    assert page.status_code == 400
    assert "La fin de la période doit suivre son début." in page.content.decode()
    garbage = client.get(reverse("prefecture:mediation_statistics"), {"start": "demain", "end": ""})
    assert garbage.status_code == 400
