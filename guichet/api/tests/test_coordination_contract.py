"""Contract of the appointment coordination API (INTEROP.md §1), over HTTP with exact headers, codes and JSON."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from guichet.api.models import ApiCallLog, ApiClient, ClientKind
from guichet.api.services import api_client_issue, api_client_revoke
from guichet.appointments.models import ExternalAppointment
from guichet.appointments.selectors import bookable_starts
from guichet.appointments.services import appointment_book
from guichet.territory.opening_hours import PARIS

from .conftest import EDITOR

BASE = "/api/ants-coordination"
UNAUTHORIZED = {"detail": "X-RDV-OPT-AUTH-TOKEN header invalid"}
APPOINTMENT = {
    "application_id": "DEMOVALID1",
    "meeting_point": "Mairie de Saint-Malo",
    "meeting_point_id": "123456",
    "appointment_date": "2030-01-15 10:30:00",
    "management_url": "https://rdv.example.org/rdvs/42",
}


def test_missing_token_is_refused_with_exact_body(client, demo):
    response = client.get(f"{BASE}/status", {"application_ids": "DEMOVALID1"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_wrong_token_is_refused_on_every_call(client, demo, method):
    path = f"{BASE}/status?application_ids=DEMOVALID1" if method == "get" else f"{BASE}/appointments"
    response = getattr(client, method)(path, HTTP_X_RDV_OPT_AUTH_TOKEN="not-a-token")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_revoked_token_is_refused(client, demo):
    editor, token = api_client_issue(name="Logiciel X", kind=ClientKind.COORDINATION_EDITOR, actor=None)
    assert client.get(f"{BASE}/status?application_ids=DEMOVALID1", HTTP_X_RDV_OPT_AUTH_TOKEN=token).status_code == 200
    api_client_revoke(client=editor, actor=None)
    response = client.get(f"{BASE}/status?application_ids=DEMOVALID1", HTTP_X_RDV_OPT_AUTH_TOKEN=token)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_hub_token_does_not_open_the_coordination_api(client, demo):
    response = client.get(f"{BASE}/status?application_ids=DEMOVALID1", HTTP_X_RDV_OPT_AUTH_TOKEN="demo-hub-token")
    assert response.status_code == 401


def test_demo_token_refused_when_demo_data_not_allowed(client, demo, settings):
    settings.GUICHET_DEMO_DATA_ALLOWED = False
    response = client.get(f"{BASE}/status?application_ids=DEMOVALID1", **EDITOR)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_tokens_are_stored_hashed(demo):
    assert not ApiClient.objects.filter(token_digest="demo-editor-token").exists()
    assert ApiClient.objects.filter(kind=ClientKind.COORDINATION_EDITOR, is_demo=True).count() == 1


def test_status_of_every_demo_status_and_unknown_ids(client, demo):
    ids = ["DEMOVALID1", "DEMODECLA1", "DEMOCONSU2", "DEMOEXPIR3", "UNKNOWN123", "demovalid5"]
    response = client.get(f"{BASE}/status", {"application_ids": ids}, **EDITOR)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "DEMOVALID1": {"status": "validated", "appointments": []},
        "DEMODECLA1": {"status": "declared", "appointments": []},
        "DEMOCONSU2": {"status": "consumed", "appointments": []},
        "DEMOEXPIR3": {"status": "expired", "appointments": []},
        "UNKNOWN123": {"status": "unknown", "appointments": []},
        "demovalid5": {"status": "validated", "appointments": []},
    }


def test_header_name_is_case_insensitive(client, demo):
    response = client.get(
        f"{BASE}/status?application_ids=DEMOVALID1", headers={"X-Rdv-Opt-Auth-Token": "demo-editor-token"}
    )
    assert response.status_code == 200


def test_status_without_ids_names_the_missing_parameter(client, demo):
    response = client.get(f"{BASE}/status", **EDITOR)
    assert response.status_code == 422
    assert "application_ids" in str(response.json())


def test_post_registers_then_status_returns_it_as_registered(client, demo):
    response = client.post(f"{BASE}/appointments?" + _query(APPOINTMENT), **EDITOR)
    assert response.status_code == 200
    assert response.json() == {"success": True}
    status = client.get(f"{BASE}/status?application_ids=DEMOVALID1&meeting_point_id=123456", **EDITOR).json()
    assert status == {
        "DEMOVALID1": {
            "status": "validated",
            "appointments": [
                {
                    "management_url": "https://rdv.example.org/rdvs/42",
                    "meeting_point": "Mairie de Saint-Malo",
                    "meeting_point_id": "123456",
                    "appointment_date": "2030-01-15 10:30:00",
                    "editor_comment": None,
                }
            ],
        }
    }
    stored = ExternalAppointment.objects.get()
    assert stored.appointment_at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M") == "2030-01-15 10:30"
    assert stored.editor_name == "Éditeur de démonstration"


def test_same_application_and_management_url_is_idempotent(client, demo):
    for _ in range(3):
        response = client.post(f"{BASE}/appointments?" + _query(APPOINTMENT), **EDITOR)
        assert response.status_code == 200
        assert response.json() == {"success": True}
    assert ExternalAppointment.objects.count() == 1


@pytest.mark.parametrize(
    ("raw", "expected_utc"),
    [
        ("2030-01-15 10:30:00", "2030-01-15T09:30:00+00:00"),
        ("2030-01-15T10:30:00", "2030-01-15T09:30:00+00:00"),
        ("2030-01-15T10:30:00+01:00", "2030-01-15T09:30:00+00:00"),
        ("2030-01-15T09:30:00Z", "2030-01-15T09:30:00+00:00"),
        ("2030-07-15T10:30:00+02:00", "2030-07-15T08:30:00+00:00"),
    ],
)
def test_appointment_date_formats(client, demo, raw, expected_utc):
    response = client.post(f"{BASE}/appointments?" + _query({**APPOINTMENT, "appointment_date": raw}), **EDITOR)
    assert response.status_code == 200
    stored = ExternalAppointment.objects.get()
    assert stored.appointment_at.astimezone(UTC).isoformat() == expected_utc
    assert stored.appointment_date == raw


def test_unreadable_appointment_date_is_a_400_with_detail(client, demo):
    response = client.post(
        f"{BASE}/appointments?" + _query({**APPOINTMENT, "appointment_date": "15/01/2030"}), **EDITOR
    )
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}
    assert "appointment_date" in response.json()["detail"]


@pytest.mark.parametrize("number", ["DEMODECLA1", "DEMOCONSU1", "DEMOEXPIR1", "UNKNOWN123"])
def test_post_on_a_number_not_validated_is_refused(client, demo, number):
    response = client.post(f"{BASE}/appointments?" + _query({**APPOINTMENT, "application_id": number}), **EDITOR)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["detail"] and isinstance(body["detail"], str) and body["detail"]
    assert not ExternalAppointment.objects.exists()


@pytest.mark.parametrize("missing", sorted(APPOINTMENT))
def test_post_missing_parameter_is_named(client, demo, missing):
    params = {k: v for k, v in APPOINTMENT.items() if k != missing}
    response = client.post(f"{BASE}/appointments?" + _query(params), **EDITOR)
    assert response.status_code == 422
    assert missing in str(response.json())


def test_parameters_in_a_body_are_not_read(client, demo):
    response = client.post(f"{BASE}/appointments", APPOINTMENT, **EDITOR)
    assert response.status_code == 422


def test_delete_answers_the_row_count(client, demo):
    client.post(f"{BASE}/appointments?" + _query(APPOINTMENT), **EDITOR)
    delete = {k: v for k, v in APPOINTMENT.items() if k != "management_url"}
    response = client.delete(f"{BASE}/appointments?" + _query(delete), **EDITOR)
    assert response.status_code == 200
    assert response.json() == {"rowcount": 1}
    again = client.delete(f"{BASE}/appointments?" + _query(delete), **EDITOR)
    assert again.json() == {"rowcount": 0}
    assert not ExternalAppointment.objects.exists()


def test_delete_matches_the_same_moment_written_differently(client, demo):
    client.post(f"{BASE}/appointments?" + _query(APPOINTMENT), **EDITOR)
    delete = {k: v for k, v in APPOINTMENT.items() if k != "management_url"}
    delete["appointment_date"] = "2030-01-15T10:30:00+01:00"
    assert client.delete(f"{BASE}/appointments?" + _query(delete), **EDITOR).json() == {"rowcount": 1}


@pytest.mark.parametrize("missing", ["application_id", "meeting_point", "meeting_point_id", "appointment_date"])
def test_delete_missing_parameter_is_named(client, demo, missing):
    params = {k: v for k, v in APPOINTMENT.items() if k not in (missing, "management_url")}
    response = client.delete(f"{BASE}/appointments?" + _query(params), **EDITOR)
    assert response.status_code == 422
    assert missing in str(response.json())


def test_guichet_bookings_appear_with_guichet_management_url(client, demo):
    now = timezone.now()
    start = bookable_starts(place_ids=[demo.pk], start=now, end=now + timedelta(days=14))[demo.pk][0]
    appointment = appointment_book(place=demo, starts_at=start, application_id="DEMOVALID3", actor=None)
    body = client.get(f"{BASE}/status?application_ids=DEMOVALID3", **EDITOR).json()
    assert body == {
        "DEMOVALID3": {
            "status": "validated",
            "appointments": [
                {
                    "management_url": f"https://guichet.example.fr/usager/rendez-vous/{appointment.reference}/",
                    "meeting_point": "Mairie de Rennes",
                    "meeting_point_id": str(demo.pk),
                    "appointment_date": start.astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S"),
                    "editor_comment": None,
                }
            ],
        }
    }


def test_every_call_is_logged_with_the_editor_and_no_personal_data(client, demo):
    client.get(f"{BASE}/status?application_ids=DEMOVALID1&application_ids=DEMOVALID2", **EDITOR)
    client.post(f"{BASE}/appointments?" + _query(APPOINTMENT), **EDITOR)
    client.get(f"{BASE}/status?application_ids=DEMOVALID1", HTTP_X_RDV_OPT_AUTH_TOKEN="wrong")
    logs = list(
        ApiCallLog.objects.order_by("pk").values(
            "client__name", "api", "endpoint", "method", "status_code", "item_count"
        )
    )
    assert logs == [
        {
            "client__name": "Éditeur de démonstration",
            "api": "coordination",
            "endpoint": "status",
            "method": "GET",
            "status_code": 200,
            "item_count": 2,
        },
        {
            "client__name": "Éditeur de démonstration",
            "api": "coordination",
            "endpoint": "appointment_create",
            "method": "POST",
            "status_code": 200,
            "item_count": 0,
        },
        {
            "client__name": None,
            "api": "coordination",
            "endpoint": "status",
            "method": "GET",
            "status_code": 401,
            "item_count": 1,
        },
    ]
    assert "DEMOVALID1" not in str(list(ApiCallLog.objects.values()))


def _query(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


def test_oversized_values_are_a_400_not_a_crash(client, demo):
    response = client.post(
        f"{BASE}/appointments?" + _query({**APPOINTMENT, "meeting_point": "M" * 301}),
        **EDITOR,
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "meeting_point is longer than 300 characters"}
    assert not ExternalAppointment.objects.exists()


def test_an_appointment_registered_elsewhere_triggers_the_second_appointment_warning(client, demo):
    from guichet.appointments.errors import SecondAppointmentNeedsConfirmation

    future = (timezone.now() + timedelta(days=30)).astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S")
    client.post(f"{BASE}/appointments?" + _query({**APPOINTMENT, "appointment_date": future}), **EDITOR)
    now = timezone.now()
    start = bookable_starts(place_ids=[demo.pk], start=now, end=now + timedelta(days=14))[demo.pk][0]
    with pytest.raises(SecondAppointmentNeedsConfirmation):
        appointment_book(place=demo, starts_at=start, application_id="DEMOVALID1", actor=None)
