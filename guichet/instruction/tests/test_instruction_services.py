import pytest
from django.db import DatabaseError, connection, transaction

from guichet.core.exceptions import AppendOnlyViolation, InvalidInput
from guichet.dossiers.models import AccessRole
from guichet.dossiers.services import dossier_access_grant, dossier_create, dossier_transition
from guichet.dossiers.workflow import Status
from guichet.instruction.models import ComplementRequest, DecisionMotive, InvalidatedTitle
from guichet.instruction.services import (
    complement_answer,
    complement_request,
    dossier_decide,
    invalidated_title_record,
    invalidated_title_undeclare,
)


@pytest.fixture
def in_instruction(personas):
    from guichet.testing.personas import ensure_test_territory

    citizen = personas["citizen"]
    dossier = dossier_create(procedure="cni", applicant=citizen, actor=citizen, department=ensure_test_territory())
    # Identity dossiers are lodged at a mairie counter: the agent, given access, submits them.
    agent = personas["mairie_agent"]
    dossier_access_grant(dossier=dossier, user=agent, role=AccessRole.MAIRIE_AGENT, actor=agent)
    dossier = dossier_transition(dossier=dossier, name="submit", actor=agent)
    return dossier_transition(dossier=dossier, name="start_instruction", actor=personas["instructor"])


def test_motives_are_seeded_and_filtered_by_decision_and_procedure(db):
    assert DecisionMotive.objects.filter(decision="accept").exists()
    assert DecisionMotive.objects.filter(decision="refuse", code="other").exists()


def test_decision_needs_a_motive_of_the_right_kind(in_instruction, personas):
    instructor = personas["instructor"]
    with pytest.raises(InvalidInput) as wrong_kind:
        dossier_decide(dossier=in_instruction, actor=instructor, decision="accept", motive_code="fraud_suspected")
    assert wrong_kind.value.code == "invalid_motive"
    with pytest.raises(InvalidInput):
        dossier_decide(dossier=in_instruction, actor=instructor, decision="maybe", motive_code="other")
    refused = dossier_decide(
        dossier=in_instruction, actor=instructor, decision="refuse", motive_code="other", comment="Photo non conforme"
    )
    assert refused.status == Status.REFUSED
    event = refused.events.filter(kind="transition").order_by("pk").reverse()[0]
    assert event.data["details"]["motive"] == "other"
    assert "Photo non conforme" in event.data["details"]["reason"]


def test_inactive_motive_cannot_be_used(in_instruction, personas):
    DecisionMotive.objects.filter(code="conditions_met").update(is_active=False)
    with pytest.raises(InvalidInput):
        dossier_decide(
            dossier=in_instruction, actor=personas["instructor"], decision="accept", motive_code="conditions_met"
        )


def test_complement_round_trip(in_instruction, personas):
    citizen, instructor = personas["citizen"], personas["instructor"]
    with pytest.raises(InvalidInput):
        complement_request(dossier=in_instruction, actor=instructor, reason="  ")
    request = complement_request(dossier=in_instruction, actor=instructor, reason="Justificatif de domicile illisible")
    in_instruction.refresh_from_db()
    assert in_instruction.status == Status.AWAITING_COMPLEMENT
    with pytest.raises(InvalidInput) as empty:
        complement_answer(dossier=in_instruction, actor=citizen, message="")
    assert empty.value.code == "complement_answer_empty"
    with pytest.raises(InvalidInput) as no_upload:
        complement_answer(dossier=in_instruction, actor=citizen, message="ok", documents=[object()])
    assert no_upload.value.code == "documents_not_accepted"
    answered = complement_answer(dossier=in_instruction, actor=citizen, message="Je l'apporte en mairie demain.")
    assert answered.pk == request.pk and answered.answered_at is not None
    in_instruction.refresh_from_db()
    assert in_instruction.status == Status.IN_INSTRUCTION
    assert not ComplementRequest.objects.filter(answered_at__isnull=True).exists()


def test_invalidated_title_can_never_be_undone(in_instruction, personas):
    record = invalidated_title_record(
        dossier=in_instruction, title_kind="cni", holder_key="k" * 64, reason="theft", actor=personas["instructor"]
    )
    again = invalidated_title_record(
        dossier=in_instruction, title_kind="cni", holder_key="k" * 64, reason="theft", actor=None
    )
    assert again.pk == record.pk
    with pytest.raises(AppendOnlyViolation) as undeclare:
        invalidated_title_undeclare(record=record, actor=personas["instructor"])
    assert undeclare.value.code == "invalidation_irreversible"
    with pytest.raises(AppendOnlyViolation):
        record.delete()
    record.reason = "loss"
    with pytest.raises(AppendOnlyViolation):
        record.save()
    with pytest.raises(InvalidInput):
        invalidated_title_record(
            dossier=in_instruction, title_kind="passeport", holder_key="k", reason="damage", actor=None
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_database_refuses_to_delete_or_update_an_invalidated_title(in_instruction):
    invalidated_title_record(dossier=in_instruction, title_kind="cni", holder_key="k", reason="loss", actor=None)
    for statement in (
        InvalidatedTitle.objects.all().delete,
        lambda: InvalidatedTitle.objects.update(reason="theft"),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            statement()
    assert InvalidatedTitle.objects.get().reason == "loss"


def test_a_motive_needing_details_is_refused_without_them(in_instruction, personas):
    assert DecisionMotive.objects.get(code="other").needs_details
    with pytest.raises(InvalidInput) as refused:
        dossier_decide(dossier=in_instruction, actor=personas["instructor"], decision="refuse", motive_code="other")
    assert refused.value.code == "motive_details_required"
    with pytest.raises(InvalidInput) as unmotivated:
        dossier_decide(dossier=in_instruction, actor=personas["instructor"], decision="refuse", motive_code="")
    assert "Un refus doit être motivé" in unmotivated.value.message
    in_instruction.refresh_from_db()
    assert in_instruction.status == Status.IN_INSTRUCTION
