"""Ids that cannot be pré-demande numbers — control characters, NUL bytes, any length — are answered like unknown
numbers, never with a server error (found by schemathesis on PostgreSQL, which refuses NUL bytes in text)."""

from urllib.parse import urlencode

from .conftest import EDITOR, HUB

ODD_IDS = ["\x00", "ab\x00cd", "é\u200b", "x" * 300, "DEMOVALID1\x00"]


def test_coordination_status_calls_malformed_ids_unknown(client, demo):
    query = urlencode({"application_ids": [*ODD_IDS, "DEMOVALID1"]}, doseq=True)
    response = client.get(f"/api/ants-coordination/status?{query}", **EDITOR)
    assert response.status_code == 200
    body = response.json()
    assert body["DEMOVALID1"]["status"] == "validated"
    assert {body[raw]["status"] for raw in ODD_IDS} == {"unknown"}


def test_search_application_ids_finds_nothing_for_malformed_ids(client, demo):
    query = urlencode({"application_ids": ODD_IDS}, doseq=True)
    response = client.get(f"/api/ants/searchApplicationIds?{query}", **HUB)
    assert response.status_code == 200
    assert all(appointments == [] for appointments in response.json().values())
