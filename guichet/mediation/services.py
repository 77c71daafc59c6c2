"""Assisted sessions: open one, find or create the visitor's account, check their identity face to face, propose
a mandate, and act under it on dossiers of any procedure of the registry. Every action is journaled as done by
the helper (account id), for their structure (the session's place), on behalf of the visitor.

Who may help: a mediator at a point or espace numérique, a préfecture or sous-préfecture; a mairie agent at a
mairie without a collection station (equipped mairies lodge applications at their counter instead).
"""

import secrets
from datetime import date, datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.errors import EmailAlreadyUsed
from guichet.accounts.models import RoleAssignment, User, VerifiedIdentity
from guichet.accounts.phone_numbers import french_mobile_normalise
from guichet.accounts.roles import Role
from guichet.accounts.services.roles import identity_verify_in_person
from guichet.audit.models import AuditAction
from guichet.audit.services import Actor, audit_record
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.dossiers.models import Document, Dossier
from guichet.dossiers.services import document_upload, dossier_create, dossier_transition
from guichet.mandates.durations import SESSION
from guichet.mandates.errors import MandateRefused
from guichet.mandates.models import Mandate, MandateKind, MandateStatus
from guichet.mandates.services import (
    mandate_consent_confirm,
    mandate_dossier_access_grant,
    mandate_for_action,
    mandate_propose,
    mandate_revoke,
)
from guichet.territory.models import Place, PlaceKind

from .models import INACTIVITY_LIMIT, AssistedSession, AssistedStep, EndReason, StepKind

MEDIATOR_PLACE_KINDS = frozenset(
    {PlaceKind.POINT_NUMERIQUE, PlaceKind.ESPACE_NUMERIQUE, PlaceKind.PREFECTURE, PlaceKind.SOUS_PREFECTURE}
)


class SessionClosed(InvalidInput):
    code = "assisted_session_closed"
    default_message = gettext_lazy("Cette session accompagnée est terminée : ouvrez-en une nouvelle.")


# --- Who may help, where -----------------------------------------------------------------------------------------


def _helping_assignments(user: Any):
    return RoleAssignment.objects.filter(user=user, revoked_at__isnull=True, place__is_active=True).filter(
        Q(role=Role.MEDIATOR, place__kind__in=sorted(MEDIATOR_PLACE_KINDS))
        | Q(role=Role.MAIRIE_AGENT, place__kind=PlaceKind.MAIRIE, place__collection_stations=0)
    )


def assisted_places_of(*, user: Any) -> list[Place]:
    """The places where `user` may run assisted sessions."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    assignments = _helping_assignments(user).select_related("place").order_by("place__name", "place_id")
    places: dict[int, Place] = {}
    for assignment in assignments:
        assert assignment.place is not None
        places.setdefault(assignment.place.pk, assignment.place)
    return list(places.values())


def _helper_role(user: Any, place: Place) -> str:
    role = _helping_assignments(user).filter(place=place).values_list("role", flat=True).first()
    if role is None:
        raise PermissionDenied(
            _("Vous ne pouvez pas accompagner de visiteur dans ce lieu."), code="not_an_assisting_helper"
        )
    return role


def session_actor(session: AssistedSession) -> Actor:
    """The helper, for the session's structure, on behalf of the visitor (once known)."""
    role = _helping_assignments(session.helper).filter(place=session.place).values_list("role", flat=True).first() or ""
    return Actor(
        user_id=session.helper_id, role=role, organisation=session.place.name, on_behalf_of_id=session.citizen_id
    )


def _journal(session: AssistedSession, action: str, **data: Any) -> None:
    audit_record(
        action=action,
        actor=session_actor(session),
        dossier_id=data.pop("dossier_id", None),
        subject_user_id=session.citizen_id,
        object_type="assisted_session",
        object_id=session.pk,
        data={"place_id": session.place_id, **data},
    )


def _step(session: AssistedSession, kind: str, *, procedure: str = "", reference: str = "", **data: Any) -> None:
    AssistedStep.objects.create(session=session, kind=kind, procedure=procedure, reference=reference)
    _journal(session, AuditAction.ASSISTED_STEP, step=kind, procedure=procedure, reference=reference, **data)


# --- Opening, keeping alive, ending ------------------------------------------------------------------------------


