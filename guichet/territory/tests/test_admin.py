import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from guichet.territory.models import Commune, CommuneKind, Department, Place, PlaceKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(personas, verified_client, imported_territory):
    return verified_client(personas["platform_admin"])


def place(**values) -> Place:
    defaults = {"kind": PlaceKind.MAIRIE, "name": "Mairie de Rennes", "department": Department.objects.get(code="35")}
    return Place(**{**defaults, **values})


# --- Place.clean() --------------------------------------------------------------------------------------------


def test_place_with_readable_hours_and_a_known_commune_is_valid(imported_territory):
    place(
        opening_hours="Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00", commune_code="35238", postal_code="35000"
    ).clean()


def test_place_without_hours_is_valid(imported_territory):
    place(opening_hours="").clean()


def test_place_refuses_unreadable_opening_hours(imported_territory):
    with pytest.raises(ValidationError) as raised:
        place(opening_hours="Mo-Fr 25:00-26:00").clean()

    assert "l'heure 25:00" in raised.value.message_dict["opening_hours"][0]


@pytest.mark.parametrize("code", ["3523", "ABCDE", "20004", "352380"])
def test_place_refuses_a_malformed_commune_code(imported_territory, code):
    with pytest.raises(ValidationError) as raised:
        place(commune_code=code).clean()

    assert "code commune INSEE" in raised.value.message_dict["commune_code"][0]


def test_place_refuses_an_unknown_commune(imported_territory):
    with pytest.raises(ValidationError) as raised:
        place(commune_code="35999").clean()

    assert "Aucune commune ne porte ce code" in raised.value.message_dict["commune_code"][0]


def test_place_refuses_a_commune_of_another_department(imported_territory):
    with pytest.raises(ValidationError) as raised:
        place(commune_code="2A004").clean()

    assert "n'appartient pas au département" in raised.value.message_dict["commune_code"][0]


def test_place_refuses_a_malformed_postal_code(imported_territory):
    with pytest.raises(ValidationError) as raised:
        place(postal_code="3500").clean()

    assert "5 chiffres" in raised.value.message_dict["postal_code"][0]


def test_renaming_a_commune_refreshes_its_search_name(imported_territory):
    commune = Commune.objects.get(code="35001", kind=CommuneKind.CURRENT)
    commune.name = "Acigné-sur-Vilaine"
    commune.save()

    commune.refresh_from_db()
    assert commune.search_name == "acigne sur vilaine"


# --- admin pages ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["region", "department", "commune", "postalcode", "place", "territoryimport"])
def test_platform_admin_lists_reference_data(admin_client, model):
    response = admin_client.get(reverse(f"admin:territory_{model}_changelist"))

    assert response.status_code == 200


def test_admin_searches_communes_by_name_and_code(admin_client):
    by_name = admin_client.get(reverse("admin:territory_commune_changelist"), {"q": "Cesson"})
    by_code = admin_client.get(reverse("admin:territory_commune_changelist"), {"q": "2A004"})

    assert "Cesson-Sévigné" in by_name.content.decode()
    assert "Ajaccio" in by_code.content.decode()


def test_admin_filters_places_by_kind_and_department(admin_client):
    ille = Department.objects.get(code="35")
    Place.objects.create(kind=PlaceKind.PREFECTURE, name="Préfecture de test", department=ille)
    Place.objects.create(kind=PlaceKind.MAIRIE, name="Mairie d'Ajaccio", department_id="2A")

    response = admin_client.get(
        reverse("admin:territory_place_changelist"), {"kind__exact": "prefecture", "department__code__exact": "35"}
    )

    content = response.content.decode()
    assert "Préfecture de test" in content
    assert "Mairie d&#x27;Ajaccio" not in content


def test_codes_are_read_only_once_created(admin_client):
    commune = Commune.objects.get(code="35238", kind=CommuneKind.CURRENT)
    commune_page = admin_client.get(reverse("admin:territory_commune_change", args=[commune.pk])).content.decode()
    department_page = admin_client.get(reverse("admin:territory_department_change", args=["35"])).content.decode()
    add_page = admin_client.get(reverse("admin:territory_region_add")).content.decode()

    assert 'name="code"' not in commune_page
    assert 'name="kind"' not in commune_page
    assert 'name="name"' in commune_page
    assert 'name="code"' not in department_page
    assert 'name="code"' in add_page


def test_admin_refuses_a_place_with_unreadable_hours_and_keeps_the_form(admin_client):
    response = admin_client.post(
        reverse("admin:territory_place_add"),
        {
            "kind": PlaceKind.MAIRIE,
            "name": "Mairie d'Acigné",
            "department": "35",
            "commune_code": "35001",
            "opening_hours": "Xx 09:00-10:00",
            "collection_stations": "0",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "jour inconnu « Xx »" in response.content.decode()
    assert not Place.objects.filter(name="Mairie d'Acigné").exists()


def test_admin_saves_a_valid_place_and_shows_its_hours_in_words(admin_client):
    response = admin_client.post(
        reverse("admin:territory_place_add"),
        {
            "kind": PlaceKind.MAIRIE,
            "name": "Mairie d'Acigné",
            "department": "35",
            "commune_code": "35001",
            "postal_code": "35690",
            "opening_hours": "Mo-Fr 09:00-12:00",
            "collection_stations": "1",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    saved = Place.objects.get(name="Mairie d'Acigné")
    page = admin_client.get(reverse("admin:territory_place_change", args=[saved.pk])).content.decode()
    assert "du lundi au vendredi de 9 h à 12 h" in page


def test_territory_admin_is_closed_to_other_roles(personas, verified_client, imported_territory):
    client = verified_client(personas["prefecture_admin"])

    response = client.get(reverse("admin:territory_commune_changelist"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]
