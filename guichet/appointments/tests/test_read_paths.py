"""The read paths of the search page and of the slot finder's API: what they find, and how many queries it takes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.appointments import selectors
from guichet.appointments.models import AgendaSettings, Closure
from guichet.appointments.services import appointment_book, slots_generate
from guichet.territory.models import Place, PlaceKind

from .conftest import NUMBER, OTHER_NUMBER, at


@pytest.fixture
def second_mairie(mairie) -> Place:
    """A one-station mairie 2 km away, with a longer booking notice than the first one."""
    place = Place.objects.create(
        kind=PlaceKind.MAIRIE,
        name="Mairie de Thorigné-Fouillard",
        department=mairie.department,
        commune_code="35334",
        city="Thorigné-Fouillard",
        postal_code="35235",
        latitude=48.1590,
        longitude=-1.5790,
        opening_hours="Mo-Fr 09:00-12:00",
        collection_stations=1,
    )
    AgendaSettings.objects.create(place=place, weeks_ahead=2, booking_notice_hours=72)
    slots_generate(place=place)
    return place


def _window():
    now = timezone.now()
    return {"start": now, "end": now + timedelta(weeks=2), "now": now}


def test_one_file_starts_are_unique_across_stations_and_respect_each_places_notice(agenda, mairie, second_mairie):
    window = _window()
    found = selectors.bookable_starts(place_ids=[mairie.pk, second_mairie.pk], **window)
    for place, hours in ((mairie, agenda.booking_notice_hours), (second_mairie, 72)):
        starts = found[place.pk]
        assert starts == sorted(set(starts))  # two stations, one start each time
        assert starts[0] >= window["now"] + timedelta(hours=hours)
    # The other place's notice does not leak: the first mairie opens earlier than 72 hours ahead.
    assert found[mairie.pk][0] < window["now"] + timedelta(hours=72)


def test_closed_days_are_left_out_for_their_place_only(agenda, mairie, second_mairie, booking_day):
    # A closure row alone (closure_create also removes the free slots of those days): the filter is what hides them.
    Closure.objects.create(place=mairie, starts_on=booking_day, ends_on=booking_day, reason="Inventaire")
    start, end = at(booking_day, 0), at(booking_day, 23)
    found = selectors.bookable_starts(
        place_ids=[mairie.pk, second_mairie.pk], start=start, end=end, now=start - timedelta(days=5)
    )
    assert mairie.pk not in found
    assert found[second_mairie.pk][0] == at(booking_day, 9)


def test_bookable_starts_read_closures_and_free_slots_only_when_given_the_agendas(
    agenda, mairie, second_mairie, django_assert_num_queries
):
    agendas = selectors.equipped_agendas(place_ids=[mairie.pk, second_mairie.pk])
    with django_assert_num_queries(2):  # closures, free slots
        given = selectors.bookable_starts(place_ids=list(agendas), agendas=agendas, **_window())
    with django_assert_num_queries(3):  # and the agenda settings
        assert selectors.bookable_starts(place_ids=list(agendas), **_window()) == given
    with django_assert_num_queries(2):  # several files: the same two reads
        selectors.bookable_starts(place_ids=list(agendas), agendas=agendas, files_count=2, **_window())


def test_equipped_agendas_are_those_of_equipped_mairies_by_name(
    agenda, mairie, second_mairie, django_assert_num_queries
):
    closed_agenda = Place.objects.create(
        kind=PlaceKind.MAIRIE, name="Mairie fermée", department=mairie.department, collection_stations=1
    )
    AgendaSettings.objects.create(place=closed_agenda, is_active=False)
    no_station = Place.objects.create(
        kind=PlaceKind.MAIRIE, name="Mairie sans station", department=mairie.department, collection_stations=0
    )
    AgendaSettings.objects.create(place=no_station)
    ids = [second_mairie.pk, closed_agenda.pk, no_station.pk, mairie.pk, 999999]
    with django_assert_num_queries(1):
        agendas = selectors.equipped_agendas(place_ids=ids)
    assert list(agendas) == list(selectors.equipped_places().filter(pk__in=ids).values_list("pk", flat=True))
    assert list(agendas) == [mairie.pk, second_mairie.pk]  # Cesson-Sévigné, Thorigné-Fouillard
    assert agendas[second_mairie.pk].booking_notice_hours == 72


@pytest.mark.parametrize("radius_km", [1, 5, 50])
def test_places_around_are_the_local_ones_and_the_nearby_ones_in_one_query(
    agenda, mairie, second_mairie, radius_km, django_assert_num_queries
):
    centre = (48.1214, -1.6031)  # Cesson-Sévigné
    with django_assert_num_queries(1):
        around = selectors.equipped_places_around(commune_code="35051", centre=centre, radius_km=radius_km, limit=30)
    expected_near = selectors.equipped_places_near(
        latitude=centre[0], longitude=centre[1], radius_km=radius_km, limit=30
    )
    assert [(n.place.pk, n.distance_km) for n in around.nearby] == [(n.place.pk, n.distance_km) for n in expected_near]
    assert around.local == list(selectors.equipped_places_of_communes(commune_codes=["35051"]))
    by_code = selectors.equipped_places_around(postal_code="35235")
    assert by_code.local == [second_mairie] and by_code.nearby == []
    assert set(around.agendas) == {place.pk for place in around.local} | {n.place.pk for n in around.nearby}
    with django_assert_num_queries(0):
        assert around.agendas[mairie.pk].max_files_per_booking == agenda.max_files_per_booking


def test_nothing_asked_reads_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.equipped_places_around(commune_code=None, centre=None) == selectors.PlacesAround([], [], {})


@pytest.mark.postgres_only
def test_free_slots_are_checked_row_by_row_on_postgresql(agenda, mairie):
    """The holders' table is probed per slot of the window (a subplan on its index), never hashed whole."""
    if connection.vendor != "postgresql":
        pytest.skip("query plans are PostgreSQL's (set DATABASE_URL)")
    selectors.bookable_starts(place_ids=[mairie.pk], **_window())  # warm up
    with CaptureQueriesContext(connection) as captured:
        selectors.bookable_starts(place_ids=[mairie.pk], **_window())
    (sql,) = [query["sql"] for query in captured.captured_queries if "appointments_appointmentslot" in query["sql"]]
    assert "OFFSET 0" in sql
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "SubPlan" in plan and "Anti Join" not in plan, plan


