from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.accounts.models import RoleAssignment
from guichet.accounts.roles import Role
from guichet.audit.models import AuditEntry
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.dossiers.models import AccessRole, DossierAccess, EventKind
from guichet.dossiers.policy import DossierPolicy
from guichet.dossiers.services import dossier_create
from guichet.dossiers.workflow import Actor
from guichet.mandates.errors import ConsentRefused, MandateRefused
from guichet.mandates.models import CONSENT_CODE_MAX_ATTEMPTS, ConsentMethod, Mandate, MandateKind, MandateStatus
from guichet.mandates.selectors import mandate_for_staff, mandates_of_citizen, mandates_of_holder
from guichet.mandates.services import (
    CONSENT_SENTENCE,
    mandate_consent_code_resend,
    mandate_consent_confirm,
    mandate_dossier_access_grant,
    mandate_for_action,
    mandate_propose,
    mandate_revoke,
)
from guichet.territory.models import Place, PlaceKind
from guichet.testing.personas import ensure_place

from .factories import MOBILE, active_mandate, last_sms_code

pytestmark = pytest.mark.usefixtures("test_procedure")


def propose(holder, citizen, actor, method=ConsentMethod.SMS_CODE, **options):
    return mandate_propose(
        holder=holder,
        citizen=citizen,
        kind=options.pop("kind", MandateKind.MEDIATION),
        procedures=options.pop("procedures", ["test_generic"]),
        duration=options.pop("duration", "one_week"),
        consent_method=method,
        actor=actor,
        **options,
    )


def later(delta):
    """Moves every `timezone.now()` call forward, as time passing would."""
    moment = timezone.now() + delta
    return mock.patch("django.utils.timezone.now", return_value=moment)


# --- Proposing and consenting by SMS ----------------------------------------------------------------------------


