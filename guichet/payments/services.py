"""Electronic fiscal stamps: buy one, enter one bought elsewhere, check it, use it once, refund it if unused."""

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.models import AuditAction
from guichet.audit.services import SYSTEM, audit_record
from guichet.audit.services import Actor as AuditActor
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.core.regulated import regulated_value
from guichet.dossiers.models import Dossier

from .errors import StampMalformed, StampRefused
from .models import FiscalStamp, StampStatus
from .providers import ExternalStamp, stamp_provider

VALIDITY_DAYS = "payments.fiscal_stamp.validity_days"
REFUND_DAYS = "payments.fiscal_stamp.refund_days"
EXTERNAL = "external"
_SEPARATORS = re.compile(r"[\s.\-]")


def _euros(cents: int) -> str:
    whole, rest = divmod(cents, 100)
    return f"{whole},{rest:02d}\u00a0€"


def stamp_number_normalise(raw: str) -> str:
    number = _SEPARATORS.sub("", raw or "")
    if not re.fullmatch(r"[0-9]{16}", number):
        raise StampMalformed()
    return number


def _who(actor: Any) -> AuditActor:
    # Stamps are bought and entered by the applicant (or whoever pays for them); counters pass `who` themselves.
    return SYSTEM if actor is None else AuditActor(user_id=actor.pk, role="applicant")


def _journal(*, change: str, stamp: FiscalStamp, actor: Any, dossier_id: int | None = None, **extra: Any) -> None:
    # The stamp number is not personal data, but only its last digits are needed to follow it in the journal.
    audit_record(
        action=AuditAction.DOSSIER_CHANGED,
        actor=extra.pop("who", None) or _who(actor),
        dossier_id=dossier_id,
        object_type="fiscal_stamp",
        object_id=stamp.pk,
        data={"change": change, "amount_cents": stamp.amount_cents, "stamp_end": stamp.number[-4:], **extra},
    )


@transaction.atomic
def stamp_purchase(*, amount_cents: int, actor: Any) -> FiscalStamp:
    """Buys an electronic stamp of `amount_cents` from the provider for `actor`."""
    if amount_cents <= 0:
        raise InvalidInput(_("Aucun timbre n'est à acheter pour un montant nul."), code="stamp_amount_invalid")
    today = timezone.localdate()
    sold = stamp_provider().sell(amount_cents=amount_cents)
    stamp = FiscalStamp.objects.create(
        number=sold.number,
        amount_cents=amount_cents,
        provider=stamp_provider().name,
        provider_reference=sold.provider_reference,
        purchased_by=actor,
        purchased_at=timezone.now(),
        valid_until=today + timedelta(days=int(regulated_value(VALIDITY_DAYS, on=today))),
        refundable_until=today + timedelta(days=int(regulated_value(REFUND_DAYS, on=today))),
    )
    _journal(change="stamp_purchased", stamp=stamp, actor=actor)
    return stamp


def _refuse_external(info: ExternalStamp | None, amount_cents: int | None) -> None:
    if info is None:
        raise StampRefused(
            _("Ce numéro de timbre est inconnu. Vérifiez les 16 chiffres, ou achetez un timbre électronique."),
            code="stamp_unknown",
        )
    if info.is_used:
        raise StampRefused(
            _("Ce timbre a déjà été utilisé pour une autre demande : un timbre ne sert qu'une fois."),
            code="stamp_already_used",
        )
    if info.is_expired:
        raise StampRefused(
            _("Ce timbre n'est plus valable : sa date limite d'utilisation est passée."), code="stamp_expired"
        )
    if amount_cents is not None and info.amount_cents != amount_cents:
        raise _wrong_amount(info.amount_cents, amount_cents)


def _wrong_amount(found: int, expected: int) -> StampRefused:
    return StampRefused(
        _("Ce timbre est de %(found)s alors que %(expected)s sont dus : il ne peut pas servir pour cette demande.")
        % {"found": _euros(found), "expected": _euros(expected)},
        code="stamp_wrong_amount",
    )


def _refuse_row(stamp: FiscalStamp, amount_cents: int | None, *, dossier_id: int | None = None) -> None:
    if stamp.status == StampStatus.CONSUMED and not (dossier_id and stamp.consumed_for_dossier_id == dossier_id):
        raise StampRefused(
            _("Ce timbre a déjà été utilisé pour une autre demande : un timbre ne sert qu'une fois."),
            code="stamp_already_used",
        )
    if stamp.status == StampStatus.REFUNDED:
        raise StampRefused(_("Ce timbre a été remboursé : il ne peut plus être utilisé."), code="stamp_refunded")
    if stamp.status == StampStatus.EXPIRED or (stamp.valid_until and stamp.valid_until < timezone.localdate()):
        raise StampRefused(
            _("Ce timbre n'est plus valable : sa date limite d'utilisation est passée."), code="stamp_expired"
        )
    if amount_cents is not None and stamp.amount_cents != amount_cents:
        raise _wrong_amount(stamp.amount_cents, amount_cents)


