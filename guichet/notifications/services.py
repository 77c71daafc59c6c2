"""Outbox services: enqueue a notification once per (event, recipient, channel), deliver it, retry, recover.

Delivery is at-least-once towards the provider only when a worker dies between sending and recording the
result (the row's lease then expires and `notification_dispatch_due` hands it out again); in every other
case a row is sent at most once, because each attempt first claims the row with a guarded UPDATE.
"""

import enum
import json
import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.core.exceptions import InvalidInput

from .attachments import Attachment, InvalidAttachment, attachments_clean, attachments_from_json, attachments_to_json
from .channels import DeliveryError, PermanentDeliveryError
from .channels.email import email_send
from .channels.sms import SmsProvider, phone_normalize_french_mobile, sms_provider, sms_provider_close
from .models import Channel, DeliveryStatus, Notification
from .rendering import render_email, render_sms, template_exists

logger = logging.getLogger(__name__)

# How long a worker may hold a row in `sending` before `notification_dispatch_due` deems it lost
# (setting GUICHET_NOTIFICATION_SENDING_LEASE_SECONDS).
SENDING_LEASE = timedelta(minutes=15)
# A due row is re-dispatched only after this grace period, so that normal deliveries are not duplicated.
DISPATCH_GRACE = timedelta(minutes=2)
# Batch delivery records successes this many at a time.
RECORD_EVERY = 25
_TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,80}$")


class InvalidEmailAddress(InvalidInput):
    code = "invalid_email_address"
    default_message = _("Cette adresse électronique n'est pas valide.")


class UnknownNotificationTemplate(InvalidInput):
    code = "unknown_notification_template"
    default_message = _("Ce modèle de message n'existe pas pour ce canal.")


class DeliveryOutcome(enum.StrEnum):
    SENT = "sent"
    RETRY_SCHEDULED = "retry_scheduled"
    FAILED = "failed"
    SKIPPED = "skipped"  # not due, already sent, or claimed by another worker


def _normalize_recipient(*, channel: str, recipient: str) -> str:
    if channel == Channel.SMS:
        return phone_normalize_french_mobile(recipient)
    address = (recipient or "").strip()
    try:
        validate_email(address)
    except ValidationError as error:
        raise InvalidEmailAddress() from error
    return address


@transaction.atomic
def notification_enqueue(
    *,
    event_key: str,
    channel: str,
    recipient: str,
    template: str,
    context: dict[str, Any],
    recipient_user_id: int | None = None,
    attachments: Sequence[Attachment] = (),
) -> Notification:
    """Writes the notification in the caller's transaction and delivers it after commit.

    Calling it again for the same (event_key, recipient, channel) returns the existing row and sends nothing,
    also when two transactions race (the unique constraint decides, the loser reads the winner's row).
    `attachments` (e-mail only) are stored with the row, so that a retry sends the very same files.
    """
    if channel not in Channel.values:
        raise InvalidInput(code="unknown_channel")
    if not event_key or len(event_key) > Notification._meta.get_field("event_key").max_length:  # type: ignore[operator]
        raise InvalidInput(code="invalid_event_key")
    if not _TEMPLATE_NAME.match(template) or not template_exists(template=template, channel=channel):
        raise UnknownNotificationTemplate()
    if attachments and channel != Channel.EMAIL:
        raise InvalidAttachment(code="attachments_not_supported")
    stored_attachments = attachments_to_json(attachments_clean(attachments))
    recipient = _normalize_recipient(channel=channel, recipient=recipient)
    try:
        json.dumps(context)
    except (TypeError, ValueError) as error:
        raise InvalidInput(code="notification_context_not_json") from error
    identity = {"event_key": event_key, "recipient": recipient, "channel": channel}
    existing = Notification.objects.filter(**identity).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                **identity,
                template=template,
                context=context,
                attachments=stored_attachments,
                recipient_user_id=recipient_user_id,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        existing = Notification.objects.filter(**identity).first()
        if existing is None:
            raise
        return existing
    transaction.on_commit(partial(_schedule_delivery, notification.pk))
    return notification


