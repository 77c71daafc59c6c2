"""Public directory pages: search, département and place pages, national exports."""

import csv
import io
import json

import pytest
from django.urls import reverse

from guichet.territory.mediation_schema import FIELDS
from guichet.territory.models import Place, PlaceKind
from guichet.territory.tests.conftest import imported_territory, territory_folder  # noqa: F401 (fixtures)


def _place(name: str, commune_code: str, department: str = "35", **values) -> Place:
    values.setdefault("kind", PlaceKind.ESPACE_NUMERIQUE)
    place = Place(name=name, department_id=department, commune_code=commune_code, **values)
    place.full_clean()
    place.save()
    return place


@pytest.fixture
def places(imported_territory):  # noqa: F811
    return {
        "rennes": _place(
            "Mairie de Rennes",
            "35238",
            kind=PlaceKind.MAIRIE,
            collection_stations=4,
            city="Rennes",
            postal_code="35000",
            address="Place de la Mairie",
            opening_hours="Mo-Fr 08:30-17:00; Sa 09:00-12:00",
            appointment_url="https://rdv.example.fr/rennes",
            accessibility="Accès de plain-pied.",
        ),
        "malo": _place("Espace numérique de Saint-Malo", "35288", mediator_present=True, has_printer=True),
        "cesson": _place("Point numérique de Cesson", "35051", kind=PlaceKind.POINT_NUMERIQUE),
        "ajaccio": _place("Mairie d'Ajaccio", "2A004", department="2A", kind=PlaceKind.MAIRIE),
        "reunion": _place("Espace numérique de Saint-Denis", "97411", department="974"),
    }


def _get(client, name: str, **kwargs):
    params = kwargs.pop("params", None)
    return client.get(reverse(name, kwargs=kwargs or None), params)


def test_search_by_commune_name_orders_results_by_distance(client, places):
    page = _get(client, "public:directory_search", params={"q": "Rennes", "rayon": "100"}).content.decode()

    assert page.index("Mairie de Rennes") < page.index("Point numérique de Cesson")
    assert page.index("Point numérique de Cesson") < page.index("Espace numérique de Saint-Malo")
    assert "Mairie d&#x27;Ajaccio" not in page and "Mairie d'Ajaccio" not in page
    assert "Coordonnées des communes : GeoNames (CC BY 4.0)" in page
    assert "<svg" in page and 'href="/lieux/' in page


def test_search_by_postal_code_and_by_browser_position(client, places):
    by_postal_code = _get(client, "public:directory_search", params={"q": "35400", "rayon": "10"}).content.decode()
    assert "Espace numérique de Saint-Malo" in by_postal_code and "Mairie de Rennes" not in by_postal_code

    by_position = _get(
        client, "public:directory_search", params={"lat": "41.92", "lon": "8.74", "rayon": "20"}
    ).content.decode()
    assert "Mairie d&#x27;Ajaccio" in by_position and "Mairie de Rennes" not in by_position
    assert "votre position" in by_position


def test_search_filters_and_clear_empty_state(client, places):
    page = _get(client, "public:directory_search", params={"departement": "35", "service": "recueil"}).content.decode()
    assert "Mairie de Rennes" in page and "Saint-Malo" not in page

    empty = _get(client, "public:directory_search", params={"departement": "2A", "type": "driving_school"})
    assert empty.status_code == 200
    assert "Aucun lieu ne correspond à ces critères." in empty.content.decode()


def test_bad_search_inputs_get_french_messages_not_errors(client, places):
    unknown_commune = _get(client, "public:directory_search", params={"q": "Zzyzx"})
    assert unknown_commune.status_code == 200
    assert "Aucune commune ne correspond" in unknown_commune.content.decode()
    bad_department = _get(client, "public:directory_search", params={"departement": "20"})
    assert "Ce code de département n" in bad_department.content.decode()
    bad_position = _get(client, "public:directory_search", params={"lat": "200", "lon": "x"})
    assert bad_position.status_code == 200


