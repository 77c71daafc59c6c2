"""Authorization-matrix entries of the mediator portal (`/mediation/…`), the citizen's « Mes mandats » and the
préfecture's activity page.

Gates: `portal_for(MEDIATOR, MAIRIE_AGENT)` then "may this person help somewhere": the mediator persona (point
numérique) may; the mairie agent persona works at an *equipped* mairie (Rennes), so it gets 403 like any other role.
Session pages need the helper's open assisted session: the samples below open one for the mediator persona, with
the matrix's stranger (autre.usager@example.fr) as visitor and no mandate for the stranger's dossiers or
pré-demande, so acting on them is refused with the mandate page (403) and changes nothing.
"""

from __future__ import annotations

from typing import Any

from .authorization_matrix import (
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    TWO_FACTOR,
    UNVERIFIED_AUDIENCES,
    MatrixContext,
    Outcome,
    entry,
    outcomes,
    portal_outcomes,
    redirect_to,
)
from .matrix_predemande import strangers

BAD_REQUEST = Outcome("400 (form errors shown, nothing saved)", 400, denies=True)
REFUSED = Outcome("403 (no valid mandate: the refusal page)", 403, denies=True)
UNVERIFIED_TO_2FA = {audience: TWO_FACTOR for audience in UNVERIFIED_AUDIENCES}


def helper_outcomes(mediator: Outcome) -> dict[str, Outcome]:
    """Mediator persona gets `mediator`; the equipped mairie's agent and every other role 403; 2FA first."""
    return outcomes(
        anonymous=LOGIN,
        default=FORBIDDEN,
        mediator=mediator,
        mediator_unverified=TWO_FACTOR,
        mairie_agent_unverified=TWO_FACTOR,
    )


def open_session(context: MatrixContext) -> Any:
    """The mediator persona's open session with the stranger as visitor (created once per test)."""
    from guichet.accounts.models import User
    from guichet.mediation.models import AssistedSession
    from guichet.mediation.services import assisted_session_open, assisted_visitor_attach

    mediator = context.personas["mediator"]
    session = AssistedSession.objects.filter(helper=mediator, ended_at__isnull=True).first()
    if session is None:
        session = assisted_session_open(place=mediator.role_assignments.get().place, actor=mediator)
    if session.citizen_id is None:
        stranger = User.objects.get(email="autre.usager@example.fr")
        session = assisted_visitor_attach(session=session, citizen=stranger, actor=mediator)
    return session


def _session(context: MatrixContext) -> dict[str, Any]:
    open_session(context)
    return {}


