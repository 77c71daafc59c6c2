"""Read-only queries on agendas: equipped mairies, bookable starts, appointments per number, per day, per person."""

import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

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


def _closed_days(place_ids: list[int], first: date, last: date) -> dict[int, set[date]]:
    closed: dict[int, set[date]] = defaultdict(set)
    closures = Closure.objects.filter(place_id__in=place_ids, ends_on__gte=first, starts_on__lte=last).values_list(
        "place_id", "starts_on", "ends_on"
    )
    for place_id, starts_on, ends_on in closures:
        day = max(starts_on, first)
        while day <= min(ends_on, last):
            closed[place_id].add(day)
            day += timedelta(days=1)
    return closed


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# How a date-time column is read by `_free_slot_rows`, per database vendor (the column as is by default).
_MOMENT_SQL = {"postgresql": "(EXTRACT(EPOCH FROM s.{column}) * 1000000)::bigint"}


def _free_slot_rows(
    lower_bounds: list[tuple[list[int], datetime]], before: datetime, *, one_per_start: bool
) -> list[tuple]:
    """Free slots (no active holder) of the given places, each place from its lower bound, starting before `before`:
    (place_id, start) once per start when `one_per_start`, else (place_id, station, start, end) per slot; sorted
    by place (station) and start. Starts and ends are aware UTC date-times.

    Written in SQL, for two reasons measured on the search page and `availableTimeSlots`:
    - `NOT EXISTS (… OFFSET 0)` keeps PostgreSQL checking the holders row by row, one probe of their index per slot
      of the window. Without the OFFSET the planner turns it into an anti-join and, when the window has a few
      hundred slots and the holders' table is small enough to hash (tens of thousands of rows), reads and hashes
      every holder of every place: 8-10 ms per search on the small benchmark dataset against 0.5 ms row by row. A
      subquery with an OFFSET is never pulled up into a join, so the cost stays proportional to the window read.
    - PostgreSQL sends the times as integer microseconds since the epoch: Django's loader of `timestamptz` parses
      each value in Python (about 3 µs a row, the biggest cost of an answer listing hundreds of starts), while a
      start repeats across places and stations and is converted once per answer here. SQLite sends its text.
    """
    quote = connection.ops.quote_name
    slot, holder = quote(Slot._meta.db_table), quote(AppointmentSlot._meta.db_table)
    moment = _MOMENT_SQL.get(connection.vendor, "s.{column}")
    starts_at, ends_at = moment.format(column="starts_at"), moment.format(column="ends_at")
    params: list = []
    conditions = []
    for place_ids, lower in lower_bounds:
        conditions.append(f"(s.place_id IN ({', '.join(['%s'] * len(place_ids))}) AND s.starts_at >= %s)")
        params += [*place_ids, connection.ops.adapt_datetimefield_value(lower)]
    params.append(connection.ops.adapt_datetimefield_value(before))
    if one_per_start:
        select, order = f"SELECT DISTINCT s.place_id, {starts_at}", "1, 2"
    else:
        select, order = f"SELECT s.place_id, s.station, {starts_at}, {ends_at}", "1, 2, 3"
    sql = (
        f"{select} FROM {slot} s WHERE ({' OR '.join(conditions)}) AND s.starts_at < %s "  # noqa: S608 (names only)
        f"AND NOT EXISTS (SELECT 1 FROM {holder} h WHERE h.slot_id = s.id AND h.is_active LIMIT 1 OFFSET 0) "
        f"ORDER BY {order}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    moments: dict[int | str, datetime] = {}

    def aware(value: int | str) -> datetime:
        found = moments.get(value)
        if found is None:
            found = moments[value] = _EPOCH + timedelta(microseconds=value) if isinstance(value, int) else _aware(value)
        return found

    if one_per_start:
        return [(place_id, aware(start)) for place_id, start in rows]
    return [(place_id, station, aware(start), aware(end)) for place_id, station, start, end in rows]


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
    agendas: Mapping[int, AgendaSettings] | None = None,
) -> dict[int, list[datetime]]:
    """For each place, the sorted, unique start times in [start, end) where `files_count` consecutive base slots
    of one station are free, respecting the booking notice and the closures; the first `limit_per_place` only
    when it is given.

    One query reads the free slots of every place in the window (index on place, starts_at). With a limit, the
    first week is read first and the rest of the window only for the places still short of starts: a search
    page then reads a week of slots, not two months of them. The closures of the whole window are read once.
    `agendas` (the places' AgendaSettings by place id, e.g. from `equipped_agendas`) saves reading them again.
    """
    now = now or timezone.now()
    if agendas is None:
        settings_by_place = {
            s.place_id: s for s in AgendaSettings.objects.filter(place_id__in=list(place_ids), is_active=True)
        }
    else:
        wanted = set(place_ids)
        settings_by_place = {pk: agenda for pk, agenda in agendas.items() if pk in wanted and agenda.is_active}
    # A place that takes fewer files per booking has no start for this many.
    settings_by_place = {
        pk: agenda for pk, agenda in settings_by_place.items() if files_count <= agenda.max_files_per_booking
    }
    if not settings_by_place or files_count < 1 or max(start, now) >= end:
        return {}
    closed = _closed_days(list(settings_by_place), start.astimezone(PARIS).date(), end.astimezone(PARIS).date())
    if not limit_per_place or end - start <= FIRST_WINDOW:
        return _bookable_starts_in(settings_by_place, start, end, files_count, now, limit_per_place, closed)
    found = _bookable_starts_in(
        settings_by_place, start, start + FIRST_WINDOW, files_count, now, limit_per_place, closed
    )
    short = {pk: agenda for pk, agenda in settings_by_place.items() if len(found.get(pk, [])) < limit_per_place}
    if short:
        later = _bookable_starts_in(short, start + FIRST_WINDOW, end, files_count, now, limit_per_place, closed)
        for pk, starts in later.items():
            found[pk] = (found.get(pk, []) + starts)[:limit_per_place]
    return found


