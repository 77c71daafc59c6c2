"""Authorization-matrix entries of the trusted third parties: the public list, the préfecture's registry screens and
the professional portal (staff management, invitation links).

The samples create what they need with `get_or_create` (places of the préfecture persona's département 35 and of
the matrix context's other département 22, their approvals). The driving-school and car-professional personas hold
a valid approval and manage their own organisation (`guichet.testing.personas`). POST samples are chosen so that
even the allowed audience changes nothing the matrix watches (an empty reason, an invalid address, the last
manager): the services' effects are tested beside them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from .authorization_matrix import (
    BAD_REQUEST,
    EVERYONE_BAD_REQUEST,
    EVERYONE_OK,
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    Entry,
    MatrixContext,
    Outcome,
    entry,
    outcomes,
    portal_outcomes,
)

API_TOKEN_REFUSED = Outcome("401 (API token missing)", 401, denies=True)
TO_APPROVAL = Outcome("redirect to the approval page", 302, False, location_pattern=r"^/prefecture/agrements/\d+/$")
TO_STAFF = Outcome("redirect to the staff page", 302, False, location_pattern=r"^/pro/\d+/personnel/$")


def _admin_only(admin: Outcome) -> dict[str, Outcome]:
    return {**portal_outcomes("prefecture_admin"), "prefecture_admin": admin}


def _school_manager_only(manager: Outcome) -> dict[str, Outcome]:
    """Organisation pages of the driving-school persona's place: the car professional is staff elsewhere (404)."""
    return {
        **portal_outcomes("driving_school", "car_professional"),
        "driving_school": manager,
        "car_professional": NOT_FOUND,
    }


def _trusted_place(department_code: str, kind: str, name: str) -> Any:
    from guichet.territory.models import Department, Place

    place, _created = Place.objects.get_or_create(
        name=name, department=Department.objects.get(code=department_code), defaults={"kind": kind, "city": "Rennes"}
    )
    return place


def _approval(department_code: str) -> Any:
    from guichet.testing.trusted_parties import ensure_approval

    return ensure_approval(
        _trusted_place(department_code, "car_professional", f"Garage de la matrice ({department_code})")
    )


def _unapproved_place(department_code: str) -> dict[str, Any]:
    return {
        "place_id": _trusted_place(
            department_code, "driving_school", f"Auto-école de la matrice ({department_code})"
        ).pk
    }


def _school(context: MatrixContext) -> Any:
    assignment = context.personas["driving_school"].role_assignments.get(revoked_at__isnull=True)
    return assignment


def _invitation_token(context: MatrixContext) -> dict[str, Any]:
    from guichet.trusted_parties.services import staff_invite

    place = _school(context).place
    _invitation, token = staff_invite(
        place=place, email="nouveau.moniteur@example.fr", is_manager=False, actor=context.personas["driving_school"]
    )
    return {"token": token}


def _pending_invitation(context: MatrixContext) -> dict[str, Any]:
    from guichet.trusted_parties.models import StaffInvitation
    from guichet.trusted_parties.services.staff import invitation_token_digest

    place = _school(context).place
    now = timezone.now()
    invitation, _created = StaffInvitation.objects.get_or_create(
        place=place,
        email="en.attente@example.fr",
        defaults={
            "token_digest": invitation_token_digest("matrice-invitation"),
            "created_at": now,
            "expires_at": now + timedelta(days=7),
        },
    )
    return {"place_id": place.pk, "invitation_id": invitation.pk}


def _client_mandate(context: MatrixContext, *, consented: bool = False) -> Any:
    """A client mandate of the citizen persona to the driving-school persona's place (a generic test procedure)."""
    from guichet.mandates.models import ConsentMethod, Mandate, MandateKind
    from guichet.mandates.services import CONSENT_SENTENCE, mandate_consent_confirm, mandate_propose

    school, citizen = _school(context).place, context.personas["citizen"]
    existing = Mandate.objects.filter(holder=school, citizen=citizen, consented_at__isnull=not consented).first()
    if existing is not None:
        return existing
    mandate = mandate_propose(
        holder=school,
        citizen=citizen,
        kind=MandateKind.CLIENT,
        procedures=["test_generic"],
        duration="one_month",
        consent_method=ConsentMethod.TYPED,
        fee_cents=4500,
        actor=context.personas["driving_school"],
    )
    if consented:
        mandate = mandate_consent_confirm(
            mandate=mandate, code_or_text=CONSENT_SENTENCE, actor=context.personas["driving_school"]
        )
    return mandate


def _mandate_reference(context: MatrixContext) -> dict[str, Any]:
    return {"reference": _client_mandate(context).reference}


def _revoked_client_dossier(context: MatrixContext) -> dict[str, Any]:
    """The citizen persona's dossier, once filed under a client mandate the citizen then revoked."""
    from guichet.dossiers.services import dossier_create
    from guichet.mandates.services import mandate_revoke

    mandate = _client_mandate(context, consented=True)
    dossier = dossier_create(
        procedure="test_generic", applicant=mandate.citizen, actor=context.personas["driving_school"], data={}
    )
    mandate_revoke(mandate=mandate, actor=mandate.citizen)
    return {"reference": dossier.reference}


