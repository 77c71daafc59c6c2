"""Read-only queries on agendas: equipped mairies, bookable starts, appointments per number, per day, per person."""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from guichet.territory.models import Place, PlaceKind
from guichet.territory.opening_hours import PARIS, french_public_holidays
from guichet.territory.selectors import KM_PER_DEGREE_OF_LATITUDE, haversine_km

from .models import (
    REPORTED_STATUSES,
    AgendaSettings,
    Appointment,
    AppointmentSlot,
    AppointmentStatus,
    Closure,
    ExternalAppointment,
    Slot,
)


def equipped_places() -> QuerySet[Place]:
    """Mairies with collection stations whose online agenda is open."""
    return Place.objects.filter(
        kind=PlaceKind.MAIRIE,
        collection_stations__gt=0,
        is_active=True,
        agenda_settings__is_active=True,
    ).order_by("name", "pk")


def equipped_place_or_none(*, place_id: int | str) -> Place | None:
    text = str(place_id).strip()
    if not text.isdigit() or len(text) > 15:  # not an id Guichet gave (and too large for the database key)
        return None
    return equipped_places().filter(pk=int(text)).first()


@dataclass(frozen=True)
class NearbyPlace:
    place: Place
    distance_km: float


def equipped_places_near(*, latitude: float, longitude: float, radius_km: float, limit: int = 20) -> list[NearbyPlace]:
    """Equipped mairies within `radius_km`, nearest first: a latitude/longitude box, then the exact distance."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or radius_km <= 0:
        return []
    latitude_delta = radius_km / KM_PER_DEGREE_OF_LATITUDE
    cosine = max(math.cos(math.radians(min(89.0, abs(latitude) + latitude_delta))), 1e-6)
    longitude_delta = min(180.0, radius_km / (KM_PER_DEGREE_OF_LATITUDE * cosine))
    candidates = equipped_places().filter(
        latitude__gte=latitude - latitude_delta,
        latitude__lte=latitude + latitude_delta,
        longitude__gte=longitude - longitude_delta,
        longitude__lte=longitude + longitude_delta,
    )
    nearby = []
    for place in candidates:
        distance = haversine_km(latitude, longitude, place.latitude, place.longitude)  # type: ignore[arg-type]
        if distance <= radius_km:
            nearby.append(NearbyPlace(place=place, distance_km=distance))
    nearby.sort(key=lambda item: (item.distance_km, item.place.pk))
    return nearby[:limit]


def equipped_places_of_communes(*, commune_codes: Iterable[str]) -> QuerySet[Place]:
    return equipped_places().filter(commune_code__in=list(commune_codes))


def equipped_places_by_postal_code(*, postal_code: str) -> QuerySet[Place]:
    return equipped_places().filter(postal_code=postal_code.strip())


def is_closed_on(*, place: Place, day: date) -> bool:
    """Public holiday (with the département's own ones) or a closure entered by the mairie."""
    if day in french_public_holidays(day.year, department_code=place.department_id):
        return True
    return Closure.objects.filter(place=place, starts_on__lte=day, ends_on__gte=day).exists()


def _closed_days(place_ids: list[int], first: date, last: date) -> dict[int, set[date]]:
    closed: dict[int, set[date]] = defaultdict(set)
    for closure in Closure.objects.filter(place_id__in=place_ids, ends_on__gte=first, starts_on__lte=last):
        day = max(closure.starts_on, first)
        while day <= min(closure.ends_on, last):
            closed[closure.place_id].add(day)
            day += timedelta(days=1)
    return closed


# The first part of the window a limited search reads (see `bookable_starts`).
FIRST_WINDOW = timedelta(days=7)


def bookable_starts(
    *,
    place_ids: Iterable[int],
    start: datetime,
    end: datetime,
    files_count: int = 1,
    now: datetime | None = None,
    limit_per_place: int | None = None,
) -> dict[int, list[datetime]]:
    """For each place, the sorted, unique start times in [start, end) where `files_count` consecutive base slots
    of one station are free, respecting the booking notice and the closures; the first `limit_per_place` only
    when it is given.

    One query reads the free slots of every place in the window (index on place, starts_at). With a limit, the
    first week is read first and the rest of the window only for the places still short of starts: a search
    page then reads a week of slots, not two months of them.
    """
    now = now or timezone.now()
    settings_by_place = {
        s.place_id: s for s in AgendaSettings.objects.filter(place_id__in=list(place_ids), is_active=True)
    }
    if not settings_by_place or files_count < 1:
        return {}
    if not limit_per_place or end - start <= FIRST_WINDOW:
        return _bookable_starts_in(settings_by_place, start, end, files_count, now, limit_per_place)
    found = _bookable_starts_in(settings_by_place, start, start + FIRST_WINDOW, files_count, now, limit_per_place)
    short = {pk: agenda for pk, agenda in settings_by_place.items() if len(found.get(pk, [])) < limit_per_place}
    if short:
        later = _bookable_starts_in(short, start + FIRST_WINDOW, end, files_count, now, limit_per_place)
        for pk, starts in later.items():
            found[pk] = (found.get(pk, []) + starts)[:limit_per_place]
    return found


def _bookable_starts_in(
    settings_by_place: dict[int, AgendaSettings],
    start: datetime,
    end: datetime,
    files_count: int,
    now: datetime,
    limit_per_place: int | None,
) -> dict[int, list[datetime]]:
    longest = max(s.minutes_per_file for s in settings_by_place.values()) * files_count
    taken = AppointmentSlot.objects.filter(slot=OuterRef("pk"), is_active=True)
    rows = (
        Slot.objects.filter(
            place_id__in=list(settings_by_place),
            starts_at__gte=max(start, now),
            starts_at__lt=end + timedelta(minutes=longest),
        )
        .filter(~Exists(taken))
        .order_by("place_id", "station", "starts_at")
        .values_list("place_id", "station", "starts_at", "ends_at")
    )
    first_day, last_day = start.astimezone(PARIS).date(), end.astimezone(PARIS).date()
    closed = _closed_days(list(settings_by_place), first_day, last_day)
    holidays: set[date] = set()
    for year in range(first_day.year, last_day.year + 1):
        holidays |= french_public_holidays(year)
    starts: dict[int, set[datetime]] = defaultdict(set)
    runs: dict[tuple[int, int], list[tuple[datetime, datetime]]] = defaultdict(list)
    for place_id, station, starts_at, ends_at in rows:
        runs[(place_id, station)].append((starts_at, ends_at))
    for (place_id, _station), slots in runs.items():
        agenda = settings_by_place[place_id]
        if files_count > agenda.max_files_per_booking:
            continue
        earliest = now + timedelta(hours=agenda.booking_notice_hours)
        for index in range(len(slots) - files_count + 1):
            first_start = slots[index][0]
            if first_start < earliest or not (start <= first_start < end):
                continue
            window = slots[index : index + files_count]
            if any(window[i][1] != window[i + 1][0] for i in range(files_count - 1)):
                continue
            day = first_start.astimezone(PARIS).date()
            if day in holidays or day in closed.get(place_id, set()):
                continue
            starts[place_id].add(first_start)
    result = {}
    for place_id, found in starts.items():
        ordered = sorted(found)
        result[place_id] = ordered[:limit_per_place] if limit_per_place else ordered
    return result


def next_bookable_starts(*, place: Place, after: datetime, files_count: int = 1, limit: int = 5) -> list[datetime]:
    agenda = AgendaSettings.objects.filter(place=place).first()
    horizon = timedelta(weeks=agenda.weeks_ahead if agenda else 4)
    found = bookable_starts(
        place_ids=[place.pk], start=after, end=after + horizon, files_count=files_count, limit_per_place=limit
    )
    return found.get(place.pk, [])


def active_appointments() -> QuerySet[Appointment]:
    return Appointment.objects.filter(status=AppointmentStatus.BOOKED)


def appointments_of_numbers(*, numbers: Iterable[str]) -> QuerySet[Appointment]:
    """Guichet's appointments of these pré-demande numbers (upper-cased) that other software is told about,
    soonest first: booked ones and attended ones (the file was lodged there). Cancelled and not-attended ones
    are left out, as an appointment software deletes them from the coordination API."""
    return (
        Appointment.objects.filter(application_id__in=[n.upper() for n in numbers], status__in=REPORTED_STATUSES)
        .select_related("place")
        .order_by("starts_at", "pk")
    )


def external_appointments_of_numbers(*, numbers: Iterable[str]) -> QuerySet[ExternalAppointment]:
    return ExternalAppointment.objects.filter(application_id__in=[n.upper() for n in numbers]).order_by(
        "appointment_at", "pk"
    )


def has_upcoming_appointment(*, number: str, now: datetime | None = None, exclude_id: int | None = None) -> bool:
    """Whether this number already holds a future appointment, in Guichet or in another software."""
    now = now or timezone.now()
    number = number.upper()
    own = active_appointments().filter(application_id=number, starts_at__gte=now)
    if exclude_id is not None:
        own = own.exclude(pk=exclude_id)
    if own.exists():
        return True
    return ExternalAppointment.objects.filter(application_id=number, appointment_at__gte=now).exists()


def appointments_booked_by(*, user) -> QuerySet[Appointment]:
    return Appointment.objects.filter(booked_by=user).select_related("place").order_by("-starts_at")


def appointment_of_user(*, user, reference: str) -> Appointment | None:
    """The appointment if this user booked it; None otherwise (the page then answers 404)."""
    return appointments_booked_by(user=user).filter(reference=reference.strip().upper()).first()


def day_appointments(*, place: Place, day: date) -> QuerySet[Appointment]:
    """The day's appointments of a mairie, booked, attended or not attended (cancelled ones are gone)."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=PARIS)
    return (
        Appointment.objects.exclude(status=AppointmentStatus.CANCELLED)
        .filter(place=place, starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .order_by("starts_at", "station")
    )


def closures_of(*, place: Place, from_day: date | None = None) -> QuerySet[Closure]:
    closures = Closure.objects.filter(place=place)
    if from_day is not None:
        closures = closures.filter(ends_on__gte=from_day)
    return closures.order_by("starts_on")


def slot_counts(*, place: Place, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    future = Slot.objects.filter(place=place, starts_at__gte=now)
    taken = AppointmentSlot.objects.filter(slot=OuterRef("pk"), is_active=True)
    return {"total": future.count(), "free": future.filter(~Exists(taken)).count()}


def reminders_due(*, day: date) -> QuerySet[Appointment]:
    start = datetime.combine(day, datetime.min.time(), tzinfo=PARIS)
    return (
        active_appointments()
        .filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1), reminder_sent_at__isnull=True)
        .filter(~Q(contact_email="") | ~Q(contact_mobile=""))
        .select_related("place")
    )
