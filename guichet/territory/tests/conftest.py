"""Small reference-data folders, written to tmp_path in the layout of ../shared/data, for import tests."""

import copy
import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REGIONS: list[dict[str, Any]] = [
    {"code": "53", "chefLieu": "35238", "nom": "Bretagne", "zone": "metro"},
    {"code": "94", "chefLieu": "2A004", "nom": "Corse", "zone": "metro"},
    {"code": "11", "chefLieu": "75056", "nom": "Île-de-France", "zone": "metro"},
    {"code": "04", "chefLieu": "97411", "nom": "La Réunion", "zone": "drom"},
]
DEPARTMENTS: list[dict[str, Any]] = [
    {"code": "35", "region": "53", "chefLieu": "35238", "nom": "Ille-et-Vilaine"},
    {"code": "2A", "region": "94", "chefLieu": "2A004", "nom": "Corse-du-Sud"},
    {"code": "75", "region": "11", "chefLieu": "75056", "nom": "Paris"},
    {"code": "974", "region": "04", "chefLieu": "97411", "nom": "La Réunion"},
]


def _commune(code: str, name: str, department: str, region: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "nom": name, "departement": department, "region": region, "type": "commune-actuelle", **extra}


COMMUNES: list[dict[str, Any]] = [
    _commune("35238", "Rennes", "35", "53", codesPostaux=["35000", "35200", "35700"], population=230890),
    _commune("35051", "Cesson-Sévigné", "35", "53", codesPostaux=["35510"], population=18000),
    _commune("35288", "Saint-Malo", "35", "53", codesPostaux=["35400"], population=47000),
    _commune("35287", "Saint-Méloir-des-Ondes", "35", "53", codesPostaux=["35350"], population=4000),
    _commune("35001", "Acigné", "35", "53", codesPostaux=["35690"], population=7000),
    # A small commune with no known centre: it gets the mean of its département's known centres.
    _commune("35002", "Amanlis", "35", "53", codesPostaux=["35150"], population=1700),
    {
        "code": "35289",
        "nom": "Saint-Servan",
        "departement": "35",
        "region": "53",
        "type": "commune-deleguee",
        "chefLieu": "35288",
    },
    {
        "code": "35238",
        "nom": "Rennes",
        "departement": "35",
        "region": "53",
        "type": "commune-associee",
        "chefLieu": "35238",
    },
    _commune("2A004", "Ajaccio", "2A", "94", codesPostaux=["20000", "20090"], population=73000),
    _commune("75056", "Paris", "75", "11", codesPostaux=["75001"], population=2100000),
    {
        "code": "75101",
        "nom": "Paris 1er Arrondissement",
        "departement": "75",
        "region": "11",
        "type": "arrondissement-municipal",
        "commune": "75056",
        "codesPostaux": ["75001"],
        "population": 15000,
    },
    _commune("97411", "Saint-Denis", "974", "04", codesPostaux=["97400"], population=153000),
]
POSTAL_CODES: list[dict[str, Any]] = [
    {"codePostal": "35000", "codeCommune": "35238", "nomCommune": "Rennes", "libelleAcheminement": "RENNES"},
    {"codePostal": "35200", "codeCommune": "35238", "nomCommune": "Rennes", "libelleAcheminement": "RENNES"},
    {"codePostal": "35700", "codeCommune": "35238", "nomCommune": "Rennes", "libelleAcheminement": "RENNES"},
    {
        "codePostal": "35510",
        "codeCommune": "35051",
        "nomCommune": "Cesson-Sévigné",
        "libelleAcheminement": "CESSON SEVIGNE",
    },
    {"codePostal": "35400", "codeCommune": "35288", "nomCommune": "Saint-Malo", "libelleAcheminement": "ST MALO"},
    {"codePostal": "35400", "codeCommune": "35289", "nomCommune": "Saint-Servan", "libelleAcheminement": "ST MALO"},
    {"codePostal": "35350", "codeCommune": "35287", "nomCommune": "Saint-Méloir", "libelleAcheminement": "ST MELOIR"},
    {"codePostal": "35690", "codeCommune": "35001", "nomCommune": "Acigné", "libelleAcheminement": "ACIGNE"},
    {"codePostal": "35150", "codeCommune": "35002", "nomCommune": "Amanlis", "libelleAcheminement": "AMANLIS"},
    {"codePostal": "20000", "codeCommune": "2A004", "nomCommune": "Ajaccio", "libelleAcheminement": "AJACCIO"},
    {"codePostal": "20090", "codeCommune": "2A004", "nomCommune": "Ajaccio", "libelleAcheminement": "AJACCIO"},
    {"codePostal": "75001", "codeCommune": "75056", "nomCommune": "Paris", "libelleAcheminement": "PARIS"},
    {"codePostal": "97400", "codeCommune": "97411", "nomCommune": "Saint-Denis", "libelleAcheminement": "ST DENIS"},
]
COORDINATES: list[tuple[str, str, str]] = [
    ("35238", "48.11198", "-1.67429"),
    ("35051", "48.12085", "-1.60300"),
    ("35288", "48.64720", "-2.00880"),
    ("35287", "48.63333", "-1.90833"),
    ("35001", "48.13333", "-1.53333"),
    ("2A004", "41.91886", "8.73812"),
    ("75056", "48.85341", "2.34880"),
    ("97411", "-20.88231", "55.45040"),
]


class TerritoryFolder:
    """Editable copies of the sample records; `write()` puts them on disk and returns the folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.regions = copy.deepcopy(REGIONS)
        self.departments = copy.deepcopy(DEPARTMENTS)
        self.communes = copy.deepcopy(COMMUNES)
        self.postal_codes = copy.deepcopy(POSTAL_CODES)
        self.coordinates = list(COORDINATES)
        self.readme = "Sample of the COG (data of 2026)\n"

    def write(self) -> Path:
        (self.root / "cog").mkdir(parents=True, exist_ok=True)
        (self.root / "README.md").write_text(self.readme, encoding="utf-8")
        for name, records in (
            ("cog/regions.json", self.regions),
            ("cog/departements.json", self.departments),
            ("cog/communes.json", self.communes),
            ("codes-postaux.json", self.postal_codes),
        ):
            (self.root / name).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        with (self.root / "communes-coordonnees.csv").open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(["code_insee", "latitude", "longitude"])
            writer.writerows(self.coordinates)
        return self.root


@pytest.fixture
def territory_folder(tmp_path: Path) -> TerritoryFolder:
    return TerritoryFolder(tmp_path / "data")


@pytest.fixture
def imported_territory(db, territory_folder: TerritoryFolder) -> TerritoryFolder:
    from guichet.territory.importing import territory_import

    territory_import(source=territory_folder.write())
    return territory_folder


CommandRunner = Callable[..., tuple[str, str]]


@pytest.fixture
def run_import() -> CommandRunner:
    """Runs `manage.py import_territory` and returns (stdout, stderr)."""
    import io

    from django.core.management import call_command

    def run(*args: str) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("import_territory", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    return run
