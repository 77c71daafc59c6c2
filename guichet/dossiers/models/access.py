from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .dossier import Dossier


class AccessRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("Représentant sous mandat")
    TRUSTED_PARTY = "trusted_party", _("Tiers de confiance")
    MEDIATOR = "mediator", _("Médiateur")
    MAIRIE_AGENT = "mairie_agent", _("Agent de mairie")
    INSTRUCTOR = "instructor", _("Instructeur")


class DossierAccess(models.Model):
    """An explicit grant on one dossier beyond the applicant's own (who always has access)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dossier_accesses")
    role = models.CharField(max_length=30, choices=AccessRole.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("accès au dossier")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "user", "role"],
                condition=Q(revoked_at__isnull=True),
                name="dossier_access_one_active_grant",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="dossier_access_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — dossier {self.dossier_id}"
