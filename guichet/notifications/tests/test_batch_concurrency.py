"""Batch delivery by parallel dispatch workers, proven on PostgreSQL: disjoint batches, each row sent once."""

import pytest
from django.utils import timezone

from guichet.notifications.models import Channel, DeliveryStatus, Notification
from guichet.notifications.services import notification_deliver_batch

from .conftest import skip_unless_postgresql
from .test_concurrency import CONTEXT, run_together

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_parallel_batch_workers_send_every_notification_exactly_once(sms_outbox):
    skip_unless_postgresql()
    Notification.objects.bulk_create(
        Notification(
            event_key=f"title-available-{index}",
            channel=Channel.SMS,
            recipient=f"+336{index:08d}",
            template="title_available",
            context=CONTEXT,
            next_attempt_at=timezone.now(),
        )
        for index in range(300)
    )

    def drain() -> int:
        sent = 0
        while outcomes := notification_deliver_batch(limit=25):
            sent += outcomes.get("sent", 0)
        return sent

    counts = run_together(4, drain)

    assert sum(counts) == 300, counts
    assert sorted(m.to for m in sms_outbox) == sorted(f"+336{index:08d}" for index in range(300))
    assert Notification.objects.filter(status=DeliveryStatus.SENT, attempts=1).count() == 300
