import pytest

from guichet.api.demo import seed_demo_appointments
from guichet.territory.models import Place, PlaceKind
from guichet.testing.personas import ensure_place, ensure_test_territory

EDITOR = {"HTTP_X_RDV_OPT_AUTH_TOKEN": "demo-editor-token", "HTTP_ACCEPT": "application/json"}
HUB = {"HTTP_X_HUB_RDV_AUTH_TOKEN": "demo-hub-token", "HTTP_ACCEPT": "application/json"}


@pytest.fixture
def demo(db, settings) -> Place:
    """The Rennes mairie of the personas (4 stations), and the demo pré-demandes, tokens and slots."""
    settings.GUICHET_DEMO_DATA_ALLOWED = True
    settings.SITE_URL = "https://guichet.example.fr"
    place = ensure_place(PlaceKind.MAIRIE, ensure_test_territory())
    seed_demo_appointments()
    return place