def _schedule_delivery(notification_id: int, run_after: datetime | None = None) -> None:
    from .tasks import deliver_notification

    task = deliver_notification
    if run_after is not None:
        if not task.get_backend().supports_defer:
            # Backends without deferral (the immediate one in tests): `notification_dispatch_due` sends it later.
            return
        task = task.using(run_after=run_after)
    try:
        task.enqueue(notification_id=notification_id)
    except Exception:
        # The row stays pending: `notification_dispatch_due` will hand it out again.
        logger.exception("Could not enqueue delivery of notification %s", notification_id)


def notification_retry_delay(*, attempts: int) -> timedelta:
    """Exponential backoff with jitter: between half and all of base × 2^(attempts-1), capped."""
    base = float(getattr(settings, "GUICHET_NOTIFICATION_RETRY_BASE_SECONDS", 60))
    cap = float(getattr(settings, "GUICHET_NOTIFICATION_RETRY_MAX_SECONDS", 6 * 3600))
    ceiling = min(cap, base * 2 ** max(attempts - 1, 0))
    jitter_ms = secrets.randbelow(int(ceiling * 500) + 1)  # up to half of the ceiling, in milliseconds
    return timedelta(seconds=ceiling / 2) + timedelta(milliseconds=jitter_ms)


def _sending_lease() -> timedelta:
    seconds = getattr(settings, "GUICHET_NOTIFICATION_SENDING_LEASE_SECONDS", None)
    return SENDING_LEASE if seconds is None else timedelta(seconds=int(seconds))


def _claim(*, notification_id: int, now: datetime) -> Notification | None:
    max_attempts = settings.GUICHET_NOTIFICATION_MAX_ATTEMPTS
    # The WHERE clause is the lock: of two workers running this at once, only one updates the row.
    claimed = (
        Notification.objects.filter(pk=notification_id, status=DeliveryStatus.PENDING, attempts__lt=max_attempts)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
        .update(
            status=DeliveryStatus.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + _sending_lease(),
            updated_at=now,
        )
    )
    if not claimed:
        return None
    return Notification.objects.get(pk=notification_id)


def _due_pending(now: datetime):
    return Notification.objects.filter(
        status=DeliveryStatus.PENDING, attempts__lt=settings.GUICHET_NOTIFICATION_MAX_ATTEMPTS
    ).filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))