def _holidays_between(first_day: date, last_day: date) -> frozenset[date]:
    holidays: set[date] = set()
    for year in range(first_day.year, last_day.year + 1):
        holidays |= french_public_holidays(year)
    return frozenset(holidays)


def _paris_day_end(moment: datetime) -> tuple[date, datetime]:
    """The Paris calendar day of `moment`, and the next Paris midnight in `moment`'s time zone: the starts of one
    day then need one comparison each instead of a time-zone conversion each."""
    day = moment.astimezone(PARIS).date()
    return day, datetime.combine(day + timedelta(days=1), time.min, tzinfo=PARIS).astimezone(moment.tzinfo)


def _bookable_starts_in(
    settings_by_place: dict[int, AgendaSettings],
    start: datetime,
    end: datetime,
    files_count: int,
    now: datetime,
    limit_per_place: int | None,
    closed: dict[int, set[date]],
) -> dict[int, list[datetime]]:
    # The earliest start of each place (the window's start, the booking notice) bounds the query: places sharing a
    # notice share a condition, so there is usually one.
    places_by_notice: dict[int, list[int]] = defaultdict(list)
    for place_id, agenda in settings_by_place.items():
        places_by_notice[agenda.booking_notice_hours].append(place_id)
    lower_bounds = [
        (place_ids, max(start, now + timedelta(hours=hours))) for hours, place_ids in places_by_notice.items()
    ]
    holidays = _holidays_between(start.astimezone(PARIS).date(), end.astimezone(PARIS).date())
    if files_count == 1:
        # One free slot of any station makes a start: one row per (place, start), already sorted and unique.
        if limit_per_place and connection.vendor == "postgresql":
            return _first_open_starts(lower_bounds, end, holidays, closed, limit_per_place)
        rows = _free_slot_rows(lower_bounds, end, one_per_start=True)
        return _open_starts(rows, holidays, closed, limit_per_place)
    longest = max(s.minutes_per_file for s in settings_by_place.values()) * files_count
    rows_by_station = _free_slot_rows(lower_bounds, end + timedelta(minutes=longest), one_per_start=False)
    runs: dict[tuple[int, int], list[tuple[datetime, datetime]]] = defaultdict(list)
    for place_id, station, starts_at, ends_at in rows_by_station:
        runs[(place_id, station)].append((starts_at, ends_at))
    starts: dict[int, set[datetime]] = defaultdict(set)
    for (place_id, _station), slots in runs.items():
        for index in range(len(slots) - files_count + 1):
            first_start = slots[index][0]
            if first_start >= end:  # the query's lower bound already gave start, notice and now
                break
            window = slots[index : index + files_count]
            if any(window[i][1] != window[i + 1][0] for i in range(files_count - 1)):
                continue
            starts[place_id].add(first_start)
    candidates = ((place_id, moment) for place_id in sorted(starts) for moment in sorted(starts[place_id]))
    return _open_starts(candidates, holidays, closed, limit_per_place)


# How many free starts per place `_first_open_starts` reads at first: the starts shown, plus a margin for starts
# that fall on a closed day (a place whose first rows were all on closed days is read again in full).
FIRST_STARTS_MARGIN = 3


