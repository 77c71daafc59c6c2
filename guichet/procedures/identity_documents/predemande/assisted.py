"""The pré-demande filled in for a visitor during an assisted session, under a mandate covering its titles.

Every dossier of the pré-demande is opened to the helper through the mandate (`dossier_access_grant`, until the
mandate ends); the services of the pré-demande then journal each change as made by the helper's role and
structure on behalf of the visitor.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from guichet.core import references
from guichet.dossiers.models import Dossier
from guichet.mandates.services import mandate_dossier_access_grant
from guichet.mediation.models import AssistedSession, StepKind
from guichet.mediation.services import assisted_dossier_open, assisted_mandate_for, assisted_step_record

from ..models import PreDemande
from .lifecycle import predemande_start


@transaction.atomic
def predemande_start_assisted(
    *,
    session: AssistedSession,
    titles: Iterable[str],
    motive: str,
    is_for_minor: bool = False,
    representative: dict[str, Any] | None = None,
    actor: Any,
) -> PreDemande:
    """Starts a pré-demande for the session's visitor; refused (`MandateRefused`) unless a mandate to the session's
    structure covers every title asked for."""
    wanted = sorted(set(titles))
    mandates = {title: assisted_mandate_for(session=session, procedure=title, actor=actor) for title in wanted}
    predemande = predemande_start(
        applicant=session.citizen,
        actor=actor,
        titles=wanted,
        motive=motive,
        is_for_minor=is_for_minor,
        representative=representative,
    )
    for link in predemande.titles.select_related("dossier"):
        mandate_dossier_access_grant(mandate=mandates[link.title], dossier=link.dossier, actor=actor)
        assisted_step_record(
            session=session,
            kind=StepKind.DOSSIER_CREATED,
            actor=actor,
            procedure=link.title,
            reference=link.dossier.reference,
        )
    return predemande


def predemande_for_assisted(*, session: AssistedSession, number: str) -> PreDemande | None:
    """The visitor's pré-demande `number`, or None if it is not theirs (reads only; see `predemande_assisted_open`)."""
    if session.citizen_id is None:
        return None
    return PreDemande.objects.filter(number=references.normalize(number or ""), applicant_id=session.citizen_id).first()


@transaction.atomic
def predemande_assisted_open(*, session: AssistedSession, predemande: PreDemande, actor: Any) -> PreDemande:
    """Checks the mandate still covers every dossier of the pré-demande and opens them to the helper; raises
    `MandateRefused` (out of scope, expired, revoked) otherwise."""
    for dossier in Dossier.objects.filter(predemande_title__predemande=predemande).order_by("pk"):
        assisted_dossier_open(session=session, dossier=dossier, actor=actor)
    return predemande


def predemande_assisted_step(*, session: AssistedSession, predemande: PreDemande, kind: str, actor: Any) -> None:
    """Counts a step done on the whole pré-demande (filed, receipt printed) once per title."""
    for link in predemande.titles.select_related("dossier"):
        assisted_step_record(
            session=session, kind=kind, actor=actor, procedure=link.title, reference=link.dossier.reference
        )
