"""Retrieving the pré-demande at the counter, and what it asks for: originals, fees, stamps (swap points)."""

import re
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.services import Actor as AuditActor
from guichet.core import references
from guichet.core.exceptions import InvalidInput, ObjectNotFound
from guichet.dossiers.models import Dossier
from guichet.payments.services import stamp_consume

from ..checklist import ChecklistItem
from ..models import CoordinationStatus, PreDemande
from ..predemande import predemande_checklist, predemande_fees
from .common import NUMBER_FORMAT, CounterError


def predemande_number_parse(raw: str) -> str:
    """What the agent typed or the scanner read (the QR code holds the number) → the 10-character number."""
    text = (raw or "").strip()
    # A scanner may read a URL or a labelled payload: the number is its last 10-character block.
    candidates = re.findall(r"(?<![A-Za-z0-9])[A-Za-z0-9]{10}$", text) if re.search(r"[/:=]", text) else []
    number = references.normalize(text)
    if not NUMBER_FORMAT.match(number) and candidates:
        number = references.normalize(candidates[-1])
    if not NUMBER_FORMAT.match(number):
        raise InvalidInput(
            _(
                "Ce numéro de pré-demande n'est pas valide : il compte 10 caractères, lettres et chiffres "
                "(par exemple 7KQ2 M9XD F4). Vérifiez la saisie."
            ),
            code="predemande_number_malformed",
        )
    return number


def predemande_for_counter(*, raw_number: str, today: date | None = None) -> PreDemande:
    """The pré-demande ready to be lodged, or an error saying in plain words why it cannot be."""
    number = predemande_number_parse(raw_number)
    today = today or timezone.localdate()
    predemande = PreDemande.objects.filter(number=number).select_related("lodged_at_place").first()
    if predemande is None:
        raise ObjectNotFound(
            _("Aucune pré-demande ne porte le numéro %(number)s. Vérifiez la saisie avec l'usager.")
            % {"number": references.display(number)},
            code="predemande_unknown",
        )
    if predemande.status == CoordinationStatus.CONSUMED:
        where = predemande.lodged_at_place.name if predemande.lodged_at_place else _("une mairie")
        when = timezone.localtime(predemande.consumed_at).strftime("%d/%m/%Y") if predemande.consumed_at else ""
        raise CounterError(
            _("Cette pré-demande a déjà été déposée (%(where)s, le %(when)s) : elle ne peut servir qu'une fois.")
            % {"where": where, "when": when},
            code="predemande_consumed",
        )
    if predemande.status == CoordinationStatus.EXPIRED or (
        predemande.valid_until is not None and predemande.valid_until < today
    ):
        raise CounterError(
            _(
                "Cette pré-demande a expiré. L'usager doit en faire une nouvelle, ou vous pouvez saisir sa demande "
                "sur formulaire papier."
            ),
            code="predemande_expired",
        )
    if predemande.status != CoordinationStatus.VALIDATED:
        raise CounterError(
            _("Cette pré-demande n'est pas terminée : l'usager doit la compléter et la valider en ligne."),
            code="predemande_not_validated",
        )
    return predemande


# --- checklist, fees, stamps (swap points) --------------------------------------------------------------------


def counter_checklist(predemande: PreDemande) -> list[ChecklistItem]:
    """The originals the agent checks: the pré-demande's own checklist, without information-only lines and
    without the fiscal stamps (recorded separately, and checked by the stamp service)."""
    return [
        item
        for item in predemande_checklist(predemande)
        if item.is_required and not item.key.startswith("fiscal_stamp_")
    ]


def counter_fee_due_cents(predemande: PreDemande, title: str) -> int:
    """The fee of `title` as the pré-demande computed it on its request date (0: no stamp due)."""
    return next((fee.amount_cents for fee in predemande_fees(predemande) if fee.title == title), 0)


def _stamp_consume(
    *, number: str, amount_cents: int | None, dossier: Dossier, actor: Any, who: AuditActor | None = None
) -> None:
    stamp_consume(number=number, amount_cents=amount_cents, dossier=dossier, actor=actor, who=who)