def test_a_slot_booked_on_every_station_is_not_offered(agenda, mairie, booking_day):
    for number in (NUMBER, OTHER_NUMBER):  # two stations
        appointment_book(place=mairie, starts_at=at(booking_day, 10), application_id=number, actor=None)
    starts = selectors.bookable_starts(place_ids=[mairie.pk], start=at(booking_day, 0), end=at(booking_day, 23))
    assert at(booking_day, 10) not in starts[mairie.pk]
    assert at(booking_day, 9, 45) in starts[mairie.pk] and at(booking_day, 10, 15) in starts[mairie.pk]


def test_reported_appointments_are_those_of_the_two_querysets_in_their_order(agenda, mairie, booking_day):
    from guichet.appointments.models import AppointmentStatus, ExternalAppointment
    from guichet.appointments.services import appointment_cancel

    later = appointment_book(place=mairie, starts_at=at(booking_day, 11), application_id=NUMBER, actor=None)
    sooner = appointment_book(
        place=mairie, starts_at=at(booking_day, 9), application_id=NUMBER, actor=None, confirm_second=True
    )
    cancelled = appointment_book(place=mairie, starts_at=at(booking_day, 10), application_id=OTHER_NUMBER, actor=None)
    appointment_cancel(appointment=cancelled, actor=None)
    attended = appointment_book(
        place=mairie, starts_at=at(booking_day, 10), application_id=OTHER_NUMBER, actor=None, confirm_second=True
    )
    attended.status, attended.attendance_recorded_at = AppointmentStatus.ATTENDED, timezone.now()
    attended.save(update_fields=["status", "attendance_recorded_at"])
    for hour, comment in ((15, None), (14, "rappel")):
        ExternalAppointment.objects.create(
            application_id=NUMBER,
            meeting_point="Mairie d'ailleurs",
            meeting_point_id="M-1",
            appointment_date=f"2030-01-01 {hour}:00:00",
            appointment_at=at(booking_day, hour),
            management_url=f"https://ailleurs.example/{hour}",
            editor_comment=comment,
            editor_name="Ailleurs",
        )
    numbers = [NUMBER.lower(), OTHER_NUMBER, "Q2W3E4R5T6"]
    own, external = selectors.reported_appointments_of_numbers(numbers=numbers)
    assert [(row.application_id, row.reference, row.place_name, row.place_id, row.starts_at) for row in own] == [
        (a.application_id, a.reference, a.place.name, a.place_id, a.starts_at)
        for a in selectors.appointments_of_numbers(numbers=numbers)
    ]
    assert [row.reference for row in own] == [sooner.reference, attended.reference, later.reference]
    assert all(row.starts_at.tzinfo is not None for row in own)
    assert [tuple(row) for row in external] == list(
        selectors.external_appointments_of_numbers(numbers=numbers).values_list(
            "application_id",
            "management_url",
            "meeting_point",
            "meeting_point_id",
            "appointment_date",
            "editor_comment",
        )
    )
    assert [row.editor_comment for row in external] == ["rappel", None]
    assert selectors.reported_appointments_of_numbers(numbers=[]) == ([], [])
