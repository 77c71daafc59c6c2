"""Import and export in the national mediation-places schema (INTEROP.md §4)."""
# mypy: disable-error-code="union-attr, arg-type"

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from guichet.audit.models import AuditEntry
from guichet.audit.services import Actor
from guichet.territory.directory import places_for_export
from guichet.territory.mediation_schema import (
    FIELDS,
    export_records,
    places_import,
    record_problems,
    records_to_csv,
    records_to_json,
)
from guichet.territory.models import Department, Place, PlaceKind
from guichet.territory.vocabularies import SERVICES

ACTOR = Actor(user_id=None, role="system", organisation="tests")
HEADER = ",".join(FIELDS)


def _place(**values) -> Place:
    defaults = {
        "kind": PlaceKind.POINT_NUMERIQUE,
        "name": "Point numérique de la préfecture",
        "department_id": "35",
        "commune_code": "35238",
        "address": "3 avenue de la Préfecture",
        "postal_code": "35000",
        "city": "Rennes",
        "siret": "17350001800019",
        "opening_hours": "Mo-Fr 09:00-12:00,14:00-16:30",
    }
    defaults.update(values)
    place = Place(**defaults)
    place.full_clean()
    place.save()
    return place


@pytest.fixture
def places(imported_territory):
    return [
        _place(
            latitude=48.1114,
            longitude=-1.6803,
            services=[SERVICES[0], SERVICES[2]],
            access_modes=["Se présenter", "Téléphoner"],
            support_modes=["Accompagnement individuel"],
            fees=["Gratuit"],
            national_programmes=["Conseillers numériques", "Programme local"],
            email="pn@example.fr",
            other_emails=["mediation@example.fr"],
            website="https://www.example.fr/pn",
            mediator_present=True,
        ),
        _place(
            kind=PlaceKind.ESPACE_NUMERIQUE,
            name="Espace numérique, Saint-Malo",
            commune_code="35288",
            postal_code="35400",
            city="Saint-Malo",
            address="1 rue de la Mer",
            pivot="W353001234",
            siret="",
            typologies=["ASSO", "CODE_LOCAL"],
            audiences=["Seniors"],
            specific_support=["Surdité"],
            data_updated_on=date(2026, 3, 1),
            source="Partenaire",
        ),
        _place(
            kind=PlaceKind.MAIRIE,
            name="Mairie d'Ajaccio",
            department_id="2A",
            commune_code="2A004",
            postal_code="20000",
            city="Ajaccio",
            address="Avenue Antoine Serafini",
            collection_stations=3,
        ),
        _place(kind=PlaceKind.DRIVING_SCHOOL, name="Auto-école (non exportée)", address="2 rue X"),
    ]


