# mypy: disable-error-code="union-attr, arg-type, operator, type-var, misc"
# (nullable model fields: these tests read rows the import has just filled)

import json
import math
import re

import pytest
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.audit.models import AuditEntry
from guichet.territory.importing import territory_data_version, territory_import
from guichet.territory.models import Commune, CommuneKind, Department, PostalCode, Region, TerritoryImport

pytestmark = pytest.mark.django_db


def table_snapshot() -> dict[str, list[tuple]]:
    return {
        "regions": list(Region.objects.order_by("code").values_list()),
        "departments": list(Department.objects.order_by("code").values_list()),
        "communes": list(Commune.objects.order_by("code", "kind").values_list()),
        "postal_codes": list(PostalCode.objects.order_by("code", "commune_code", "routing_label").values_list()),
    }


def test_imports_regions_departments_communes_and_postal_codes(territory_folder, run_import):
    out, err = run_import("--source", str(territory_folder.write()))

    assert Region.objects.count() == len(territory_folder.regions)
    assert Department.objects.count() == len(territory_folder.departments)
    assert Commune.objects.count() == len(territory_folder.communes)
    assert set(Commune.objects.values_list("kind", flat=True)) == set(CommuneKind.values)
    rennes = Commune.objects.get(code="35238", kind=CommuneKind.CURRENT)
    assert rennes.population == 230890
    assert rennes.department.name == "Ille-et-Vilaine"
    assert rennes.region_id == "53"
    assert rennes.search_name == "rennes"
    assert not rennes.coordinates_estimated
    assert (rennes.latitude, rennes.longitude) == (48.11198, -1.67429)
    assert Department.objects.get(code="2A").chef_lieu_code == "2A004"
    assert Department.objects.get(code="974").region.name == "La Réunion"
    assert set(PostalCode.objects.filter(commune_code="35238").values_list("code", flat=True)) == {
        "35000",
        "35200",
        "35700",
    }
    assert "Communes : 12 lus, 12 créés" in out
    assert err == ""


def test_delegated_associated_and_arrondissement_records_keep_their_parent(imported_territory):
    assert Commune.objects.get(code="35289", kind=CommuneKind.DELEGATED).parent_code == "35288"
    assert Commune.objects.get(code="35238", kind=CommuneKind.ASSOCIATED).parent_code == "35238"
    assert Commune.objects.get(code="75101").parent_code == "75056"
    assert Commune.objects.get(code="35238", kind=CommuneKind.CURRENT).parent_code == ""


def test_commune_without_known_centre_gets_its_departments_mean_and_is_marked(imported_territory):
    known = Commune.objects.filter(department_id="35", kind=CommuneKind.CURRENT, coordinates_estimated=False)
    amanlis = Commune.objects.get(code="35002")

    assert amanlis.coordinates_estimated
    assert amanlis.latitude == pytest.approx(sum(c.latitude for c in known) / known.count(), abs=1e-6)
    assert amanlis.longitude == pytest.approx(sum(c.longitude for c in known) / known.count(), abs=1e-6)


def test_former_commune_and_arrondissement_take_their_parents_centre(imported_territory):
    saint_malo = Commune.objects.get(code="35288", kind=CommuneKind.CURRENT)
    saint_servan = Commune.objects.get(code="35289")
    paris = Commune.objects.get(code="75056")
    first_arrondissement = Commune.objects.get(code="75101")

    assert (saint_servan.latitude, saint_servan.longitude) == (saint_malo.latitude, saint_malo.longitude)
    assert saint_servan.coordinates_estimated
    assert (first_arrondissement.latitude, first_arrondissement.longitude) == (paris.latitude, paris.longitude)
    assert first_arrondissement.coordinates_estimated


def test_postal_codes_listed_only_in_the_cog_are_kept(territory_folder):
    territory_folder.communes[0]["codesPostaux"].append("35900")  # not in the La Poste file
    territory_import(source=territory_folder.write())

    assert PostalCode.objects.filter(code="35900", commune_code="35238", routing_label="").exists()
    assert PostalCode.objects.filter(code="35000", commune_code="35238", routing_label="RENNES").count() == 1


@pytest.mark.parametrize("bad_code", ["3523X", "ABCDE", "352380", "20001", "96001", "97901", "2C001", ""])
def test_malformed_insee_code_is_reported_and_the_rest_imported(territory_folder, run_import, bad_code):
    territory_folder.communes.append(
        {"code": bad_code, "nom": "Nulle-Part", "departement": "35", "region": "53", "type": "commune-actuelle"}
    )
    index = len(territory_folder.communes)

    out, err = run_import("--source", str(territory_folder.write()))

    assert f"cog/communes.json, enregistrement n° {index}, champ « code » = « {bad_code} »" in err
    assert "code commune INSEE mal formé" in err
    assert not Commune.objects.filter(name="Nulle-Part").exists()
    assert Commune.objects.count() == len(territory_folder.communes) - 1
    assert "1 rejetés" in out


