"""Generic instruction support: decision motives (reference data), complement requests, and the irreversible
record of titles invalidated after a loss or theft declaration. Knows dossiers, never a procedure."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.core.models import AppendOnlyModel, TimeStampedModel
from guichet.dossiers.models import Dossier


class Decision(models.TextChoices):
    ACCEPT = "accept", _("Acceptation")
    REFUSE = "refuse", _("Refus")


class DecisionMotive(models.Model):
    """A motive an instructor picks when deciding; edited by administrators, never deleted once used."""

    code = models.SlugField(max_length=60, unique=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    label = models.CharField(_("libellé"), max_length=200)
    # Which procedures may use it ("cni", "passeport", …); empty: every procedure.
    procedures = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=100)
    # A motive too vague on its own ("other"): the instructor must explain it in the free text.
    needs_details = models.BooleanField(
        _("précisions obligatoires"), default=False, help_text=_("Le texte libre est obligatoire avec ce motif.")
    )

    class Meta:
        ordering = ["decision", "position", "label"]
        verbose_name = _("motif de décision")
        verbose_name_plural = _("motifs de décision")

    def __str__(self) -> str:
        return self.label


class ComplementRequest(TimeStampedModel):
    """What the instructor asked for, and the applicant's answer (online or recorded at a point numérique)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="complement_requests")
    reason = models.TextField(max_length=1000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_message = models.TextField(max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_document_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande de complément")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(answered_at__isnull=True), name="complement_one_open_per_dossier"
            )
        ]

    def __str__(self) -> str:
        return f"complément — dossier {self.dossier_id}"


class InvalidationReason(models.TextChoices):
    LOSS = "loss", _("Perte")
    THEFT = "theft", _("Vol")


@pgtrigger.register(
    pgtrigger.Protect(name="invalidated_title_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
)
class InvalidatedTitle(AppendOnlyModel):
    """A title declared lost or stolen: invalid for ever. Rows are never updated nor deleted (a trigger refuses
    it on PostgreSQL, the model everywhere): there is no way to "un-declare" a loss or a theft."""

    title_kind = models.CharField(max_length=20, help_text="cni, passeport, …")
    document_number = models.CharField(max_length=20, blank=True)
    # A hash of the holder's normalised civil status (never the civil status itself): matches later requests.
    holder_key = models.CharField(max_length=64, db_index=True)
    reason = models.CharField(max_length=10, choices=InvalidationReason.choices)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("titre invalidé")
        verbose_name_plural = _("titres invalidés")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "title_kind"], name="invalidated_title_once_per_dossier")
        ]

    def __str__(self) -> str:
        return f"{self.title_kind} invalidé ({self.get_reason_display()})"
