from datetime import date, datetime, time, timedelta

import pytest

from guichet.appointments.models import AgendaSettings
from guichet.appointments.services import slots_generate
from guichet.territory.models import Place, PlaceKind
from guichet.territory.opening_hours import PARIS, french_public_holidays
from guichet.testing.personas import ensure_test_territory

NUMBER = "A2B3C4D5E6"
OTHER_NUMBER = "Z9Y8X7W6V5"


def next_working_day(after: date, *, skip: int = 2) -> date:
    """A weekday, not a public holiday, at least `skip` days after `after`."""
    day = after + timedelta(days=skip)
    while day.weekday() >= 5 or day in french_public_holidays(day.year, department_code="35"):
        day += timedelta(days=1)
    return day


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


@pytest.fixture
def mairie(db) -> Place:
    department = ensure_test_territory()
    return Place.objects.create(
        kind=PlaceKind.MAIRIE,
        name="Mairie de Cesson-Sévigné",
        department=department,
        commune_code="35051",
        city="Cesson-Sévigné",
        postal_code="35510",
        address="1 esplanade de l'Hôtel de Ville",
        latitude=48.1214,
        longitude=-1.6031,
        opening_hours="Mo-Fr 09:00-12:00",
        collection_stations=2,
    )


@pytest.fixture
def agenda(mairie) -> AgendaSettings:
    agenda = AgendaSettings.objects.create(place=mairie, minutes_per_file=15, max_files_per_booking=3, weeks_ahead=2)
    slots_generate(place=mairie)
    return agenda


@pytest.fixture
def booking_day() -> date:
    return next_working_day(datetime.now(PARIS).date())
