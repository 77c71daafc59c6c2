from io import StringIO

import pytest
from django.core.management import call_command

from guichet.accounts.models import User
from guichet.api.models import ApiClient, ClientKind
from guichet.audit.models import AuditEntry
from guichet.demo.seeding import demo_account_lines
from guichet.demo.trusted_parties import DEMO_PROFESSIONAL_TOKEN, EXPIRING_SCHOOL
from guichet.territory.models import PlaceKind
from guichet.testing.demo_territory import demo_territory_create
from guichet.trusted_parties.models import Approval
from guichet.trusted_parties.selectors import approvals_expiring, approvals_public, is_organisation_manager


@pytest.fixture
def seeded(db, settings):
    settings.GUICHET_DEMO_DATA_ALLOWED = True
    demo_territory_create()
    call_command("seed_demo", stdout=StringIO())


def test_demo_school_and_garage_hold_approvals_in_force_managed_by_their_persona(seeded):
    shown = {approval.place.kind: approval for approval in approvals_public(department_code="35")}
    assert set(shown) == {PlaceKind.DRIVING_SCHOOL, PlaceKind.CAR_PROFESSIONAL}
    luc = User.objects.get(email="luc.garnier@demo.guichet.fr")
    sofia = User.objects.get(email="sofia.roux@demo.guichet.fr")
    assert is_organisation_manager(user=luc, place=Approval.objects.get(number="E2403500010").place)
    assert is_organisation_manager(user=sofia, place=Approval.objects.get(number="H03500001").place)
    assert [a.place.name for a in approvals_expiring(department_codes=["35"])] == [EXPIRING_SCHOOL]
    assert AuditEntry.objects.filter(action="approval_granted").count() == 3


def test_demo_professional_token_opens_the_api_and_is_printed(seeded, client):
    assert str(ApiClient.objects.get(kind=ClientKind.PROFESSIONAL).place) == "Garage de la Vilaine"
    response = client.get("/api/pro/organisation", HTTP_AUTHORIZATION=f"Bearer {DEMO_PROFESSIONAL_TOKEN}")
    assert response.status_code == 200 and response.json()["approval_number"] == "H03500001"
    assert any(DEMO_PROFESSIONAL_TOKEN in line for line in demo_account_lines())


def test_seeding_twice_changes_nothing(seeded):
    counts = (Approval.objects.count(), ApiClient.objects.count(), AuditEntry.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Approval.objects.count(), ApiClient.objects.count()) == counts[:2]
    assert AuditEntry.objects.filter(action="approval_granted").count() == 3
