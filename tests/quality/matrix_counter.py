"""Authorization-matrix entries for the mairie counter, hand-over, identity instruction pages and public tracking.

Wire with ``EXPECTATIONS.update(matrix_counter.EXPECTATIONS)``. Samples build their own objects from the
`MatrixContext` personas (a validated pré-demande of the citizen persona with an open counter session at the
mairie agent persona's equipped mairie; one already lodged for the receipt), so no extra fixture is needed.
"""

from __future__ import annotations

from typing import Any

from tests.quality.authorization_matrix import (
    EVERYONE_OK,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    TWO_FACTOR,
    Entry,
    MatrixContext,
    Outcome,
    entry,
    outcomes,
    portal_outcomes,
)

BAD_REQUEST = Outcome("400", 400, denies=True)  # refused with a message, nothing written
BACK_TO_SESSION = Outcome("302 back to the counter session", 302, denies=False)  # the URL has the session id


def _portal(holder: str, holder_outcome: Outcome) -> dict[str, Outcome]:
    return outcomes(
        anonymous=LOGIN,
        default=FORBIDDEN,
        **{holder: holder_outcome, f"{holder}_unverified": TWO_FACTOR},
    )


def _open_session(context: MatrixContext) -> Any:
    from guichet.procedures.identity_documents.counter import counter_place_of, counter_session_open
    from guichet.procedures.identity_documents.tests.counter_factories import validated_predemande

    agent = context.personas["mairie_agent"]
    predemande = validated_predemande(applicant=context.personas["citizen"])
    place = counter_place_of(agent=agent)
    assert place is not None
    return counter_session_open(predemande=predemande, agent=agent, place=place)


def _lodged_session(context: MatrixContext) -> Any:
    from guichet.procedures.identity_documents.counter import counter_capture, counter_lodge
    from guichet.procedures.identity_documents.tests.counter_factories import ALL_ORIGINALS

    agent = context.personas["mairie_agent"]
    session = counter_capture(session=_open_session(context), agent=agent)
    return counter_lodge(session=session, agent=agent, checked_originals=ALL_ORIGINALS).session


EXPECTATIONS: dict[str, Entry] = {
    # Mairie counter: any agent of an equipped mairie (their role's place has collection stations).
    "town_hall:counter_home": entry(
        get=portal_outcomes("mairie_agent"),
        post=_portal("mairie_agent", BAD_REQUEST),
        post_data=lambda context: {"number": "ZZZZZZZZZZ"},
        note="POST with an unknown number: a French message, nothing written",
    ),
    "town_hall:counter_paper_form": entry(
        get=portal_outcomes("mairie_agent"),
        post=_portal("mairie_agent", BAD_REQUEST),
        post_data=lambda context: {"family_name": ""},
    ),
    "town_hall:counter_session": entry(
        get=portal_outcomes("mairie_agent"),
        get_may_write=True,  # journals the agent's reading of the applicant's civil status (each dossier)
        sample_kwargs=lambda context: {"session_id": _open_session(context).pk},
    ),
    "town_hall:counter_capture": entry(
        get=_portal("mairie_agent", NOT_ALLOWED),
        post=_portal("mairie_agent", BACK_TO_SESSION),
        sample_kwargs=lambda context: {"session_id": _open_session(context).pk},
        is_page=False,
        note="POST only; the capture is written (ids and quality scores)",
    ),
    "town_hall:counter_lodge": entry(
        get=_portal("mairie_agent", NOT_ALLOWED),
        post=_portal("mairie_agent", BAD_REQUEST),
        sample_kwargs=lambda context: {"session_id": _open_session(context).pk},
        is_page=False,
        note="POST only; lodging without capture nor ticked originals is refused",
    ),
    "town_hall:counter_receipt": entry(
        get=portal_outcomes("mairie_agent"),
        get_may_write=True,  # journals the agent's reading of the applicant's civil status (each dossier)
        sample_kwargs=lambda context: {"session_id": _lodged_session(context).pk},
    ),
    "town_hall:counter_receipt_pdf": entry(
        get=portal_outcomes("mairie_agent"),
        get_may_write=True,  # journals the agent's reading of the applicant's civil status (each dossier)
        sample_kwargs=lambda context: {"session_id": _lodged_session(context).pk},
        is_page=False,
        note="PDF",
    ),
    "town_hall:counter_receipt@not_lodged": entry(
        get=_portal("mairie_agent", NOT_FOUND),
        sample_kwargs=lambda context: {"session_id": _open_session(context).pk},
    ),
    "town_hall:handover_title": entry(
        get=_portal("mairie_agent", NOT_FOUND),
        post=_portal("mairie_agent", NOT_FOUND),
        sample_kwargs=lambda context: {"reference": context.dossier.reference},
        note="only titles waiting at the agent's own mairie; a draft dossier is none",
    ),
    # Instruction: identity-title decision and complement, for instructors who may act on the dossier.
    "instruction:identity_decide": entry(
        get=_portal("instructor", NOT_FOUND),
        post=_portal("instructor", NOT_FOUND),
        sample_kwargs=lambda context: {"reference": context.dossier.reference, "decision": "accept"},
        note="the sample dossier is a draft, invisible to instructors",
    ),
    "instruction:identity_complement": entry(
        get=_portal("instructor", NOT_FOUND),
        post=_portal("instructor", NOT_FOUND),
        sample_kwargs=lambda context: {"reference": context.dossier.reference},
    ),
    # Public tracking: open to all; an invalid form is answered 400 with messages.
    "public:tracking": entry(
        get=EVERYONE_OK,
        post=outcomes(anonymous=BAD_REQUEST, default=BAD_REQUEST),
        post_data=lambda context: {"reference": "", "birth_date": "31/02/1990"},
    ),
}

__all__ = ["EXPECTATIONS", "OK"]