def _mandate(context: MatrixContext, method: str) -> Any:
    from guichet.mandates.models import Mandate, MandateKind
    from guichet.mandates.services import mandate_propose

    session = open_session(context)
    existing = Mandate.objects.filter(citizen=session.citizen, consent_method=method, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    return mandate_propose(
        holder=session.place,
        citizen=session.citizen,
        kind=MandateKind.MEDIATION,
        procedures=["cni"],
        duration="one_week",
        consent_method=method,
        actor=session.helper,
    )


def pending_typed(context: MatrixContext) -> dict[str, Any]:
    return {"reference": _mandate(context, "typed").reference}


def pending_printed(context: MatrixContext) -> dict[str, Any]:
    return {"reference": _mandate(context, "printed_attestation").reference}


def stranger_dossier(context: MatrixContext) -> dict[str, Any]:
    open_session(context)
    return {"reference": context.stranger_dossier.reference}


def stranger_predemande(context: MatrixContext) -> dict[str, Any]:
    open_session(context)
    return strangers(context)


def citizens_own_mandate(context: MatrixContext) -> dict[str, Any]:
    from guichet.mandates.models import Mandate, MandateKind
    from guichet.mandates.services import mandate_propose

    citizen = context.personas["citizen"]
    mandate = Mandate.objects.filter(citizen=citizen, revoked_at__isnull=True).first()
    if mandate is None:
        mediator = context.personas["mediator"]
        mandate = mandate_propose(
            holder=mediator.role_assignments.get().place,
            citizen=citizen,
            kind=MandateKind.MEDIATION,
            procedures=["cni"],
            duration="session",
            consent_method="typed",
            actor=mediator,
        )
    return {"reference": mandate.reference}


def someone_elses_mandate(context: MatrixContext) -> dict[str, Any]:
    return pending_typed(context)


def everyone_signed_in(outcome: Outcome, **overrides: Outcome) -> dict[str, Outcome]:
    return outcomes(anonymous=LOGIN, default=outcome, **{**UNVERIFIED_TO_2FA, **overrides})


TO_SESSION = redirect_to("mediator:session")
TO_MEDIATOR_HOME = redirect_to("mediator:home", denies=True)
TO_MANDATES = redirect_to("citizen:mandates")

EXPECTATIONS = {
    "mediator:home": entry(get=helper_outcomes(OK)),
    "mediator:holder_mandates": entry(get=helper_outcomes(OK)),
    "mediator:session_open": entry(
        get=helper_outcomes(NOT_ALLOWED),
        post=helper_outcomes(NOT_FOUND),
        post_data=lambda context: {"place": "0"},
        note="POST only; a place where the helper does not work answers 404 and opens nothing",
    ),
    "mediator:session": entry(get=helper_outcomes(OK), sample_kwargs=_session),
    "mediator:session@none": entry(
        get=helper_outcomes(TO_MEDIATOR_HOME),
        note="without an open session, session pages send the helper to the portal's home",
    ),
    "mediator:session_end": entry(
        get=helper_outcomes(TO_MEDIATOR_HOME),
        post=helper_outcomes(TO_MEDIATOR_HOME),
        note="POST only (405 once a session is open); the matrix has no open session here: back to the home page",
    ),
    "mediator:visitor_search": entry(
        get=helper_outcomes(OK),
        post=helper_outcomes(BAD_REQUEST),
        post_data=lambda context: {"email": ""},
        sample_kwargs=_session,
    ),
    "mediator:visitor_attach": entry(
        get=helper_outcomes(NOT_ALLOWED),
        post=helper_outcomes(NOT_FOUND),
        post_data=lambda context: {"visitor": "forged"},
        sample_kwargs=_session,
        note="a visitor token not signed by Guichet answers 404",
    ),
    "mediator:account_create": entry(
        get=helper_outcomes(OK),
        post=helper_outcomes(BAD_REQUEST),
        post_data=lambda context: {"email": "pas-une-adresse"},
        sample_kwargs=_session,
    ),
    "mediator:visitor_mobile": entry(
        get=helper_outcomes(NOT_ALLOWED),
        post=helper_outcomes(TO_SESSION),
        post_data=lambda context: {"mobile_phone": "01 23 45 67 89"},
        sample_kwargs=_session,
        note="a landline is refused with a message on the session page",
    ),
    "mediator:identity_check": entry(
        get=helper_outcomes(OK),
        post=helper_outcomes(BAD_REQUEST),
        post_data=lambda context: {"document_type": "passport"},
        sample_kwargs=_session,
    ),
    "mediator:mandate_new": entry(
        get=helper_outcomes(OK),
        post=helper_outcomes(BAD_REQUEST),
        post_data=lambda context: {"duration": "one_week", "consent_method": "typed"},
        sample_kwargs=_session,
        note="no démarche and no dossier: refused on the form",
    ),
    "mediator:mandate_consent": entry(
        get=helper_outcomes(OK),
        post=helper_outcomes(BAD_REQUEST),
        post_data=lambda context: {"code_or_text": "non"},
        sample_kwargs=pending_typed,
        note="a sentence other than the agreed one is refused (and journaled)",
    ),
    "mediator:mandate_code_resend": entry(
        get=helper_outcomes(NOT_ALLOWED),
        post=helper_outcomes(
            Outcome(
                "redirect to the consent page", 302, True, location_pattern=r"/mediation/session/mandats/\w+/accord/$"
            )
        ),
        sample_kwargs=pending_typed,
        note="POST only; a mandate agreed by typed sentence has no code to resend",
    ),
    "mediator:mandate_attestation": entry(
        get=helper_outcomes(OK), sample_kwargs=pending_printed, is_page=False, note="PDF"
    ),
    "mediator:mandate_cancel": entry(
        get=helper_outcomes(NOT_ALLOWED),
        sample_kwargs=pending_typed,
        note="POST only (cancelling is tested in the portal's own tests)",
    ),
    "mediator:procedure_start": entry(
        get=helper_outcomes(NOT_ALLOWED),
        post=helper_outcomes(TO_SESSION),
        post_data=lambda context: {"procedure": "inconnue"},
        sample_kwargs=_session,
        note="an unknown démarche is refused with a message",
    ),
    "mediator:dossier_detail": entry(get=helper_outcomes(REFUSED), sample_kwargs=stranger_dossier),
    "mediator:dossier_upload": entry(
        get=helper_outcomes(NOT_ALLOWED), post=helper_outcomes(REFUSED), sample_kwargs=stranger_dossier
    ),
    "mediator:document_download": entry(
        get=helper_outcomes(REFUSED),
        sample_kwargs=lambda context: {
            **stranger_dossier(context),
            "document_id": context.documents["stranger_dossier"].pk,
        },
        is_page=False,
    ),
    "mediator:dossier_transition": entry(
        get=helper_outcomes(NOT_ALLOWED),
        post=helper_outcomes(REFUSED),
        sample_kwargs=lambda context: {**stranger_dossier(context), "transition": "submit"},
    ),
    "mediator:predemande_start": entry(
        get=helper_outcomes(OK),
        post=helper_outcomes(BAD_REQUEST),
        post_data=lambda context: {},
        sample_kwargs=_session,
    ),
    "mediator:predemande_result": entry(get=helper_outcomes(REFUSED), sample_kwargs=stranger_predemande),
    "mediator:predemande_resume": entry(get=helper_outcomes(REFUSED), sample_kwargs=stranger_predemande),
    "mediator:predemande_step": entry(
        get=helper_outcomes(REFUSED),
        post=helper_outcomes(REFUSED),
        sample_kwargs=lambda context: {**stranger_predemande(context), "step": "description"},
    ),
    "mediator:predemande_review": entry(
        get=helper_outcomes(REFUSED), post=helper_outcomes(REFUSED), sample_kwargs=stranger_predemande
    ),
    "mediator:predemande_receipt": entry(
        get=helper_outcomes(REFUSED), sample_kwargs=stranger_predemande, is_page=False
    ),
    # --- The citizen's mandates -------------------------------------------------------------------------------
    "citizen:mandates": entry(get=everyone_signed_in(OK)),
    "citizen:mandate_revoke": entry(
        get=everyone_signed_in(NOT_ALLOWED),
        post=everyone_signed_in(NOT_FOUND),
        sample_kwargs=someone_elses_mandate,
        note="POST only; a mandate given by someone else answers 404 and stays",
    ),
    "citizen:mandate_revoke@own": entry(
        get=everyone_signed_in(NOT_ALLOWED),
        post=everyone_signed_in(NOT_FOUND, citizen=TO_MANDATES),
        sample_kwargs=citizens_own_mandate,
        note="the citizen ends their own mandate at once",
    ),
    # --- The préfecture's activity page -----------------------------------------------------------------------
    "prefecture:mediation_statistics": entry(get=portal_outcomes("prefecture_admin")),
}
