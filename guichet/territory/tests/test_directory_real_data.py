"""The directory on the real reference data (../shared/data): département pages and distance order."""
# mypy: disable-error-code="union-attr, arg-type, operator, type-var"

import pytest
from django.db import transaction
from django.urls import reverse

from guichet.territory.directory import directory_search
from guichet.territory.importing import territory_import
from guichet.territory.models import Commune, CommuneKind, Place, PlaceKind
from guichet.territory.selectors import commune_search_by_name, haversine_km

from .test_real_data import DATA

pytestmark = [
    pytest.mark.skipif(
        not (DATA / "cog" / "communes.json").is_file(), reason=f"real reference data absent under {DATA}"
    ),
    pytest.mark.django_db,
]

# One espace numérique in each of these communes (the largest of the name), across départements and overseas.
COMMUNES = (
    "Rennes",
    "Saint-Malo",
    "Fougères",
    "Vitré",
    "Dinan",
    "Vannes",
    "Nantes",
    "Ajaccio",
    "Bastia",
    "Saint-Denis",
)


@pytest.fixture(scope="module")
def real_places(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        territory_import(source=DATA, force=True)
        for name in COMMUNES:
            commune = commune_search_by_name(query=name, limit=1)[0]
            place = Place(
                kind=PlaceKind.ESPACE_NUMERIQUE,
                name=f"Espace numérique de {commune.name}",
                department_id=commune.department_id,
                commune_code=commune.code,
                city=commune.name,
            )
            place.full_clean()
            place.save()
        yield
        transaction.set_rollback(True)


def test_every_place_of_a_department_page_belongs_to_that_department(real_places, client):
    for code in ("35", "2A", "2B", "974", "22"):
        listed = directory_search(department_code=code)
        assert all(result.place.department_id == code for result in listed)
        page = client.get(reverse("public:directory_department", kwargs={"code": code})).content.decode()
        for place in Place.objects.exclude(department_id=code):
            assert f'href="/lieux/{place.pk}/"' not in page
        for result in listed:
            assert f'href="/lieux/{result.place.pk}/"' in page
    assert {result.place.city for result in directory_search(department_code="35")} >= {"Rennes", "Saint-Malo"}


def test_distance_order_from_a_real_commune_is_right(real_places):
    rennes = Commune.objects.get(code="35238", kind=CommuneKind.CURRENT)
    results = directory_search(origin=(rennes.latitude, rennes.longitude))
    positioned = [result for result in results if result.distance_km is not None]

    assert positioned[0].place.city == "Rennes"
    assert [r.distance_km for r in positioned] == sorted(r.distance_km for r in positioned)
    for result in positioned:
        commune = Commune.objects.get(code=result.place.commune_code, kind=CommuneKind.CURRENT)
        expected = haversine_km(rennes.latitude, rennes.longitude, commune.latitude, commune.longitude)
        assert result.distance_km == pytest.approx(expected)
    # Brittany before Corsica before Réunion.
    cities = [result.place.city for result in positioned]
    assert cities.index("Vitré") < cities.index("Ajaccio") < cities.index("Saint-Denis")


def test_search_page_by_commune_lists_nearest_first(real_places, client):
    page = client.get(reverse("public:directory_search"), {"q": "Fougères", "rayon": "100"}).content.decode()
    assert page.index("Espace numérique de Fougères") < page.index("Espace numérique de Vitré")
    assert page.index("Espace numérique de Vitré") < page.index("Espace numérique de Rennes")
    assert "Espace numérique de Bastia" not in page
    assert "Coordonnées des communes : GeoNames (CC BY 4.0)" in page