def test_each_malformed_field_is_reported_with_file_record_field_value_and_reason(territory_folder, run_import):
    territory_folder.communes[1]["departement"] = "99"
    territory_folder.communes[2]["population"] = -5
    territory_folder.communes[3]["codesPostaux"] = ["3535"]
    territory_folder.communes[4]["type"] = "commune-fantome"
    territory_folder.departments.append({"code": "20", "region": "94", "chefLieu": "20004", "nom": "Corse"})
    territory_folder.postal_codes.append({"codePostal": "7500", "codeCommune": "75056", "libelleAcheminement": "P"})
    territory_folder.regions.append(["not", "an", "object"])

    _out, err = run_import("--source", str(territory_folder.write()))

    lines = err.splitlines()
    expected = [
        "cog/communes.json, enregistrement n° 2, champ « departement » = « 99 »",
        "cog/communes.json, enregistrement n° 3, champ « population » = « -5 »",
        "cog/communes.json, enregistrement n° 4, champ « codesPostaux » = « 3535 » : code postal mal formé",
        "cog/communes.json, enregistrement n° 5, champ « type » = « commune-fantome » : type de commune inconnu",
        "cog/departements.json, enregistrement n° 5, champ « code » = « 20 »",
        "codes-postaux.json, enregistrement n° 14, champ « codePostal » = « 7500 »",
        "cog/regions.json, enregistrement n° 5, champ « - »",
    ]
    for fragment in expected:
        assert any(fragment in line for line in lines), fragment
    assert not Commune.objects.filter(code__in=["35051", "35288", "35287", "35001"]).exists()
    assert Commune.objects.filter(code="35238", kind=CommuneKind.CURRENT).exists()
    assert not Department.objects.filter(code="20").exists()


def test_commune_of_an_unknown_department_is_rejected(territory_folder, run_import):
    territory_folder.communes.append(_current("29019", "Brest", department="29"))

    _out, err = run_import("--source", str(territory_folder.write()))

    assert "« 29 » : département absent du fichier des départements" in err
    assert not Commune.objects.filter(code="29019").exists()


def _current(code: str, name: str, *, department: str = "35") -> dict:
    return {"code": code, "nom": name, "departement": department, "region": "53", "type": "commune-actuelle"}


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("91.5", "-1.6", "latitude"),
        ("48.1", "-181", "longitude"),
        ("nord", "-1.6", "latitude"),
        ("nan", "0", "latitude"),
    ],
)
def test_coordinates_out_of_range_are_rejected_and_the_commune_estimated(
    territory_folder, run_import, latitude, longitude, field
):
    territory_folder.coordinates = [row for row in territory_folder.coordinates if row[0] != "35001"]
    territory_folder.coordinates.append(("35001", latitude, longitude))
    line_number = len(territory_folder.coordinates) + 1  # after the header line

    _out, err = run_import("--source", str(territory_folder.write()))

    assert f"communes-coordonnees.csv, enregistrement n° {line_number}, champ « {field} »" in err
    acigne = Commune.objects.get(code="35001")
    assert acigne.coordinates_estimated
    assert -90 <= acigne.latitude <= 90
    assert -180 <= acigne.longitude <= 180


def test_broken_json_stops_with_a_french_error_and_writes_nothing(territory_folder):
    folder = territory_folder.write()
    (folder / "cog" / "communes.json").write_text('[{"code": "35238", "nom": "Rennes",', encoding="utf-8")

    with pytest.raises(CommandError, match=r"cog/communes\.json n'est pas un JSON valide \(ligne 1, colonne \d+\)"):
        from django.core.management import call_command

        call_command("import_territory", "--source", str(folder))

    assert Region.objects.count() == 0
    assert Commune.objects.count() == 0
    assert TerritoryImport.objects.count() == 0


def test_json_that_is_not_a_list_stops_with_a_french_error(territory_folder, run_import):
    folder = territory_folder.write()
    (folder / "codes-postaux.json").write_text(json.dumps({"35000": "35238"}), encoding="utf-8")

    with pytest.raises(CommandError, match="doit contenir une liste d'enregistrements"):
        run_import("--source", str(folder))
    assert Commune.objects.count() == 0


@pytest.mark.parametrize("missing", ["cog/regions.json", "codes-postaux.json", "communes-coordonnees.csv"])
def test_missing_file_stops_with_a_french_error_and_writes_nothing(territory_folder, run_import, missing):
    folder = territory_folder.write()
    (folder / missing).unlink()

    with pytest.raises(CommandError, match=rf"Fichier introuvable : .*{re.escape(missing)}\. Rien n'a été importé\."):
        run_import("--source", str(folder))
    assert Region.objects.count() == 0
    assert TerritoryImport.objects.count() == 0


