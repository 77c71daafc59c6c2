"""Préfecture admins manage the places of their own département; changes are journaled."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.audit.models import AuditEntry
from guichet.territory.mediation_schema import FIELDS
from guichet.territory.models import Place, PlaceKind
from guichet.territory.tests.conftest import imported_territory, territory_folder  # noqa: F401 (fixtures)


@pytest.fixture
def admin_client(imported_territory, personas, verified_client):  # noqa: F811
    return verified_client(personas["prefecture_admin"])


@pytest.fixture
def foreign_place(imported_territory):  # noqa: F811
    return Place.objects.create(
        kind=PlaceKind.MAIRIE, name="Mairie d'Ajaccio", department_id="2A", commune_code="2A004"
    )


def _form(**values) -> dict:
    data = {
        "kind": PlaceKind.ESPACE_NUMERIQUE,
        "name": "Espace numérique de Cesson",
        "department": "35",
        "commune_code": "35051",
        "address": "1 place de l'Église",
        "postal_code": "35510",
        "city": "Cesson-Sévigné",
        "latitude": "48.12",
        "longitude": "-1.60",
        "opening_hours": "Tu-Sa 10:00-18:00",
        "collection_stations": "0",
        "mediator_present": "on",
        "services": ["Aide aux démarches administratives"],
        "is_active": "on",
    }
    data.update(values)
    return data


def test_list_shows_only_the_places_of_the_admins_department(admin_client, foreign_place):
    page = admin_client.get(reverse("prefecture:places")).content.decode()
    assert "Mairie de Rennes" in page  # the mairie persona's place, in 35
    assert "Ajaccio" not in page


def test_creating_a_place_is_validated_saved_and_journaled(admin_client):
    response = admin_client.post(reverse("prefecture:place_create"), _form())

    assert response.status_code == 302
    place = Place.objects.get(name="Espace numérique de Cesson")
    assert (place.department_id, place.services, place.mediator_present) == (
        "35",
        ["Aide aux démarches administratives"],
        True,
    )
    entry = AuditEntry.objects.filter(action="place_created").get()
    assert entry.object_id == str(place.pk) and entry.data["department"] == "35"


@pytest.mark.parametrize(
    ("values", "field_message"),
    [
        ({"opening_hours": "Lundi 9h-12h"}, "Règle 1"),
        ({"commune_code": "2A004"}, "Cette commune n&#x27;appartient pas au département choisi."),
        ({"commune_code": "35999"}, "Aucune commune ne porte ce code INSEE"),
        ({"latitude": "123"}, "inférieure ou égale à 90"),
        ({"department": "2A"}, "Sélectionnez un choix valide"),
        ({"collection_stations": "2"}, "Seules les mairies peuvent avoir des dispositifs de recueil."),
        ({"services": ["Cours de cuisine"]}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_place_inputs_are_refused_with_a_french_message(admin_client, values, field_message):
    response = admin_client.post(reverse("prefecture:place_create"), _form(**values))

    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert not Place.objects.filter(name="Espace numérique de Cesson").exists()


def test_editing_a_place_journals_the_changed_fields(admin_client, personas):
    place = Place.objects.get(name="Mairie de Rennes")
    data = _form(
        kind=PlaceKind.MAIRIE, name="Mairie de Rennes", commune_code="35238", collection_stations="5", services=[]
    )

    response = admin_client.post(reverse("prefecture:place_edit", kwargs={"place_id": place.pk}), data)

    assert response.status_code == 302
    place.refresh_from_db()
    assert place.collection_stations == 5
    entry = AuditEntry.objects.filter(action="place_updated").get()
    assert "collection_stations" in entry.data["fields"] and "kind" not in entry.data["fields"]


def test_places_of_another_department_answer_404(admin_client, foreign_place):
    url = reverse("prefecture:place_edit", kwargs={"place_id": foreign_place.pk})
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, _form(department="2A", commune_code="2A004")).status_code == 404
    foreign_place.refresh_from_db()
    assert foreign_place.name == "Mairie d'Ajaccio"


def test_uploading_a_file_shows_the_report_on_screen(admin_client):
    header = ",".join(FIELDS)
    good = ["lieu-1", "Espace de Cesson", "21350051000019", "Cesson-Sévigné", "35510", "35051", "1 place"]
    bad = ["lieu-2", "Espace d'Ajaccio", "21350051000019", "Ajaccio", "20000", "2A004", "1 cours"]
    pad = [""] * (len(FIELDS) - len(good))
    date_index = FIELDS.index("date_maj")
    rows = []
    for values in (good, bad):
        row = values + pad
        row[date_index] = "2026-01-01"
        rows.append(",".join(row))
    content = ("\n".join([header, *rows]) + "\n").encode("utf-8")

    response = admin_client.post(
        reverse("prefecture:places_import"),
        {"department": "35", "file": SimpleUploadedFile("lieux.csv", content, content_type="text/csv")},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 lieu(x) créé(s), 0 mis à jour, 1 ligne(s) rejetée(s)." in page
    assert "<td>3</td><td>code_insee</td><td>2A004</td>" in page
    assert Place.objects.filter(schema_id="lieu-1", department_id="35").exists()
    assert not Place.objects.filter(schema_id="lieu-2").exists()


def test_uploading_a_file_of_another_type_is_refused(admin_client):
    response = admin_client.post(
        reverse("prefecture:places_import"),
        {"department": "35", "file": SimpleUploadedFile("lieux.xlsx", b"PK\x03\x04", content_type="application/zip")},
    )
    assert response.status_code == 200
    assert "Seuls les fichiers .csv et .json sont acceptés." in response.content.decode()
