from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.demo.seeding import DEMO_PERSONAS, demo_account_lines
from guichet.territory.models import Place, PlaceKind
from guichet.testing.demo_territory import demo_territory_create


@pytest.fixture
def small_territory(db):
    demo_territory_create()


def test_seed_demo_creates_every_role_and_the_places(small_territory):
    call_command("seed_demo", stdout=StringIO())
    roles = set(RoleAssignment.objects.values_list("role", flat=True))
    assert roles == set(Role) - {Role.CITIZEN}
    assert User.objects.filter(email__in=[p[0] for p in DEMO_PERSONAS]).count() == len(DEMO_PERSONAS)
    # every département gets its préfecture; the demo département has equipped mairies and an instruction centre
    assert Place.objects.filter(kind=PlaceKind.PREFECTURE).count() == 4
    assert Place.objects.filter(kind=PlaceKind.MAIRIE, collection_stations__gt=0, department_id="35").count() >= 5
    cert = Place.objects.get(kind=PlaceKind.INSTRUCTION_CENTRE)
    assert set(cert.served_departments.values_list("code", flat=True)) == {"22", "29", "35", "56"}
    # every agent has a confirmed TOTP device, the citizen none
    agents = User.objects.filter(role_assignments__isnull=False).distinct()
    assert TOTPDevice.objects.filter(user__in=agents, confirmed=True).count() == agents.count()


def test_seed_demo_is_idempotent(small_territory):
    call_command("seed_demo", stdout=StringIO())
    counts = (User.objects.count(), Place.objects.count(), RoleAssignment.objects.count(), TOTPDevice.objects.count())
    secrets_before = demo_account_lines()
    call_command("seed_demo", stdout=StringIO())
    assert counts == (
        User.objects.count(),
        Place.objects.count(),
        RoleAssignment.objects.count(),
        TOTPDevice.objects.count(),
    )
    assert demo_account_lines() == secrets_before


def test_seed_demo_needs_the_territory(db):
    with pytest.raises(CommandError, match="import_territory"):
        call_command("seed_demo")


@override_settings(GUICHET_DEMO_DATA_ALLOWED=False)
def test_seed_demo_is_refused_in_production(small_territory):
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_prepares_assisted_sessions(small_territory):
    from guichet.mandates.models import Mandate
    from guichet.mediation.models import AssistedSession
    from guichet.mediation.services import assisted_places_of

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent here too
    mediator = User.objects.get(email="ines.moreau@demo.guichet.fr")
    assert [p.kind for p in assisted_places_of(user=mediator)] == [PlaceKind.POINT_NUMERIQUE]
    betton_agent = User.objects.get(email="lucie.daniel@demo.guichet.fr")
    assert [p.name for p in assisted_places_of(user=betton_agent)] == ["Mairie de Betton"]
    assert AssistedSession.objects.filter(ended_at__isnull=False).count() == 4
    assert Mandate.objects.active().filter(citizen__email="camille.martin@demo.guichet.fr").count() == 1
    assert User.objects.filter(email="josiane.lebihan@demo.guichet.fr", mobile_phone="+33612000001").exists()
