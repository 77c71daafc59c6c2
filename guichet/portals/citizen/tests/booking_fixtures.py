"""Fixtures for the booking pages: communes, two equipped mairies with open agendas, validated pré-demandes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.appointments.models import AgendaSettings
from guichet.appointments.selectors import bookable_starts
from guichet.appointments.services import slots_generate
from guichet.procedures.identity_documents.models import CoordinationStatus, PreDemande
from guichet.territory.models import Commune, Place, PlaceKind, PostalCode
from guichet.testing.personas import ensure_place, ensure_test_territory


@pytest.fixture
def mairies(db):
    department = ensure_test_territory()
    for code, name, latitude, longitude, postal in (
        ("35238", "Rennes", 48.1113, -1.6800, "35000"),
        ("35051", "Cesson-Sévigné", 48.1214, -1.6031, "35510"),
        ("35288", "Saint-Malo", 48.6493, -2.0257, "35400"),
    ):
        Commune.objects.create(
            code=code,
            name=name,
            department=department,
            region=department.region,
            latitude=latitude,
            longitude=longitude,
            population=1000,
        )
        PostalCode.objects.create(code=postal, commune_code=code)
    rennes = ensure_place(PlaceKind.MAIRIE, department)
    cesson = Place.objects.create(
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
        collection_stations=1,
    )
    for place in (rennes, cesson):
        AgendaSettings.objects.create(place=place, weeks_ahead=2)
        slots_generate(place=place)
    return {"rennes": rennes, "cesson": cesson}


def first_start(place, files: int = 1):
    now = timezone.now()
    return bookable_starts(place_ids=[place.pk], start=now, end=now + timedelta(days=14), files_count=files)[place.pk][
        0
    ]


@pytest.fixture
def make_predemande(db):
    def make(owner, status=CoordinationStatus.VALIDATED, mobile=""):
        values = {}
        if status in (CoordinationStatus.VALIDATED, CoordinationStatus.CONSUMED):
            values = {"validated_at": timezone.now(), "valid_until": timezone.localdate() + timedelta(days=100)}
        if status == CoordinationStatus.CONSUMED:
            values["consumed_at"] = timezone.now()
        return PreDemande.objects.create(
            applicant=owner, created_by=owner, status=status, mobile_phone=mobile, **values
        )

    return make
