"""The public list of trusted third parties and the directory's place page show approvals in force only."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.territory.models import Place, PlaceKind
from guichet.testing.personas import ensure_test_territory
from guichet.testing.trusted_parties import ensure_approval
from guichet.trusted_parties.models import ApprovalStatus
from guichet.trusted_parties.operations import Operation


def _place(name: str, kind: str = PlaceKind.CAR_PROFESSIONAL, city: str = "Rennes", postal_code: str = "35000"):
    return Place.objects.create(
        kind=kind, name=name, department=ensure_test_territory(), city=city, postal_code=postal_code
    )


@pytest.fixture
def registry(db):
    today = timezone.localdate()
    return {
        "valid": ensure_approval(_place("Garage du Mail"), operations=[Operation.NEW_VEHICLE_REGISTRATION]),
        "school": ensure_approval(_place("Auto-école de Vitré", PlaceKind.DRIVING_SCHOOL, "Vitré", "35500")),
        "suspended": ensure_approval(_place("Garage Suspendu"), status=ApprovalStatus.SUSPENDED),
        "expired": ensure_approval(
            _place("Garage Expiré"), valid_from=today - timedelta(days=90), valid_until=today - timedelta(days=1)
        ),
    }


def test_the_list_shows_only_approvals_in_force(client, registry):
    page = client.get(reverse("public:trusted_parties")).content.decode()
    assert "Garage du Mail" in page and registry["valid"].number_display in page
    assert "Auto-école de Vitré" in page
    assert "Garage Suspendu" not in page and "Garage Expiré" not in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"type": "driving_school"}, "Auto-école de Vitré", "Garage du Mail"),
        ({"q": "vitré"}, "Auto-école de Vitré", "Garage du Mail"),
        ({"q": "35000"}, "Garage du Mail", "Auto-école de Vitré"),
        ({"operation": "new_vehicle_registration"}, "Garage du Mail", "Auto-école de Vitré"),
        ({"departement": "35"}, "Garage du Mail", "Garage Suspendu"),
    ],
)
def test_filters(client, registry, query, shown, hidden):
    page = client.get(reverse("public:trusted_parties"), query).content.decode()
    assert shown in page and hidden not in page


@pytest.mark.parametrize("query", [{"departement": "99X"}, {"operation": "teleportation"}, {"type": "mairie"}])
def test_bad_filters_are_explained_not_crashed(client, registry, query):
    response = client.get(reverse("public:trusted_parties"), query)
    assert response.status_code == 200
    assert "Garage du Mail" not in response.content.decode()
    assert "fr-error-text" in response.content.decode()


def test_an_empty_result_says_so_and_points_to_help(client, registry):
    page = client.get(reverse("public:trusted_parties"), {"q": "Brest"}).content.decode()
    assert "Aucun établissement agréé ne correspond" in page
    assert reverse("public:directory_search") in page


def test_place_page_shows_the_number_and_operations_of_an_approval_in_force(client, registry):
    approval = registry["valid"]
    page = client.get(reverse("public:directory_place", args=[approval.place_id])).content.decode()
    assert approval.number_display in page
    assert "Immatriculation d'un véhicule neuf" in unescape(page)


def test_place_page_of_a_suspended_professional_shows_no_number(client, registry):
    approval = registry["suspended"]
    page = client.get(reverse("public:directory_place", args=[approval.place_id])).content.decode()
    assert approval.number_display not in page
    assert "Aucun agrément en vigueur" in page
