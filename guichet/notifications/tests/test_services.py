from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from guichet.core.exceptions import InvalidInput
from guichet.notifications.channels.sms import InvalidPhoneNumber, sms_is_gsm7, sms_length
from guichet.notifications.models import Channel, DeliveryStatus, Notification
from guichet.notifications.services import (
    DeliveryOutcome,
    InvalidEmailAddress,
    UnknownNotificationTemplate,
    notification_deliver,
    notification_dispatch_due,
    notification_enqueue,
    notification_retry_delay,
)

from .outbox import AVAILABLE_CONTEXT, due_sms

pytestmark = pytest.mark.django_db

STATUS_CONTEXT = {
    "dossier_reference": "CN-7K3M-9QXP",
    "procedure_label": "demande de carte nationale d'identité",
    "status_label": "En instruction",
    "dossier_path": "/usager/dossiers/CN-7K3M-9QXP/",
    "recipient_name": "Camille Martin",
}


def enqueue_sms(**overrides):
    arguments = {
        "event_key": "dossier:1:available",
        "channel": Channel.SMS,
        "recipient": "06 12 34 56 78",
        "template": "title_available",
        "context": AVAILABLE_CONTEXT,
    }
    return notification_enqueue(**{**arguments, **overrides})


def let_time_pass(notification):
    """The retry delay has elapsed (and the dispatcher's grace period too)."""
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=5))