@dataclass(frozen=True)
class CheckedStamp:
    number: str
    amount_cents: int
    is_registered: bool  # already in Guichet's table


def stamp_check(number: str, amount_cents: int | None = None) -> CheckedStamp:
    """Tells whether the stamp could pay `amount_cents` now; raises `StampRefused`/`StampMalformed` otherwise."""
    number = stamp_number_normalise(number)
    stamp = FiscalStamp.objects.filter(number=number).first()
    if stamp is not None:
        _refuse_row(stamp, amount_cents)
        return CheckedStamp(number=number, amount_cents=stamp.amount_cents, is_registered=True)
    info = stamp_provider().look_up(number=number)
    _refuse_external(info, amount_cents)
    assert info is not None
    return CheckedStamp(number=number, amount_cents=info.amount_cents, is_registered=False)


@transaction.atomic
def stamp_register_external(*, number: str, amount_cents: int, actor: Any) -> FiscalStamp:
    """Records a stamp bought elsewhere (tobacconist, other site) after the provider confirmed it."""
    checked = stamp_check(number, amount_cents)
    if checked.is_registered:
        return FiscalStamp.objects.get(number=checked.number)
    try:
        with transaction.atomic():
            stamp = FiscalStamp.objects.create(
                number=checked.number, amount_cents=checked.amount_cents, provider=EXTERNAL, purchased_by=actor
            )
    except IntegrityError:  # entered at the same moment by someone else
        stamp = FiscalStamp.objects.get(number=checked.number)
        _refuse_row(stamp, amount_cents)
        return stamp
    _journal(change="stamp_registered", stamp=stamp, actor=actor)
    return stamp


@transaction.atomic
def stamp_consume(
    *, number: str, dossier: Dossier, actor: Any = None, amount_cents: int | None = None, who: AuditActor | None = None
) -> FiscalStamp:
    """Uses the stamp for `dossier`, once. Safe when two counters try the same stamp at once: one wins."""
    number = stamp_number_normalise(number)
    if not FiscalStamp.objects.filter(number=number).exists():
        info = stamp_provider().look_up(number=number)
        _refuse_external(info, amount_cents)
        assert info is not None
        stamp_register_external(number=number, amount_cents=info.amount_cents, actor=actor)
    stamp = FiscalStamp.objects.select_for_update().get(number=number)
    _refuse_row(stamp, amount_cents, dossier_id=dossier.pk)
    if stamp.status == StampStatus.CONSUMED:  # already used for this very dossier: nothing to do
        return stamp
    now = timezone.now()
    updated = FiscalStamp.objects.filter(pk=stamp.pk, status=StampStatus.AVAILABLE).update(
        status=StampStatus.CONSUMED, consumed_at=now, consumed_for_dossier_id=dossier.pk, updated_at=now
    )
    if updated != 1:
        raise StampRefused(
            _("Ce timbre a déjà été utilisé pour une autre demande : un timbre ne sert qu'une fois."),
            code="stamp_already_used",
        )
    stamp.refresh_from_db()
    _journal(change="stamp_consumed", stamp=stamp, actor=actor, dossier_id=dossier.pk, who=who)
    return stamp


@transaction.atomic
def stamp_refund(*, stamp: FiscalStamp, actor: Any) -> FiscalStamp:
    """Refunds an unused stamp bought through Guichet, to the person who bought it, within the refund period."""
    locked = FiscalStamp.objects.select_for_update().get(pk=stamp.pk)
    if locked.provider == EXTERNAL or actor is None or locked.purchased_by_id != actor.pk:
        raise PermissionDenied(
            _("Seul un timbre acheté sur Guichet peut être remboursé ici, par la personne qui l'a acheté."),
            code="stamp_refund_not_allowed",
        )
    if locked.status == StampStatus.CONSUMED:
        raise StampRefused(
            _("Ce timbre a déjà été utilisé : il ne peut plus être remboursé."), code="stamp_already_used"
        )
    if locked.status == StampStatus.REFUNDED:
        raise StampRefused(_("Ce timbre a déjà été remboursé."), code="stamp_refunded")
    if locked.refundable_until and locked.refundable_until < timezone.localdate():
        raise StampRefused(_("Le délai de remboursement de ce timbre est dépassé."), code="stamp_refund_too_late")
    stamp_provider().refund(number=locked.number, provider_reference=locked.provider_reference)
    now = timezone.now()
    FiscalStamp.objects.filter(pk=locked.pk, status=StampStatus.AVAILABLE).update(
        status=StampStatus.REFUNDED, refunded_at=now, updated_at=now
    )
    locked.refresh_from_db()
    _journal(change="stamp_refunded", stamp=locked, actor=actor)
    return locked
