"""Outbox: a notification is written in the same transaction as the event that causes it, then delivered by a task."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.models import TimeStampedModel


class Channel(models.TextChoices):
    EMAIL = "email", _("Courriel")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec définitif")
    CANCELLED = "cancelled", _("Annulé")


class Notification(TimeStampedModel):
    event_key = models.CharField(max_length=120, help_text="what caused it, e.g. dossier:42:available")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    recipient_user_id = models.BigIntegerField(null=True, blank=True)
    template = models.CharField(max_length=80)
    context = models.JSONField(default=dict, blank=True)
    # E-mail attachments as enqueued (name, type, base64 content): every retry sends the same bytes.
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    provider_message_id = models.CharField(max_length=120, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient", "channel"], name="notification_once_per_event_recipient_channel"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notification_sent_has_sent_at",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]
