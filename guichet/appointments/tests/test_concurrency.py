"""Several people book the last free slot at the same instant: exactly one wins (PostgreSQL only)."""

import threading

import pytest
from django.db import connection, connections

from guichet.appointments.errors import SlotTaken
from guichet.appointments.models import AgendaSettings, Appointment
from guichet.appointments.services import appointment_book, slots_generate

from .conftest import at

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_parallel_bookings_of_the_last_slot_exactly_one_wins(mairie, booking_day):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL")
    mairie.collection_stations = 1
    mairie.opening_hours = "Mo-Fr 09:00-09:15"
    mairie.save()
    AgendaSettings.objects.create(place=mairie, minutes_per_file=15, weeks_ahead=2)
    slots_generate(place=mairie)
    numbers = ["A2B3C4D5E6", "B2C3D4E5F6", "C2D3E4F5G6", "D2E3F4G5H6", "E2F3G4H5J6"]
    barrier = threading.Barrier(len(numbers))
    results: list[object] = []
    lock = threading.Lock()

    def attempt(number: str) -> None:
        try:
            barrier.wait(timeout=10)
            outcome: object = appointment_book(
                place=mairie, starts_at=at(booking_day, 9), application_id=number, actor=None
            )
        except Exception as error:
            outcome = error
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=(number,)) for number in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [r for r in results if isinstance(r, Appointment)]
    losers = [r for r in results if isinstance(r, SlotTaken)]
    assert len(winners) == 1, results
    assert len(losers) == len(numbers) - 1, results
    assert Appointment.objects.filter(status="booked").count() == 1
