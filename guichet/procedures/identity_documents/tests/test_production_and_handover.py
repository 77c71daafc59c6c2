from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.dossiers.services import dossier_transition
from guichet.dossiers.workflow import Status
from guichet.notifications.models import Notification
from guichet.procedures.identity_documents.counter import (
    counter_capture,
    counter_lodge,
    counter_place_of,
    counter_session_open,
)
from guichet.procedures.identity_documents.counter_models import TitleProduction
from guichet.procedures.identity_documents.handover import title_deliver, titles_uncollected_process
from guichet.procedures.identity_documents.production import (
    add_months,
    title_make_available,
    titles_production_process,
)
from guichet.testing.personas import PERSONAS, create_persona

from .counter_factories import ACCEPTED, ALL_ORIGINALS, stamps_for, validated_predemande


def _accepted_dossier(citizen, agent, instructor, *, motive="renewal_expired"):
    predemande = validated_predemande(applicant=citizen, motive=motive)
    place = counter_place_of(agent=agent)
    assert place is not None
    session = counter_capture(
        session=counter_session_open(predemande=predemande, agent=agent, place=place), agent=agent
    )
    dossier = counter_lodge(session=session, agent=agent, checked_originals=ALL_ORIGINALS).dossiers[0]
    dossier = dossier_transition(dossier=dossier, name="start_instruction", actor=instructor)
    return dossier_transition(dossier=dossier, name="accept", actor=instructor, data=ACCEPTED)


@pytest.fixture
def available(personas):
    dossier = _accepted_dossier(personas["citizen"], personas["mairie_agent"], personas["instructor"])
    now = timezone.now()
    titles_production_process(now=now)
    titles_production_process(now=now + timedelta(days=11))
    titles_production_process(now=now + timedelta(days=15))
    dossier.refresh_from_db()
    assert dossier.status == Status.AVAILABLE
    return dossier


def test_add_months_keeps_the_day_or_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_production_ships_in_one_batch_per_mairie_with_a_timeline_event(personas):
    first = _accepted_dossier(personas["citizen"], personas["mairie_agent"], personas["instructor"])
    second = _accepted_dossier(personas["citizen"], personas["mairie_agent"], personas["instructor"])
    now = timezone.now()
    assert titles_production_process(now=now).started == 2
    assert titles_production_process(now=now).started == 0  # idempotent
    titles_production_process(now=now + timedelta(days=11))
    batches = set(TitleProduction.objects.values_list("batch_number", flat=True))
    assert len(batches) == 1 and "" not in batches
    for dossier in (first, second):
        assert dossier.events.filter(kind="note", data__note="shipped_to_mairie").count() == 1


def test_make_available_notifies_once_with_the_mairie_address_and_hours(available):
    production = TitleProduction.objects.get(dossier=available)
    assert production.collect_before == add_months(timezone.localdate(production.available_at), 3)
    title_make_available(dossier=available)  # second call: nothing more
    rows = Notification.objects.filter(event_key=f"title-available-{available.pk}")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "sms"]
    email = rows.get(channel="email")
    assert email.context["place_name"] == "Mairie de Rennes"
    assert "1 place de la Mairie" in email.context["place_address"]
    assert email.context["opening_hours"].startswith("Mo-Fr")


def test_handover_needs_identity_check_and_old_title_for_a_renewal(available, personas):
    agent = personas["mairie_agent"]
    with pytest.raises(InvalidInput) as identity:
        title_deliver(dossier=available, agent=agent, identity_checked=False, old_title_surrendered=True)
    assert identity.value.code == "identity_not_checked"
    with pytest.raises(InvalidInput) as old:
        title_deliver(dossier=available, agent=agent, identity_checked=True, old_title_surrendered=False)
    assert old.value.code == "old_title_not_surrendered"
    production = title_deliver(dossier=available, agent=agent, identity_checked=True, old_title_surrendered=True)
    available.refresh_from_db()
    assert available.status == Status.DELIVERED and production.old_title_surrendered


def test_handover_by_an_agent_of_another_mairie_is_refused(available, personas):
    from guichet.accounts.models import RoleAssignment
    from guichet.accounts.roles import Role
    from guichet.territory.models import Place, PlaceKind

    other_place = Place.objects.create(
        kind=PlaceKind.MAIRIE, name="Mairie de Cesson", department_id="35", collection_stations=1
    )
    spec = next(s for s in PERSONAS if s.key == "mairie_agent")
    other = create_persona(spec.__class__(**{**spec.__dict__, "key": "x", "email": "autre.agent@example.fr"}))
    RoleAssignment.objects.filter(user=other).update(place=other_place)
    assert other.pk != personas["mairie_agent"].pk
    with pytest.raises(PermissionDenied):
        title_deliver(dossier=available, agent=other, identity_checked=True, old_title_surrendered=True)
    assert RoleAssignment.objects.filter(user=other, role=Role.MAIRIE_AGENT).exists()


def test_uncollected_titles_get_reminders_then_are_destroyed_idempotently(available):
    production = TitleProduction.objects.get(dossier=available)
    deadline = production.collect_before
    assert deadline is not None

    def at(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(9, 0)))

    assert titles_uncollected_process(now=at(deadline - timedelta(days=40))).reminded == 0
    assert titles_uncollected_process(now=at(deadline - timedelta(days=30))).reminded == 1
    assert titles_uncollected_process(now=at(deadline - timedelta(days=29))).reminded == 0
    assert titles_uncollected_process(now=at(deadline - timedelta(days=7))).reminded == 1
    assert Notification.objects.filter(event_key__startswith=f"title-reminder-{available.pk}-").count() == 4
    run = titles_uncollected_process(now=at(deadline))
    assert run.destroyed == 1
    assert titles_uncollected_process(now=at(deadline + timedelta(days=1))).destroyed == 0
    available.refresh_from_db()
    assert available.status == Status.DESTROYED
    assert available.events.filter(kind="transition", data__transition="destroy").count() == 1


def test_commands_run_the_same_processes(available, capsys):
    call_command("titles_uncollected_process")
    call_command("titles_production_process")
    output = capsys.readouterr().out
    assert "reminded=0 destroyed=0" in output and "started=0" in output


def test_background_tasks_run_the_processes(available):
    from guichet.procedures.identity_documents.tasks import titles_production_run, titles_uncollected_run

    assert titles_production_run.enqueue().return_value == {"started": 0, "shipped": 0, "made_available": 0}
    assert titles_uncollected_run.enqueue().return_value == {"reminded": 0, "destroyed": 0}


def test_a_loss_accepted_on_the_generic_page_still_invalidates_the_old_title_at_production(personas):
    from guichet.instruction.models import InvalidatedTitle

    predemande = validated_predemande(applicant=personas["citizen"], motive="loss")
    agent, instructor = personas["mairie_agent"], personas["instructor"]
    place = counter_place_of(agent=agent)
    assert place is not None
    session = counter_capture(
        session=counter_session_open(predemande=predemande, agent=agent, place=place), agent=agent
    )
    dossier = counter_lodge(
        session=session, agent=agent, checked_originals=ALL_ORIGINALS, stamps=stamps_for(predemande)
    ).dossiers[0]
    dossier = dossier_transition(dossier=dossier, name="start_instruction", actor=instructor)
    dossier_transition(dossier=dossier, name="accept", actor=instructor, data=ACCEPTED)
    titles_production_process()
    assert InvalidatedTitle.objects.filter(dossier=dossier, reason="loss", recorded_by__isnull=True).count() == 1
