"""Authorization-matrix entries for the citizen's pré-demande pages (CNI/passport), to merge into EXPECTATIONS.

Wiring: `EXPECTATIONS.update(matrix_predemande.EXPECTATIONS)`. No new fixture is needed: the samples below create
what they point to on first use, inside the test's database — a small territory (the communes of
`guichet.procedures.identity_documents.tests.factories`), a *validated* passport pré-demande of the citizen
persona, a *declared* (complete, not yet validated) one, and a validated one of a stranger. The regulated values
they need come from this feature's data migrations (re-seeded if a transactional test flushed them).

Gates: `portal_for(Role.CITIZEN)` — every account is a citizen, so signed-in agents pass once their second factor is
verified (and are sent to 2FA before); then the pré-demande must be theirs (applicant, starter or representative),
otherwise 404 as for an unknown number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpResponse

from tests.quality.authorization_matrix import (
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    TWO_FACTOR,
    UNVERIFIED_AUDIENCES,
    MatrixContext,
    Outcome,
    describe,
    entry,
    outcomes,
)

PREFIX = "/usager/pre-demande/"


@dataclass(frozen=True)
class RedirectUnder(Outcome):
    """A redirect to a pré-demande page whose path holds a generated number: only the prefix is checked."""

    prefix: str = PREFIX

    def mismatch(self, response: HttpResponse, requested_path: str) -> str | None:
        got = describe(response)
        if response.status_code != self.status or not urlsplit(response["Location"]).path.startswith(self.prefix):
            return got
        return None


TO_PREDEMANDE_PAGE = RedirectUnder("redirect to a pré-demande page", 302, denies=False)
BAD_REQUEST = Outcome("400 (form errors shown, nothing saved)", 400, denies=True)
UNVERIFIED_TO_2FA = {audience: TWO_FACTOR for audience in UNVERIFIED_AUDIENCES}


def owner_only(owner: Outcome) -> dict[str, Outcome]:
    """The citizen persona owns the sample; verified others get 404; unverified agents go to 2FA first."""
    return outcomes(anonymous=LOGIN, default=NOT_FOUND, citizen=owner, **UNVERIFIED_TO_2FA)


def everyone_signed_in(outcome: Outcome) -> dict[str, Outcome]:
    return outcomes(anonymous=LOGIN, default=outcome, **UNVERIFIED_TO_2FA)


def _sample(context: MatrixContext, kind: str) -> Any:
    from guichet.accounts.models import User
    from guichet.procedures.identity_documents.models import CoordinationStatus, PreDemande
    from guichet.procedures.identity_documents.tests import factories
    from guichet.territory.models import Commune

    if not Commune.objects.filter(code="35238").exists():
        factories.create_communes()
    factories.seed_regulated_values()
    if kind == "stranger":
        owner, _ = User.objects.get_or_create(email="autre.usager@example.fr")
    else:
        owner = context.personas["citizen"]
    status = CoordinationStatus.DECLARED if kind == "declared" else CoordinationStatus.VALIDATED
    existing = PreDemande.objects.filter(applicant=owner, status=status).first()
    if existing is not None:
        return existing
    return factories.make_predemande(owner, titles=("passeport",), validate=kind != "declared")


def validated(context: MatrixContext) -> dict[str, str]:
    return {"number": _sample(context, "validated").number}


def declared(context: MatrixContext) -> dict[str, str]:
    return {"number": _sample(context, "declared").number}


def strangers(context: MatrixContext) -> dict[str, str]:
    return {"number": _sample(context, "stranger").number}


POST_ONLY = everyone_signed_in(NOT_ALLOWED)  # GET on a POST-only view, once past the portal gate

EXPECTATIONS = {
    "citizen:predemande_start": entry(
        get=everyone_signed_in(OK),
        post=everyone_signed_in(BAD_REQUEST),
        post_data=lambda context: {},
        note="any account may start a pré-demande for itself or a minor; an empty form is refused",
    ),
    "citizen:predemande_result": entry(get=owner_only(OK), sample_kwargs=validated),
    "citizen:predemande_result@stranger": entry(
        get=outcomes(anonymous=LOGIN, default=NOT_FOUND, **UNVERIFIED_TO_2FA), sample_kwargs=strangers
    ),
    "citizen:predemande_result@declared": entry(
        get=owner_only(TO_PREDEMANDE_PAGE), sample_kwargs=declared, note="not validated yet: back to the steps"
    ),
    "citizen:predemande_resume": entry(get=owner_only(TO_PREDEMANDE_PAGE), sample_kwargs=declared),
    "citizen:predemande_step": entry(
        get=owner_only(OK),
        post=owner_only(BAD_REQUEST),
        post_data=lambda context: {"height_cm": "999", "eye_colour": "blue"},
        sample_kwargs=lambda context: {**declared(context), "step": "description"},
    ),
    "citizen:predemande_step@stranger": entry(
        get=outcomes(anonymous=LOGIN, default=NOT_FOUND, **UNVERIFIED_TO_2FA),
        sample_kwargs=lambda context: {**strangers(context), "step": "description"},
    ),
    "citizen:predemande_review": entry(
        get=owner_only(OK),
        post=owner_only(TO_PREDEMANDE_PAGE),
        sample_kwargs=declared,
        note="POST validates the citizen's complete draft (then redirects to the result page)",
    ),
    "citizen:predemande_receipt": entry(get=owner_only(OK), sample_kwargs=validated, is_page=False, note="PDF"),
    "citizen:predemande_receipt@stranger": entry(
        get=outcomes(anonymous=LOGIN, default=NOT_FOUND, **UNVERIFIED_TO_2FA), sample_kwargs=strangers, is_page=False
    ),
    "citizen:predemande_stamp_buy": entry(
        get=POST_ONLY,
        post=owner_only(TO_PREDEMANDE_PAGE),
        post_data=lambda context: {"title": "passeport"},
        sample_kwargs=validated,
        is_page=False,
        note="POST only; buys an 86 € stamp from the fake provider for the citizen",
    ),
    "citizen:predemande_stamp_enter": entry(
        get=POST_ONLY,
        post=owner_only(BAD_REQUEST),
        post_data=lambda context: {"title": "passeport", "stamp_number": "123"},
        sample_kwargs=validated,
        is_page=False,
        note="POST only; a malformed number is refused with the result page and its message",
    ),
    "citizen:predemande_stamp_refund": entry(
        get=POST_ONLY,
        post=owner_only(TO_PREDEMANDE_PAGE),
        post_data=lambda context: {"title": "passeport"},
        sample_kwargs=validated,
        is_page=False,
        note="POST only; with no stamp to refund, a message and back to the result page",
    ),
}