def test_search_page_without_criteria_links_every_department_and_loads_its_script_with_the_nonce(client, places):
    response = _get(client, "public:directory_search")
    page = response.content.decode()
    assert 'href="/lieux/departement/2A/"' in page and 'href="/lieux/departement/974/"' in page
    nonce = response.wsgi_request.csp_nonce  # type: ignore[attr-defined]
    assert f'<script src="/static/guichet/directory-position.js" nonce="{nonce}"></script>' in page
    assert 'name="lat"' in page and 'type="hidden"' in page


def test_department_page_lists_only_its_places_and_unknown_codes_are_404(client, places):
    page = _get(client, "public:directory_department", code="35").content.decode()
    assert "Mairie de Rennes" in page and "Espace numérique de Saint-Malo" in page
    assert "Ajaccio" not in page and "Saint-Denis" not in page
    corsica = _get(client, "public:directory_department", code="2a").content.decode()
    assert "Mairie d&#x27;Ajaccio" in corsica and "Rennes" not in corsica
    assert _get(client, "public:directory_department", code="974").status_code == 200
    assert _get(client, "public:directory_department", code="20").status_code == 404
    assert _get(client, "public:directory_department", code="999").status_code == 404


def test_place_page_gives_address_hours_in_words_services_and_appointment(client, places):
    page = _get(client, "public:directory_place", place_id=places["rennes"].pk).content.decode()
    assert "Place de la Mairie" in page
    assert "Du lundi au vendredi de 8 h 30 à 17 h ; le samedi de 9 h à 12 h." in page
    assert "4 dispositifs de recueil" in page
    assert "https://rdv.example.fr/rennes" in page
    assert "Accès de plain-pied." in page
    malo = _get(client, "public:directory_place", place_id=places["malo"].pk).content.decode()
    assert "Imprimante à disposition" in malo and "médiateur numérique" in malo
    assert _get(client, "public:directory_place", place_id=999999).status_code == 404


def test_csv_export_is_utf8_with_the_schema_header_and_filters_by_department(client, places):
    response = _get(client, "public:directory_export_csv", params={"departement": "35"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert tuple(rows[0]) == FIELDS
    assert {row["nom"] for row in rows} == {
        "Mairie de Rennes",
        "Espace numérique de Saint-Malo",
        "Point numérique de Cesson",
    }
    everything = _get(client, "public:directory_export_csv").content.decode("utf-8")
    assert "Mairie d'Ajaccio" in everything


def test_json_export_and_its_machine_error_for_an_unknown_department(client, places):
    records = _get(client, "public:directory_export_json", params={"departement": "2A"}).json()
    assert [record["nom"] for record in records] == ["Mairie d'Ajaccio"]
    assert list(records[0]) == list(FIELDS)
    bad = _get(client, "public:directory_export_json", params={"departement": "XX"})
    assert bad.status_code == 400
    assert json.loads(bad.content)["error"] == "unknown_department"
    assert _get(client, "public:directory_export_csv", params={"departement": "XX"}).status_code == 400


def test_overseas_places_are_listed_with_a_note_as_the_national_map_shows_metropolitan_france(client, places):
    page = _get(client, "public:directory_search", params={"q": "Rennes", "rayon": "0"}).content.decode()
    assert "Espace numérique de Saint-Denis" in page
    assert "(outre-mer : hors de la carte de métropole)" in page
    assert f'href="/lieux/{places["reunion"].pk}/" tabindex="-1"' not in page  # no dot outside the map
    assert f'<a href="/lieux/{places["rennes"].pk}/" tabindex="-1">' in page
    department_page = _get(client, "public:directory_department", code="974").content.decode()
    assert f'<a href="/lieux/{places["reunion"].pk}/" tabindex="-1">' in department_page  # its own map shows it
    searched = _get(client, "public:directory_search", params={"departement": "974"}).content.decode()
    assert f'<a href="/lieux/{places["reunion"].pk}/" tabindex="-1">' in searched  # so does a search of it


def test_stable_urls_answer_head_requests_and_refuse_posts(client, places):
    url = reverse("public:directory_department", kwargs={"code": "35"})
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405
