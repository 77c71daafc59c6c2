"""An assisted session: one helper, at one place, beside one visitor, from opening to its end.

Its steps (account created, identity checked, mandate, dossier started, pré-demande filed, receipt printed…)
are counted per place for the préfecture's statistics; those keep no personal data.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.territory.models import Place

# A session nobody touched for this long is ended on the next request (and by `end_idle_assisted_sessions`).
INACTIVITY_LIMIT = timedelta(minutes=20)


class EndReason(models.TextChoices):
    CLOSED = "closed", _("Terminée par l'aidant")
    INACTIVITY = "inactivity", _("Terminée après inactivité")
    REPLACED = "replaced", _("Remplacée par une nouvelle session")


class StepKind(models.TextChoices):
    ACCOUNT_FOUND = "account_found", _("Compte retrouvé")
    ACCOUNT_CREATED = "account_created", _("Compte créé")
    IDENTITY_VERIFIED = "identity_verified", _("Identité vérifiée en face à face")
    MANDATE_PROPOSED = "mandate_proposed", _("Mandat proposé")
    MANDATE_CONSENTED = "mandate_consented", _("Mandat accepté")
    DOSSIER_CREATED = "dossier_created", _("Démarche commencée")
    DOSSIER_CHANGED = "dossier_changed", _("Démarche complétée")
    DOCUMENT_UPLOADED = "document_uploaded", _("Pièce numérisée et déposée")
    DOSSIER_FILED = "dossier_filed", _("Démarche déposée ou validée")
    RECEIPT_PRINTED = "receipt_printed", _("Récépissé imprimé")
    REFUSED = "refused", _("Action refusée (mandat absent ou terminé)")


class AssistedSession(models.Model):
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="assisted_sessions")
    helper = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assisted_sessions")
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assisted_as_visitor"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = _("session accompagnée")
        verbose_name_plural = _("sessions accompagnées")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["helper"], condition=Q(ended_at__isnull=True), name="assisted_session_one_open_per_helper"
            ),
            models.CheckConstraint(
                name="assisted_session_end_has_a_reason",
                condition=Q(ended_at__isnull=True, end_reason="") | Q(ended_at__isnull=False) & ~Q(end_reason=""),
            ),
            models.CheckConstraint(
                name="assisted_session_ends_after_it_opens",
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("opened_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"session accompagnée {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def duration(self) -> timedelta:
        return (self.ended_at or timezone.now()) - self.opened_at


class AssistedStep(models.Model):
    """One thing done in a session; `procedure` is a registry code when the step concerns a démarche."""

    session = models.ForeignKey(AssistedSession, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=30, choices=StepKind.choices)
    procedure = models.CharField(max_length=40, blank=True)
    reference = models.CharField(max_length=20, blank=True, help_text="dossier, pré-demande or mandate reference")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("étape de session accompagnée")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["kind", "created_at"], name="assisted_step_kind_time")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.session_id})"