def _first_open_starts(
    lower_bounds: list[tuple[list[int], datetime]],
    before: datetime,
    holidays: frozenset[date],
    closed: dict[int, set[date]],
    limit_per_place: int,
) -> dict[int, list[datetime]]:
    """`_open_starts` of the first free starts of each place, reading only the first few free starts of each
    (PostgreSQL: one LATERAL subquery per place, walking the (place, starts_at) index and stopping after them).

    A search page shows a handful of starts per mairie: reading every free slot of the week of 20-30 mairies to
    keep 6 of each read ~5,000 slots and converted ~1,500 starts per search on the national dataset (8 ms of
    database time and as much in Python); this reads ~10 rows per mairie. Exact: a place whose capped read was
    cut short before `limit_per_place` open starts were found (closed days) is read again without the cap."""
    cap = limit_per_place * FIRST_STARTS_MARGIN
    quote = connection.ops.quote_name
    slot, holder = quote(Slot._meta.db_table), quote(AppointmentSlot._meta.db_table)
    moment = _MOMENT_SQL["postgresql"].replace("s.{column}", "x.starts_at")
    values, params = [], []
    lower_of: dict[int, datetime] = {}
    for place_ids, lower in lower_bounds:
        for place_id in place_ids:
            values.append("(%s::bigint, %s::timestamptz)")
            params += [place_id, connection.ops.adapt_datetimefield_value(lower)]
            lower_of[place_id] = lower
    params += [connection.ops.adapt_datetimefield_value(before), cap]
    sql = (
        # The subquery selects the indexed column alone, so that its DISTINCT and LIMIT follow the index order.
        f"SELECT p.place_id, {moment} FROM (VALUES {', '.join(values)}) AS p(place_id, lower_bound) "  # noqa: S608
        f"CROSS JOIN LATERAL (SELECT DISTINCT s.starts_at FROM {slot} s "
        "WHERE s.place_id = p.place_id AND s.starts_at >= p.lower_bound AND s.starts_at < %s "
        f"AND NOT EXISTS (SELECT 1 FROM {holder} h WHERE h.slot_id = s.id AND h.is_active LIMIT 1 OFFSET 0) "
        "ORDER BY s.starts_at LIMIT %s) x ORDER BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    moments: dict[int, datetime] = {}
    read: dict[int, int] = defaultdict(int)
    starts: list[tuple[int, datetime]] = []
    for place_id, value in rows:
        found = moments.get(value)
        if found is None:
            found = moments[value] = _EPOCH + timedelta(microseconds=value)
        starts.append((place_id, found))
        read[place_id] += 1
    result = _open_starts(starts, holidays, closed, limit_per_place)
    cut_short = [pk for pk, count in read.items() if count == cap and len(result.get(pk, [])) < limit_per_place]
    if cut_short:
        again = _free_slot_rows([([pk], lower_of[pk]) for pk in cut_short], before, one_per_start=True)
        result.update(_open_starts(again, holidays, closed, limit_per_place))
    return result


def _open_starts(
    rows: Iterable[tuple[int, datetime]],
    holidays: frozenset[date],
    closed: dict[int, set[date]],
    limit_per_place: int | None,
) -> dict[int, list[datetime]]:
    """The starts not on a public holiday nor on a closed day of their place, the first `limit_per_place` of each.

    `rows` are (place id, start), sorted by place then start, without duplicates."""
    result: dict[int, list[datetime]] = {}
    current_place: int | None = None
    found: list[datetime] = []
    closed_days: set[date] = set()
    day_end: datetime | None = None
    day_open = False
    full = False
    for place_id, moment in rows:
        if place_id != current_place:
            current_place, found, day_end, full = place_id, [], None, False
            closed_days = closed.get(place_id, set())
        if full:
            continue
        if day_end is None or moment >= day_end:
            day, day_end = _paris_day_end(moment)
            day_open = day not in holidays and day not in closed_days
        if day_open:
            if not found:
                result[place_id] = found
            found.append(moment)
            full = bool(limit_per_place) and len(found) >= limit_per_place  # type: ignore[operator]
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
            own.append(ReportedAppointment(application_id, text_a, text_b, place_id, _aware(moment)))
        else:
            external.append(ExternalAppointmentRow(application_id, text_a, text_b, point_id, date_text, comment))
    return own, external


def _aware(value: datetime | str) -> datetime:
    """A date-time column read without the ORM: PostgreSQL gives it aware, SQLite as text in UTC."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        assert parsed is not None
        value = parsed
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


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