def test_same_event_enqueued_twice_gives_one_row_and_one_send(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue_sms()
    with django_capture_on_commit_callbacks(execute=True):
        second = enqueue_sms(recipient="+33612345678")  # same number, written differently
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 0
    assert len(sms_outbox) == 1


def test_same_event_for_another_channel_or_recipient_is_a_new_notification(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_sms()
        enqueue_sms(recipient="07 00 00 00 01")
        notification_enqueue(
            event_key="dossier:1:available",
            channel=Channel.EMAIL,
            recipient="camille@example.org",
            template="title_available",
            context=AVAILABLE_CONTEXT,
        )
    assert Notification.objects.count() == 3
    assert Notification.objects.filter(status=DeliveryStatus.SENT).count() == 3


def test_nothing_is_sent_before_the_transaction_commits(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = enqueue_sms()
    assert sms_outbox == []
    assert notification.status == DeliveryStatus.PENDING
    assert len(callbacks) == 1


def test_delivered_sms_records_status_attempt_provider_id_and_time(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        notification = enqueue_sms()
    notification.refresh_from_db()
    [sms] = sms_outbox
    assert sms.to == "+33612345678"
    assert "PA-4HJW-2TRN" in sms.text
    assert "Mairie de Saint-Jean-de-Luz" in sms.text
    assert notification.status == DeliveryStatus.SENT
    assert notification.attempts == 1
    assert notification.provider_message_id == sms.message_id
    assert notification.sent_at is not None
    assert notification.last_error == ""


@pytest.mark.parametrize(
    ("template", "context"), [("title_available", AVAILABLE_CONTEXT), ("dossier_status_changed", STATUS_CONTEXT)]
)
def test_shipped_sms_templates_fit_one_gsm7_message(django_capture_on_commit_callbacks, sms_outbox, template, context):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_sms(template=template, context=context)
    [sms] = sms_outbox
    assert sms_is_gsm7(sms.text)
    assert sms_length(sms.text) <= 160


def test_email_has_a_plain_text_part_and_an_accessible_html_part(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_enqueue(
            event_key="dossier:1:status:instruction",
            channel=Channel.EMAIL,
            recipient="camille@example.org",
            template="dossier_status_changed",
            context=STATUS_CONTEXT,
            recipient_user_id=7,
        )
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    assert message.to == ["camille@example.org"]
    assert message.subject == "Votre dossier CN-7K3M-9QXP a changé d'étape"
    assert "Nouvelle étape : En instruction" in message.body
    assert "http://127.0.0.1:8000/usager/dossiers/CN-7K3M-9QXP/" in message.body
    assert "<" not in message.body  # the text part is text, not markup
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert isinstance(html, str)
    assert '<html lang="fr"' in html
    assert "<h1" in html
    assert 'href="http://127.0.0.1:8000/usager/dossiers/CN-7K3M-9QXP/"' in html
    assert "Voir mon dossier CN-7K3M-9QXP" in html  # the link says where it goes
    assert "demande de carte nationale d&#x27;identité" in html  # context is escaped in HTML
    notification.refresh_from_db()
    assert notification.provider_message_id == message.extra_headers["Message-ID"]


def test_title_available_email_gives_place_address_and_hours(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_enqueue(
            event_key="dossier:2:available",
            channel=Channel.EMAIL,
            recipient="camille@example.org",
            template="title_available",
            context=AVAILABLE_CONTEXT,
        )
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    for expected in (
        "Mairie de Saint-Jean-de-Luz",
        "Place Louis XIV, 64500 Saint-Jean-de-Luz",
        "8 h 30",
        "15 mars 2027",
    ):
        assert expected in message.body
        assert expected in str(message.alternatives[0][0])


def test_sms_to_a_landline_is_refused_with_a_clear_error():
    with pytest.raises(InvalidPhoneNumber) as excinfo:
        enqueue_sms(recipient="01 23 45 67 89")
    assert "06 ou 07" in excinfo.value.message
    assert Notification.objects.count() == 0


def test_invalid_email_address_and_unknown_template_are_refused():
    with pytest.raises(InvalidEmailAddress):
        notification_enqueue(
            event_key="e", channel=Channel.EMAIL, recipient="pas-une-adresse", template="title_available", context={}
        )
    with pytest.raises(UnknownNotificationTemplate):
        enqueue_sms(template="does_not_exist")
    with pytest.raises(UnknownNotificationTemplate):
        enqueue_sms(template="../title_available")
    with pytest.raises(InvalidInput):
        enqueue_sms(event_key="x" * 121)
    assert Notification.objects.count() == 0


def test_a_second_delivery_of_the_same_row_sends_nothing(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=True):
        notification = enqueue_sms()
    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.SKIPPED
    assert len(sms_outbox) == 1


@override_settings(GUICHET_NOTIFICATION_RETRY_BASE_SECONDS=60, GUICHET_NOTIFICATION_RETRY_MAX_SECONDS=3600)
def test_retry_delay_grows_exponentially_with_jitter_and_a_cap():
    for attempts, ceiling in [(1, 60), (2, 120), (3, 240), (4, 480), (10, 3600)]:
        delays = {notification_retry_delay(attempts=attempts) for _ in range(20)}
        assert all(timedelta(seconds=ceiling / 2) <= delay <= timedelta(seconds=ceiling) for delay in delays)
        assert len(delays) > 1  # jitter: workers do not all come back at the same second


def test_failures_are_retried_with_backoff_then_marked_failed(
    django_capture_on_commit_callbacks, sms_gateway, settings
):
    settings.GUICHET_SMS_PROVIDER = "guichet.notifications.channels.sms.HttpSmsProvider"
    settings.GUICHET_SMS_HTTP_URL = sms_gateway.url("/down")
    settings.GUICHET_SMS_HTTP_TOKEN = "t"
    settings.GUICHET_NOTIFICATION_MAX_ATTEMPTS = 3
    settings.GUICHET_NOTIFICATION_RETRY_BASE_SECONDS = 60

    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        notification = enqueue_sms()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.PENDING, 1)
    assert notification.last_error == "sms_http_status 503"
    assert before + timedelta(seconds=30) <= notification.next_attempt_at <= timezone.now() + timedelta(seconds=60)

    # Not due yet: the dispatcher leaves it alone.
    assert notification_dispatch_due() == 0
    assert len(sms_gateway.received) == 1

    let_time_pass(notification)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_dispatch_due() == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.PENDING, 2)
    assert before + timedelta(seconds=60) <= notification.next_attempt_at <= timezone.now() + timedelta(seconds=120)

    let_time_pass(notification)
    with django_capture_on_commit_callbacks(execute=True):
        notification_dispatch_due()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.FAILED, 3)
    assert notification.last_error == "sms_http_status 503"
    assert notification.next_attempt_at is None
    assert len(sms_gateway.received) == 3

    let_time_pass(notification)
    assert notification_dispatch_due() == 0  # failed rows stay failed
    assert len(sms_gateway.received) == 3


def test_permanent_rejection_fails_at_once_without_personal_data(
    django_capture_on_commit_callbacks, sms_gateway, settings
):
    settings.GUICHET_SMS_PROVIDER = "guichet.notifications.channels.sms.HttpSmsProvider"
    settings.GUICHET_SMS_HTTP_URL = sms_gateway.url("/reject")
    with django_capture_on_commit_callbacks(execute=True):
        notification = enqueue_sms()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.FAILED, 1)
    assert notification.last_error == "sms_http_status 400"
    assert "612345678" not in notification.last_error
    assert "Saint-Jean" not in notification.last_error


def test_retry_is_enqueued_with_run_after_on_the_database_backend(
    django_capture_on_commit_callbacks, sms_gateway, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.GUICHET_SMS_PROVIDER = "guichet.notifications.channels.sms.HttpSmsProvider"
    settings.GUICHET_SMS_HTTP_URL = sms_gateway.url("/down")
    with django_capture_on_commit_callbacks(execute=True):
        notification = enqueue_sms()
    [first_task] = DBTaskResult.objects.all()
    assert first_task.args_kwargs["kwargs"] == {"notification_id": notification.pk}
    assert sms_gateway.received == []  # the worker has not run yet

    with django_capture_on_commit_callbacks(execute=True):
        assert (
            notification_deliver(notification_id=notification.pk) == DeliveryOutcome.RETRY_SCHEDULED
        )  # as the worker would
    notification.refresh_from_db()
    retry_task = DBTaskResult.objects.exclude(pk=first_task.pk).get()
    assert retry_task.args_kwargs["kwargs"] == {"notification_id": notification.pk}
    assert retry_task.run_after == notification.next_attempt_at
    assert retry_task.run_after > timezone.now()


def test_dispatch_due_recovers_a_pending_row_whose_task_was_lost(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=False):
        notification = enqueue_sms()  # the process died before the task was enqueued
    assert sms_outbox == []
    assert notification_dispatch_due() == 0  # within the grace period a normal task may still be on its way

    let_time_pass(notification)
    call_command("notifications_dispatch_due")
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.SENT
    assert len(sms_outbox) == 1

    call_command("notifications_dispatch_due")  # running it again sends nothing more
    assert len(sms_outbox) == 1


def test_dispatch_due_recovers_a_row_left_sending_by_a_crashed_worker(django_capture_on_commit_callbacks, sms_outbox):
    with django_capture_on_commit_callbacks(execute=False):
        notification = enqueue_sms()
    # A worker claimed it and died before sending: the row stays `sending` until its lease expires.
    Notification.objects.filter(pk=notification.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=10)
    )
    assert notification_dispatch_due() == 0
    assert sms_outbox == []

    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert notification_dispatch_due() == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.SENT, 2)
    assert len(sms_outbox) == 1


class ExplodingSmsProvider:
    """A provider whose library fails with a message quoting the number, as some SDKs do."""

    def send(self, *, to: str, text: str, reference: str = "") -> str:
        raise RuntimeError(f"gateway refused {to}")


def test_unexpected_provider_errors_are_retried_and_keep_no_personal_data(django_capture_on_commit_callbacks, settings):
    settings.GUICHET_SMS_PROVIDER = f"{__name__}.ExplodingSmsProvider"
    with django_capture_on_commit_callbacks(execute=True):
        notification = enqueue_sms()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.PENDING, 1)
    assert notification.last_error == "unexpected RuntimeError"