def test_sms_consent_sends_a_code_keeps_only_its_digest_and_activates_for_the_duration(
    point, mediator, visitor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mandate = propose(point, visitor, mediator)
    code = last_sms_code()
    assert mandate.status == MandateStatus.PENDING
    assert code not in mandate.consent_code_digest and len(mandate.consent_code_digest) == 64
    assert mandate.consent_phone_hint == "78"
    assert point.name in mandate.consent_text and "Démarche de test" in mandate.consent_text

    confirmed = mandate_consent_confirm(mandate=mandate, code_or_text=f" {code[:3]} {code[3:]} ", actor=mediator)

    assert confirmed.status == MandateStatus.ACTIVE
    assert confirmed.valid_until and confirmed.valid_from
    assert confirmed.valid_until - confirmed.valid_from == timedelta(days=7)
    assert confirmed.consent_recorded_by == mediator
    actions = list(AuditEntry.objects.filter(object_type="mandate").values_list("action", flat=True))
    assert actions == ["mandate_proposed", "mandate_consent_code_sent", "mandate_consented"]


def test_a_wrong_code_is_refused_counted_and_journaled_then_too_many_attempts_block_the_code(
    point, mediator, visitor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mandate = propose(point, visitor, mediator)
    right = last_sms_code()
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(ConsentRefused, match="Essais restants : 4") as refusal:
        mandate_consent_confirm(mandate=mandate, code_or_text=wrong, actor=mediator)
    assert refusal.value.code == "consent_code_wrong"
    for _ in range(CONSENT_CODE_MAX_ATTEMPTS - 1):
        with pytest.raises(ConsentRefused):
            mandate_consent_confirm(mandate=mandate, code_or_text=wrong, actor=mediator)
    with pytest.raises(ConsentRefused, match="Trop d'essais") as blocked:
        mandate_consent_confirm(mandate=mandate, code_or_text=right, actor=mediator)
    assert blocked.value.code == "consent_code_too_many_attempts"
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.PENDING
    assert AuditEntry.objects.filter(action="mandate_consent_refused").count() == CONSENT_CODE_MAX_ATTEMPTS + 1

    with django_capture_on_commit_callbacks(execute=True):
        mandate_consent_code_resend(mandate=mandate, actor=mediator)
    fresh = last_sms_code()
    assert mandate_consent_confirm(mandate=mandate, code_or_text=fresh, actor=mediator).is_active


def test_an_expired_code_is_refused(point, mediator, visitor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mandate = propose(point, visitor, mediator)
    code = last_sms_code()
    with later(timedelta(minutes=11)), pytest.raises(ConsentRefused, match="expiré") as refusal:
        mandate_consent_confirm(mandate=mandate, code_or_text=code, actor=mediator)
    assert refusal.value.code == "consent_code_expired"


def test_a_used_code_cannot_be_replayed(point, mediator, visitor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mandate = propose(point, visitor, mediator)
    code = last_sms_code()
    mandate_consent_confirm(mandate=mandate, code_or_text=code, actor=mediator)
    with pytest.raises(ConsentRefused, match="déjà enregistré") as refusal:
        mandate_consent_confirm(mandate=mandate, code_or_text=code, actor=mediator)
    assert refusal.value.code == "consent_already_given"


def test_only_three_codes_may_be_sent(point, mediator, visitor):
    mandate = propose(point, visitor, mediator)
    mandate_consent_code_resend(mandate=mandate, actor=mediator)
    mandate_consent_code_resend(mandate=mandate, actor=mediator)
    with pytest.raises(ConsentRefused, match="Trois codes"):
        mandate_consent_code_resend(mandate=mandate, actor=mediator)


def test_sms_consent_needs_the_citizens_mobile_and_creates_nothing_without_it(point, mediator, personas):
    citizen = personas["citizen"]
    with pytest.raises(InvalidInput, match="numéro de mobile") as refusal:
        propose(point, citizen, mediator)
    assert refusal.value.code == "citizen_mobile_missing"
    assert not Mandate.objects.exists()


# --- Typed sentence and printed attestation ---------------------------------------------------------------------


def test_typed_consent_accepts_the_sentence_whatever_the_case_accents_or_punctuation(point, mediator, visitor):
    mandate = propose(point, visitor, mediator, method=ConsentMethod.TYPED)
    with pytest.raises(ConsentRefused, match="ne correspond pas"):
        mandate_consent_confirm(mandate=mandate, code_or_text="oui", actor=mediator)
    typed = "j accepte CE mandat !"
    assert mandate_consent_confirm(mandate=mandate, code_or_text=typed, actor=mediator).is_active


def test_printed_attestation_is_confirmed_with_its_reference_or_its_qr_code(point, mediator, visitor):
    from guichet.mandates.attestation import mandate_attestation_pdf
    from guichet.testing.pdf_reading import pdf_qr_codes, pdf_text

    mandate = propose(point, visitor, mediator, method=ConsentMethod.PRINTED_ATTESTATION)
    pdf = mandate_attestation_pdf(mandate)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert mandate.display_reference in text and "Démarche de test" in text
    [qr] = pdf_qr_codes(pdf)
    assert qr == f"GUICHET-MANDAT {mandate.reference} {mandate.attestation_digest[:16]}"

    with pytest.raises(ConsentRefused, match="attestation"):
        mandate_consent_confirm(mandate=mandate, code_or_text="ABCDE-FGHJK", actor=mediator)
    assert mandate_consent_confirm(mandate=mandate, code_or_text=qr, actor=mediator).is_active


# --- Who may propose, what may be proposed ----------------------------------------------------------------------


def test_only_staff_of_the_structure_may_propose(point, personas, visitor):
    with pytest.raises(PermissionDenied):
        propose(point, visitor, personas["mairie_agent"], method=ConsentMethod.TYPED)


def test_a_structure_of_the_wrong_kind_cannot_hold_the_mandate(personas, visitor):
    garage = ensure_place(PlaceKind.CAR_PROFESSIONAL, personas["mediator"].role_assignments.get().place.department)
    with pytest.raises(InvalidInput, match="ne peut pas recevoir"):
        propose(garage, visitor, personas["car_professional"], method=ConsentMethod.TYPED)


def test_mediation_is_free_while_a_professional_states_its_fee_before_consent(point, mediator, visitor, personas):
    with pytest.raises(InvalidInput, match="gratuit"):
        propose(point, visitor, mediator, method=ConsentMethod.TYPED, fee_cents=1000)
    garage = personas["car_professional"].role_assignments.get().place
    mandate = propose(
        garage,
        visitor,
        personas["car_professional"],
        method=ConsentMethod.TYPED,
        kind=MandateKind.CLIENT,
        fee_cents=2990,
    )
    assert "29,90 €" in mandate.consent_text


def test_scope_is_checked_unknown_procedure_empty_or_another_persons_dossier(point, mediator, visitor, other_citizen):
    with pytest.raises(InvalidInput, match="n'existe pas"):
        propose(point, visitor, mediator, method=ConsentMethod.TYPED, procedures=["inconnue"])
    with pytest.raises(InvalidInput, match="au moins une"):
        propose(point, visitor, mediator, method=ConsentMethod.TYPED, procedures=[])
    foreign = dossier_create(procedure="test_generic", applicant=other_citizen, actor=other_citizen)
    with pytest.raises(InvalidInput, match="n'est pas celui"):
        propose(point, visitor, mediator, method=ConsentMethod.TYPED, procedures=[], dossier=foreign)


def test_the_database_refuses_a_mandate_without_scope_or_an_active_one_without_period(point, mediator, visitor):
    mandate = propose(point, visitor, mediator, method=ConsentMethod.TYPED)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Mandate.objects.filter(pk=mandate.pk).update(procedures=[])
    with transaction.atomic(), pytest.raises(IntegrityError):
        Mandate.objects.filter(pk=mandate.pk).update(consented_at=timezone.now())
    with transaction.atomic(), pytest.raises(IntegrityError):
        Mandate.objects.filter(pk=mandate.pk).update(revoked_at=timezone.now())  # without a reason


# --- Acting under a mandate -------------------------------------------------------------------------------------


def test_mandate_for_action_explains_every_refusal(point, mediator, visitor, personas):
    with pytest.raises(MandateRefused) as not_staff:
        mandate_for_action(user=personas["instructor"], citizen=visitor, procedure_code="test_generic")
    assert not_staff.value.code == "not_holder_staff"
    with pytest.raises(MandateRefused) as missing:
        mandate_for_action(user=mediator, citizen=visitor, procedure_code="test_generic")
    assert missing.value.code == "mandate_missing"

    pending = propose(point, visitor, mediator, method=ConsentMethod.TYPED)
    with pytest.raises(MandateRefused, match="pas encore donné son accord"):
        mandate_for_action(user=mediator, citizen=visitor, procedure_code="test_generic")

    mandate = mandate_consent_confirm(mandate=pending, code_or_text=CONSENT_SENTENCE, actor=mediator)
    assert mandate_for_action(user=mediator, citizen=visitor, procedure_code="test_generic") == mandate
    with pytest.raises(MandateRefused) as out_of_scope:
        mandate_for_action(user=mediator, citizen=visitor, procedure_code="cni")
    assert out_of_scope.value.code == "mandate_out_of_scope"

    with later(timedelta(days=7, seconds=1)), pytest.raises(MandateRefused, match="a pris fin") as expired:
        mandate_for_action(user=mediator, citizen=visitor, procedure_code="test_generic")
    assert expired.value.code == "mandate_expired"

    mandate_revoke(mandate=mandate, actor=visitor)
    with pytest.raises(MandateRefused, match="révoqué") as revoked:
        mandate_for_action(user=mediator, citizen=visitor, procedure_code="test_generic")
    assert revoked.value.code == "mandate_revoked"


def test_the_mandate_binds_the_structure_any_active_colleague_may_act_but_not_after_leaving(
    point, mediator, visitor, personas
):
    mandate = active_mandate(holder=point, citizen=visitor, actor=mediator)
    colleague = personas["instructor"]
    assignment = RoleAssignment.objects.create(user=colleague, role=Role.MEDIATOR, place=point)
    assert mandate_for_action(user=colleague, citizen=visitor, procedure_code="test_generic") == mandate
    assignment.revoked_at = timezone.now()
    assignment.save()
    with pytest.raises(MandateRefused, match="aucune structure"):
        mandate_for_action(user=colleague, citizen=visitor, procedure_code="test_generic")


def test_a_dossier_mandate_covers_that_dossier_only(point, mediator, visitor):
    dossier = dossier_create(procedure="test_generic", applicant=visitor, actor=visitor)
    other = dossier_create(procedure="test_generic", applicant=visitor, actor=visitor)
    mandate = active_mandate(holder=point, citizen=visitor, actor=mediator, procedures=[], dossier=dossier)
    assert mandate.procedures == ["test_generic"]
    assert mandate_for_action(user=mediator, citizen=visitor, procedure_code="test_generic", dossier=dossier)
    with pytest.raises(MandateRefused) as refusal:
        mandate_for_action(user=mediator, citizen=visitor, procedure_code="test_generic", dossier=other)
    assert refusal.value.code == "mandate_out_of_scope"
    with pytest.raises(MandateRefused):
        mandate_for_action(user=mediator, citizen=visitor, procedure_code="test_generic")  # a new dossier


def test_a_new_consent_supersedes_the_overlapping_mandate_of_the_same_structure(point, mediator, visitor):
    first = active_mandate(holder=point, citizen=visitor, actor=mediator)
    second = active_mandate(holder=point, citizen=visitor, actor=mediator, duration="one_month")
    first.refresh_from_db()
    assert first.status == MandateStatus.REVOKED and first.revocation_reason == "superseded"
    assert mandate_for_action(user=mediator, citizen=visitor, procedure_code="test_generic") == second


# --- Dossier access: opened through dossier_access_grant, closed by revocation or expiry ------------------------


def test_access_is_granted_until_the_mandate_ends_and_revocation_closes_it_at_once(point, mediator, visitor):
    dossier = dossier_create(procedure="test_generic", applicant=visitor, actor=visitor)
    mandate = active_mandate(holder=point, citizen=visitor, actor=mediator)
    assert not DossierPolicy.dossier_roles(mediator, dossier)

    access = mandate_dossier_access_grant(mandate=mandate, dossier=dossier, actor=mediator)
    assert access.role == AccessRole.MEDIATOR and access.valid_until == mandate.valid_until
    assert mandate.display_reference in access.reason
    assert mandate_dossier_access_grant(mandate=mandate, dossier=dossier, actor=mediator) == access  # idempotent
    assert DossierPolicy.dossier_roles(mediator, dossier) == {Actor.MEDIATOR}
    assert DossierPolicy.abilities(mediator, dossier)["edit"]

    mandate_revoke(mandate=mandate, actor=visitor)

    assert not DossierPolicy.dossier_roles(mediator, dossier)
    assert not DossierPolicy.visible_to(mediator).filter(pk=dossier.pk).exists()
    assert DossierAccess.objects.get(pk=access.pk).revoked_at is not None
    kinds = list(dossier.events.values_list("kind", "actor_role"))
    assert (EventKind.ACCESS_GRANTED, Actor.MEDIATOR) in kinds or (EventKind.ACCESS_GRANTED, Role.MEDIATOR) in kinds
    assert (EventKind.ACCESS_REVOKED, Actor.APPLICANT) in kinds


def test_expiry_closes_access_without_any_job(point, mediator, visitor):
    dossier = dossier_create(procedure="test_generic", applicant=visitor, actor=visitor)
    mandate = active_mandate(holder=point, citizen=visitor, actor=mediator, duration="session")
    mandate_dossier_access_grant(mandate=mandate, dossier=dossier, actor=mediator)
    assert mandate.valid_until is not None
    assert timezone.localtime(mandate.valid_until).time().hour == 0  # midnight tonight
    with later(mandate.valid_until - timezone.now()):
        assert not DossierPolicy.visible_to(mediator).filter(pk=dossier.pk).exists()
        assert Mandate.objects.active().filter(pk=mandate.pk).count() == 0
        assert mandate.status == MandateStatus.EXPIRED


def test_a_mairie_agent_of_a_mairie_may_hold_a_mediation_mandate_and_open_access(personas, visitor, department):
    mairie = Place.objects.create(kind=PlaceKind.MAIRIE, name="Mairie de Saint-Aubin", department=department)
    agent = personas["mairie_agent"]
    RoleAssignment.objects.create(user=agent, role=Role.MAIRIE_AGENT, place=mairie)
    dossier = dossier_create(procedure="test_generic", applicant=visitor, actor=visitor)
    mandate = active_mandate(holder=mairie, citizen=visitor, actor=agent)
    access = mandate_dossier_access_grant(mandate=mandate, dossier=dossier, actor=agent)
    assert access.role == AccessRole.MEDIATOR
    event = dossier.events.get(kind=EventKind.ACCESS_GRANTED)
    assert event.actor_organisation  # the agent's mairie is named on the citizen's timeline


# --- Revocation and reading -------------------------------------------------------------------------------------


def test_revocation_by_a_stranger_is_refused_and_a_second_revocation_explains_itself(
    point, mediator, visitor, other_citizen
):
    mandate = active_mandate(holder=point, citizen=visitor, actor=mediator)
    with pytest.raises(PermissionDenied):
        mandate_revoke(mandate=mandate, actor=other_citizen)
    mandate_revoke(mandate=mandate, actor=mediator)
    mandate.refresh_from_db()
    assert mandate.revocation_reason == "holder"
    with pytest.raises(InvalidInput, match="déjà révoqué"):
        mandate_revoke(mandate=mandate, actor=visitor)


def test_selectors_list_by_citizen_and_holder_and_hide_mandates_from_other_staff(point, mediator, visitor, personas):
    mandate = active_mandate(holder=point, citizen=visitor, actor=mediator)
    assert list(mandates_of_citizen(citizen=visitor)) == [mandate]
    assert list(mandates_of_holder(holder=point)) == [mandate]
    assert mandate_for_staff(user=mediator, reference=mandate.display_reference) == mandate
    assert mandate_for_staff(user=personas["mairie_agent"], reference=mandate.reference) is None
    assert MOBILE  # the visitor fixture gave the citizen a mobile


def test_the_outbox_copy_of_a_consent_sms_loses_its_code_once_replaced_or_spent(
    point, mediator, visitor, django_capture_on_commit_callbacks
):
    from guichet.notifications.models import Notification

    def stored_codes(mandate):
        rows = Notification.objects.filter(event_key__startswith=f"mandate:{mandate.reference}:consent_code:")
        return [context["code"] for context in rows.order_by("pk").values_list("context", flat=True)]

    with django_capture_on_commit_callbacks(execute=True):
        mandate = propose(point, visitor, mediator)
    first = last_sms_code()
    assert stored_codes(mandate) == [first]

    with django_capture_on_commit_callbacks(execute=True):
        mandate_consent_code_resend(mandate=mandate, actor=mediator)
    second = last_sms_code()
    assert stored_codes(mandate) == ["[effacé]", second]  # the replaced code is gone from the outbox

    mandate_consent_confirm(mandate=Mandate.objects.get(pk=mandate.pk), code_or_text=second, actor=mediator)
    assert stored_codes(mandate) == ["[effacé]", "[effacé]"]  # spent: no working code stays stored
