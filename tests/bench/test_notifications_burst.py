"""The outbox burst's bulk rows (bench/notifications.py) are rows the outbox accepts: a column added to
notifications without the benchmark knowing would fail here rather than in `make bench-notifications`."""

import pytest

from bench.notifications import enqueue, recipient
from guichet.notifications.models import DeliveryStatus, Notification


@pytest.mark.django_db(transaction=True)
def test_the_burst_writes_pending_title_available_sms():
    enqueue(5)
    rows = list(Notification.objects.order_by("id"))
    assert [row.recipient for row in rows] == [recipient(i) for i in range(5)]
    assert {(row.channel, row.template, row.status, row.attempts) for row in rows} == {
        ("sms", "title_available", DeliveryStatus.PENDING, 0)
    }
    assert all(row.attachments == [] and row.context["place_name"] for row in rows)
