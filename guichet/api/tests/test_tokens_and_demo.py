from io import StringIO

from django.core.management import call_command

from guichet.api.demo import DEMO_NUMBERS, seed_demo_appointments
from guichet.api.models import ApiClient, ClientKind, token_digest
from guichet.appointments.models import Slot
from guichet.procedures.identity_documents.models import PreDemande
from guichet.procedures.identity_documents.selectors import predemande_statuses


def test_create_token_command_prints_it_once_and_stores_its_digest(db):
    out = StringIO()
    call_command("create_api_token", "RDV Service Public", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get(name="RDV Service Public")
    assert client.kind == ClientKind.COORDINATION_EDITOR
    assert client.token_digest == token_digest(token)
    assert token not in str(list(ApiClient.objects.values()))


def test_demo_seed_gives_every_status_tokens_and_a_week_of_slots(demo):
    for status, numbers in DEMO_NUMBERS.items():
        assert set(predemande_statuses(numbers=numbers).values()) == {status}
    assert ApiClient.objects.filter(is_demo=True).count() == 2
    assert Slot.objects.filter(place=demo).count() > 0
    last = Slot.objects.filter(place=demo).order_by("-starts_at").first()
    first = Slot.objects.filter(place=demo).order_by("starts_at").first()
    assert last is not None and first is not None
    assert (last.starts_at - first.starts_at).days >= 7


def test_demo_seed_is_idempotent(demo):
    counts = (PreDemande.objects.count(), ApiClient.objects.count(), Slot.objects.count())
    seed_demo_appointments()
    assert (PreDemande.objects.count(), ApiClient.objects.count(), Slot.objects.count()) == counts


def test_demo_seed_does_nothing_when_demo_data_not_allowed(db, settings):
    settings.GUICHET_DEMO_DATA_ALLOWED = False
    seed_demo_appointments()
    assert not PreDemande.objects.exists()
    assert not ApiClient.objects.exists()


def test_demo_mairies_get_a_week_of_bookable_slots_after_seed_demo(db, settings):
    from datetime import timedelta

    from django.utils import timezone

    from guichet.appointments.selectors import bookable_starts, equipped_places
    from guichet.territory.opening_hours import PARIS
    from guichet.testing.demo_territory import demo_territory_create

    settings.GUICHET_DEMO_DATA_ALLOWED = True
    demo_territory_create()
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_appointments", stdout=StringIO())
    places = list(equipped_places().filter(department_id="35"))
    assert len(places) >= 5
    now = timezone.now()
    starts = bookable_starts(place_ids=[p.pk for p in places], start=now, end=now + timedelta(days=8))
    for place in places:
        days = {moment.astimezone(PARIS).date() for moment in starts.get(place.pk, [])}
        assert len(days) >= 4, place.name  # every working day of the coming week (a holiday may remove one)
    owner = PreDemande.objects.get(number="DEMOVALID1").applicant
    assert owner.email == "camille.martin@demo.guichet.fr"
