"""Read-only queries on agendas: equipped mairies, bookable starts, appointments per number, per day, per person.

The bookable starts are computed in `availability` and re-exported here, with the other read queries."""

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from guichet.territory.models import Place, PlaceKind
from guichet.territory.opening_hours import PARIS, french_public_holidays
from guichet.territory.selectors import KM_PER_DEGREE_OF_LATITUDE, haversine_km

from .availability import FIRST_WINDOW as FIRST_WINDOW
from .availability import aware_utc
from .availability import bookable_starts as bookable_starts
from .availability import next_bookable_starts as next_bookable_starts
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


def _box(latitude: float, longitude: float, radius_km: float) -> tuple[float, float, float, float] | None:
    """South, north, west and east bounds of a box holding the circle of `radius_km` (None for no circle)."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or radius_km <= 0:
        return None
    latitude_delta = radius_km / KM_PER_DEGREE_OF_LATITUDE
    cosine = max(math.cos(math.radians(min(89.0, abs(latitude) + latitude_delta))), 1e-6)
    longitude_delta = min(180.0, radius_km / (KM_PER_DEGREE_OF_LATITUDE * cosine))
    return (
        latitude - latitude_delta,
        latitude + latitude_delta,
        longitude - longitude_delta,
        longitude + longitude_delta,
    )


def _box_q(box: tuple[float, float, float, float]) -> Q:
    south, north, west, east = box
    return Q(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)


def _nearest(
    places: Iterable[Place], latitude: float, longitude: float, radius_km: float, limit: int
) -> list[NearbyPlace]:
    nearby = []
    for place in places:
        distance = haversine_km(latitude, longitude, place.latitude, place.longitude)  # type: ignore[arg-type]
        if distance <= radius_km:
            nearby.append(NearbyPlace(place=place, distance_km=distance))
    nearby.sort(key=lambda item: (item.distance_km, item.place.pk))
    return nearby[:limit]


def equipped_places_near(*, latitude: float, longitude: float, radius_km: float, limit: int = 20) -> list[NearbyPlace]:
    """Equipped mairies within `radius_km`, nearest first: a latitude/longitude box, then the exact distance."""
    box = _box(latitude, longitude, radius_km)
    if box is None:
        return []
    return _nearest(equipped_places().filter(_box_q(box)), latitude, longitude, radius_km, limit)


# What the slot search page shows of a mairie: the wide columns (descriptions, JSON lists) are left in the database.
SEARCH_PLACE_FIELDS = ("kind", "name", "commune_code", "address", "postal_code", "city", "latitude", "longitude")


@dataclass(frozen=True)
class PlacesAround:
    local: list[Place]  # the mairies of the commune or postal code asked, by name
    nearby: list[NearbyPlace]  # the mairies around its centre, nearest first
    agendas: dict[int, AgendaSettings]  # the agenda settings of all of them, for `bookable_starts(agendas=…)`


def equipped_places_around(
    *,
    commune_code: str | None = None,
    postal_code: str | None = None,
    centre: tuple[float, float] | None = None,
    radius_km: float = 0,
    limit: int = 20,
) -> PlacesAround:
    """In one query: the equipped mairies of a commune (or of a postal code), the `limit` nearest within
    `radius_km` of `centre` (as `equipped_places_near`), and their agenda settings."""
    box = _box(centre[0], centre[1], radius_km) if centre is not None else None
    conditions = []
    if commune_code is not None:
        conditions.append(Q(commune_code=commune_code))
    if postal_code is not None:
        conditions.append(Q(postal_code=postal_code.strip()))
    if box is not None:
        conditions.append(_box_q(box))
    if not conditions:
        return PlacesAround(local=[], nearby=[], agendas={})
    wanted = conditions[0]
    for condition in conditions[1:]:
        wanted |= condition
    places = list(
        equipped_places().filter(wanted).select_related("agenda_settings").only(*SEARCH_PLACE_FIELDS, "agenda_settings")
    )
    local = [
        place
        for place in places
        if (commune_code is not None and place.commune_code == commune_code)
        or (postal_code is not None and place.postal_code == postal_code.strip())
    ]
    nearby: list[NearbyPlace] = []
    if box is not None and centre is not None:
        south, north, west, east = box
        in_box = (
            place
            for place in places
            if place.latitude is not None
            and place.longitude is not None
            and south <= place.latitude <= north
            and west <= place.longitude <= east
        )
        nearby = _nearest(in_box, centre[0], centre[1], radius_km, limit)
    return PlacesAround(local=local, nearby=nearby, agendas={place.pk: place.agenda_settings for place in places})


def equipped_agendas(*, place_ids: Iterable[int]) -> dict[int, AgendaSettings]:
    """The agenda settings of those of these places that are equipped mairies (`equipped_places`), in that
    order (name, id): which ids Guichet manages, and what `bookable_starts(agendas=…)` needs, in one query."""
    # The conditions of `equipped_places`, from the agenda's side of the join.
    agendas = AgendaSettings.objects.filter(
        place_id__in=list(place_ids),
        is_active=True,
        place__kind=PlaceKind.MAIRIE,
        place__collection_stations__gt=0,
        place__is_active=True,
    ).order_by("place__name", "place_id")
    return {agenda.place_id: agenda for agenda in agendas}


def equipped_places_of_communes(*, commune_codes: Iterable[str]) -> QuerySet[Place]:
    return equipped_places().filter(commune_code__in=list(commune_codes))


def equipped_places_by_postal_code(*, postal_code: str) -> QuerySet[Place]:
    return equipped_places().filter(postal_code=postal_code.strip())


def is_closed_on(*, place: Place, day: date) -> bool:
    """Public holiday (with the département's own ones) or a closure entered by the mairie."""
    if day in french_public_holidays(day.year, department_code=place.department_id):
        return True
    return Closure.objects.filter(place=place, starts_on__lte=day, ends_on__gte=day).exists()


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


class ReportedAppointment(NamedTuple):
    """One of Guichet's appointments as the coordination API reports it."""

    application_id: str
    reference: str
    place_name: str
    place_id: int
    starts_at: datetime


class ExternalAppointmentRow(NamedTuple):
    """An appointment another software registered, as it registered it."""

    application_id: str
    management_url: str
    meeting_point: str
    meeting_point_id: str
    appointment_date: str
    editor_comment: str | None


@functools.cache
def _appointments_of_numbers_sql(vendor: str, count: int) -> str:
    # Table names from the models; one statement per database vendor and count of numbers (names and placeholders
    # only, the values are parameters).
    quote = connection.ops.quote_name
    appointment, place, external = (quote(model._meta.db_table) for model in (Appointment, Place, ExternalAppointment))
    numbers = ", ".join(["%s"] * count)
    statuses = ", ".join(["%s"] * len(REPORTED_STATUSES))
    return (
        "SELECT 0 AS source, a.application_id, a.starts_at AS moment, a.id, a.reference, p.name, a.place_id, "  # noqa: S608
        "NULL, NULL, NULL "
        f"FROM {appointment} a INNER JOIN {place} p ON p.id = a.place_id "
        f"WHERE a.application_id IN ({numbers}) AND a.status IN ({statuses}) "
        "UNION ALL "
        "SELECT 1, e.application_id, e.appointment_at, e.id, e.management_url, e.meeting_point, NULL, "
        "e.meeting_point_id, e.appointment_date, e.editor_comment "
        f"FROM {external} e WHERE e.application_id IN ({numbers}) "
        "ORDER BY 1, 3, 4"
    )


def reported_appointments_of_numbers(
    *, numbers: Iterable[str]
) -> tuple[list[ReportedAppointment], list[ExternalAppointmentRow]]:
    """What the coordination API answers for these pré-demande numbers, in one query: Guichet's appointments as
    `appointments_of_numbers` selects and orders them, and other software's as `external_appointments_of_numbers`
    does. Plain rows through one statement: this runs at every status call of every appointment software."""
    wanted = [number.upper() for number in numbers]
    if not wanted:
        return [], []
    sql = _appointments_of_numbers_sql(connection.vendor, len(wanted))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*wanted, *REPORTED_STATUSES, *wanted])
        rows = cursor.fetchall()
    own: list[ReportedAppointment] = []
    external: list[ExternalAppointmentRow] = []
    for source, application_id, moment, _pk, text_a, text_b, place_id, point_id, date_text, comment in rows:
        if source == 0:
            own.append(ReportedAppointment(application_id, text_a, text_b, place_id, aware_utc(moment)))
        else:
            external.append(ExternalAppointmentRow(application_id, text_a, text_b, point_id, date_text, comment))
    return own, external


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