def _stranger_dossier(context: MatrixContext, **extra: Any) -> dict[str, Any]:
    return {"reference": context.stranger_dossier.reference, **extra}


def _professional(default: Outcome, **overrides: Outcome) -> dict[str, Outcome]:
    """`professional_page`: both professional personas get `default` unless overridden, the others the portal's
    refusals."""
    return {
        **portal_outcomes("driving_school", "car_professional"),
        "driving_school": default,
        "car_professional": default,
        **overrides,
    }


TO_CONSENT = Outcome("redirect to the consent page", 302, False, location_pattern=r"^/pro/mandats/[A-Z0-9]+/accord/$")
TO_CLIENTS = Outcome("redirect to the clients page", 302, False, location_pattern=r"^/pro/\d+/clients/$")


EXPECTATIONS: dict[str, Entry] = {
    # Public list of approvals in force: open to all, a stable URL préfecture websites link to.
    "public:trusted_parties": entry(get=EVERYONE_OK),
    # Préfecture registry: the admin of the approval's département only (2FA), others' approvals answer 404.
    "prefecture:approvals": entry(get=portal_outcomes("prefecture_admin")),
    "prefecture:approval_create": entry(
        get=portal_outcomes("prefecture_admin"),
        post=_admin_only(OK),
        sample_kwargs=lambda context: _unapproved_place("35"),
        post_data=lambda context: {"number": "E2403500120", "holder_siret": "1234", "valid_from": "2026-01-01"},
        get_may_write=True,
        note="the sample place is created on first use; an invalid form (bad SIRET) is shown again and saves nothing",
    ),
    "prefecture:approval_create@other_department": entry(
        get=_admin_only(NOT_FOUND),
        post=_admin_only(NOT_FOUND),
        sample_kwargs=lambda context: _unapproved_place("22"),
        get_may_write=True,
    ),
    "prefecture:approval_detail": entry(
        get=portal_outcomes("prefecture_admin"),
        sample_kwargs=lambda context: {"approval_id": _approval("35").pk},
        get_may_write=True,
        note="the sample approval is created on first use; the view writes nothing",
    ),
    "prefecture:approval_detail@other_department": entry(
        get=_admin_only(NOT_FOUND),
        sample_kwargs=lambda context: {"approval_id": _approval("22").pk},
        get_may_write=True,
    ),
    "prefecture:approval_decide": entry(
        get=portal_outcomes("prefecture_admin"),
        post=_admin_only(OK),
        sample_kwargs=lambda context: {"approval_id": _approval("35").pk, "action": "suspendre"},
        post_data=lambda context: {"reason": ""},
        get_may_write=True,
        note="a decision without a reason is refused on the form (200) and changes nothing",
    ),
    "prefecture:approval_decide@other_department": entry(
        get=_admin_only(NOT_FOUND),
        post=_admin_only(NOT_FOUND),
        sample_kwargs=lambda context: {"approval_id": _approval("22").pk, "action": "retirer"},
        post_data=lambda context: {"reason": "Pas mon département"},
        get_may_write=True,
    ),
    "prefecture:approval_decide@unknown_action": entry(
        get=_admin_only(NOT_FOUND),
        post=_admin_only(NOT_FOUND),
        sample_kwargs=lambda context: {"approval_id": _approval("35").pk, "action": "effacer"},
        get_may_write=True,
    ),
    "prefecture:approval_manager_invite": entry(
        get=_admin_only(NOT_ALLOWED),
        post=_admin_only(TO_APPROVAL),
        sample_kwargs=lambda context: {"approval_id": _approval("35").pk},
        post_data=lambda context: {"email": "pas une adresse"},
        get_may_write=True,
        note="POST only; an invalid address is refused with a message on the approval page",
    ),
    "prefecture:approval_manager_invite@other_department": entry(
        get=_admin_only(NOT_ALLOWED),
        post=_admin_only(NOT_FOUND),
        sample_kwargs=lambda context: {"approval_id": _approval("22").pk},
        post_data=lambda context: {"email": "responsable@example.fr"},
        get_may_write=True,
    ),
    # Trusted third parties' API: a bearer token, never a session (sessions get the token refusal too).
    "api:professional_organisation": entry(
        get=outcomes(anonymous=API_TOKEN_REFUSED, default=API_TOKEN_REFUSED),
        is_page=False,
        note="Authorization: Bearer; the token's organisation must hold an approval in force (403 otherwise)",
    ),
    # Professional portal: invitation links are public (the token is the key); staff pages for managers.
    "professional:invitation": entry(
        get=EVERYONE_OK,
        post=EVERYONE_OK,
        sample_kwargs=_invitation_token,
        get_may_write=True,
        note=(
            "the sample invitation is created on first use; GET only shows the link's offer; an empty POST shows the "
            "form's errors (anonymous) or the page again (signed in with another address): nothing is accepted"
        ),
    ),
    "professional:invitation@invalid": entry(
        get=EVERYONE_BAD_REQUEST, post=EVERYONE_BAD_REQUEST, sample_kwargs=lambda context: {"token": "lien-abime"}
    ),
    "professional:staff": entry(
        get=_school_manager_only(OK), sample_kwargs=lambda context: {"place_id": _school(context).place_id}
    ),
    "professional:staff_invite": entry(
        get=_school_manager_only(NOT_ALLOWED),
        post=_school_manager_only(BAD_REQUEST),
        sample_kwargs=lambda context: {"place_id": _school(context).place_id},
        post_data=lambda context: {"email": "pas une adresse"},
        note="POST only; an invalid address is shown again with its error (400)",
    ),
    "professional:staff_remove": entry(
        get=_school_manager_only(OK),
        post=_school_manager_only(TO_STAFF),
        sample_kwargs=lambda context: {
            "place_id": _school(context).place_id,
            "assignment_id": _school(context).pk,
        },
        note="the persona is its organisation's only manager: removing it is refused with a message, nothing changes",
    ),
    "professional:staff_invitation_cancel": entry(
        get=_school_manager_only(NOT_ALLOWED),
        post=_school_manager_only(TO_STAFF),
        sample_kwargs=_pending_invitation,
        get_may_write=True,
        note="POST only; the sample invitation is created on first use",
    ),
    # Client mandates (professional portal): staff of the mandate's holder; others' mandates and dossiers 404.
    "professional:clients": entry(
        get=_school_manager_only(OK), sample_kwargs=lambda context: {"place_id": _school(context).place_id}
    ),
    "professional:client_mandate_new": entry(
        get=_school_manager_only(OK),
        post=_school_manager_only(BAD_REQUEST),
        sample_kwargs=lambda context: {"place_id": _school(context).place_id},
        post_data=lambda context: {"client_email": "", "fee": "-3"},
        note="the form's errors are shown again (400): nothing is proposed",
    ),
    "professional:client_mandate_consent": entry(
        get=_professional(OK, car_professional=NOT_FOUND),
        post=_professional(BAD_REQUEST, car_professional=NOT_FOUND),
        sample_kwargs=_mandate_reference,
        post_data=lambda context: {"code_or_text": "pas la bonne phrase"},
        get_may_write=True,
        note="the sample mandate is created on first use; a wrong sentence is refused (400), the mandate stays pending",
    ),
    "professional:client_mandate_code_resend": entry(
        get=_professional(NOT_ALLOWED),
        post=_professional(TO_CONSENT, car_professional=NOT_FOUND),
        sample_kwargs=_mandate_reference,
        get_may_write=True,
        note="POST only; the sample's consent is a typed sentence: refused with a message, no SMS",
    ),
    "professional:client_mandate_attestation": entry(
        get=_professional(NOT_FOUND),
        sample_kwargs=_mandate_reference,
        get_may_write=True,
        is_page=False,
        note="a PDF, only for mandates consented on a printed attestation (the sample's is typed)",
    ),
    "professional:client_mandate_end": entry(
        get=_professional(NOT_ALLOWED),
        post=_professional(TO_CLIENTS, car_professional=NOT_FOUND),
        sample_kwargs=_mandate_reference,
        get_may_write=True,
        note="POST only; the holder's staff may always end a mandate (it only removes rights)",
    ),
    "professional:client_dossier_new": entry(
        get=_professional(FORBIDDEN, car_professional=NOT_FOUND),
        post=_professional(FORBIDDEN, car_professional=NOT_FOUND),
        sample_kwargs=_mandate_reference,
        post_data=lambda context: {"address": "8 rue de la Monnaie", "postal_code": "35000", "city": "Rennes"},
        get_may_write=True,
        note="the client has not agreed yet: a page says so (403), no dossier is created",
    ),
    "professional:client_dossier": entry(
        get=_professional(FORBIDDEN, car_professional=NOT_FOUND),
        sample_kwargs=_revoked_client_dossier,
        get_may_write=True,
        note="the client revoked the mandate: a page says so (403); the filing path is tested in the portal's tests",
    ),
    "professional:client_dossier@stranger": entry(
        get=_professional(NOT_FOUND), sample_kwargs=lambda context: _stranger_dossier(context)
    ),
    "professional:client_dossier_upload": entry(
        get=_professional(NOT_ALLOWED),
        post=_professional(NOT_FOUND),
        sample_kwargs=lambda context: _stranger_dossier(context),
        note="POST only; a dossier without a client mandate answers 404",
    ),
    "professional:client_document_download": entry(
        get=_professional(NOT_FOUND),
        sample_kwargs=lambda context: _stranger_dossier(context, document_id=context.documents["stranger_dossier"].pk),
        is_page=False,
    ),
    "professional:client_dossier_action": entry(
        get=_professional(NOT_ALLOWED),
        post=_professional(NOT_FOUND),
        sample_kwargs=lambda context: _stranger_dossier(context, transition="submit"),
        note="POST only; a dossier without a client mandate answers 404",
    ),
}
