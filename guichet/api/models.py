"""Partner software that may call Guichet's machine APIs, by token (stored hashed), and the log of their calls."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ClientKind(models.TextChoices):
    COORDINATION_EDITOR = "coordination_editor", _("Éditeur de logiciel de rendez-vous (API de coordination)")
    SLOT_HUB = "slot_hub", _("Moteur national de recherche de créneaux")
    PROFESSIONAL = (
        "professional",
        _("Logiciel d'un tiers de confiance (école de conduite, professionnel de l'automobile)"),
    )


def token_digest(token: str) -> str:
    """Tokens are long random strings: a plain SHA-256 is enough to store them without keeping them."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class ApiClient(models.Model):
    name = models.CharField(max_length=100, help_text=_("Nom de l'éditeur ou du service appelant"))
    kind = models.CharField(max_length=30, choices=ClientKind.choices)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(max_length=8, editable=False, help_text=_("Premiers caractères du jeton"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    revoked_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, help_text=_("Jeton public des données de démonstration"))
    # The organisation a professional's token acts for: refused whenever its approval is not in force.
    place = models.ForeignKey(
        "territory.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="api_clients"
    )

    class Meta:
        verbose_name = _("client de l'API")
        verbose_name_plural = _("clients de l'API")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "kind"], condition=Q(revoked_at__isnull=True), name="api_client_active_name"
            ),
            models.CheckConstraint(
                condition=(Q(kind=ClientKind.PROFESSIONAL) & Q(place__isnull=False))
                | (~Q(kind=ClientKind.PROFESSIONAL) & Q(place__isnull=True)),
                name="api_client_place_only_for_professionals",
                violation_error_message=_(
                    "Un jeton de professionnel est rattaché à son établissement (lieu), et seuls ces jetons le sont."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiCallLog(models.Model):
    """One row per call: who (client, or none when the token was refused), what, and the answer's status.

    No parameter values are stored: pré-demande numbers are personal data.
    """

    client = models.ForeignKey(ApiClient, null=True, blank=True, on_delete=models.PROTECT, related_name="calls")
    api = models.CharField(max_length=20)
    endpoint = models.CharField(max_length=60)
    method = models.CharField(max_length=8)
    status_code = models.PositiveSmallIntegerField()
    item_count = models.PositiveIntegerField(default=0, help_text="how many ids were asked for")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("appel de l'API")
        indexes = [models.Index(fields=["client", "created_at"], name="api_call_client_created")]

    def __str__(self) -> str:
        return f"{self.method} {self.endpoint} {self.status_code}"
