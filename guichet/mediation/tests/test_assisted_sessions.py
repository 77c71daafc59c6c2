from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from guichet.accounts.errors import EmailAlreadyUsed
from guichet.accounts.models import IdentityAssurance, RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.audit.models import AuditEntry
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.dossiers.models import DossierEvent, EventKind
from guichet.dossiers.tests.fixtures import png_bytes, upload
from guichet.mandates.errors import MandateRefused
from guichet.mandates.models import ConsentMethod, MandateStatus
from guichet.mandates.services import CONSENT_SENTENCE, mandate_revoke
from guichet.mediation.models import AssistedSession, EndReason, StepKind
from guichet.mediation.selectors import assisted_activity
from guichet.mediation.services import (
    assisted_account_create,
    assisted_document_upload,
    assisted_dossier_create,
    assisted_dossier_open,
    assisted_dossier_transition,
    assisted_identity_verify,
    assisted_mandate_confirm,
    assisted_mandate_propose,
    assisted_places_of,
    assisted_session_current,
    assisted_session_end,
    assisted_session_open,
    assisted_visitor_attach,
    visitor_search,
)
from guichet.territory.models import Place, PlaceKind

pytestmark = pytest.mark.usefixtures("test_procedure")


@pytest.fixture
def session(mediator, point):
    return assisted_session_open(place=point, actor=mediator)


def with_mandate(session, mediator, duration="one_week"):
    mandate = assisted_mandate_propose(
        session=session,
        procedures=["test_generic"],
        dossier=None,
        duration=duration,
        consent_method=ConsentMethod.TYPED,
        actor=mediator,
    )
    return assisted_mandate_confirm(session=session, mandate=mandate, code_or_text=CONSENT_SENTENCE, actor=mediator)


def test_a_visitor_without_account_gets_one_checked_in_person_then_a_dossier_under_mandate(session, mediator, point):
    visitor = assisted_account_create(
        session=session,
        email="Lea.Robert@example.fr",
        first_name="Léa",
        last_name="Robert",
        mobile_phone="06 98 76 54 32",
        actor=mediator,
    )
    assert visitor.email == "lea.robert@example.fr" and visitor.mobile_phone == "+33698765432"
    assert visitor.email_verified_at is None
    creation = AuditEntry.objects.get(action="assisted_account_created")
    assert creation.data["password_set_by_visitor"] is False and creation.subject_user_id == visitor.pk
    assisted_identity_verify(
        session=session,
        document_type="passport",
        given_name="Léa",
        family_name="Robert",
        birthdate=date(1950, 3, 2),
        actor=mediator,
    )
    visitor.refresh_from_db()
    assert visitor.identity_assurance == IdentityAssurance.VERIFIED_IN_PERSON
    assert visitor.verified_identity.document_type == "passport"

    with pytest.raises(MandateRefused):
        assisted_dossier_create(session=session, procedure="test_generic", actor=mediator)
    with_mandate(session, mediator)
    dossier = assisted_dossier_create(session=session, procedure="test_generic", actor=mediator)
    assisted_document_upload(
        session=session, dossier=dossier, kind="identity", uploaded_file=upload(png_bytes()), actor=mediator
    )
    submitted = assisted_dossier_transition(session=session, dossier=dossier, name="submit", actor=mediator)

    assert dossier.applicant == visitor and submitted.status == "submitted"
    # The citizen's timeline names the structure and the mediator's role; the journal also holds who, for whom.
    created = DossierEvent.objects.get(dossier=dossier, kind=EventKind.CREATED)
    assert (created.actor_id, created.actor_role, created.on_behalf_of_id) == (mediator.pk, "mediator", visitor.pk)
    assert created.actor_organisation == point.name
    steps = AuditEntry.objects.filter(action="assisted_step", subject_user_id=visitor.pk)
    assert {(e.actor_id, e.actor_organisation, e.on_behalf_of_id) for e in steps} == {
        (mediator.pk, point.name, visitor.pk)
    }
    assert [e.data["step"] for e in steps] == [
        "identity_verified",
        "mandate_proposed",
        "mandate_consented",
        "dossier_created",
        "document_uploaded",
        "dossier_filed",
    ]


def test_a_password_is_typed_by_the_visitor_and_must_be_strong(session, mediator):
    with pytest.raises(InvalidInput, match=r"court|courant") as refusal:
        assisted_account_create(
            session=session, email="a@example.fr", first_name="A", last_name="B", password="1234", actor=mediator
        )
    assert refusal.value.code == "password_too_weak"
    user = assisted_account_create(
        session=session,
        email="a@example.fr",
        first_name="A",
        last_name="B",
        password="Un-Mot-De-Passe-Solide-42",
        actor=mediator,
    )
    assert user.check_password("Un-Mot-De-Passe-Solide-42")


def test_an_existing_account_is_found_not_duplicated(session, mediator, visitor):
    with pytest.raises(EmailAlreadyUsed):
        assisted_account_create(
            session=session, email=visitor.email.upper(), first_name="X", last_name="Y", actor=mediator
        )
    assert visitor_search(email=visitor.email.upper()) == visitor
    assert visitor_search(mobile_phone="06 12 34 56 78", last_name="martin") == visitor
    assert visitor_search(mobile_phone="06 12 34 56 78", last_name="Autre") is None
    assisted_visitor_attach(session=session, citizen=visitor, actor=mediator)
    assert AssistedSession.objects.get(pk=session.pk).citizen == visitor


