"""Production of accepted CNI and passports by a simulated printer, batch shipping to the lodging mairie, and
the "available" step with its SMS and e-mail. Every step is idempotent: jobs may run twice."""

import calendar
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from guichet.audit.services import SYSTEM
from guichet.core.regulated import regulated_value
from guichet.dossiers.models import Dossier, EventKind
from guichet.dossiers.services import dossier_transition
from guichet.dossiers.services.actors import event_record
from guichet.dossiers.workflow import Status
from guichet.notifications.models import Channel
from guichet.notifications.services import notification_enqueue
from guichet.territory.models import Place

from .checks import previous_title_invalidate_if_declared
from .counter_models import TitleProduction
from .models import PreDemandeTitle, Title


def _delay(key: str, on: date) -> timedelta:
    """A random duration between the regulated min and max hours: printers and carriers are not clocks."""
    bounds = regulated_value(key, on=on)
    low, high = int(bounds["min"]), int(bounds["max"])
    return timedelta(hours=low + secrets.randbelow(max(high - low, 0) + 1))


def add_months(day: date, months: int) -> date:
    """Same day `months` later, or the month's last day (31 March + 1 month → 30 April)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _identity_dossiers(status: str):
    return Dossier.objects.filter(procedure__in=Title.values, status=status)


@transaction.atomic
def title_production_start(*, dossier: Dossier, now: datetime | None = None) -> TitleProduction:
    """Sends an accepted dossier to the printer (system actor); returns the existing job if already started."""
    now = now or timezone.now()
    existing = TitleProduction.objects.filter(dossier=dossier).first()
    if existing is not None:
        return existing
    link = PreDemandeTitle.objects.select_related("predemande__lodged_at_place").get(dossier=dossier)
    place = link.predemande.lodged_at_place
    if place is None:
        raise ValueError("an accepted identity dossier always has a lodging mairie")
    dossier_transition(dossier=dossier, name="start_production", actor=None)
    previous_title_invalidate_if_declared(dossier=dossier, actor=None)
    return TitleProduction.objects.create(
        dossier=dossier,
        place=place,
        started_at=now,
        expected_ready_at=now + _delay("identity.production.delay_hours", timezone.localdate(now)),
    )


def _batch_number(place: Place, now: datetime) -> str:
    return f"L{timezone.localtime(now):%y%m%d%H%M}-{place.pk}"[:20]


@transaction.atomic
def titles_ship_printed(*, now: datetime | None = None) -> int:
    """Printed titles leave in one batch per mairie; each dossier's timeline says so."""
    now = now or timezone.now()
    due = (
        TitleProduction.objects.select_for_update()
        .filter(shipped_at__isnull=True, expected_ready_at__lte=now, dossier__status=Status.IN_PRODUCTION)
        .select_related("place", "dossier")
        .order_by("place_id", "pk")
    )
    shipped = 0
    batches: dict[int, str] = {}
    for job in due:
        batch = batches.setdefault(job.place_id, _batch_number(job.place, now))
        job.batch_number = batch
        job.shipped_at = now
        job.expected_arrival_at = now + _delay("identity.shipping.delay_hours", timezone.localdate(now))
        job.save(update_fields=["batch_number", "shipped_at", "expected_arrival_at", "updated_at"])
        event_record(
            dossier=job.dossier,
            kind=EventKind.NOTE,
            actor=SYSTEM,
            data={"note": "shipped_to_mairie", "batch": batch, "place_id": job.place_id, "place": job.place.name},
        )
        shipped += 1
    return shipped


def _place_address(place: Place) -> str:
    return ", ".join(part for part in (place.address, f"{place.postal_code} {place.city}".strip()) if part)


def _dossier_path(dossier: Dossier) -> str:
    try:
        return reverse("citizen:dossier_detail", args=[dossier.reference])
    except NoReverseMatch:
        return ""


def title_available_notify(*, production: TitleProduction, event_key: str) -> None:
    """SMS (when the pré-demande gave a mobile) and e-mail with the mairie's name, address and hours."""
    dossier = production.dossier
    link = PreDemandeTitle.objects.select_related("predemande").get(dossier=dossier)
    applicant = dossier.applicant
    place = production.place
    context: dict[str, Any] = {
        "recipient_name": applicant.get_full_name(),
        "title_label": str(Title(link.title).label).lower() if link.title == Title.PASSPORT else _("carte d'identité"),
        "title_short": _("passeport") if link.title == Title.PASSPORT else _("carte d'identité"),
        "dossier_reference": dossier.display_reference,
        "place_name": place.name,
        "place_address": _place_address(place),
        "opening_hours": place.opening_hours,
        "collection_deadline": date_format(production.collect_before, "j F Y") if production.collect_before else "",
        "dossier_path": _dossier_path(dossier),
    }
    if applicant.email and not applicant.email.endswith(".invalid"):
        notification_enqueue(
            event_key=event_key,
            channel=Channel.EMAIL,
            recipient=applicant.email,
            template="title_available",
            context=context,
            recipient_user_id=applicant.pk,
        )
    if link.predemande.mobile_phone:
        notification_enqueue(
            event_key=event_key,
            channel=Channel.SMS,
            recipient=link.predemande.mobile_phone,
            template="title_available",
            context=context,
            recipient_user_id=applicant.pk,
        )


@transaction.atomic
def title_make_available(*, dossier: Dossier, actor: Any = None, now: datetime | None = None) -> TitleProduction:
    """The title reached its mairie: status `available`, collection deadline set, applicant told once."""
    now = now or timezone.now()
    production = (
        TitleProduction.objects.select_for_update().select_related("place", "dossier__applicant").get(dossier=dossier)
    )
    if production.available_at is not None:
        return production
    months = int(regulated_value("identity.collection.period_months", on=timezone.localdate(now)))
    production.available_at = now
    production.collect_before = add_months(timezone.localdate(now), months)
    dossier_transition(
        dossier=production.dossier,
        name="make_available",
        actor=actor,
        data={"place": production.place.name, "collect_before": production.collect_before.isoformat()},
    )
    production.save(update_fields=["available_at", "collect_before", "updated_at"])
    production.dossier.refresh_from_db()
    title_available_notify(production=production, event_key=f"title-available-{dossier.pk}")
    return production


@dataclass(frozen=True)
class ProductionRun:
    started: int
    shipped: int
    made_available: int


def titles_production_process(*, now: datetime | None = None) -> ProductionRun:
    """The printer's job: start accepted dossiers, ship printed ones, make arrived ones available."""
    now = now or timezone.now()
    started = 0
    for dossier in _identity_dossiers(Status.ACCEPTED).filter(title_production__isnull=True).order_by("pk"):
        title_production_start(dossier=dossier, now=now)
        started += 1
    shipped = titles_ship_printed(now=now)
    arrived = TitleProduction.objects.filter(
        available_at__isnull=True, expected_arrival_at__lte=now, dossier__status=Status.IN_PRODUCTION
    ).select_related("dossier")
    made_available = 0
    for job in arrived:
        title_make_available(dossier=job.dossier, now=now)
        made_available += 1
    return ProductionRun(started=started, shipped=shipped, made_available=made_available)
