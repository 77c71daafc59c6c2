"""Agenda services: settings, closures and the generation of slots."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from guichet.territory import opening_hours
from guichet.territory.models import Place
from guichet.territory.opening_hours import PARIS

from .. import selectors
from ..errors import AgendaNotOpen
from ..models import AgendaSettings, AppointmentSlot, Closure, Slot
from .common import _journal

AGENDA_FIELDS = ("minutes_per_file", "max_files_per_booking", "weeks_ahead", "booking_notice_hours", "is_active")


@transaction.atomic
def agenda_settings_update(*, place: Place, actor: Any, **values: Any) -> AgendaSettings:
    """Creates or changes a mairie's agenda settings and generates the slots; a new slot length first drops the
    future free slots so that the grid is rebuilt (booked slots stay)."""
    if not place.is_equipped:
        raise AgendaNotOpen()
    agenda, _ = AgendaSettings.objects.select_for_update().get_or_create(place=place)
    previous_length = agenda.minutes_per_file
    changed = {}
    for name in AGENDA_FIELDS:
        if name in values and getattr(agenda, name) != values[name]:
            changed[name] = values[name]
            setattr(agenda, name, values[name])
    agenda.full_clean()
    agenda.save()
    if agenda.minutes_per_file != previous_length:
        _free_future_slots(place=place, from_at=timezone.now()).delete()
    slots_generate(place=place)  # idempotent: fills the new horizon, or the whole grid for a new agenda
    _journal("agenda_settings_updated", actor, object_type="place", object_id=place.pk, data={"changed": changed})
    return agenda


def _free_future_slots(*, place: Place, from_at: datetime, until: datetime | None = None):
    taken = AppointmentSlot.objects.filter(slot=OuterRef("pk"))
    slots = Slot.objects.filter(place=place, starts_at__gte=from_at).filter(~Exists(taken))
    if until is not None:
        slots = slots.filter(starts_at__lt=until)
    return slots


@transaction.atomic
def closure_create(*, place: Place, starts_on: date, ends_on: date, reason: str, actor: Any) -> Closure:
    """Closes days to bookings and removes their free slots; appointments already booked stay and are
    counted in the journal so that the mairie can call the people concerned."""
    closure = Closure(place=place, starts_on=starts_on, ends_on=ends_on, reason=reason.strip(), created_by=None)
    if getattr(actor, "is_authenticated", False):
        closure.created_by = actor
    closure.full_clean()
    closure.save()
    first = datetime.combine(starts_on, time.min, tzinfo=PARIS)
    last = datetime.combine(ends_on + timedelta(days=1), time.min, tzinfo=PARIS)
    _removed, _ = _free_future_slots(place=place, from_at=first, until=last).delete()
    booked = selectors.active_appointments().filter(place=place, starts_at__gte=first, starts_at__lt=last).count()
    _journal(
        "agenda_closure_created",
        actor,
        object_type="place",
        object_id=place.pk,
        data={"closure_id": closure.pk, "starts_on": str(starts_on), "ends_on": str(ends_on), "booked": booked},
    )
    return closure


def closure_booked_count(*, closure: Closure) -> int:
    first = datetime.combine(closure.starts_on, time.min, tzinfo=PARIS)
    last = datetime.combine(closure.ends_on + timedelta(days=1), time.min, tzinfo=PARIS)
    return selectors.active_appointments().filter(place=closure.place, starts_at__gte=first, starts_at__lt=last).count()


@transaction.atomic
def closure_delete(*, closure: Closure, actor: Any) -> None:
    place = closure.place
    data = {"closure_id": closure.pk, "starts_on": str(closure.starts_on), "ends_on": str(closure.ends_on)}
    closure.delete()
    slots_generate(place=place)
    _journal("agenda_closure_deleted", actor, object_type="place", object_id=place.pk, data=data)


@transaction.atomic
def slots_generate(*, place: Place, today: date | None = None, now: datetime | None = None) -> int:
    """Creates the base slots of the next `weeks_ahead` weeks from the opening hours, on every station.

    Idempotent: existing slots are kept (unique per place, station and start). Public holidays, closures and
    past times get no slot. Returns the number of slots created.
    """
    agenda = AgendaSettings.objects.filter(place=place, is_active=True).first()
    if agenda is None or not place.is_equipped or not place.opening_hours.strip():
        return 0
    try:
        schedule = opening_hours.parse(place.opening_hours)
    except opening_hours.OpeningHoursError:
        return 0
    now = now or timezone.now()
    today = today or now.astimezone(PARIS).date()
    last_day = today + timedelta(weeks=agenda.weeks_ahead)
    closed = {
        (closure.starts_on, closure.ends_on) for closure in Closure.objects.filter(place=place, ends_on__gte=today)
    }
    length = agenda.minutes_per_file
    new_slots = []
    day = today
    while day < last_day:
        holidays = opening_hours.french_public_holidays(day.year, department_code=place.department_id)
        is_holiday = day in holidays
        if not is_holiday and not any(first <= day <= last for first, last in closed):
            rule = schedule.rule_for(day, is_public_holiday=False)
            spans = []
            if rule is not None and rule.is_always_open:
                spans = [(0, opening_hours.MINUTES_PER_DAY)]
            elif rule is not None:
                spans = [(span.start, span.end) for span in rule.spans]
            for span_start, span_end in spans:
                minute = span_start
                while minute + length <= span_end:
                    starts_at = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=PARIS)
                    if starts_at > now:
                        for station in range(1, place.collection_stations + 1):
                            new_slots.append(
                                Slot(
                                    place=place,
                                    station=station,
                                    starts_at=starts_at,
                                    ends_at=starts_at + timedelta(minutes=length),
                                )
                            )
                    minute += length
        day += timedelta(days=1)
    before = Slot.objects.filter(place=place).count()
    Slot.objects.bulk_create(new_slots, ignore_conflicts=True, batch_size=1000)
    return Slot.objects.filter(place=place).count() - before


def slots_generate_all(*, today: date | None = None) -> int:
    """Runs `slots_generate` for every equipped mairie with an open agenda (the nightly task)."""
    total = 0
    for place in selectors.equipped_places():
        total += slots_generate(place=place, today=today)
    return total