def test_unreachable_smtp_server_is_a_retryable_failure(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard port: nothing listens
    settings.EMAIL_TIMEOUT = 2
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_enqueue(
            event_key="dossier:3:status:refused",
            channel=Channel.EMAIL,
            recipient="camille@example.org",
            template="dossier_status_changed",
            context=STATUS_CONTEXT,
        )
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.PENDING
    assert notification.last_error == "smtp_unavailable ConnectionRefusedError"
    assert "camille" not in notification.last_error


def test_sms_through_the_http_provider_records_the_gateway_message_id(
    django_capture_on_commit_callbacks, sms_gateway, settings
):
    settings.GUICHET_SMS_PROVIDER = "guichet.notifications.channels.sms.HttpSmsProvider"
    settings.GUICHET_SMS_HTTP_URL = sms_gateway.url("/messages")
    settings.GUICHET_SMS_HTTP_TOKEN = "jeton"
    with django_capture_on_commit_callbacks(execute=True):
        notification = enqueue_sms()
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.SENT
    assert notification.provider_message_id == "gw-1"
    [request] = sms_gateway.received
    assert request["authorization"] == "Bearer jeton"
    assert request["json"]["to"] == "+33612345678"
    assert "PA-4HJW-2TRN" in request["json"]["text"]


def test_a_row_written_without_a_due_time_is_still_dispatched(sms_outbox):
    notification = Notification.objects.create(
        event_key="legacy:1",
        channel=Channel.SMS,
        recipient="+33712345678",
        template="title_available",
        context=AVAILABLE_CONTEXT,
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert notification_dispatch_due() == 1
    assert len(sms_outbox) == 1


def test_the_database_refuses_a_sent_row_without_its_sending_time():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            event_key="x", channel=Channel.SMS, recipient="+33612345678", template="t", status=DeliveryStatus.SENT
        )


def test_batch_delivery_sends_each_due_notification_once_and_leaves_the_others(sms_outbox):
    from guichet.notifications.services import notification_deliver_batch

    due = due_sms(3, key="batch")
    later = Notification.objects.create(
        event_key="batch:later",
        channel=Channel.SMS,
        recipient="+33612345699",
        template="title_available",
        context=AVAILABLE_CONTEXT,
        next_attempt_at=timezone.now() + timedelta(hours=1),
    )
    assert notification_deliver_batch(limit=2) == {"sent": 2}
    assert notification_deliver_batch(limit=2) == {"sent": 1}
    assert notification_deliver_batch(limit=2) == {}
    assert sorted(m.to for m in sms_outbox) == sorted(n.recipient for n in due)
    later.refresh_from_db()
    assert later.status == DeliveryStatus.PENDING and later.attempts == 0


def test_the_provider_gets_the_same_reference_at_every_attempt_of_a_notification(sms_outbox, settings):
    from guichet.notifications.services import notification_reference

    settings.GUICHET_SMS_PROVIDER = f"{__name__}.ReferenceRecorder"
    notification = Notification.objects.create(
        event_key="ref:1",
        channel=Channel.SMS,
        recipient="+33612345600",
        template="title_available",
        context=AVAILABLE_CONTEXT,
        next_attempt_at=timezone.now(),
    )
    notification_deliver(notification_id=notification.pk)
    assert ReferenceRecorder.references == [notification_reference(notification)]


class ReferenceRecorder:
    references: list[str] = []

    def send(self, *, to: str, text: str, reference: str = "") -> str:
        ReferenceRecorder.references.append(reference)
        return "recorded"
