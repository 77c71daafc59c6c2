"""A dispatch batch hands its SMS to an HTTP gateway over one kept-alive connection, not one connection per SMS."""

import pytest

from guichet.notifications.models import DeliveryStatus, Notification
from guichet.notifications.services import notification_deliver_batch

from .outbox import due_sms

pytestmark = pytest.mark.django_db


def test_a_batch_sends_every_sms_over_one_connection_to_the_gateway(sms_gateway, settings):
    settings.GUICHET_SMS_PROVIDER = "guichet.notifications.channels.sms.HttpSmsProvider"
    settings.GUICHET_SMS_HTTP_URL = sms_gateway.url("/send")
    due = due_sms(5, key="keep-alive")

    assert notification_deliver_batch(limit=10) == {"sent": 5}

    assert sorted(r["json"]["to"] for r in sms_gateway.received) == sorted(n.recipient for n in due)
    assert len({r["connection"] for r in sms_gateway.received}) == 1
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
