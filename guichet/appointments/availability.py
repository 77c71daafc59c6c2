"""When a mairie can be booked: the free starts of its agenda, from its slots, holders, booking notice, closures
and public holidays. `bookable_starts` serves the citizen's search page, the slot-finder API
(`availableTimeSlots`), the agenda pages and the suggestions offered when a slot was just taken; the app's
selectors module re-exports it with the other read queries.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from guichet.territory.models import Place
from guichet.territory.opening_hours import PARIS, french_public_holidays

from .models import AgendaSettings, AppointmentSlot, Closure, Slot


def aware_utc(value: datetime | str) -> datetime:
    """A date-time column read without the ORM: PostgreSQL gives it aware, SQLite as text in UTC."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        assert parsed is not None
        value = parsed
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


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
_MOMENT_SQL = {"postgresql": "(EXTRACT(EPOCH FROM {column}) * 1000000)::bigint"}


def _free_slots_sql() -> tuple[str, str]:
    """The slots table (aliased `s` by the caller) and the condition that slot `s` has no active holder.

    `NOT EXISTS (… OFFSET 0)` keeps PostgreSQL checking the holders row by row, one probe of their index per slot
    read. Without the OFFSET the planner turns it into an anti-join and, when the window has a few hundred slots
    and the holders' table is small enough to hash (tens of thousands of rows), reads and hashes every holder of
    every place: 8-10 ms per search on the small benchmark dataset against 0.5 ms row by row. A subquery with an
    OFFSET is never pulled up into a join, so the cost stays proportional to the slots read."""
    quote = connection.ops.quote_name
    slot, holder = quote(Slot._meta.db_table), quote(AppointmentSlot._meta.db_table)
    # Only the model's own table name is formatted in.
    not_held = f"NOT EXISTS (SELECT 1 FROM {holder} h WHERE h.slot_id = s.id AND h.is_active LIMIT 1 OFFSET 0)"  # noqa: S608
    return slot, not_held


class _Moments:
    """Date-times read by `_MOMENT_SQL`, converted once per distinct value of an answer: PostgreSQL sends integer
    microseconds since the epoch (Django's loader of `timestamptz` parses each value in Python, about 3 µs a row,
    while a start repeats across places and stations), SQLite its text in UTC."""

    def __init__(self) -> None:
        self._seen: dict[int | str, datetime] = {}

    def __call__(self, value: int | str) -> datetime:
        found = self._seen.get(value)
        if found is None:
            found = self._seen[value] = (
                _EPOCH + timedelta(microseconds=value) if isinstance(value, int) else aware_utc(value)
            )
        return found


def _free_slot_rows(
    lower_bounds: list[tuple[list[int], datetime]], before: datetime, *, one_per_start: bool
) -> list[tuple]:
    """Free slots (no active holder) of the given places, each place from its lower bound, starting before `before`:
    (place_id, start) once per start when `one_per_start`, else (place_id, station, start, end) per slot; sorted
    by place (station) and start. Starts and ends are aware UTC date-times.

    Written in SQL, for the two reasons measured on the search page and `availableTimeSlots` that
    `_free_slots_sql` and `_Moments` give.
    """
    slot, not_held = _free_slots_sql()
    moment = _MOMENT_SQL.get(connection.vendor, "{column}")
    starts_at, ends_at = moment.format(column="s.starts_at"), moment.format(column="s.ends_at")
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
        f"{select} FROM {slot} s WHERE ({' OR '.join(conditions)}) AND s.starts_at < %s AND {not_held} ORDER BY {order}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    aware = _Moments()
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
    slot, not_held = _free_slots_sql()
    moment = _MOMENT_SQL["postgresql"].format(column="x.starts_at")
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
        f"AND {not_held} ORDER BY s.starts_at LIMIT %s) x ORDER BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    aware = _Moments()
    starts = [(place_id, aware(value)) for place_id, value in rows]
    read = Counter(place_id for place_id, _value in rows)
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