def _end(session: AssistedSession, reason: str, now: datetime) -> AssistedSession:
    session.ended_at = max(now, session.opened_at)
    session.end_reason = reason
    session.save(update_fields=["ended_at", "end_reason"])
    # What was agreed for this session only, or never agreed to, stops with it.
    session_mandates = Mandate.objects.filter(
        reference__in=AssistedStep.objects.filter(session=session, kind=StepKind.MANDATE_PROPOSED).values("reference"),
        revoked_at__isnull=True,
    )
    for mandate in session_mandates:
        status = mandate.status_at(now)
        if status == MandateStatus.PENDING or (status == MandateStatus.ACTIVE and mandate.duration == SESSION):
            mandate_revoke(mandate=mandate, actor=None, reason="session_ended")
    _journal(session, AuditAction.ASSISTED_SESSION_ENDED, reason=reason, minutes=int(session.duration.seconds // 60))
    return session


@transaction.atomic
def assisted_session_open(*, place: Place, actor: User) -> AssistedSession:
    """A new session for `actor` at `place`; their previous open session, if any, ends (one at a time)."""
    _helper_role(actor, place)
    now = timezone.now()
    for previous in AssistedSession.objects.select_for_update().filter(helper=actor, ended_at__isnull=True):
        _end(previous, EndReason.REPLACED, now)
    session = AssistedSession.objects.create(place=place, helper=actor, opened_at=now, last_activity_at=now)
    _journal(session, AuditAction.ASSISTED_SESSION_OPENED)
    return session


@transaction.atomic
def assisted_session_current(*, helper: Any) -> AssistedSession | None:
    """The helper's open session, kept alive by this call; ended (and None) if idle past `INACTIVITY_LIMIT`, or if
    the helper may no longer help at its place."""
    session = (
        AssistedSession.objects.select_for_update()
        .select_related("place", "citizen")
        .filter(helper=helper, ended_at__isnull=True)
        .first()
    )
    if session is None:
        return None
    now = timezone.now()
    if now - session.last_activity_at > INACTIVITY_LIMIT or not _helping_assignments(helper).filter(
        place=session.place
    ):
        _end(session, EndReason.INACTIVITY, session.last_activity_at + INACTIVITY_LIMIT)
        return None
    session.last_activity_at = now
    session.save(update_fields=["last_activity_at"])
    return session


@transaction.atomic
def assisted_session_end(*, session: AssistedSession, actor: User) -> AssistedSession:
    locked = AssistedSession.objects.select_for_update().select_related("place").get(pk=session.pk)
    if locked.helper_id != actor.pk:
        raise PermissionDenied()
    if locked.ended_at is not None:
        raise SessionClosed()
    return _end(locked, EndReason.CLOSED, timezone.now())


def assisted_sessions_end_idle(*, now: datetime | None = None) -> int:
    """Ends every session idle for longer than `INACTIVITY_LIMIT` (periodic job; idempotent)."""
    now = now or timezone.now()
    ended = 0
    for pk in list(
        AssistedSession.objects.filter(ended_at__isnull=True, last_activity_at__lt=now - INACTIVITY_LIMIT).values_list(
            "pk", flat=True
        )
    ):
        with transaction.atomic():
            session = AssistedSession.objects.select_for_update().select_related("place").get(pk=pk)
            if session.ended_at is None:
                _end(session, EndReason.INACTIVITY, session.last_activity_at + INACTIVITY_LIMIT)
                ended += 1
    return ended


def _open(session: AssistedSession, actor: User) -> AssistedSession:
    locked = AssistedSession.objects.select_for_update().select_related("place", "citizen").get(pk=session.pk)
    if locked.helper_id != actor.pk:
        raise PermissionDenied()
    if locked.ended_at is not None:
        raise SessionClosed()
    return locked


def _with_visitor(session: AssistedSession, actor: User) -> tuple[AssistedSession, User]:
    locked = _open(session, actor)
    if locked.citizen is None:
        raise InvalidInput(_("Retrouvez ou créez d'abord le compte de la personne."), code="assisted_no_visitor")
    return locked, locked.citizen


# --- The visitor's account ---------------------------------------------------------------------------------------


def visitor_search(*, email: str = "", mobile_phone: str = "", last_name: str = "") -> User | None:
    """An active citizen account by exact e-mail, or by mobile number together with the family name."""
    email = (email or "").strip()
    if email:
        return User.objects.filter(email__iexact=email, is_active=True).first()
    if mobile_phone and last_name.strip():
        try:
            phone = french_mobile_normalise(mobile_phone)
        except InvalidInput:
            return None
        return User.objects.filter(mobile_phone=phone, last_name__iexact=last_name.strip(), is_active=True).first()
    return None


@transaction.atomic
def assisted_visitor_attach(*, session: AssistedSession, citizen: User, actor: User) -> AssistedSession:
    locked = _open(session, actor)
    if citizen.pk == actor.pk:
        raise InvalidInput(_("Vous ne pouvez pas vous accompagner vous-même."), code="assisted_self")
    locked.citizen = citizen
    locked.save(update_fields=["citizen"])
    _step(locked, StepKind.ACCOUNT_FOUND)
    return locked


@transaction.atomic
def assisted_account_create(
    *,
    session: AssistedSession,
    email: str,
    first_name: str,
    last_name: str,
    mobile_phone: str = "",
    password: str = "",
    actor: User,
) -> User:
    """Creates the visitor's account with them. The password, if any, is typed by the visitor on their side of the
    screen; without one the visitor chooses it by following the activation e-mail (the interface sends it).
    Either way the address is verified only by the link sent to it."""
    locked = _open(session, actor)
    email = User.objects.normalize_email(email or "").strip().lower()
    if not email or not first_name.strip() or not last_name.strip():
        raise InvalidInput(
            _("Indiquez l'adresse électronique, les prénoms et le nom."), code="assisted_account_incomplete"
        )
    if User.objects.filter(email__iexact=email).exists():
        raise EmailAlreadyUsed(
            _("Un compte existe déjà avec cette adresse : retrouvez-le plutôt que d'en créer un autre.")
        )
    user = User(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        mobile_phone=french_mobile_normalise(mobile_phone) if mobile_phone.strip() else "",
    )
    if password:
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            raise InvalidInput(" ".join(error.messages), code="password_too_weak") from None
        user.set_password(password)
    else:
        # A random password nobody sees: the visitor chooses theirs through the e-mailed link, and the usual
        # "mot de passe oublié" keeps working for them later (it ignores accounts without a usable password).
        user.set_password(secrets.token_urlsafe(32))
    user.terms_accepted_at = timezone.now()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise EmailAlreadyUsed() from error
    locked.citizen = user
    locked.save(update_fields=["citizen"])
    AssistedStep.objects.create(session=locked, kind=StepKind.ACCOUNT_CREATED)
    _journal(locked, AuditAction.ASSISTED_ACCOUNT_CREATED, password_set_by_visitor=bool(password))
    return user


@transaction.atomic
def assisted_visitor_mobile_set(*, session: AssistedSession, mobile_phone: str, actor: User) -> User:
    """Records the mobile number the visitor gives, so that a consent code can reach them (the code proves it)."""
    locked, citizen = _with_visitor(session, actor)
    citizen.mobile_phone = french_mobile_normalise(mobile_phone)
    citizen.save(update_fields=["mobile_phone"])
    _journal(locked, AuditAction.ASSISTED_STEP, step="mobile_phone_recorded")
    return citizen


@transaction.atomic
def assisted_identity_verify(
    *,
    session: AssistedSession,
    document_type: str,
    given_name: str,
    family_name: str,
    birthdate: date | None,
    actor: User,
) -> VerifiedIdentity:
    """Face-to-face check of an identity document; the document type seen is journaled by the accounts service."""
    locked, citizen = _with_visitor(session, actor)
    identity = identity_verify_in_person(
        user=citizen,
        verifier=actor,
        place=locked.place,
        document_type=document_type,
        given_name=given_name,
        family_name=family_name,
        birthdate=birthdate,
    )
    _step(locked, StepKind.IDENTITY_VERIFIED, document_type=document_type)
    return identity


# --- Mandates ----------------------------------------------------------------------------------------------------


@transaction.atomic
def assisted_mandate_propose(
    *,
    session: AssistedSession,
    procedures: list[str],
    dossier: Dossier | None,
    duration: str,
    consent_method: str,
    actor: User,
) -> Mandate:
    locked, citizen = _with_visitor(session, actor)
    mandate = mandate_propose(
        holder=locked.place,
        citizen=citizen,
        kind=MandateKind.MEDIATION,
        procedures=procedures,
        dossier=dossier,
        duration=duration,
        consent_method=consent_method,
        actor=actor,
    )
    _step(locked, StepKind.MANDATE_PROPOSED, reference=mandate.reference)
    return mandate


def assisted_mandate_confirm(*, session: AssistedSession, mandate: Mandate, code_or_text: str, actor: User) -> Mandate:
    """Not atomic on purpose: a refused code must stay counted (see `mandate_consent_confirm`)."""
    with transaction.atomic():
        locked, citizen = _with_visitor(session, actor)
    if mandate.holder_id != locked.place_id or mandate.citizen_id != citizen.pk:
        raise PermissionDenied()
    confirmed = mandate_consent_confirm(mandate=mandate, code_or_text=code_or_text, actor=actor)
    with transaction.atomic():
        _step(locked, StepKind.MANDATE_CONSENTED, reference=mandate.reference)
    return confirmed


def assisted_mandates(*, session: AssistedSession) -> list[Mandate]:
    """The visitor's mandates to the session's structure, newest first."""
    if session.citizen_id is None:
        return []
    return list(
        Mandate.objects.filter(citizen_id=session.citizen_id, holder_id=session.place_id).select_related("dossier")
    )


# --- Acting under the mandate ------------------------------------------------------------------------------------


@transaction.atomic
def assisted_refusal_record(
    *, session: AssistedSession, refusal: MandateRefused, procedure: str = "", reference: str = ""
) -> None:
    """Journals an action refused for want of a valid mandate; call it after the refused action rolled back."""
    _step(session, StepKind.REFUSED, procedure=procedure, reference=reference, reason=refusal.code)


def assisted_mandate_for(
    *, session: AssistedSession, procedure: str, dossier: Dossier | None = None, actor: User
) -> Mandate:
    """The visitor's active mandate to the session's structure covering `procedure` (and `dossier`), or
    `MandateRefused`. Interfaces journal the refusal with `assisted_refusal_record` once their transaction is over."""
    if session.citizen is None:
        raise InvalidInput(_("Retrouvez ou créez d'abord le compte de la personne."), code="assisted_no_visitor")
    return mandate_for_action(
        user=actor,
        citizen=session.citizen,
        procedure_code=procedure,
        dossier=dossier,
        holder=session.place,
        kind=MandateKind.MEDIATION,
    )


@transaction.atomic
def assisted_dossier_open(*, session: AssistedSession, dossier: Dossier, actor: User) -> Mandate:
    """Checks the mandate covers `dossier` and opens it to the helper until the mandate ends."""
    locked, _citizen = _with_visitor(session, actor)
    mandate = assisted_mandate_for(session=locked, procedure=dossier.procedure, dossier=dossier, actor=actor)
    mandate_dossier_access_grant(mandate=mandate, dossier=dossier, actor=actor)
    return mandate


@transaction.atomic
def assisted_dossier_create(*, session: AssistedSession, procedure: str, actor: User) -> Dossier:
    """Starts a dossier of `procedure` for the visitor, under a mandate covering that procedure."""
    locked, citizen = _with_visitor(session, actor)
    mandate = assisted_mandate_for(session=locked, procedure=procedure, actor=actor)
    dossier = dossier_create(procedure=procedure, applicant=citizen, actor=actor, department=locked.place.department)
    mandate_dossier_access_grant(mandate=mandate, dossier=dossier, actor=actor)
    _step(locked, StepKind.DOSSIER_CREATED, procedure=procedure, reference=dossier.reference, dossier_id=dossier.pk)
    return dossier


@transaction.atomic
def assisted_document_upload(
    *, session: AssistedSession, dossier: Dossier, kind: str, uploaded_file: Any, actor: User
) -> Document:
    """A scan made at the point numérique, added to the visitor's dossier under the mandate."""
    locked, _citizen = _with_visitor(session, actor)
    assisted_dossier_open(session=locked, dossier=dossier, actor=actor)
    document = document_upload(dossier=dossier, kind=kind, uploaded_file=uploaded_file, actor=actor)
    _step(
        locked,
        StepKind.DOCUMENT_UPLOADED,
        procedure=dossier.procedure,
        reference=dossier.reference,
        dossier_id=dossier.pk,
    )
    return document


@transaction.atomic
def assisted_dossier_transition(*, session: AssistedSession, dossier: Dossier, name: str, actor: User) -> Dossier:
    """Fires `name` (e.g. submit) for the visitor, if the mandate covers the dossier and the procedure lets a
    mediator do it."""
    locked, _citizen = _with_visitor(session, actor)
    assisted_dossier_open(session=locked, dossier=dossier, actor=actor)
    changed = dossier_transition(dossier=dossier, name=name, actor=actor)
    _step(
        locked,
        StepKind.DOSSIER_FILED if name == "submit" else StepKind.DOSSIER_CHANGED,
        procedure=dossier.procedure,
        reference=dossier.reference,
        dossier_id=dossier.pk,
        transition=name,
    )
    return changed


@transaction.atomic
def assisted_step_record(
    *, session: AssistedSession, kind: str, actor: User, procedure: str = "", reference: str = ""
) -> None:
    """For steps done by a procedure app (a pré-demande filed, a receipt printed) in the session."""
    locked = _open(session, actor)
    if kind not in StepKind.values:
        raise InvalidInput(code="assisted_step_unknown")
    _step(locked, kind, procedure=procedure, reference=reference)
