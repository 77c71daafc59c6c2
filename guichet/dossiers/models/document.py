import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .dossier import Dossier


def document_path(instance: "Document", filename: str) -> str:
    # Never the uploaded name: it may carry personal data and path tricks.
    return f"dossiers/{instance.dossier_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=60)
    file = models.FileField(upload_to=document_path, max_length=200, blank=True)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=200, blank=True)
    is_identity_document = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("pièce justificative")
        indexes = [models.Index(fields=["is_identity_document", "purged_at"], name="document_purge_candidates")]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
            # Once purged, no file may be left behind.
            models.CheckConstraint(
                condition=Q(purged_at__isnull=True) | Q(file=""), name="document_purged_has_no_file"
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="document_supported_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} — dossier {self.dossier_id}"