@transaction.atomic
def _claim_batch(*, now: datetime, limit: int) -> list[Notification]:
    """Claims up to `limit` due rows at once. SKIP LOCKED lets parallel workers take disjoint batches on PostgreSQL;
    the guarded UPDATE (still `pending`) keeps the claim exclusive everywhere."""
    ids = list(
        _due_pending(now)
        .select_for_update(skip_locked=True)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return []
    _due_pending(now).filter(pk__in=ids).update(
        status=DeliveryStatus.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + _sending_lease(),
        updated_at=now,
    )
    return list(Notification.objects.filter(pk__in=ids, status=DeliveryStatus.SENDING, updated_at=now))


def notification_reference(notification: Notification) -> str:
    return f"guichet-notification-{notification.pk}"


def _send(notification: Notification, sms: SmsProvider | None = None) -> str:
    """Hands the message to its channel; `sms`, when given, is the provider a whole batch shares."""
    if notification.channel == Channel.EMAIL:
        rendered = render_email(template=notification.template, context=notification.context)
        try:
            attachments = attachments_from_json(notification.attachments)
        except InvalidAttachment as error:
            raise PermanentDeliveryError("attachment_unreadable") from error
        return email_send(
            to=notification.recipient,
            subject=rendered.subject,
            text_body=rendered.text_body,
            html_body=rendered.html_body,
            attachments=attachments,
        )
    if notification.channel == Channel.SMS:
        text = render_sms(template=notification.template, context=notification.context)
        # A reference stable across attempts: a provider that deduplicates drops a resend after a crash.
        reference = notification_reference(notification)
        if sms is not None:
            return sms.send(to=notification.recipient, text=text, reference=reference)
        provider = sms_provider()
        try:
            return provider.send(to=notification.recipient, text=text, reference=reference)
        finally:
            sms_provider_close(provider)
    raise PermanentDeliveryError(f"unknown_channel {notification.channel[:20]}")


def notification_deliver(*, notification_id: int) -> DeliveryOutcome:
    """One delivery attempt. Claims the row, sends outside any transaction, then records the outcome."""
    now = timezone.now()
    notification = _claim(notification_id=notification_id, now=now)
    if notification is None:
        return DeliveryOutcome.SKIPPED
    return _send_claimed(notification)


def notification_deliver_batch(*, limit: int = 200, now: datetime | None = None) -> dict[str, int]:
    """Claims a batch of due notifications and delivers them, for dispatch workers that drain the outbox faster
    than one task per notification; safe beside them and beside each other. Returns the count of each outcome.

    Successes are recorded RECORD_EVERY at a time (one UPDATE instead of one per row: the round trips to the
    database are what limits a worker). A worker killed meanwhile leaves at most that many rows sent but not
    recorded; they go back to `pending` after their lease and are sent again with the same provider reference,
    which lets the provider drop the copy.
    """
    outcomes: dict[str, int] = {}
    sent: list[Notification] = []
    sms = sms_provider()  # one for the batch: an HTTP provider keeps its connection from one SMS to the next
    try:
        for notification in _claim_batch(now=now or timezone.now(), limit=limit):
            outcome = _send_claimed(notification, record=False, sms=sms)
            if outcome == DeliveryOutcome.SENT:
                sent.append(notification)
                if len(sent) >= RECORD_EVERY:
                    _record_sent(sent)
                    sent = []
            outcomes[outcome.value] = outcomes.get(outcome.value, 0) + 1
    finally:
        sms_provider_close(sms)
    _record_sent(sent)
    return outcomes


def _record_sent(notifications: list[Notification]) -> None:
    """Marks rows sent (only those still `sending`: a row given back meanwhile keeps its new state)."""
    if not notifications:
        return
    now = timezone.now()
    if connection.vendor == "postgresql":
        # One statement for the whole group; each row keeps its own provider message id.
        table = connection.ops.quote_name(Notification._meta.db_table)
        values = ", ".join(["(%s::bigint, %s)"] * len(notifications))
        parameters: list[Any] = [DeliveryStatus.SENT, now, now]
        for notification in notifications:
            parameters += [notification.pk, notification.provider_message_id]
        parameters.append(DeliveryStatus.SENDING)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = %s, sent_at = %s, updated_at = %s, last_error = '', "  # noqa: S608
                f"next_attempt_at = NULL, provider_message_id = sent.provider_id FROM (VALUES {values}) "
                f"AS sent (id, provider_id) WHERE {table}.id = sent.id AND {table}.status = %s",
                parameters,
            )
        return
    for notification in notifications:
        Notification.objects.filter(pk=notification.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.SENT,
            sent_at=now,
            provider_message_id=notification.provider_message_id,
            last_error="",
            next_attempt_at=None,
            updated_at=now,
        )


def _send_claimed(
    notification: Notification, *, record: bool = True, sms: SmsProvider | None = None
) -> DeliveryOutcome:
    try:
        provider_message_id = _send(notification, sms)
    except DeliveryError as error:
        return _record_failure(notification=notification, reason=error.reason, retryable=error.retryable)
    except Exception as error:
        # Unknown errors may be transient; their text may hold personal data, so only the type is kept.
        logger.exception("Unexpected error delivering notification %s", notification.pk)
        return _record_failure(notification=notification, reason=f"unexpected {type(error).__name__}", retryable=True)
    notification.provider_message_id = provider_message_id[:120]
    if record:
        _record_sent([notification])
    return DeliveryOutcome.SENT


