"""Concurrency claims, proven on PostgreSQL with real connections (one per thread)."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from guichet.notifications.models import Channel, DeliveryStatus, Notification
from guichet.notifications.services import DeliveryOutcome, notification_deliver, notification_enqueue
from guichet.testing.concurrency import run_together

from .conftest import skip_unless_postgresql

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

CONTEXT = {
    "dossier_reference": "CN-7K3M-9QXP",
    "title_label": "carte nationale d'identité",
    "title_short": "CNI",
    "place_name": "Mairie de Bayonne",
    "place_address": "1 avenue Maréchal Leclerc, 64100 Bayonne",
    "dossier_path": "/usager/dossiers/CN-7K3M-9QXP/",
}


def test_two_workers_delivering_the_same_row_send_it_exactly_once(sms_outbox):
    skip_unless_postgresql()
    notification = Notification.objects.create(
        event_key="dossier:9:available",
        channel=Channel.SMS,
        recipient="+33612345678",
        template="title_available",
        context=CONTEXT,
        next_attempt_at=timezone.now(),
    )

    outcomes = run_together(4, lambda: notification_deliver(notification_id=notification.pk))

    assert sorted(outcomes) == sorted(
        [DeliveryOutcome.SENT, DeliveryOutcome.SKIPPED, DeliveryOutcome.SKIPPED, DeliveryOutcome.SKIPPED]
    )
    assert len(sms_outbox) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.SENT, 1)


def test_concurrent_enqueues_of_the_same_event_create_one_row(sms_outbox):
    skip_unless_postgresql()

    def enqueue() -> int:
        with transaction.atomic():
            notification = notification_enqueue(
                event_key="dossier:9:status:accepted",
                channel=Channel.SMS,
                recipient="0612345678",
                template="title_available",
                context=CONTEXT,
            )
        return notification.pk

    ids = run_together(4, enqueue)

    assert all(isinstance(pk, int) for pk in ids), ids
    assert len(set(ids)) == 1
    assert Notification.objects.count() == 1
    assert len(sms_outbox) == 1
    assert connection.vendor == "postgresql"
