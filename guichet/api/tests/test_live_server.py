"""The coordination API through a real HTTP server and a real HTTP client, as appointment software calls it:
parameters in the query string, no body and no Content-Type."""

import requests

from guichet.api.demo import DEMO_EDITOR_TOKEN


def test_register_read_and_delete_over_real_http(live_server, demo):
    base = f"{live_server.url}/api/ants-coordination"
    headers = {"x-rdv-opt-auth-token": DEMO_EDITOR_TOKEN, "Accept": "application/json"}
    params = {
        "application_id": "DEMOVALID2",
        "meeting_point": "Mairie de Vitré",
        "meeting_point_id": "77",
        "appointment_date": "2030-03-02 14:15:00",
        "management_url": "https://rdv.example.org/rdvs/7",
    }
    created = requests.post(f"{base}/appointments", params=params, headers=headers, timeout=10)
    assert "Content-Type" not in created.request.headers
    assert created.status_code == 200
    assert created.json() == {"success": True}

    status = requests.get(
        f"{base}/status", params={"application_ids": ["DEMOVALID2", "DEMOEXPIR1"]}, headers=headers, timeout=10
    )
    assert status.status_code == 200
    assert status.json() == {
        "DEMOVALID2": {
            "status": "validated",
            "appointments": [
                {
                    "management_url": "https://rdv.example.org/rdvs/7",
                    "meeting_point": "Mairie de Vitré",
                    "meeting_point_id": "77",
                    "appointment_date": "2030-03-02 14:15:00",
                    "editor_comment": None,
                }
            ],
        },
        "DEMOEXPIR1": {"status": "expired", "appointments": []},
    }

    delete_params = {k: v for k, v in params.items() if k != "management_url"}
    deleted = requests.delete(f"{base}/appointments", params=delete_params, headers=headers, timeout=10)
    assert deleted.json() == {"rowcount": 1}

    refused = requests.get(f"{base}/status", params={"application_ids": "DEMOVALID2"}, timeout=10)
    assert refused.status_code == 401
    assert refused.json() == {"detail": "X-RDV-OPT-AUTH-TOKEN header invalid"}
