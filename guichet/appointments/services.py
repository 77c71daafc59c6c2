"""Agenda and booking services: each owns its transaction, takes the actor and journals what it changes."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone

from guichet.audit.services import SYSTEM, Actor, audit_record
from guichet.core import references
from guichet.notifications.models import Channel
from guichet.notifications.services import notification_enqueue
from guichet.territory import opening_hours
from guichet.territory.models import Place
from guichet.territory.opening_hours import PARIS

from . import selectors
from .errors import (
    AgendaNotOpen,
    AppointmentNotActive,
    PlaceClosed,
    SecondAppointmentNeedsConfirmation,
    SlotInPast,
    SlotNotOffered,
    SlotTaken,
    TooManyFiles,
)
from .models import (
    AgendaSettings,
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    Closure,
    ExternalAppointment,
    Slot,
)

AGENDA_FIELDS = ("minutes_per_file", "max_files_per_booking", "weeks_ahead", "booking_notice_hours", "is_active")


def _audit_actor(actor: Any) -> Actor:
    if isinstance(actor, Actor):
        return actor
    if actor is None or not getattr(actor, "is_authenticated", False):
        return SYSTEM
    from guichet.accounts.services.common import actor_of

    return actor_of(actor)


def _journal(action: str, actor: Any, *, object_type: str, object_id: str | int, data: dict | None = None) -> None:
    audit_record(action=action, actor=_audit_actor(actor), object_type=object_type, object_id=object_id, data=data)


# --- agenda ----------------------------------------------------------------------------------------------------


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


# --- bookings --------------------------------------------------------------------------------------------------


def _open_agenda(place: Place) -> AgendaSettings:
    agenda = AgendaSettings.objects.filter(place=place, is_active=True).first()
    if agenda is None or not place.is_equipped or not place.is_active:
        raise AgendaNotOpen()
    return agenda


def _check_bookable_time(*, place: Place, agenda: AgendaSettings, starts_at: datetime, files_count: int) -> None:
    if not 1 <= files_count <= agenda.max_files_per_booking:
        raise TooManyFiles()
    if starts_at < timezone.now() + timedelta(hours=agenda.booking_notice_hours):
        raise SlotInPast()
    if selectors.is_closed_on(place=place, day=starts_at.astimezone(PARIS).date()):
        raise PlaceClosed()


def _station_runs(*, place: Place, starts_at: datetime, files_count: int, length: int) -> list[list[int]]:
    """Slot ids of every station offering `files_count` consecutive free base slots from `starts_at`."""
    end = starts_at + timedelta(minutes=length * files_count)
    slots = Slot.objects.filter(place=place, starts_at__gte=starts_at, starts_at__lt=end).order_by(
        "station", "starts_at"
    )
    if not slots.exists():
        raise SlotNotOffered()
    taken = AppointmentSlot.objects.filter(slot=OuterRef("pk"), is_active=True)
    by_station: dict[int, list[Slot]] = {}
    for slot in slots.filter(~Exists(taken)):
        by_station.setdefault(slot.station, []).append(slot)
    runs = []
    for station_slots in by_station.values():
        if len(station_slots) != files_count or station_slots[0].starts_at != starts_at:
            continue
        if all(station_slots[i].ends_at == station_slots[i + 1].starts_at for i in range(files_count - 1)):
            runs.append([slot.pk for slot in station_slots])
    return runs


@transaction.atomic
def appointment_book(
    *,
    place: Place,
    starts_at: datetime,
    application_id: str,
    actor: Any,
    files_count: int = 1,
    contact_email: str = "",
    contact_mobile: str = "",
    confirm_second: bool = False,
) -> Appointment:
    """Books `files_count` consecutive base slots of one station, all or nothing.

    The caller (portal or API) has checked that the pré-demande is `validated`. Raises `SlotTaken` with the next
    free starts when another booking won the slot, `SecondAppointmentNeedsConfirmation` when the number already
    holds an appointment and the person has not confirmed they want a second one.
    """
    number = references.normalize(application_id)
    agenda = _open_agenda(place)
    _check_bookable_time(place=place, agenda=agenda, starts_at=starts_at, files_count=files_count)
    if not confirm_second and selectors.has_upcoming_appointment(number=number):
        raise SecondAppointmentNeedsConfirmation()
    runs = _station_runs(place=place, starts_at=starts_at, files_count=files_count, length=agenda.minutes_per_file)
    booked_by = actor if getattr(actor, "is_authenticated", False) else None
    appointment = None
    for slot_ids in runs:
        slots = list(Slot.objects.filter(pk__in=slot_ids).order_by("starts_at"))
        try:
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    application_id=number,
                    place=place,
                    station=slots[0].station,
                    starts_at=slots[0].starts_at,
                    ends_at=slots[-1].ends_at,
                    files_count=files_count,
                    booked_by=booked_by,
                    contact_email=contact_email,
                    contact_mobile=contact_mobile,
                )
                AppointmentSlot.objects.bulk_create(
                    [AppointmentSlot(appointment=appointment, slot=slot) for slot in slots]
                )
            break
        except IntegrityError:
            appointment = None  # another booking took one of these slots first: try the next station
    if appointment is None:
        raise SlotTaken(
            suggestions=selectors.next_bookable_starts(place=place, after=starts_at, files_count=files_count)
        )
    _journal(
        "appointment_booked",
        actor,
        object_type="appointment",
        object_id=appointment.reference,
        data={"place_id": place.pk, "starts_at": appointment.starts_at.isoformat(), "files": files_count},
    )
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, actor: Any) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if not appointment.is_active:
        raise AppointmentNotActive()
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.save(update_fields=["status", "cancelled_at", "updated_at"])
    appointment.slot_links.update(is_active=False)
    _journal("appointment_cancelled", actor, object_type="appointment", object_id=appointment.reference)
    return appointment


@transaction.atomic
def appointment_move(
    *, appointment: Appointment, starts_at: datetime, actor: Any, place: Place | None = None
) -> Appointment:
    """Cancels and books again in one transaction: if the new slot cannot be had, the old one is kept."""
    cancelled = appointment_cancel(appointment=appointment, actor=actor)
    moved = appointment_book(
        place=place or cancelled.place,
        starts_at=starts_at,
        application_id=cancelled.application_id,
        files_count=cancelled.files_count,
        contact_email=cancelled.contact_email,
        contact_mobile=cancelled.contact_mobile,
        actor=actor,
        confirm_second=True,
    )
    if moved.booked_by_id is None and cancelled.booked_by_id is not None:
        moved.booked_by_id = cancelled.booked_by_id
        moved.save(update_fields=["booked_by", "updated_at"])
    _journal(
        "appointment_moved",
        actor,
        object_type="appointment",
        object_id=moved.reference,
        data={"from": cancelled.reference},
    )
    return moved


# --- appointments registered by other software (coordination API) ------------------------------------------------


@transaction.atomic
def external_appointment_register(
    *,
    application_id: str,
    meeting_point: str,
    meeting_point_id: str,
    appointment_date: str,
    appointment_at: datetime,
    management_url: str,
    editor_name: str,
    actor: Actor,
) -> ExternalAppointment:
    """Registers an appointment held in another software; the same (number, management URL) is idempotent."""
    number = application_id.upper()
    existing = ExternalAppointment.objects.filter(application_id=number, management_url=management_url).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            registered = ExternalAppointment.objects.create(
                application_id=number,
                meeting_point=meeting_point,
                meeting_point_id=meeting_point_id,
                appointment_date=appointment_date,
                appointment_at=appointment_at,
                management_url=management_url,
                editor_name=editor_name,
            )
    except IntegrityError:  # the same pair registered in parallel
        return ExternalAppointment.objects.get(application_id=number, management_url=management_url)
    _journal(
        "external_appointment_registered",
        actor,
        object_type="external_appointment",
        object_id=registered.pk,
        data={"editor": editor_name},
    )
    return registered


@transaction.atomic
def external_appointment_delete(
    *, application_id: str, meeting_point: str, meeting_point_id: str, appointment_at: datetime, actor: Actor
) -> int:
    matches = ExternalAppointment.objects.filter(
        application_id=application_id.upper(),
        meeting_point=meeting_point,
        meeting_point_id=meeting_point_id,
        appointment_at=appointment_at,
    )
    ids = list(matches.values_list("pk", flat=True))
    deleted, _ = ExternalAppointment.objects.filter(pk__in=ids).delete()
    if deleted:
        _journal(
            "external_appointment_deleted",
            actor,
            object_type="external_appointment",
            object_id=",".join(str(i) for i in ids),
            data={"count": deleted},
        )
    return deleted


# --- reminders ---------------------------------------------------------------------------------------------------

REMINDER_DAYS_BEFORE = 2


def reminder_context(appointment: Appointment) -> dict[str, Any]:
    local = appointment.starts_at.astimezone(PARIS)
    place = appointment.place
    site = django_settings.SITE_URL
    return {
        "appointment_reference": appointment.reference,
        "application_id": appointment.application_id,
        "place_name": place.name,
        "place_address": ", ".join(
            part for part in (place.address, f"{place.postal_code} {place.city}".strip()) if part
        ),
        "date_label": formats.date_format(local.date(), "l j F Y"),
        "time_label": local.strftime("%H:%M"),
        "files_count": appointment.files_count,
        "appointment_url": site + reverse("citizen:booking_detail", kwargs={"reference": appointment.reference}),
        "ics_url": site + reverse("citizen:booking_ics", kwargs={"reference": appointment.reference}),
    }


def appointment_reminders_send(*, today: date | None = None) -> int:
    """Enqueues an e-mail (with a link to the .ics file) and, if a mobile was given, an SMS for each appointment
    two days ahead. Idempotent: the outbox keys on the appointment, and sent reminders are marked."""
    today = today or timezone.now().astimezone(PARIS).date()
    count = 0
    for appointment in selectors.reminders_due(day=today + timedelta(days=REMINDER_DAYS_BEFORE)):
        with transaction.atomic():
            context = reminder_context(appointment)
            event_key = f"appointment_reminder:{appointment.reference}"
            user_id = appointment.booked_by_id
            if appointment.contact_email:
                notification_enqueue(
                    event_key=event_key,
                    channel=Channel.EMAIL,
                    recipient=appointment.contact_email,
                    template="appointment_reminder",
                    context=context,
                    recipient_user_id=user_id,
                )
            if appointment.contact_mobile:
                notification_enqueue(
                    event_key=event_key,
                    channel=Channel.SMS,
                    recipient=appointment.contact_mobile,
                    template="appointment_reminder",
                    context=context,
                    recipient_user_id=user_id,
                )
            Appointment.objects.filter(pk=appointment.pk).update(reminder_sent_at=timezone.now())
            count += 1
    return count
