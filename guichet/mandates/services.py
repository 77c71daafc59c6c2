"""Mandates: propose one, record the citizen's consent, revoke it, check it before acting, open dossier access.

Every step is journaled. Access to a dossier is opened only through `dossier_access_grant`, until the mandate's
end, and each grant is linked to its mandate so that revoking the mandate closes exactly those grants.
"""

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.audit.models import AuditAction
from guichet.audit.services import SYSTEM, Actor, audit_record
from guichet.core import references
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.dossiers import registry
from guichet.dossiers.models import AccessRole, Dossier, DossierAccess
from guichet.dossiers.services import AccessAlreadyGranted, dossier_access_grant, dossier_access_revoke
from guichet.dossiers.workflow import OPEN_STATUSES
from guichet.notifications.channels.sms import InvalidPhoneNumber, phone_normalize_french_mobile
from guichet.notifications.models import Channel
from guichet.notifications.services import notification_context_redact, notification_enqueue
from guichet.territory.models import Place, PlaceKind

from .durations import duration_get
from .errors import ConsentRefused, MandateRefused
from .models import (
    CONSENT_CODE_MAX_ATTEMPTS,
    CONSENT_CODE_MAX_SENDS,
    ConsentMethod,
    Mandate,
    MandateDossierAccess,
    MandateKind,
    MandateStatus,
)

CONSENT_CODE_VALIDITY = timedelta(minutes=10)
CONSENT_CODE_DIGITS = 6
# What the visitor types on their side of the screen to agree (compared without case, accents or punctuation).
CONSENT_SENTENCE = "J'accepte ce mandat"

# Who may hold each kind of mandate, and with which staff roles one acts under it.
KIND_PLACE_KINDS: dict[str, frozenset[str]] = {
    MandateKind.MEDIATION: frozenset(
        {
            PlaceKind.POINT_NUMERIQUE,
            PlaceKind.ESPACE_NUMERIQUE,
            PlaceKind.PREFECTURE,
            PlaceKind.SOUS_PREFECTURE,
            PlaceKind.MAIRIE,
        }
    ),
    MandateKind.CLIENT: frozenset({PlaceKind.DRIVING_SCHOOL, PlaceKind.CAR_PROFESSIONAL}),
}
KIND_STAFF_ROLES: dict[str, frozenset[str]] = {
    MandateKind.MEDIATION: frozenset({Role.MEDIATOR.value, Role.MAIRIE_AGENT.value}),
    MandateKind.CLIENT: frozenset({Role.DRIVING_SCHOOL_STAFF.value, Role.CAR_PROFESSIONAL_STAFF.value}),
}
# The dossier-level role a mandate opens for the staff member acting under it.
KIND_ACCESS_ROLE: dict[str, str] = {
    MandateKind.MEDIATION: AccessRole.MEDIATOR.value,
    MandateKind.CLIENT: AccessRole.TRUSTED_PARTY.value,
}

REVOKED_BY_CITIZEN, REVOKED_BY_HOLDER, SUPERSEDED, CANCELLED, SESSION_ENDED = (
    "citizen",
    "holder",
    "superseded",
    "cancelled",
    "session_ended",
)


# --- Who acts ----------------------------------------------------------------------------------------------------


