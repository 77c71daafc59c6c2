"""Contract of the appointment provider endpoints (INTEROP.md §2), over HTTP with exact headers, codes and JSON."""

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from guichet.appointments.selectors import bookable_starts
from guichet.appointments.services import appointment_book
from guichet.territory.opening_hours import PARIS

from .conftest import HUB

BASE = "/api/ants"
UNAUTHORIZED = {"error": "X-HUB-RDV-AUTH-TOKEN header is missing or invalid"}
LOCAL_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$")


def _window() -> tuple[str, str]:
    today = timezone.now().astimezone(PARIS).date()
    return (today.isoformat(), (today + timedelta(days=13)).isoformat())


@pytest.mark.parametrize("endpoint", ["getManagedMeetingPoints", "availableTimeSlots", "searchApplicationIds"])
@pytest.mark.parametrize("token", [None, "wrong-token", "demo-editor-token"])
def test_missing_or_wrong_token_is_refused(client, demo, endpoint, token):
    headers = {"HTTP_X_HUB_RDV_AUTH_TOKEN": token} if token else {}
    response = client.get(f"{BASE}/{endpoint}", **headers)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_managed_meeting_points(client, demo):
    response = client.get(f"{BASE}/getManagedMeetingPoints", **HUB)
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": str(demo.pk),
            "name": "Mairie de Rennes",
            "longitude": -1.68,
            "latitude": 48.1113,
            "public_entry_address": "1 place de la Mairie",
            "zip_code": "35000",
            "city_name": "Rennes",
        }
    ]


def test_available_time_slots_shape_order_and_local_wall_clock(client, demo):
    start, end = _window()
    response = client.get(
        f"{BASE}/availableTimeSlots?meeting_point_ids={demo.pk}&meeting_point_ids=999999"
        f"&start_date={start}&end_date={end}&reason=CNI&documents_number=1",
        **HUB,
    )
    assert response.status_code == 200
    body = response.json()
    assert list(body) == [str(demo.pk)]  # an id Guichet does not manage gets no key
    slots = body[str(demo.pk)]
    assert slots
    datetimes = [slot["datetime"] for slot in slots]
    assert all(LOCAL_Z.match(value) for value in datetimes)
    assert datetimes == sorted(set(datetimes))
    # The Rennes mairie opens at 09:00 Paris time: written 09:00 with a literal Z, not converted to UTC.
    days = {value[:10] for value in datetimes}
    first_of_a_full_day = sorted(value for value in datetimes if value[:10] == max(days))[0]
    assert first_of_a_full_day.endswith("T09:00Z")
    assert {slot["callback_url"].split("?")[0] for slot in slots} == {
        "https://guichet.example.fr/usager/rendez-vous/reserver/"
    }
    query = parse_qs(urlsplit(slots[0]["callback_url"]).query)
    assert query == {"lieu": [str(demo.pk)], "debut": [slots[0]["datetime"][:-1]], "dossiers": ["1"]}


def test_documents_number_needs_consecutive_slots(client, demo):
    start, end = _window()
    url = f"{BASE}/availableTimeSlots?meeting_point_ids={demo.pk}&start_date={start}&end_date={end}&reason=CNI-PASSPORT"
    one = client.get(url + "&documents_number=1", **HUB).json()[str(demo.pk)]
    three = client.get(url + "&documents_number=3", **HUB).json()[str(demo.pk)]
    one_times = {slot["datetime"] for slot in one}
    three_times = {slot["datetime"] for slot in three}
    assert three_times < one_times
    assert not any(value.endswith(("T11:30Z", "T11:45Z", "T16:30Z", "T16:45Z")) for value in three_times)
    assert all("dossiers=3" in slot["callback_url"] for slot in three)


def test_default_documents_number_is_one(client, demo):
    start, end = _window()
    url = f"{BASE}/availableTimeSlots?meeting_point_ids={demo.pk}&start_date={start}&end_date={end}&reason=PASSPORT"
    assert client.get(url, **HUB).json() == client.get(url + "&documents_number=1", **HUB).json()


