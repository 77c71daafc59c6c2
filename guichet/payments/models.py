from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.core.models import TimeStampedModel


class StampStatus(models.TextChoices):
    AVAILABLE = "available", _("Utilisable")
    CONSUMED = "consumed", _("Utilisé")
    REFUNDED = "refunded", _("Remboursé")
    EXPIRED = "expired", _("Expiré")


class FiscalStamp(TimeStampedModel):
    """An electronic fiscal stamp (timbre fiscal électronique): 16 digits, not nominative, used once."""

    number = models.CharField(max_length=16, unique=True)
    amount_cents = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=StampStatus.choices, default=StampStatus.AVAILABLE)
    provider = models.CharField(max_length=40, help_text="who sold it: guichet's provider, or 'external'")
    purchased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purchased_at = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    refundable_until = models.DateField(null=True, blank=True)
    consumed_at = models.DateTimeField(null=True, blank=True)
    consumed_for_dossier_id = models.BigIntegerField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    provider_reference = models.CharField(max_length=80, blank=True)

    class Meta:
        verbose_name = _("timbre fiscal électronique")
        constraints = [
            models.CheckConstraint(condition=Q(number__regex=r"^[0-9]{16}$"), name="fiscal_stamp_16_digits"),
            models.CheckConstraint(
                condition=~Q(status="consumed")
                | (Q(consumed_at__isnull=False) & Q(consumed_for_dossier_id__isnull=False)),
                name="fiscal_stamp_consumed_has_dossier",
            ),
        ]

    def __str__(self) -> str:
        return f"timbre …{self.number[-4:]} ({self.amount_cents / 100:.2f} €)"