def staff_role_at(*, user: Any, holder: Place, kind: str) -> str | None:
    """The role under which `user` works at `holder` for mandates of `kind`, or None."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return (
        RoleAssignment.objects.filter(
            user=user, place=holder, role__in=sorted(KIND_STAFF_ROLES.get(kind, ())), revoked_at__isnull=True
        )
        .order_by("granted_at", "pk")
        .values_list("role", flat=True)
        .first()
    )


def _staff_actor(user: Any, holder: Place, role: str, citizen_id: int | None) -> Actor:
    return Actor(user_id=user.pk, role=role, organisation=holder.name, on_behalf_of_id=citizen_id)


def _actor_for(mandate: Mandate, user: Any) -> Actor:
    """The citizen themselves, or a staff member of the holder (on the citizen's behalf)."""
    if user is None:
        return SYSTEM
    if user.pk == mandate.citizen_id:
        return Actor(user_id=user.pk, role=Role.CITIZEN.value)
    role = staff_role_at(user=user, holder=mandate.holder, kind=mandate.kind)
    return _staff_actor(user, mandate.holder, role or "", mandate.citizen_id)


def _journal(mandate: Mandate, action: str, actor: Actor, **data: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        dossier_id=mandate.dossier_id,
        subject_user_id=mandate.citizen_id,
        object_type="mandate",
        object_id=mandate.reference,
        data={"kind": mandate.kind, "holder_id": mandate.holder_id, **data},
    )


# --- Wording -----------------------------------------------------------------------------------------------------


def procedure_labels(codes: Iterable[str]) -> list[str]:
    return [str(registry.get_or_generic(code).label) for code in codes]


def mandate_scope_text(mandate: Mandate) -> str:
    if mandate.dossier_id is not None and mandate.dossier is not None:
        return _("le dossier %(reference)s (%(procedure)s)") % {
            "reference": mandate.dossier.display_reference,
            "procedure": registry.get_or_generic(mandate.dossier.procedure).label,
        }
    return ", ".join(procedure_labels(mandate.procedures))


def format_fee(cents: int | None) -> str:
    if cents is None:
        return ""
    euros, rest = divmod(cents, 100)
    return f"{euros},{rest:02d} €".replace(",00 €", " €")


def _consent_text(mandate: Mandate, citizen: User) -> str:
    duration = duration_get(mandate.duration)
    text = _(
        "Moi, %(citizen)s, j'autorise la structure « %(holder)s » à faire pour moi, en mon nom, les démarches "
        "suivantes : %(scope)s. Durée : %(duration)s. Je peux retirer cette autorisation à tout moment depuis mon "
        "compte, rubrique « Mes mandats »."
    ) % {
        "citizen": citizen.get_full_name() or citizen.email,
        "holder": mandate.holder.name,
        "scope": mandate_scope_text(mandate),
        "duration": str(duration.label).lower() if duration else mandate.duration,
    }
    if mandate.fee_cents is not None:
        text += " " + _("Prix demandé par la structure pour ce service : %(fee)s.") % {
            "fee": format_fee(mandate.fee_cents)
        }
    return text


def _normalise_sentence(text: str) -> str:
    without_accents = "".join(
        char for char in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(char)
    )
    return " ".join(re.sub(r"[^\w\s]", " ", without_accents.casefold()).split())


def attestation_digest_of(mandate: Mandate) -> str:
    """What the printed attestation carries: a SHA-256 of its reference, parties, scope, duration and text."""
    payload = "|".join(
        [
            mandate.reference,
            str(mandate.citizen_id),
            str(mandate.holder_id),
            ",".join(mandate.procedures),
            str(mandate.dossier_id or ""),
            mandate.duration,
            str(mandate.fee_cents if mandate.fee_cents is not None else ""),
            mandate.consent_text,
        ]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def attestation_qr_payload(mandate: Mandate) -> str:
    """What the attestation's QR code holds: the reference (what the agent types back) and a digest prefix."""
    return f"GUICHET-MANDAT {mandate.reference} {mandate.attestation_digest[:16]}"


# --- Propose -----------------------------------------------------------------------------------------------------


def _clean_scope(*, citizen: User, procedures: Iterable[str], dossier: Dossier | None) -> list[str]:
    codes = sorted({str(code) for code in procedures or []})
    for code in codes:
        try:
            registry.get(code)
        except registry.UnknownProcedure:
            raise InvalidInput(
                _("Cette démarche n'existe pas : %(code)s.") % {"code": code}, code="unknown_procedure"
            ) from None
    if dossier is not None:
        if dossier.applicant_id != citizen.pk:
            raise InvalidInput(_("Ce dossier n'est pas celui de cette personne."), code="dossier_of_someone_else")
        if dossier.status not in OPEN_STATUSES:
            raise InvalidInput(_("Ce dossier est clos : un mandat ne sert plus à rien."), code="dossier_closed")
        if codes and codes != [dossier.procedure]:
            raise InvalidInput(
                _("Un mandat porte soit sur des démarches, soit sur un seul dossier."), code="mandate_scope_mixed"
            )
        return [dossier.procedure]
    if not codes:
        raise InvalidInput(_("Choisissez au moins une démarche couverte par le mandat."), code="mandate_scope_empty")
    return codes


def _consent_code_digest(mandate: Mandate, code: str) -> str:
    return salted_hmac("guichet.mandates.consent_code", f"{mandate.reference}:{code}", algorithm="sha256").hexdigest()


def _send_consent_code(mandate: Mandate, actor: Actor) -> None:
    """A fresh 6-digit code by SMS to the citizen's mobile; only its keyed digest is kept on the mandate."""
    try:
        phone = phone_normalize_french_mobile(mandate.citizen.mobile_phone)
    except InvalidPhoneNumber:
        raise InvalidInput(
            _(
                "Le compte de cette personne n'a pas de numéro de mobile français : ajoutez-le à son compte, ou "
                "choisissez un autre moyen de recueillir son accord."
            ),
            code="citizen_mobile_missing",
        ) from None
    if mandate.consent_code_sends >= CONSENT_CODE_MAX_SENDS:
        raise ConsentRefused(
            _("Trois codes ont déjà été envoyés pour ce mandat : choisissez un autre moyen de recueillir l'accord."),
            code="consent_code_too_many_sends",
        )
    _consent_codes_redact(mandate)  # the previous code stops working: its SMS copy need not keep it
    code = f"{secrets.randbelow(10**CONSENT_CODE_DIGITS):0{CONSENT_CODE_DIGITS}d}"
    mandate.consent_code_digest = _consent_code_digest(mandate, code)
    mandate.consent_code_expires_at = timezone.now() + CONSENT_CODE_VALIDITY
    mandate.consent_code_attempts = 0
    mandate.consent_code_sends += 1
    mandate.consent_phone_hint = phone[-2:]
    mandate.save(
        update_fields=[
            "consent_code_digest",
            "consent_code_expires_at",
            "consent_code_attempts",
            "consent_code_sends",
            "consent_phone_hint",
        ]
    )
    notification_enqueue(
        event_key=f"mandate:{mandate.reference}:consent_code:{mandate.consent_code_sends}",
        channel=Channel.SMS,
        recipient=phone,
        template="mandate_consent_code",
        context={
            "code": code,
            "holder": mandate.holder.name,
            "minutes": int(CONSENT_CODE_VALIDITY.total_seconds() // 60),
            "fee": format_fee(mandate.fee_cents),
        },
        recipient_user_id=mandate.citizen_id,
    )
    _journal(mandate, AuditAction.MANDATE_CONSENT_CODE_SENT, actor, send=mandate.consent_code_sends)


@transaction.atomic
def mandate_propose(
    *,
    holder: Place,
    citizen: User,
    kind: str,
    procedures: Iterable[str],
    dossier: Dossier | None = None,
    duration: str,
    consent_method: str,
    fee_cents: int | None = None,
    actor: User,
) -> Mandate:
    """A mandate waiting for the citizen's consent, proposed by a staff member of `holder`.

    With `sms_code` a 6-digit code is texted to the citizen at once; with `typed` the citizen types
    `CONSENT_SENTENCE`; with `printed_attestation` the attestation PDF is printed, signed and handed back.
    """
    if kind not in MandateKind.values:
        raise InvalidInput(_("Ce type de mandat n'existe pas."), code="mandate_kind_unknown")
    if holder.kind not in KIND_PLACE_KINDS[kind] or not holder.is_active:
        raise InvalidInput(_("Cette structure ne peut pas recevoir ce type de mandat."), code="holder_not_allowed")
    role = staff_role_at(user=actor, holder=holder, kind=kind)
    if role is None:
        raise PermissionDenied(
            _("Vous devez faire partie de cette structure pour proposer un mandat en son nom."), code="not_holder_staff"
        )
    if citizen.pk == actor.pk or not citizen.is_active:
        raise InvalidInput(_("Un mandat se donne par une autre personne que vous."), code="mandate_to_oneself")
    if duration_get(duration) is None:
        raise InvalidInput(_("Choisissez une durée dans la liste."), code="mandate_duration_unknown")
    if consent_method not in ConsentMethod.values:
        raise InvalidInput(_("Choisissez comment la personne donne son accord."), code="consent_method_unknown")
    if fee_cents is not None and (kind == MandateKind.MEDIATION or fee_cents < 0):
        raise InvalidInput(
            _("L'accompagnement par un médiateur est gratuit : aucun prix ne peut être demandé."),
            code="mandate_fee_not_allowed",
        )
    codes = _clean_scope(citizen=citizen, procedures=procedures, dossier=dossier)
    mandate = Mandate(
        reference=references.generate(10),
        kind=kind,
        citizen=citizen,
        holder=holder,
        procedures=codes,
        dossier=dossier,
        duration=duration,
        consent_method=consent_method,
        fee_cents=fee_cents,
        created_by=actor,
    )
    mandate.consent_text = _consent_text(mandate, citizen)
    if consent_method == ConsentMethod.PRINTED_ATTESTATION:
        mandate.attestation_digest = attestation_digest_of(mandate)
    if consent_method == ConsentMethod.SMS_CODE:
        mandate.consent_code_digest = "pending"  # replaced below by the digest of the code actually sent
    mandate.save()
    who = _staff_actor(actor, holder, role, citizen.pk)
    _journal(
        mandate,
        AuditAction.MANDATE_PROPOSED,
        who,
        procedures=codes,
        duration=duration,
        consent_method=consent_method,
        fee_cents=fee_cents,
    )
    if consent_method == ConsentMethod.SMS_CODE:
        _send_consent_code(mandate, who)
    return mandate


@transaction.atomic
def mandate_consent_code_resend(*, mandate: Mandate, actor: User) -> Mandate:
    """A new code (the previous one stops working); at most `CONSENT_CODE_MAX_SENDS` codes per mandate."""
    locked = _lock_pending(mandate, actor)
    if locked.consent_method != ConsentMethod.SMS_CODE:
        raise InvalidInput(_("Ce mandat ne se confirme pas par SMS."), code="consent_method_mismatch")
    _send_consent_code(locked, _actor_for(locked, actor))
    return locked


# --- Consent -----------------------------------------------------------------------------------------------------


def _lock_pending(mandate: Mandate, actor: User) -> Mandate:
    locked = Mandate.objects.select_for_update().select_related("holder", "citizen").get(pk=mandate.pk)
    if staff_role_at(user=actor, holder=locked.holder, kind=locked.kind) is None:
        raise PermissionDenied(code="not_holder_staff")
    status = locked.status
    if status == MandateStatus.ACTIVE or (status == MandateStatus.EXPIRED and locked.consented_at is not None):
        raise ConsentRefused(
            _("L'accord à ce mandat est déjà enregistré : ce code ne peut plus servir."), code="consent_already_given"
        )
    if status == MandateStatus.REVOKED:
        raise ConsentRefused(_("Ce mandat a été annulé : proposez-en un nouveau."), code="mandate_revoked")
    return locked


def _consent_failure(mandate: Mandate, code_or_text: str, now: datetime) -> tuple[str, str] | None:
    """None when the proof of consent is right; otherwise the refusal's code and message."""
    given = (code_or_text or "").strip()
    if mandate.consent_method == ConsentMethod.TYPED:
        if _normalise_sentence(given) != _normalise_sentence(CONSENT_SENTENCE):
            return "consent_sentence_mismatch", _(
                "La phrase saisie ne correspond pas. La personne doit écrire : « %(sentence)s »."
            ) % {"sentence": CONSENT_SENTENCE}
        return None
    if mandate.consent_method == ConsentMethod.PRINTED_ATTESTATION:
        words = given.removeprefix("GUICHET-MANDAT").split()
        typed = references.normalize(words[0] if words else "")
        if not hmac.compare_digest(typed, mandate.reference):
            return "attestation_reference_mismatch", _(
                "Ce numéro n'est pas celui de l'attestation de ce mandat : recopiez le numéro imprimé sous le titre."
            )
        return None
    if mandate.consent_code_attempts >= CONSENT_CODE_MAX_ATTEMPTS:
        return "consent_code_too_many_attempts", _("Trop d'essais avec ce code : envoyez un nouveau code.")
    if mandate.consent_code_expires_at is None or mandate.consent_code_expires_at <= now:
        return "consent_code_expired", _("Ce code a expiré : envoyez un nouveau code.")
    digits = re.sub(r"\s", "", given)
    if not hmac.compare_digest(_consent_code_digest(mandate, digits), mandate.consent_code_digest):
        left = CONSENT_CODE_MAX_ATTEMPTS - mandate.consent_code_attempts - 1
        if left:
            return "consent_code_wrong", _("Ce code n'est pas le bon. Essais restants : %(left)d.") % {"left": left}
        return "consent_code_wrong", _(
            "Ce code n'est pas le bon, et c'était le dernier essai : envoyez un nouveau code."
        )
    return None


def mandate_consent_confirm(*, mandate: Mandate, code_or_text: str, actor: User) -> Mandate:
    """Records the citizen's consent (code from the SMS, typed sentence, or the number of the signed attestation);
    the mandate is then active from now for its duration. Any other active mandate of the same citizen to the same
    structure with an overlapping scope ends (superseded), so that one mandate answers for each démarche.

    A refusal is committed (attempt counted, journaled) before `ConsentRefused` is raised: call it outside any
    transaction of your own, or a rollback there would give the attempt back.
    """
    with transaction.atomic():
        locked = _lock_pending(mandate, actor)
        who = _actor_for(locked, actor)
        now = timezone.now()
        failure = _consent_failure(locked, code_or_text, now)
        if failure is None:
            _activate(locked, actor=actor, who=who, now=now)
            mandate.refresh_from_db()
            return locked
        code, message = failure
        if code == "consent_code_wrong":
            locked.consent_code_attempts += 1
            locked.save(update_fields=["consent_code_attempts"])
        _journal(locked, AuditAction.MANDATE_CONSENT_REFUSED, who, reason=code)
    raise ConsentRefused(message, code=code)


def _consent_codes_redact(mandate: Mandate) -> None:
    """The outbox keeps a copy of each consent SMS; once a code is spent or replaced, the copy loses the code."""
    notification_context_redact(event_key_prefix=f"mandate:{mandate.reference}:consent_code:", keys=["code"])


def _activate(mandate: Mandate, *, actor: User, who: Actor, now: datetime) -> None:
    duration = duration_get(mandate.duration)
    assert duration is not None  # checked when proposed
    mandate.consented_at = now
    mandate.consent_recorded_by = actor
    mandate.valid_from = now
    mandate.valid_until = duration.end_from(now)
    if mandate.consent_method == ConsentMethod.SMS_CODE:
        mandate.consent_code_expires_at = now  # single use: the code is spent
        _consent_codes_redact(mandate)
    mandate.save(
        update_fields=["consented_at", "consent_recorded_by", "valid_from", "valid_until", "consent_code_expires_at"]
    )
    for older in _overlapping_active(mandate, now):
        _revoke(older, actor=actor, reason=SUPERSEDED, superseded_by=mandate.reference)
    _journal(
        mandate,
        AuditAction.MANDATE_CONSENTED,
        who,
        consent_method=mandate.consent_method,
        valid_from=mandate.valid_from.isoformat(),
        valid_until=mandate.valid_until.isoformat(),
    )


def _covers(mandate: Mandate, procedure_code: str, dossier: Dossier | None) -> bool:
    if mandate.dossier_id is not None:
        return dossier is not None and dossier.pk == mandate.dossier_id
    return procedure_code in (mandate.procedures or [])


def _overlapping_active(mandate: Mandate, now: datetime) -> list[Mandate]:
    others = (
        Mandate.objects.active(now)
        .filter(citizen_id=mandate.citizen_id, holder_id=mandate.holder_id, kind=mandate.kind)
        .exclude(pk=mandate.pk)
    )
    if mandate.dossier_id is not None:
        return list(others.filter(dossier_id=mandate.dossier_id))
    wanted = set(mandate.procedures)
    return [other for other in others.filter(dossier__isnull=True) if wanted & set(other.procedures)]


# --- Revoke ------------------------------------------------------------------------------------------------------


def _revoke(mandate: Mandate, *, actor: Any, reason: str, **data: Any) -> Mandate:
    mandate.revoked_at = timezone.now()
    mandate.revoked_by = actor
    mandate.revocation_reason = reason
    mandate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    closed = 0
    for link in MandateDossierAccess.objects.filter(mandate=mandate).select_related("access"):
        if link.access.revoked_at is None:
            dossier_access_revoke(access=link.access, actor=actor, reason=f"mandat {mandate.reference}")
            closed += 1
    _journal(
        mandate, AuditAction.MANDATE_REVOKED, _actor_for(mandate, actor), reason=reason, accesses_closed=closed, **data
    )
    return mandate


@transaction.atomic
def mandate_revoke(*, mandate: Mandate, actor: User | None, reason: str = "") -> Mandate:
    """Ends the mandate now, and every dossier access it opened. The citizen may always do it; so may the
    structure's staff (a proposal nobody agreed to is cancelled the same way); `actor=None` is the system."""
    locked = Mandate.objects.select_for_update().select_related("holder").get(pk=mandate.pk)
    if actor is not None and actor.pk == locked.citizen_id:
        default_reason = REVOKED_BY_CITIZEN
    elif actor is None or staff_role_at(user=actor, holder=locked.holder, kind=locked.kind) is not None:
        default_reason = REVOKED_BY_HOLDER if locked.consented_at else CANCELLED
    else:
        raise PermissionDenied(_("Vous ne pouvez pas révoquer ce mandat."), code="mandate_not_yours")
    status = locked.status
    if status == MandateStatus.REVOKED:
        raise InvalidInput(_("Ce mandat est déjà révoqué."), code="mandate_already_revoked")
    if status == MandateStatus.EXPIRED:
        raise InvalidInput(_("Ce mandat est déjà terminé."), code="mandate_already_ended")
    _revoke(locked, actor=actor, reason=reason or default_reason)
    mandate.refresh_from_db()
    return locked


# --- Check before acting -----------------------------------------------------------------------------------------


def _staff_scope(user: Any, holder: Place | None, kind: str | None) -> dict[str, list[int]]:
    """For each mandate kind, the places where `user` is active staff with a role that may act under it."""
    kinds = [kind] if kind else list(MandateKind.values)
    assignments = RoleAssignment.objects.filter(user=user, revoked_at__isnull=True, place__isnull=False)
    if holder is not None:
        assignments = assignments.filter(place=holder)
    scope: dict[str, list[int]] = {}
    for each in kinds:
        places = list(
            assignments.filter(role__in=sorted(KIND_STAFF_ROLES[each]), place__kind__in=sorted(KIND_PLACE_KINDS[each]))
            .values_list("place_id", flat=True)
            .distinct()
        )
        if places:
            scope[each] = places
    return scope


def _refusal(mandate: Mandate | None, active_elsewhere: bool) -> MandateRefused:
    if mandate is None:
        if active_elsewhere:
            return MandateRefused(
                _("Le mandat de cette personne ne couvre pas cette démarche ou ce dossier."),
                code="mandate_out_of_scope",
            )
        return MandateRefused()
    local = timezone.localtime
    status = mandate.status
    if status == MandateStatus.PENDING:
        return MandateRefused(_("La personne n'a pas encore donné son accord à ce mandat."), code="mandate_pending")
    if status == MandateStatus.REVOKED:
        assert mandate.revoked_at is not None
        return MandateRefused(
            _("Le mandat %(reference)s a été révoqué le %(date)s : vous ne pouvez plus agir pour cette personne.")
            % {"reference": mandate.display_reference, "date": local(mandate.revoked_at).strftime("%d/%m/%Y à %H:%M")},
            code="mandate_revoked",
        )
    assert mandate.valid_until is not None
    return MandateRefused(
        _("Le mandat %(reference)s a pris fin le %(date)s : proposez-en un nouveau à la personne.")
        % {"reference": mandate.display_reference, "date": local(mandate.valid_until).strftime("%d/%m/%Y à %H:%M")},
        code="mandate_expired",
    )


def mandate_for_action(
    *,
    user: Any,
    citizen: Any,
    procedure_code: str,
    dossier: Dossier | None = None,
    holder: Place | None = None,
    kind: str | None = None,
) -> Mandate:
    """The active mandate under which `user` may act for `citizen` on `procedure_code` (and `dossier`), or
    `MandateRefused` saying why not: not active staff of a holder, no mandate, out of scope, pending, expired,
    revoked. Reads only. `holder` and `kind` narrow the search to one structure or kind of mandate."""
    scope = _staff_scope(user, holder, kind) if user is not None and user.is_authenticated and user.is_active else {}
    if not scope:
        raise MandateRefused(
            _("Vous n'êtes membre actif d'aucune structure pouvant agir sous mandat."), code="not_holder_staff"
        )
    if dossier is not None and (dossier.applicant_id != citizen.pk or dossier.procedure != procedure_code):
        raise MandateRefused(
            _("Ce dossier n'est pas couvert par le mandat de cette personne."), code="mandate_out_of_scope"
        )
    now = timezone.now()
    candidates = [
        mandate
        for each_kind, places in scope.items()
        for mandate in Mandate.objects.filter(
            citizen_id=citizen.pk, kind=each_kind, holder_id__in=places
        ).select_related("holder", "dossier")
    ]
    matching = sorted(
        (m for m in candidates if _covers(m, procedure_code, dossier)),
        key=lambda m: (m.created_at, m.pk),
        reverse=True,
    )
    active = [m for m in matching if m.status_at(now) == MandateStatus.ACTIVE]
    if active:
        return max(active, key=lambda m: (m.valid_until, m.pk))
    active_elsewhere = any(m.status_at(now) == MandateStatus.ACTIVE for m in candidates)
    latest = next((m for m in matching if m.revocation_reason != SUPERSEDED), matching[0] if matching else None)
    raise _refusal(latest, active_elsewhere)


# --- Dossier access ----------------------------------------------------------------------------------------------


@transaction.atomic
def mandate_dossier_access_grant(
    *, mandate: Mandate, dossier: Dossier, actor: User, until: datetime | None = None
) -> DossierAccess:
    """Opens `dossier` to `actor` (staff of the holder) until the mandate ends, after checking the mandate covers it.

    `until` ends the access sooner when the holder's own right to act ends first (a professional's approval).
    Idempotent: an access this mandate already opened is returned as it is.
    """
    used = mandate_for_action(
        user=actor,
        citizen=mandate.citizen,
        procedure_code=dossier.procedure,
        dossier=dossier,
        holder=mandate.holder,
        kind=mandate.kind,
    )
    role = KIND_ACCESS_ROLE[used.kind]
    now = timezone.now()
    current = (
        DossierAccess.objects.filter(dossier=dossier, user=actor, role=role, revoked_at__isnull=True)
        .select_related("mandate_link__mandate")
        .first()
    )
    if current is not None:
        link = getattr(current, "mandate_link", None)
        if link is not None and link.mandate.status_at(now) == MandateStatus.ACTIVE:
            return current
        if link is not None or (current.valid_until is not None and current.valid_until <= now):
            dossier_access_revoke(access=current, actor=actor, reason="mandat remplacé")
        else:
            return current  # opened by another feature (e.g. an appointment): leave it as it is
    try:
        access = dossier_access_grant(
            dossier=dossier,
            user=actor,
            role=role,
            actor=actor,
            valid_until=min(used.valid_until, until) if until is not None and used.valid_until else used.valid_until,
            reason=_("Mandat %(reference)s") % {"reference": used.display_reference},
        )
    except AccessAlreadyGranted:
        raise InvalidInput(_("Un autre accès est en cours d'ouverture : réessayez."), code="access_race") from None
    MandateDossierAccess.objects.create(mandate=used, access=access)
    _journal(used, AuditAction.MANDATE_ACCESS_OPENED, _actor_for(used, actor), access_id=access.pk, dossier=dossier.pk)
    return access
