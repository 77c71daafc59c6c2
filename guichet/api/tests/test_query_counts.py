"""The partner endpoints cost a fixed number of queries, however many numbers or meeting points are asked for."""

from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import EDITOR, HUB


def _count(client, path, headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, **headers).status_code == 200
    return len(captured)


def test_coordination_status_queries_do_not_grow_with_the_ids_asked(client, demo):
    one = _count(client, "/api/ants-coordination/status?application_ids=DEMOVALID1", EDITOR)
    ids = urlencode({"application_ids": [f"DEMOVALID{i}" for i in range(1, 6)] + ["DEMOCONSU1"]}, doseq=True)
    assert _count(client, f"/api/ants-coordination/status?{ids}", EDITOR) == one
    assert one == 4  # token, statuses, appointments (Guichet's and other software's, one query), call log
    # Only malformed numbers: nothing to look up beyond the token, and the call is still logged.
    assert _count(client, "/api/ants-coordination/status?application_ids=not-a-number", EDITOR) == 2


def test_available_time_slots_queries_do_not_grow_with_the_meeting_points(client, demo):
    def path(points) -> str:
        query = {"meeting_point_ids": points, "start_date": "2030-01-01", "end_date": "2030-01-14", "reason": "CNI"}
        return "/api/ants/availableTimeSlots?" + urlencode(query, doseq=True)

    assert _count(client, path([demo.pk]), HUB) == _count(client, path([demo.pk, 999998, 999999]), HUB)
    # token, the managed places with their agenda settings, closures, free slots, call log
    assert _count(client, path([demo.pk]), HUB) == 5
