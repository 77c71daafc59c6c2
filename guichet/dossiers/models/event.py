from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.core.models import AppendOnlyModel

from .dossier import Dossier


class EventKind(models.TextChoices):
    CREATED = "created", _("Dossier créé")
    TRANSITION = "transition", _("Changement d'état")
    DOCUMENT_ADDED = "document_added", _("Pièce ajoutée")
    DOCUMENT_PURGED = "document_purged", _("Pièce supprimée après décision")
    ACCESS_GRANTED = "access_granted", _("Accès accordé")
    ACCESS_REVOKED = "access_revoked", _("Accès retiré")
    ASSIGNED = "assigned", _("Dossier attribué")
    NOTE = "note", _("Information")


class DossierEvent(AppendOnlyModel):
    """The citizen's timeline: one immutable row per thing that happened, with structured data."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_role = models.CharField(max_length=30, blank=True)
    actor_organisation = models.CharField(max_length=200, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("événement")
        indexes = [models.Index(fields=["dossier", "created_at"], name="dossier_event_timeline")]
