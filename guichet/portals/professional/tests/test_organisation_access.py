"""The professional portal opens only while the organisation's approval is in force, and closes at once."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.trusted_parties.models import Approval, ApprovalStatus
from guichet.trusted_parties.services import approval_reinstate, approval_revoke, approval_suspend


@pytest.fixture
def garage_client(personas, verified_client):
    return verified_client(personas["car_professional"])


def _approval(personas) -> Approval:
    return Approval.objects.get(place=personas["car_professional"].role_assignments.get().place)


def test_home_shows_the_approval_its_operations_and_staff_management(garage_client, personas):
    approval = _approval(personas)
    page = garage_client.get(reverse("professional:home")).content.decode()
    assert approval.number_display in page
    assert "Déclaration de destruction d'un véhicule" in unescape(page)
    assert reverse("professional:staff", args=[approval.place_id]) in page


def test_suspension_closes_the_portal_at_the_next_request_and_lifting_reopens_it(garage_client, personas):
    approval = _approval(personas)
    staff_url = reverse("professional:staff", args=[approval.place_id])
    assert garage_client.get(staff_url).status_code == 200
    approval_suspend(approval=approval, reason="Contrôle en cours", actor=personas["prefecture_admin"])
    for url in (reverse("professional:home"), staff_url):
        response = garage_client.get(url)
        assert response.status_code == 403
        page = response.content.decode()
        assert "Espace professionnel fermé" in page and "suspendu par la préfecture" in page
    approval_reinstate(approval=approval, reason="Contrôle satisfaisant", actor=personas["prefecture_admin"])
    assert garage_client.get(staff_url).status_code == 200


def test_revocation_closes_the_portal_for_good(garage_client, personas):
    approval_revoke(approval=_approval(personas), reason="Fraude", actor=personas["prefecture_admin"])
    response = garage_client.get(reverse("professional:home"))
    assert response.status_code == 403 and "retiré par la préfecture" in response.content.decode()


def test_the_end_date_closes_the_portal_the_next_day_without_any_job(garage_client, personas):
    approval = _approval(personas)
    approval.valid_until = timezone.localdate()
    approval.save()
    assert garage_client.get(reverse("professional:home")).status_code == 200
    approval.valid_until = timezone.localdate() - timedelta(days=1)
    approval.save()
    response = garage_client.get(reverse("professional:home"))
    assert response.status_code == 403 and "a expiré" in response.content.decode()


def test_a_post_is_refused_too_while_suspended(garage_client, personas, mailoutbox):
    approval = _approval(personas)
    approval.status = ApprovalStatus.SUSPENDED
    approval.save()
    response = garage_client.post(
        reverse("professional:staff_invite", args=[approval.place_id]), {"email": "nouveau@garage.fr"}
    )
    assert response.status_code == 403
    assert not approval.place.staff_invitations.exists()


def test_another_organisations_pages_answer_404(garage_client, personas):
    school = personas["driving_school"].role_assignments.get().place
    assert garage_client.get(reverse("professional:staff", args=[school.pk])).status_code == 404


def test_the_portal_still_requires_the_second_factor(client, personas):
    client.force_login(personas["car_professional"])
    response = client.get(reverse("professional:home"))
    assert response.status_code == 302 and reverse("account:two_factor_verify") in response["Location"]
