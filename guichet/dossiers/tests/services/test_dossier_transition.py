import pytest
from django.db import IntegrityError

from guichet.audit.models import AuditAction, AuditEntry
from guichet.core.exceptions import InvalidInput, PermissionDenied, TransitionNotAllowed
from guichet.dossiers.models import Dossier, DossierEvent, EventKind
from guichet.dossiers.services import StaleDossier, dossier_create, dossier_transition
from guichet.dossiers.workflow import Status

pytestmark = pytest.mark.django_db


def test_create_makes_a_draft_with_an_event_and_an_audit_entry(citizen, test_procedure, department):
    dossier = dossier_create(
        procedure=test_procedure.code, applicant=citizen, actor=citizen, data={"a": 1}, department=department
    )
    assert dossier.status == Status.DRAFT
    assert dossier.version == 1
    assert list(dossier.events.values_list("kind", flat=True)) == [EventKind.CREATED]
    entry = AuditEntry.objects.get(dossier_id=dossier.pk)
    assert entry.action == AuditAction.DOSSIER_CHANGED
    assert entry.actor_role == "applicant"


def test_create_refuses_an_unknown_procedure(citizen):
    with pytest.raises(InvalidInput) as error:
        dossier_create(procedure="nope", applicant=citizen, actor=citizen, data={})
    assert error.value.code == "unknown_procedure"
    assert not Dossier.objects.exists()


def test_submit_sets_dates_bumps_version_and_journals_once(citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    from guichet.dossiers.services import document_upload
    from guichet.dossiers.tests.fixtures import png_bytes, upload

    document_upload(dossier=dossier, kind="identity", uploaded_file=upload(png_bytes()), actor=citizen)
    before_audit = AuditEntry.objects.count()
    dossier_transition(dossier=dossier, name="submit", actor=citizen)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.submitted_at is not None
    assert dossier.status_changed_at == dossier.submitted_at
    assert dossier.version == 2
    transition_events = DossierEvent.objects.filter(dossier=dossier, kind=EventKind.TRANSITION)
    assert [e.data for e in transition_events] == [{"transition": "submit", "from": "draft", "to": "submitted"}]
    assert AuditEntry.objects.count() == before_audit + 1
    last = AuditEntry.objects.order_by("sequence").last()
    assert last is not None and last.action == AuditAction.DOSSIER_TRANSITION


def test_submit_refuses_when_a_required_document_is_missing(citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    with pytest.raises(TransitionNotAllowed) as error:
        dossier_transition(dossier=dossier, name="submit", actor=citizen)
    assert error.value.code == "missing_documents"
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT
    assert not DossierEvent.objects.filter(dossier=dossier, kind=EventKind.TRANSITION).exists()


def test_instructor_decision_sets_decided_at(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "in_instruction", instructor=personas["instructor"])
    dossier_transition(dossier=dossier, name="accept", actor=personas["instructor"])
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED
    assert dossier.decided_at is not None
    entry = AuditEntry.objects.filter(dossier_id=dossier.pk).order_by("sequence").last()
    assert entry is not None
    assert entry.actor_role == "instructor"
    assert entry.actor_organisation == "CERT titres d'identité de Rennes"


def test_illegal_transition_from_current_status_raises(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "draft")
    with pytest.raises(TransitionNotAllowed) as error:
        dossier_transition(dossier=dossier, name="accept", actor=citizen)
    assert error.value.code == "transition_not_allowed"


def test_applicant_cannot_fire_an_instructor_transition(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "in_instruction", instructor=personas["instructor"])
    with pytest.raises(TransitionNotAllowed) as error:
        dossier_transition(dossier=dossier, name="accept", actor=citizen)
    assert error.value.code == "transition_forbidden_for_role"
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_INSTRUCTION


def test_unknown_transition_name_raises(citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    with pytest.raises(TransitionNotAllowed) as error:
        dossier_transition(dossier=dossier, name="teleport", actor=citizen)
    assert error.value.code == "unknown_transition"


def test_stranger_cannot_transition(other_citizen, citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    with pytest.raises(PermissionDenied):
        dossier_transition(dossier=dossier, name="withdraw", actor=other_citizen)


def test_instructor_of_another_department_cannot_see_or_act(citizen, personas, make_dossier):
    from guichet.territory.models import Department

    dossier = make_dossier(citizen, "submitted")
    other = Department.objects.create(code="29", name="Finistère", region=dossier.department.region)
    Dossier.objects.filter(pk=dossier.pk).update(department=other)
    dossier.refresh_from_db()
    with pytest.raises(PermissionDenied):
        dossier_transition(dossier=dossier, name="start_instruction", actor=personas["instructor"])


def test_stale_version_is_refused_and_changes_nothing(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    first_view = Dossier.objects.get(pk=dossier.pk)
    second_view = Dossier.objects.get(pk=dossier.pk)
    dossier_transition(dossier=first_view, name="start_instruction", actor=personas["instructor"])
    events_before = DossierEvent.objects.filter(dossier=dossier).count()
    with pytest.raises(StaleDossier) as error:
        dossier_transition(dossier=second_view, name="withdraw", actor=citizen)
    assert error.value.code == "stale_dossier"
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_INSTRUCTION
    assert DossierEvent.objects.filter(dossier=dossier).count() == events_before


def test_explicit_expected_version_is_checked(citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    with pytest.raises(StaleDossier):
        dossier_transition(dossier=dossier, name="withdraw", actor=citizen, expected_version=dossier.version + 5)


def test_system_may_fire_system_transitions_only(citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    dossier_transition(dossier=dossier, name="expire", actor=None)
    dossier.refresh_from_db()
    assert dossier.status == Status.EXPIRED
    entry = AuditEntry.objects.filter(dossier_id=dossier.pk).order_by("sequence").last()
    assert entry is not None
    assert entry.actor_id is None and entry.actor_role == "system"
    other = make_dossier(citizen, "draft")
    with pytest.raises(TransitionNotAllowed):
        dossier_transition(dossier=other, name="withdraw", actor=None)


def test_database_refuses_a_submitted_dossier_without_date(citizen, make_dossier):
    dossier = make_dossier(citizen, "draft")
    with pytest.raises(IntegrityError):
        Dossier.objects.filter(pk=dossier.pk).update(status=Status.SUBMITTED)


def test_database_refuses_a_decided_dossier_without_decision_date(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "in_instruction", instructor=personas["instructor"])
    with pytest.raises(IntegrityError):
        Dossier.objects.filter(pk=dossier.pk).update(status=Status.ACCEPTED)


def test_events_cannot_be_edited(citizen, make_dossier):
    from guichet.core.exceptions import AppendOnlyViolation

    event = make_dossier(citizen, "draft").events.first()
    event.data = {"forged": True}
    with pytest.raises(AppendOnlyViolation):
        event.save()


def test_create_by_an_agent_records_their_role_and_organisation(citizen, personas, test_procedure):
    agent = personas["mairie_agent"]
    dossier = dossier_create(procedure=test_procedure.code, applicant=citizen, actor=agent, data={})
    entry = AuditEntry.objects.get(dossier_id=dossier.pk)
    assert entry.actor_role == "mairie_agent"
    assert entry.actor_organisation == "Mairie de Rennes"
    assert entry.on_behalf_of_id == citizen.pk
