"""Fiscal stamps of a pré-demande: buy one, enter one bought elsewhere, refund one."""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from guichet.core.exceptions import InvalidInput, TransitionNotAllowed
from guichet.payments.models import FiscalStamp
from guichet.payments.services import stamp_purchase, stamp_refund, stamp_register_external

from ..fees import Fee
from ..models import PreDemande
from .common import OPEN_STATUSES, _journal, _note
from .reading import predemande_fees

# Timeline notes (see `timeline.py`).
STAMP_BOUGHT, STAMP_ENTERED, STAMP_REFUNDED = "stamp_bought", "stamp_entered", "stamp_refunded"


def _fee_for(predemande: PreDemande, title: str) -> Fee:
    fees = {fee.title: fee for fee in predemande_fees(predemande)}
    if title not in fees:
        raise InvalidInput(_("Ce titre ne fait pas partie de cette pré-demande."), code="title_not_requested")
    if not fees[title].is_due:
        raise InvalidInput(_("Aucun timbre fiscal n'est dû pour ce titre."), code="no_fee_due")
    if (predemande.data.get("stamps") or {}).get(title):
        raise InvalidInput(_("Un timbre est déjà enregistré pour ce titre."), code="stamp_already_attached")
    return fees[title]


def _attach(predemande: PreDemande, title: str, stamp: FiscalStamp, actor: Any, *, how: str) -> PreDemande:
    locked = PreDemande.objects.select_for_update().get(pk=predemande.pk)
    stamps = dict(locked.data.get("stamps") or {})
    stamps[title] = stamp.number
    locked.data = {**locked.data, "stamps": stamps}
    locked.save(update_fields=["data", "updated_at"])
    predemande.data = locked.data
    _journal(predemande=locked, actor=actor, change="stamp_attached", title=title, stamp_end=stamp.number[-4:])
    _note(predemande=locked, actor=actor, note=how, title=title, amount_cents=stamp.amount_cents)
    return locked


@transaction.atomic
def predemande_stamp_buy(*, predemande: PreDemande, title: str, actor: Any) -> FiscalStamp:
    if predemande.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(_("Cette pré-demande n'est plus utilisable."), code="predemande_closed")
    fee = _fee_for(predemande, title)
    stamp = stamp_purchase(amount_cents=fee.amount_cents, actor=actor)
    _attach(predemande, title, stamp, actor, how=STAMP_BOUGHT)
    return stamp


@transaction.atomic
def predemande_stamp_enter(*, predemande: PreDemande, title: str, number: str, actor: Any) -> FiscalStamp:
    """A stamp bought elsewhere: the provider checks it exists, is unused, unexpired and of the amount due."""
    if predemande.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(_("Cette pré-demande n'est plus utilisable."), code="predemande_closed")
    fee = _fee_for(predemande, title)
    stamp = stamp_register_external(number=number, amount_cents=fee.amount_cents, actor=actor)
    others = PreDemande.objects.exclude(pk=predemande.pk).filter(
        Q(data__stamps__cni=stamp.number) | Q(data__stamps__passeport=stamp.number)
    )
    if others.exists() or stamp.number in (predemande.data.get("stamps") or {}).values():
        raise InvalidInput(
            _("Ce timbre est déjà rattaché à une autre demande : un timbre ne sert qu'une fois."),
            code="stamp_already_attached",
        )
    _attach(predemande, title, stamp, actor, how=STAMP_ENTERED)
    return stamp


@transaction.atomic
def predemande_stamp_refund(*, predemande: PreDemande, title: str, actor: Any) -> FiscalStamp:
    number = (predemande.data.get("stamps") or {}).get(title)
    stamp = FiscalStamp.objects.filter(number=number).first() if number else None
    if stamp is None:
        raise InvalidInput(_("Aucun timbre n'est enregistré pour ce titre."), code="no_stamp")
    refunded = stamp_refund(stamp=stamp, actor=actor)
    locked = PreDemande.objects.select_for_update().get(pk=predemande.pk)
    stamps = {k: v for k, v in (locked.data.get("stamps") or {}).items() if k != title}
    locked.data = {**locked.data, "stamps": stamps}
    locked.save(update_fields=["data", "updated_at"])
    predemande.data = locked.data
    _journal(predemande=locked, actor=actor, change="stamp_detached", title=title)
    _note(predemande=locked, actor=actor, note=STAMP_REFUNDED, title=title, amount_cents=refunded.amount_cents)
    return refunded