@transaction.atomic
def _record_failure(*, notification: Notification, reason: str, retryable: bool) -> DeliveryOutcome:
    now = timezone.now()
    rows = Notification.objects.filter(pk=notification.pk, status=DeliveryStatus.SENDING)
    if not retryable or notification.attempts >= settings.GUICHET_NOTIFICATION_MAX_ATTEMPTS:
        rows.update(status=DeliveryStatus.FAILED, last_error=reason[:300], next_attempt_at=None, updated_at=now)
        logger.warning("Notification %s failed for good after %s attempt(s)", notification.pk, notification.attempts)
        return DeliveryOutcome.FAILED
    run_after = now + notification_retry_delay(attempts=notification.attempts)
    rows.update(status=DeliveryStatus.PENDING, last_error=reason[:300], next_attempt_at=run_after, updated_at=now)
    transaction.on_commit(partial(_schedule_delivery, notification.pk, run_after))
    logger.info("Notification %s attempt %s failed, retry planned", notification.pk, notification.attempts)
    return DeliveryOutcome.RETRY_SCHEDULED


def notification_dispatch_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Hands out again what a lost task or a crashed worker left behind. Safe to run often and in parallel.

    - rows stuck in `sending` past their lease go back to `pending` (or `failed` when out of attempts);
    - pending rows due for longer than the grace period get a new delivery task (a duplicate task is harmless:
      only one claim succeeds).
    Returns the number of delivery tasks enqueued.
    """
    from .tasks import deliver_notification

    now = now or timezone.now()
    max_attempts = settings.GUICHET_NOTIFICATION_MAX_ATTEMPTS
    abandoned = Notification.objects.filter(status=DeliveryStatus.SENDING, next_attempt_at__lt=now)
    abandoned.filter(attempts__gte=max_attempts).update(
        status=DeliveryStatus.FAILED, last_error="delivery_interrupted", next_attempt_at=None, updated_at=now
    )
    revived_ids = list(abandoned.filter(attempts__lt=max_attempts).values_list("pk", flat=True)[:limit])
    # The filter is repeated so that a worker finishing meanwhile keeps its result.
    abandoned.filter(pk__in=revived_ids).update(
        status=DeliveryStatus.PENDING, last_error="delivery_interrupted", next_attempt_at=now, updated_at=now
    )
    # Rows already out of attempts while pending (e.g. the setting was lowered) are closed, not retried forever.
    Notification.objects.filter(status=DeliveryStatus.PENDING, attempts__gte=max_attempts).update(
        status=DeliveryStatus.FAILED, next_attempt_at=None, updated_at=now
    )
    due_ids = list(
        Notification.objects.filter(status=DeliveryStatus.PENDING)
        .filter(
            Q(next_attempt_at__lte=now - DISPATCH_GRACE)
            # Rows written without the service have no due time: due once they are old enough.
            | Q(next_attempt_at__isnull=True, created_at__lte=now - DISPATCH_GRACE)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    due_ids += [pk for pk in revived_ids if pk not in due_ids]
    for notification_id in due_ids:
        deliver_notification.enqueue(notification_id=notification_id)
    return len(due_ids)


REDACTED = "[effacé]"


def notification_context_redact(*, event_key_prefix: str, keys: Iterable[str]) -> int:
    """Blanks `keys` in the stored context of the notifications already handed over (or given up) whose event key
    starts with `event_key_prefix`, e.g. a one-time code once it is spent or replaced: the outbox keeps what was
    sent, not a secret that still works. Pending rows are left alone (they still have to be sent)."""
    names = set(keys)
    changed = 0
    rows = Notification.objects.filter(
        event_key__startswith=event_key_prefix, status__in=[DeliveryStatus.SENT, DeliveryStatus.FAILED]
    ).only("pk", "context")
    for notification in rows:
        context = dict(notification.context or {})
        if not names & context.keys() or all(context[name] == REDACTED for name in names & context.keys()):
            continue
        context.update({name: REDACTED for name in names & context.keys()})
        Notification.objects.filter(pk=notification.pk).update(context=context)
        changed += 1
    return changed