def test_missing_folder_stops_with_a_french_error(tmp_path, run_import):
    with pytest.raises(CommandError, match=r"Le dossier de données .* est introuvable"):
        run_import("--source", str(tmp_path / "nowhere"))


def test_coordinates_file_without_expected_columns_stops_with_a_french_error(territory_folder, run_import):
    folder = territory_folder.write()
    (folder / "communes-coordonnees.csv").write_text("insee;lat;lon\n35238;48.1;-1.6\n", encoding="utf-8")

    with pytest.raises(CommandError, match="colonnes code_insee, latitude et longitude"):
        run_import("--source", str(folder))
    assert Commune.objects.count() == 0


def test_second_run_is_skipped_and_changes_nothing(territory_folder, run_import):
    folder = territory_folder.write()
    run_import("--source", str(folder))
    before = table_snapshot()

    out, _err = run_import("--source", str(folder))

    assert "déjà importée : rien à faire" in out
    assert table_snapshot() == before
    assert TerritoryImport.objects.count() == 1


def test_forced_rerun_writes_nothing_when_data_is_unchanged(territory_folder, run_import):
    folder = territory_folder.write()
    run_import("--source", str(folder))
    before = table_snapshot()

    with CaptureQueriesContext(connection) as queries:
        out, _err = run_import("--source", str(folder), "--force")

    territory_writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
        and '"territory_' in query["sql"]
        and "territory_territoryimport" not in query["sql"]
    ]
    assert territory_writes == []
    assert table_snapshot() == before
    assert "Communes : 12 lus, 0 créés, 0 modifiés, 12 inchangés, 0 supprimés, 0 rejetés" in out
    assert TerritoryImport.objects.count() == 2
    assert len(set(TerritoryImport.objects.values_list("version", flat=True))) == 1


def test_changed_files_update_only_what_changed_and_drop_what_disappeared(territory_folder, run_import):
    run_import("--source", str(territory_folder.write()))
    untouched_id = Commune.objects.get(code="35001").pk
    territory_folder.communes[0]["population"] = 231000
    territory_folder.communes = [c for c in territory_folder.communes if c["code"] != "35287"]
    territory_folder.postal_codes = [p for p in territory_folder.postal_codes if p["codeCommune"] != "35287"]
    territory_folder.departments[0]["nom"] = "Ille et Vilaine"

    out, _err = run_import("--source", str(territory_folder.write()))

    assert Commune.objects.get(code="35238", kind=CommuneKind.CURRENT).population == 231000
    assert not Commune.objects.filter(code="35287").exists()
    assert not PostalCode.objects.filter(commune_code="35287").exists()
    assert Department.objects.get(code="35").name == "Ille et Vilaine"
    assert Commune.objects.get(code="35001").pk == untouched_id
    # Two updates: Rennes' population, and Amanlis, whose estimated centre (the département's mean) moved.
    assert "Communes : 11 lus, 0 créés, 2 modifiés, 9 inchangés, 1 supprimés, 0 rejetés" in out
    assert TerritoryImport.objects.values("version").distinct().count() == 2


def test_version_combines_the_announced_year_and_a_hash_of_the_files(territory_folder):
    folder = territory_folder.write()
    first = territory_data_version(source=folder)
    territory_folder.communes[0]["population"] += 1
    second = territory_data_version(source=territory_folder.write())

    assert first.startswith("cog-2026-")
    assert second.startswith("cog-2026-")
    assert first != second
    assert len(first) <= TerritoryImport._meta.get_field("version").max_length


def test_source_defaults_to_the_environment_variable(territory_folder, run_import, monkeypatch):
    monkeypatch.setenv("GUICHET_TERRITORY_DATA", str(territory_folder.write()))

    run_import()

    assert Commune.objects.filter(code="35238").exists()


def test_import_updates_a_department_created_before_it(territory_folder):
    region = Region.objects.create(code="53", name="Bretagne (provisoire)")
    Department.objects.create(code="35", name="Ille", region=region)

    territory_import(source=territory_folder.write())

    assert Department.objects.get(code="35").name == "Ille-et-Vilaine"
    assert Department.objects.get(code="35").chef_lieu_code == "35238"
    assert Region.objects.get(code="53").name == "Bretagne"


def test_import_is_journaled_without_personal_data(territory_folder):
    report = territory_import(source=territory_folder.write())

    entry = AuditEntry.objects.get(action="territory_imported")
    assert entry.data["version"] == report.version
    assert entry.data["changed"] == report.changed > 0
    assert entry.actor_role == "system"


def test_department_means_are_finite_for_every_estimated_commune(imported_territory):
    for commune in Commune.objects.filter(coordinates_estimated=True):
        assert math.isfinite(commune.latitude)
        assert math.isfinite(commune.longitude)
