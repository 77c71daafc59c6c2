"""The import on the real reference data in ../shared/data (or $GUICHET_TERRITORY_DATA).

The import runs once for this module, inside a transaction rolled back at the end, so the other tests never see it.
"""
# mypy: disable-error-code="union-attr, arg-type, operator, type-var, misc"
# (nullable model fields: these tests read rows the import has just filled)

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from guichet.territory.importing import territory_import
from guichet.territory.models import Commune, CommuneKind, Department, PostalCode, Region
from guichet.territory.selectors import (
    commune_search_by_name,
    communes_by_postal_code,
    communes_near,
    haversine_km,
)

DATA = Path(os.environ.get("GUICHET_TERRITORY_DATA") or Path(settings.BASE_DIR).parent / "shared" / "data")
if not (DATA / "cog" / "communes.json").is_file():  # a worktree sits one level deeper than the main checkout
    DATA = Path(settings.BASE_DIR).parent.parent / "shared" / "data"

pytestmark = [
    pytest.mark.skipif(
        not (DATA / "cog" / "communes.json").is_file(),
        reason=f"real reference data absent: no cog/communes.json under {DATA} (set GUICHET_TERRITORY_DATA)",
    ),
    pytest.mark.django_db,
]


@pytest.fixture(scope="module")
def real_territory(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        report = territory_import(source=DATA, force=True)
        yield report
        transaction.set_rollback(True)


def test_every_record_of_the_real_files_is_imported(real_territory):
    assert real_territory.issues == [] or all(issue.file == "codes-postaux.json" for issue in real_territory.issues)
    assert Region.objects.count() >= 18
    assert Department.objects.count() >= 101
    assert set(Department.objects.values_list("code", flat=True)) >= {"2A", "2B", "971", "972", "973", "974", "976"}
    assert not Department.objects.filter(code="20").exists()
    assert Commune.objects.filter(kind=CommuneKind.CURRENT).count() > 34_000
    assert set(Commune.objects.values_list("kind", flat=True).distinct()) == set(CommuneKind.values)


def test_rennes_has_its_postal_code_and_coordinates(real_territory):
    rennes = Commune.objects.get(code="35238", kind=CommuneKind.CURRENT)

    assert rennes.name == "Rennes"
    assert rennes.department_id == "35"
    assert rennes.population > 200_000
    assert PostalCode.objects.filter(code="35000", commune_code="35238").exists()
    assert not rennes.coordinates_estimated
    assert haversine_km(rennes.latitude, rennes.longitude, 48.11, -1.68) < 5
    assert [commune.code for commune in communes_by_postal_code(postal_code="35000")] == ["35238"]
    assert commune_search_by_name(query="rennes")[0].code == "35238"
    assert Department.objects.get(code="35").chef_lieu_code == "35238"


def test_paris_arrondissement_points_to_paris(real_territory):
    first = Commune.objects.get(code="75101")

    assert first.kind == CommuneKind.MUNICIPAL_ARRONDISSEMENT
    assert first.parent_code == "75056"
    assert Commune.objects.filter(code=first.parent_code, kind=CommuneKind.CURRENT).exists()
    assert Commune.objects.filter(kind=CommuneKind.MUNICIPAL_ARRONDISSEMENT).count() == 20 + 9 + 16


def test_every_commune_belongs_to_an_imported_department_and_region(real_territory):
    departments = set(Department.objects.values_list("code", flat=True))
    regions = set(Region.objects.values_list("code", flat=True))

    assert set(Commune.objects.values_list("department_id", flat=True).distinct()) <= departments
    assert set(Commune.objects.values_list("region_id", flat=True).distinct()) <= regions
    assert set(Department.objects.values_list("region_id", flat=True).distinct()) <= regions


def test_every_former_commune_points_to_an_existing_commune(real_territory):
    current_codes = set(Commune.objects.filter(kind=CommuneKind.CURRENT).values_list("code", flat=True))
    parents = set(
        Commune.objects.filter(kind__in=[CommuneKind.DELEGATED, CommuneKind.ASSOCIATED]).values_list(
            "parent_code", flat=True
        )
    )

    assert parents <= current_codes


def test_metropolitan_communes_all_have_a_position(real_territory):
    metropolitan = Commune.objects.exclude(department__code__startswith="97").exclude(department__code__startswith="98")

    assert not metropolitan.filter(latitude__isnull=True).exists()
    assert metropolitan.filter(coordinates_estimated=False).count() > 14_000


def test_communes_near_rennes_are_in_distance_order(real_territory):
    rennes = Commune.objects.get(code="35238", kind=CommuneKind.CURRENT)

    nearby = communes_near(latitude=rennes.latitude, longitude=rennes.longitude, radius_km=15, limit=15)

    assert nearby[0].commune.code == "35238"
    distances = [item.distance_km for item in nearby]
    assert distances == sorted(distances)
    assert all(distance <= 15 for distance in distances)
    assert {item.commune.department_id for item in nearby} == {"35"}
    assert "35051" in {item.commune.code for item in nearby}  # Cesson-Sévigné borders Rennes