def test_dates_are_inclusive_and_empty_outside_the_agenda(client, demo):
    far = date.today() + timedelta(days=400)
    response = client.get(
        f"{BASE}/availableTimeSlots?meeting_point_ids={demo.pk}&start_date={far}&end_date={far}&reason=CNI", **HUB
    )
    assert response.json() == {str(demo.pk): []}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("meeting_point_ids={pk}&start_date={start}&end_date={end}&reason=PERMIS", "Invalid reason param"),
        ("meeting_point_ids={pk}&start_date={end}&end_date={start}&reason=CNI", "start_date is after end_date"),
        ("meeting_point_ids={pk}&end_date={end}&reason=CNI", "Missing start_date param"),
        ("meeting_point_ids={pk}&start_date={start}&reason=CNI", "Missing end_date param"),
        ("meeting_point_ids={pk}&start_date={start}&end_date={end}", "Missing reason param"),
        ("start_date={start}&end_date={end}&reason=CNI", "Missing meeting_point_ids param"),
        ("meeting_point_ids={pk}&start_date=01/12/2026&end_date={end}&reason=CNI", "Invalid start_date param"),
        (
            "meeting_point_ids={pk}&start_date={start}&end_date={end}&reason=CNI&documents_number=zero",
            "Invalid documents_number param",
        ),
    ],
)
def test_available_time_slots_errors(client, demo, query, message):
    start, end = _window()
    response = client.get(f"{BASE}/availableTimeSlots?" + query.format(pk=demo.pk, start=start, end=end), **HUB)
    assert response.status_code == 400
    assert response.json() == {"error": {"code": 400, "message": message}}


def test_search_application_ids(client, demo):
    now = timezone.now()
    start = bookable_starts(place_ids=[demo.pk], start=now, end=now + timedelta(days=14))[demo.pk][0]
    appointment = appointment_book(place=demo, starts_at=start, application_id="DEMOVALID4", actor=None)
    response = client.get(f"{BASE}/searchApplicationIds?application_ids=DEMOVALID4&application_ids=DEMOVALID5", **HUB)
    assert response.status_code == 200
    assert response.json() == {
        "DEMOVALID4": [
            {
                "meeting_point": "Mairie de Rennes",
                "datetime": start.astimezone(PARIS).isoformat(),
                "management_url": f"https://guichet.example.fr/usager/rendez-vous/{appointment.reference}/",
                "cancel_url": f"https://guichet.example.fr/usager/rendez-vous/{appointment.reference}/annuler/",
            }
        ],
        "DEMOVALID5": [],
    }


def test_search_application_ids_without_ids(client, demo):
    response = client.get(f"{BASE}/searchApplicationIds", **HUB)
    assert response.status_code == 400
    assert response.json() == {"error": {"code": 400, "message": "Missing application_ids param"}}


def test_openapi_documents_both_contracts(client, demo):
    schema = client.get("/api/openapi.json").json()
    for path in (
        "/api/ants-coordination/status",
        "/api/ants-coordination/appointments",
        "/api/ants/getManagedMeetingPoints",
        "/api/ants/availableTimeSlots",
        "/api/ants/searchApplicationIds",
    ):
        assert path in schema["paths"], path
    assert set(schema["paths"]["/api/ants-coordination/appointments"]) == {"post", "delete"}
    schemes = list(schema["components"]["securitySchemes"].values())
    headers = {scheme["name"].lower() for scheme in schemes if scheme["type"] == "apiKey"}
    assert headers == {"x-rdv-opt-auth-token", "x-hub-rdv-auth-token"}
    # The trusted third parties' API (guichet.api.professional) uses a bearer token instead.
    assert [scheme.get("scheme") for scheme in schemes if scheme["type"] == "http"] == ["bearer"]
    assert client.get("/api/docs").status_code == 200


def test_meeting_point_ids_that_are_not_ours_get_no_entry(client, demo):
    start, end = _window()
    response = client.get(
        f"{BASE}/availableTimeSlots?meeting_point_ids=abc&meeting_point_ids=99999999999999999999999"
        f"&start_date={start}&end_date={end}&reason=CNI",
        **HUB,
    )
    assert response.status_code == 200
    assert response.json() == {}


def test_callback_url_opens_the_booking_page_prefilled_with_that_slot(client, demo, citizen):
    start, end = _window()
    slots = client.get(
        f"{BASE}/availableTimeSlots?meeting_point_ids={demo.pk}&start_date={start}&end_date={end}"
        "&reason=CNI-PASSPORT&documents_number=2",
        **HUB,
    ).json()[str(demo.pk)]
    chosen = slots[0]
    client.force_login(citizen)
    page = client.get(chosen["callback_url"].removeprefix("https://guichet.example.fr"))
    assert page.status_code == 200
    assert page.context["place"] == demo
    assert page.context["starts_at"].astimezone(PARIS).strftime("%Y-%m-%dT%H:%MZ") == chosen["datetime"]
    assert page.context["files"] == 2
