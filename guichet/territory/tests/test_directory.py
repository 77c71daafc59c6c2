"""The directory's queries: filters, distance order, positions from the commune when a place has none."""

from datetime import datetime

import pytest

from guichet.territory.directory import directory_search, place_position, public_place
from guichet.territory.models import Place, PlaceKind
from guichet.territory.opening_hours import PARIS
from guichet.territory.selectors import haversine_km

RENNES = (48.11198, -1.67429)
TUESDAY_10H = datetime(2026, 3, 3, 10, 0, tzinfo=PARIS)
TUESDAY_20H = datetime(2026, 3, 3, 20, 0, tzinfo=PARIS)


def _place(name: str, commune_code: str, department: str = "35", **values) -> Place:
    place = Place(name=name, department_id=department, commune_code=commune_code, **values)
    place.kind = values.get("kind", PlaceKind.ESPACE_NUMERIQUE)
    place.full_clean()
    place.save()
    return place


@pytest.fixture
def places(imported_territory):
    return {
        "malo": _place("Espace de Saint-Malo", "35288", opening_hours="Mo-Sa 09:00-18:00", has_scanner=True),
        "cesson": _place("Espace de Cesson", "35051", opening_hours="Mo-Fr 14:00-21:00", mediator_present=True),
        "rennes": _place(
            "Mairie de Rennes", "35238", kind=PlaceKind.MAIRIE, collection_stations=4, opening_hours="Mo-Fr 09:00-17:00"
        ),
        "acigne": _place("Espace d'Acigné", "35001", latitude=48.1335, longitude=-1.5339),
        "ajaccio": _place("Mairie d'Ajaccio", "2A004", department="2A", kind=PlaceKind.MAIRIE),
        "closed": _place("Ancien espace", "35238", is_active=False),
        "cert": _place("CERT", "35238", kind=PlaceKind.INSTRUCTION_CENTRE),
    }


def test_results_come_nearest_first_with_their_distance(places):
    results = directory_search(origin=RENNES)

    names = [result.place.name for result in results]
    assert names[:4] == ["Mairie de Rennes", "Espace de Cesson", "Espace d'Acigné", "Espace de Saint-Malo"]
    distances = [result.distance_km for result in results]
    assert distances == sorted(distances)  # type: ignore[type-var]
    acigne = next(result for result in results if result.place.name == "Espace d'Acigné")
    assert acigne.distance_km == pytest.approx(haversine_km(*RENNES, 48.1335, -1.5339))


def test_a_radius_keeps_only_the_places_within_it(places):
    names = {result.place.name for result in directory_search(origin=RENNES, radius_km=20)}
    assert names == {"Mairie de Rennes", "Espace de Cesson", "Espace d'Acigné"}


def test_department_filter_lists_only_active_public_places_of_that_department(places):
    results = directory_search(department_code="35")
    assert {result.place.department_id for result in results} == {"35"}
    assert {"Ancien espace", "CERT"}.isdisjoint(result.place.name for result in results)
    assert [result.place.name for result in directory_search(department_code="2A")] == ["Mairie d'Ajaccio"]


def test_kind_service_and_open_now_filters(places):
    assert [r.place.name for r in directory_search(kinds=[PlaceKind.MAIRIE], department_code="35")] == [
        "Mairie de Rennes"
    ]
    assert [r.place.name for r in directory_search(service="recueil")] == ["Mairie de Rennes"]
    assert [r.place.name for r in directory_search(service="mediateur")] == ["Espace de Cesson"]
    assert [r.place.name for r in directory_search(service="scanner")] == ["Espace de Saint-Malo"]
    open_at_10 = {r.place.name for r in directory_search(open_at=TUESDAY_10H)}
    open_at_20 = {r.place.name for r in directory_search(open_at=TUESDAY_20H)}
    assert open_at_10 == {"Espace de Saint-Malo", "Mairie de Rennes"}
    assert open_at_20 == {"Espace de Cesson"}


def test_a_place_without_coordinates_is_placed_at_its_commune_centre(places):
    position = place_position(places["rennes"])
    assert position is not None and position.from_commune
    assert (position.latitude, position.longitude) == RENNES
    own = place_position(places["acigne"])
    assert own is not None and not own.from_commune


def test_inactive_places_and_instruction_centres_have_no_public_page(places):
    assert public_place(place_id=places["rennes"].pk) is not None
    assert public_place(place_id=places["closed"].pk) is None
    assert public_place(place_id=places["cert"].pk) is None


def test_demo_enrichment_gives_points_numeriques_their_equipment_once(imported_territory):
    from guichet.audit.services import SYSTEM
    from guichet.territory.place_services import places_demo_enrich

    point = _place("Point numérique de la préfecture", "35238", kind=PlaceKind.POINT_NUMERIQUE)

    assert places_demo_enrich(department_code="35", actor=SYSTEM) == 1
    assert places_demo_enrich(department_code="35", actor=SYSTEM) == 0
    point.refresh_from_db()
    assert (point.mediator_present, point.has_scanner, point.has_printer) == (True, True, True)
    assert [r.place.name for r in directory_search(service="scanner")] == ["Point numérique de la préfecture"]
