# mypy: disable-error-code="union-attr, arg-type, operator, type-var, misc"
# (nullable model fields: these tests read rows the import has just filled)

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.territory.models import Commune, CommuneKind, Department, Place, PlaceKind, Region
from guichet.territory.selectors import (
    commune_by_code,
    commune_search_by_name,
    communes_by_postal_code,
    communes_near,
    department_by_code,
    haversine_km,
    places_of_department,
    postal_codes_of_commune,
)

pytestmark = pytest.mark.django_db

RENNES = (48.11198, -1.67429)


@pytest.mark.parametrize("query", ["rennes", "RENNES", "Ren", "  rEn "])
def test_search_by_name_ignores_case_and_surrounding_spaces(imported_territory, query):
    assert commune_search_by_name(query=query)[0].code == "35238"


@pytest.mark.parametrize("query", ["cesson-sev", "Cesson Sévi", "CESSON SEVIGNE", "césson"])
def test_search_by_name_ignores_accents_and_punctuation(imported_territory, query):
    assert [commune.code for commune in commune_search_by_name(query=query)] == ["35051"]


def test_search_by_name_is_a_prefix_search(imported_territory):
    assert not commune_search_by_name(query="malo").exists()


def test_search_lists_current_communes_first_then_by_population(imported_territory):
    results = list(commune_search_by_name(query="saint"))

    kinds = [commune.kind for commune in results]
    assert kinds.index(CommuneKind.DELEGATED) > max(i for i, k in enumerate(kinds) if k == CommuneKind.CURRENT)
    current = [commune for commune in results if commune.kind == CommuneKind.CURRENT]
    populations = [commune.population for commune in current]
    assert populations == sorted(populations, reverse=True)
    assert {commune.name for commune in results} >= {"Saint-Malo", "Saint-Méloir-des-Ondes", "Saint-Servan"}


def test_search_with_an_empty_query_finds_nothing(imported_territory):
    assert list(commune_search_by_name(query=" -' ")) == []


def test_search_respects_the_limit(imported_territory):
    assert len(commune_search_by_name(query="s", limit=2)) == 2


def test_search_by_postal_code_lists_current_communes(imported_territory):
    assert [commune.code for commune in communes_by_postal_code(postal_code="35000")] == ["35238"]
    assert [commune.name for commune in communes_by_postal_code(postal_code="35400")] == ["Saint-Malo"]
    assert list(communes_by_postal_code(postal_code="99999")) == []


def test_postal_codes_of_a_commune(imported_territory):
    assert postal_codes_of_commune(code="35238") == ["35000", "35200", "35700"]


def test_search_by_insee_code_prefers_the_current_commune(imported_territory):
    rennes = commune_by_code(code="35238")

    assert rennes is not None
    assert rennes.kind == CommuneKind.CURRENT
    assert commune_by_code(code="2a004").name == "Ajaccio"
    assert commune_by_code(code="00000") is None


def test_communes_near_are_ordered_by_real_distance_within_the_radius(imported_territory):
    nearby = communes_near(latitude=RENNES[0], longitude=RENNES[1], radius_km=80, limit=10)

    names = [item.commune.name for item in nearby]
    assert names[:2] == ["Rennes", "Cesson-Sévigné"]
    distances = [item.distance_km for item in nearby]
    assert distances == sorted(distances)
    assert all(distance <= 80 for distance in distances)
    for item in nearby:
        assert item.distance_km == pytest.approx(
            haversine_km(RENNES[0], RENNES[1], item.commune.latitude, item.commune.longitude)
        )


def test_communes_near_leave_out_estimated_positions_unless_asked(imported_territory):
    default = {item.commune.code for item in communes_near(latitude=RENNES[0], longitude=RENNES[1], radius_km=100)}
    with_estimates = {
        item.commune.code
        for item in communes_near(
            latitude=RENNES[0], longitude=RENNES[1], radius_km=100, include_estimated=True, limit=100
        )
    }

    assert "35002" not in default  # Amanlis has no known centre
    assert "35002" in with_estimates


def test_communes_near_respects_limit_and_radius(imported_territory):
    assert len(communes_near(latitude=RENNES[0], longitude=RENNES[1], radius_km=80, limit=1)) == 1
    assert communes_near(latitude=RENNES[0], longitude=RENNES[1], radius_km=0.1)[0].commune.code == "35238"
    assert communes_near(latitude=0, longitude=0, radius_km=50) == []
    assert communes_near(latitude=RENNES[0], longitude=RENNES[1], radius_km=-1) == []


def test_communes_near_cross_the_antimeridian(db):
    region = Region.objects.create(code="988", name="Nouvelle-Calédonie")
    department = Department.objects.create(code="988", name="Nouvelle-Calédonie", region=region)
    for code, longitude in (("98801", 179.95), ("98802", -179.95), ("98803", 170.0)):
        Commune.objects.create(
            code=code, name=code, department=department, region=region, latitude=-17.0, longitude=longitude
        )

    nearby = communes_near(latitude=-17.0, longitude=179.99, radius_km=30)

    assert [item.commune.code for item in nearby] == ["98801", "98802"]


def test_haversine_matches_a_known_distance():
    paris = (48.8566, 2.3522)
    # Paris–Rennes is about 308 km as the crow flies.
    assert haversine_km(*paris, *RENNES) == pytest.approx(308, rel=0.01)
    assert haversine_km(*RENNES, *RENNES) == 0


# The imported sample is only read, so sharing it between examples is safe.
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    latitude=st.floats(min_value=47.0, max_value=49.5),
    longitude=st.floats(min_value=-3.0, max_value=0.0),
    radius=st.floats(min_value=1, max_value=150),
)
def test_communes_near_equal_a_brute_force_search(imported_territory, latitude, longitude, radius):
    every = [
        (haversine_km(latitude, longitude, c.latitude, c.longitude), c.code)
        for c in Commune.objects.filter(kind=CommuneKind.CURRENT, coordinates_estimated=False)
    ]
    expected = sorted((distance, code) for distance, code in every if distance <= radius)[:5]

    found = communes_near(latitude=latitude, longitude=longitude, radius_km=radius, limit=5)

    assert [item.commune.code for item in found] == [code for _distance, code in expected]


def test_department_by_code(imported_territory):
    assert department_by_code(code="2a").name == "Corse-du-Sud"
    assert department_by_code(code="974").region.code == "04"
    assert department_by_code(code="20") is None


def test_places_of_a_department_by_kind(imported_territory):
    ille = Department.objects.get(code="35")
    corse = Department.objects.get(code="2A")
    town_hall = Place.objects.create(kind=PlaceKind.MAIRIE, name="Mairie de Rennes", department=ille)
    Place.objects.create(kind=PlaceKind.PREFECTURE, name="Préfecture d'Ille-et-Vilaine", department=ille)
    Place.objects.create(kind=PlaceKind.MAIRIE, name="Mairie fermée", department=ille, is_active=False)
    Place.objects.create(kind=PlaceKind.MAIRIE, name="Mairie d'Ajaccio", department=corse)

    assert list(places_of_department(department=ille, kind=PlaceKind.MAIRIE)) == [town_hall]
    assert places_of_department(department="35").count() == 2
    assert places_of_department(department=ille, kind=PlaceKind.MAIRIE, include_inactive=True).count() == 2
