"""What the coordination API (INTEROP.md §1) and the slot finder's search (§2) say about Guichet's own
appointments once they are attended, not attended or cancelled: attended ones stay listed (the appointment took
place, as an appointment software keeps it registered), the others are gone (as a software deletes them)."""

from datetime import timedelta

from django.utils import timezone

from guichet.appointments.models import Appointment, AppointmentStatus
from guichet.appointments.tests.factories import appointment_written
from guichet.territory.opening_hours import PARIS

from .conftest import EDITOR, HUB


def _appointment(place, number: str, status: str, *, hours_ago: int) -> Appointment:
    starts_at = (timezone.now() - timedelta(hours=hours_ago)).replace(second=0, microsecond=0)
    return appointment_written(place, number, starts_at=starts_at, status=status)


def test_status_lists_attended_appointments_and_drops_not_attended_and_cancelled(client, demo):
    attended = _appointment(demo, "DEMOCONSU1", AppointmentStatus.ATTENDED, hours_ago=3)
    _appointment(demo, "DEMOVALID2", AppointmentStatus.NO_SHOW, hours_ago=4)
    _appointment(demo, "DEMOVALID3", AppointmentStatus.CANCELLED, hours_ago=5)
    response = client.get(
        "/api/ants-coordination/status?application_ids=DEMOCONSU1&application_ids=DEMOVALID2"
        "&application_ids=DEMOVALID3",
        **EDITOR,
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "DEMOCONSU1": {
            "status": "consumed",
            "appointments": [
                {
                    "management_url": f"https://guichet.example.fr/usager/rendez-vous/{attended.reference}/",
                    "meeting_point": "Mairie de Rennes",
                    "meeting_point_id": str(demo.pk),
                    "appointment_date": attended.starts_at.astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S"),
                    "editor_comment": None,
                }
            ],
        },
        "DEMOVALID2": {"status": "validated", "appointments": []},
        "DEMOVALID3": {"status": "validated", "appointments": []},
    }


def test_search_application_ids_agrees_with_the_coordination_listing(client, demo):
    attended = _appointment(demo, "DEMOCONSU2", AppointmentStatus.ATTENDED, hours_ago=3)
    _appointment(demo, "DEMOVALID4", AppointmentStatus.NO_SHOW, hours_ago=4)
    response = client.get("/api/ants/searchApplicationIds?application_ids=DEMOCONSU2&application_ids=DEMOVALID4", **HUB)
    assert response.status_code == 200
    assert response.json() == {
        "DEMOCONSU2": [
            {
                "meeting_point": "Mairie de Rennes",
                "datetime": attended.starts_at.astimezone(PARIS).isoformat(),
                "management_url": f"https://guichet.example.fr/usager/rendez-vous/{attended.reference}/",
                "cancel_url": f"https://guichet.example.fr/usager/rendez-vous/{attended.reference}/annuler/",
            }
        ],
        "DEMOVALID4": [],
    }