def _csv(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-8")


def _row(**values: str) -> str:
    base = {
        "id": "lieu-1",
        "nom": "Espace numérique de Cesson",
        "pivot": "21350051000019",
        "commune": "Cesson-Sévigné",
        "code_postal": "35510",
        "code_insee": "35051",
        "adresse": "1 place de l'Église",
        "date_maj": "2026-02-01",
        "horaires": "Tu-Sa 10:00-18:00",
        "services": "Aide aux démarches administratives",
        "typologie": "EPN",
    }
    base.update(values)
    stream = io.StringIO()
    csv.writer(stream, lineterminator="").writerow([base.get(name, "") for name in FIELDS])
    return stream.getvalue()


def test_export_has_the_schema_fields_joins_lists_with_pipes_and_uses_only_the_vocabularies(places):
    records = export_records(places_for_export())

    assert {record["nom"] for record in records} == {
        place.name for place in places if place.kind != PlaceKind.DRIVING_SCHOOL
    }
    assert [record["id"] for record in records] == sorted(record["id"] for record in records)
    assert all(record_problems(record) == [] for record in records)
    point = next(record for record in records if record["nom"] == "Point numérique de la préfecture")
    assert list(point) == list(FIELDS)
    assert point["services"] == "Aide aux démarches administratives|Accès internet et matériel informatique"
    assert point["courriels"] == "pn@example.fr|mediation@example.fr"
    assert point["typologie"] == "PREF"  # derived from the kind when none is stored
    assert point["pivot"] == "17350001800019"
    assert point["latitude"] == "48.1114"
    espace = next(record for record in records if record["nom"].startswith("Espace"))
    assert espace["typologie"] == "ASSO|CODE_LOCAL"
    assert espace["date_maj"] == "2026-03-01"
    assert espace["pivot"] == "W353001234"
    text = records_to_csv(records)
    assert text.splitlines()[0] == HEADER
    assert {row["id"] for row in csv.DictReader(io.StringIO(text))} == {record["id"] for record in records}


def test_export_filters_by_department(places):
    assert {record["code_insee"] for record in export_records(places_for_export(department_code="2A"))} == {"2A004"}


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_then_import_round_trips_identically(places, file_format):
    render = records_to_csv if file_format == "csv" else records_to_json
    first = render(export_records(places_for_export()))
    Place.objects.filter(kind__in=[PlaceKind.POINT_NUMERIQUE, PlaceKind.ESPACE_NUMERIQUE, PlaceKind.MAIRIE]).delete()

    report = places_import(content=first.encode("utf-8"), file_format=file_format, actor=ACTOR)

    assert report.issues == []
    assert report.created == 3
    assert render(export_records(places_for_export())) == first


def test_importing_our_own_export_again_updates_the_same_places(places):
    exported = records_to_csv(export_records(places_for_export())).encode("utf-8")
    count = Place.objects.count()

    report = places_import(content=exported, file_format="csv", actor=ACTOR)

    assert (report.created, report.updated, report.issues) == (0, 3, [])
    assert Place.objects.count() == count


def test_import_reports_each_rejected_value_by_line_and_imports_the_rest(imported_territory):
    content = _csv(
        _row(id="ok"),  # line 2
        _row(id="vocab", services="Aide aux démarches administratives|Cours de cuisine", typologie="EPN|NOUVEAU"),
        _row(id="insee", code_insee="35999"),  # line 4
        _row(id="coords", latitude="123.4", longitude="-1.6"),  # line 5
        _row(id="hours", horaires="Lundi 9h-12h"),  # line 6
        _row(id="missing", nom=""),  # line 7
        _row(id="ok"),  # line 8: duplicate of line 2
        _row(id="fees", frais_a_charge="Parfois"),  # line 9
    )
    broken = _csv(_row(id="ok")) + _row(id="latin1", nom="Mairie de Pléchâtel").encode("latin-1") + b"\r\n"

    report = places_import(content=content, file_format="csv", actor=ACTOR)
    found = {(issue.line, issue.field, issue.value, issue.line_rejected) for issue in report.issues}

    assert (3, "services", "Cours de cuisine", False) in found
    assert (4, "code_insee", "35999", True) in found
    assert (5, "latitude|longitude", "123.4|-1.6", False) in found
    assert (6, "horaires", "Lundi 9h-12h", False) in found
    assert (7, "nom", "", True) in found
    assert (8, "id", "ok", True) in found
    assert (9, "frais_a_charge", "Parfois", False) in found
    assert report.rejected_lines == 3
    assert report.created == 5
    assert sorted(Place.objects.values_list("schema_id", flat=True)) == ["coords", "fees", "hours", "ok", "vocab"]
    vocab = Place.objects.get(schema_id="vocab")
    assert vocab.services == ["Aide aux démarches administratives"]
    assert vocab.typologies == ["EPN", "NOUVEAU"]  # unknown typologie codes are kept as text
    assert Place.objects.get(schema_id="coords").latitude is None
    assert Place.objects.get(schema_id="hours").opening_hours == ""
    assert all(issue.reason for issue in report.issues)
    duplicate = next(issue for issue in report.issues if issue.line == 8)
    assert "ligne 2" in duplicate.reason

    encoding_report = places_import(content=broken, file_format="csv", actor=ACTOR)
    assert [(issue.line, issue.line_rejected) for issue in encoding_report.issues] == [(3, True)]
    assert "Encodage" in encoding_report.issues[0].reason
    assert encoding_report.updated == 1


def test_import_refuses_missing_required_columns_and_reports_unknown_ones(imported_territory):
    content = b"id,nom,colonne_maison\r\nx,Lieu,1\r\n"

    report = places_import(content=content, file_format="csv", actor=ACTOR)

    assert report.imported == 0
    assert any(issue.field == "colonne_maison" and not issue.line_rejected for issue in report.issues)
    assert any("pivot" in issue.field and issue.line_rejected for issue in report.issues)


def test_import_limited_to_a_department_rejects_places_of_another(imported_territory):
    content = _csv(_row(id="rennes"), _row(id="ajaccio", code_insee="2A004", code_postal="20000", commune="Ajaccio"))

    report = places_import(
        content=content, file_format="csv", actor=ACTOR, department=Department.objects.get(code="35")
    )

    assert report.created == 1
    assert [(issue.line, issue.field) for issue in report.issues] == [(3, "code_insee")]
    assert not Place.objects.filter(schema_id="ajaccio").exists()


def test_json_import_accepts_lists_and_numbers_and_reports_bad_records(imported_territory):
    content = json.dumps(
        [
            {
                "id": "j1",
                "nom": "France Services de Saint-Malo",
                "pivot": "21350288000015",
                "commune": "Saint-Malo",
                "code_postal": "35400",
                "code_insee": "35288",
                "adresse": "2 rue du Port",
                "date_maj": "2026-01-15",
                "latitude": 48.649,
                "longitude": -2.007,
                "typologie": ["RFS", "MUNI"],
                "modalites_accompagnement": ["Accompagnement individuel", "Par pigeon voyageur"],
            },
            "pas un objet",
            {"id": "j3", "nom": "Sans adresse"},
        ]
    ).encode("utf-8")

    report = places_import(content=content, file_format="json", actor=ACTOR)

    place = Place.objects.get(schema_id="j1")
    assert (place.latitude, place.typologies, place.support_modes) == (
        48.649,
        ["RFS", "MUNI"],
        ["Accompagnement individuel"],
    )
    assert place.kind == PlaceKind.ESPACE_NUMERIQUE and place.mediator_present
    assert (1, "modalites_accompagnement", "Par pigeon voyageur") in {(i.line, i.field, i.value) for i in report.issues}
    assert {issue.line for issue in report.issues if issue.line_rejected} == {2, 3}
    assert report.rejected_lines == 2


def test_unreadable_json_is_reported_not_raised(imported_territory):
    report = places_import(content=b"[{", file_format="json", actor=ACTOR)
    assert report.imported == 0 and report.issues and report.issues[0].line_rejected


def test_each_imported_place_and_the_run_are_journaled(imported_territory):
    before = AuditEntry.objects.count()
    places_import(content=_csv(_row(id="a"), _row(id="b")), file_format="csv", actor=ACTOR)
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True)[before:])
    assert actions == ["place_imported", "place_imported", "places_import"]


def test_management_commands_export_and_import(places, tmp_path):
    target = tmp_path / "lieux.json"
    call_command(
        "places_export", "--format", "json", "--departement", "35", "--output", str(target), stdout=io.StringIO()
    )
    records = json.loads(target.read_text(encoding="utf-8"))
    assert {record["code_insee"][:2] for record in records} == {"35"}

    Place.objects.filter(kind=PlaceKind.POINT_NUMERIQUE).delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("places_import", str(target), "--departement", "35", stdout=out, stderr=err)
    assert "1 lieu(x) créé(s), 1 mis à jour" in out.getvalue()
    assert err.getvalue() == ""


def test_a_csv_saved_with_semicolons_by_a_spreadsheet_is_read_too(imported_territory):
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(FIELDS)
    for values in (next(csv.reader([_row(id="a")])), next(csv.reader([_row(id="b", nom="Espace, avec virgule")]))):
        writer.writerow(values)

    report = places_import(content=stream.getvalue().encode("utf-8"), file_format="csv", actor=ACTOR)

    assert (report.created, report.issues) == (2, [])
    assert Place.objects.get(schema_id="b").name == "Espace, avec virgule"