def test_revocation_by_the_citizen_stops_the_mediator_at_once(session, mediator, visitor):
    assisted_visitor_attach(session=session, citizen=visitor, actor=mediator)
    mandate = with_mandate(session, mediator)
    dossier = assisted_dossier_create(session=session, procedure="test_generic", actor=mediator)
    mandate_revoke(mandate=mandate, actor=visitor)
    with pytest.raises(MandateRefused, match="révoqué"):
        assisted_dossier_open(session=session, dossier=dossier, actor=mediator)
    with pytest.raises(MandateRefused):
        assisted_document_upload(
            session=session, dossier=dossier, kind="identity", uploaded_file=upload(png_bytes()), actor=mediator
        )
    assert not dossier.documents.exists()


def test_ending_the_session_ends_mandates_meant_for_it_and_cancels_unanswered_ones(session, mediator, visitor):
    assisted_visitor_attach(session=session, citizen=visitor, actor=mediator)
    for_the_session = with_mandate(session, mediator, duration="session")
    unanswered = assisted_mandate_propose(
        session=session,
        procedures=["cni"],
        dossier=None,
        duration="one_month",
        consent_method=ConsentMethod.TYPED,
        actor=mediator,
    )
    assisted_session_end(session=session, actor=mediator)
    for_the_session.refresh_from_db()
    unanswered.refresh_from_db()
    assert for_the_session.status == MandateStatus.REVOKED and for_the_session.revocation_reason == "session_ended"
    assert unanswered.status == MandateStatus.REVOKED
    with pytest.raises(InvalidInput, match="terminée"):
        assisted_dossier_create(session=session, procedure="test_generic", actor=mediator)


def test_an_idle_session_ends_by_itself(session, mediator):
    later = timezone.now() + timedelta(minutes=21)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert assisted_session_current(helper=mediator) is None
    session.refresh_from_db()
    assert session.end_reason == EndReason.INACTIVITY
    assert session.ended_at == session.last_activity_at + timedelta(minutes=20)


def test_the_idle_sessions_job_ends_forgotten_sessions(session):
    AssistedSession.objects.filter(pk=session.pk).update(last_activity_at=timezone.now() - timedelta(hours=2))
    call_command("end_idle_assisted_sessions", stdout=mock.MagicMock())
    session.refresh_from_db()
    assert session.end_reason == EndReason.INACTIVITY


def test_opening_a_new_session_ends_the_previous_one(session, mediator, point):
    second = assisted_session_open(place=point, actor=mediator)
    session.refresh_from_db()
    assert session.end_reason == EndReason.REPLACED and second.is_open


def test_who_may_help_mediators_and_agents_of_non_equipped_mairies_only(personas, department, point):
    equipped_agent = personas["mairie_agent"]
    assert assisted_places_of(user=equipped_agent) == []  # Rennes has collection stations
    with pytest.raises(PermissionDenied):
        assisted_session_open(place=equipped_agent.role_assignments.get().place, actor=equipped_agent)
    small = Place.objects.create(kind=PlaceKind.MAIRIE, name="Mairie de Saint-Aubin", department=department)
    RoleAssignment.objects.create(user=equipped_agent, role=Role.MAIRIE_AGENT, place=small)
    assert assisted_places_of(user=equipped_agent) == [small]
    assert assisted_session_open(place=small, actor=equipped_agent).place == small
    with pytest.raises(PermissionDenied):
        assisted_session_open(place=point, actor=equipped_agent)
    assert assisted_places_of(user=personas["instructor"]) == []


def test_another_helper_cannot_use_someone_elses_session(session, personas, visitor):
    with pytest.raises(PermissionDenied):
        assisted_visitor_attach(session=session, citizen=visitor, actor=personas["instructor"])


def test_statistics_count_sessions_durations_and_procedures_without_naming_anyone(session, mediator, visitor, point):
    assisted_visitor_attach(session=session, citizen=visitor, actor=mediator)
    with_mandate(session, mediator)
    dossier = assisted_dossier_create(session=session, procedure="test_generic", actor=mediator)
    assisted_document_upload(
        session=session, dossier=dossier, kind="identity", uploaded_file=upload(png_bytes()), actor=mediator
    )
    assisted_dossier_transition(session=session, dossier=dossier, name="submit", actor=mediator)
    AssistedSession.objects.filter(pk=session.pk).update(opened_at=timezone.now() - timedelta(minutes=30))
    assisted_session_end(session=session, actor=mediator)
    assisted_session_open(place=point, actor=mediator)  # still open: counted, no duration yet

    today = timezone.localdate()
    [activity] = assisted_activity(department=point.department, start=today, end=today)
    assert (activity.sessions, activity.ended_sessions, activity.median_minutes) == (2, 1, 30)
    assert activity.procedures == {"test_generic": 1}  # started and filed: one démarche
    assert activity.steps[StepKind.DOCUMENT_UPLOADED] == 1
    assert not any(isinstance(value, User) for value in vars(activity).values())
    assert (
        assisted_activity(department=point.department, start=today - timedelta(days=9), end=today - timedelta(days=1))
        == []
    )
