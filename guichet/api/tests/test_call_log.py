"""Every answer of the partner APIs is logged once, refusals and answers the views serialise themselves included;
outside a transaction the row is written with an asynchronous commit that does not outlive its statement."""

import pytest
from django.db import connection

from guichet.api.models import ApiCallLog

from .conftest import EDITOR, HUB

SLOTS = "/api/ants/availableTimeSlots?meeting_point_ids={pk}&start_date=2030-01-01&end_date=2030-01-14&reason=CNI"


def _logged(client, path, headers, status):
    before = ApiCallLog.objects.count()
    assert client.get(path, **headers).status_code == status
    assert ApiCallLog.objects.count() == before + 1
    return ApiCallLog.objects.order_by("-pk").values("client__name", "api", "endpoint", "status_code", "item_count")[0]


def test_each_answer_is_logged_once(client, demo):
    assert _logged(client, SLOTS.format(pk=demo.pk), HUB, 200) == {
        "client__name": "Moteur de recherche de démonstration",
        "api": "provider",
        "endpoint": "available_time_slots",
        "status_code": 200,
        "item_count": 1,
    }
    assert _logged(client, "/api/ants/availableTimeSlots?meeting_point_ids=1", HUB, 400)["status_code"] == 400
    refused = _logged(client, SLOTS.format(pk=demo.pk), {"HTTP_X_HUB_RDV_AUTH_TOKEN": "wrong"}, 401)
    assert refused["client__name"] is None and refused["status_code"] == 401
    missing = _logged(client, "/api/ants-coordination/status", EDITOR, 422)
    assert missing["endpoint"] == "status" and missing["item_count"] == 0


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_row_is_written_and_the_setting_does_not_leak(client, demo):
    assert not connection.in_atomic_block
    assert _logged(client, "/api/ants-coordination/status?application_ids=DEMOVALID1", EDITOR, 200)["api"] == (
        "coordination"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
