"""What happens after the pré-demande: the counter session at the mairie, then production and hand-over."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.core.models import TimeStampedModel
from guichet.dossiers.models import Dossier
from guichet.territory.models import Place


class CounterSessionStatus(models.TextChoices):
    OPEN = "open", _("En cours")
    LODGED = "lodged", _("Déposée")


class CounterSession(TimeStampedModel):
    """One applicant at one mairie counter: originals checked, stamp, biometric capture, then lodging.

    Kept in the database so that nothing the agent did is lost between two pages. Biometric data themselves
    never live here: only the device's capture identifiers and quality scores."""

    predemande = models.ForeignKey(
        "identity_documents.PreDemande", on_delete=models.PROTECT, related_name="counter_sessions"
    )
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=CounterSessionStatus.choices, default=CounterSessionStatus.OPEN)
    checked_originals = models.JSONField(default=list, blank=True)
    stamp_number_last4 = models.CharField(max_length=4, blank=True)
    capture = models.JSONField(default=dict, blank=True, help_text="capture ids and quality scores, no biometrics")
    is_paper_form = models.BooleanField(default=False)
    applicant_created_at_counter = models.BooleanField(default=False)
    lodged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("passage au guichet")
        constraints = [
            models.UniqueConstraint(
                fields=["predemande"], condition=Q(status="lodged"), name="counter_session_one_lodging"
            ),
            models.CheckConstraint(
                condition=~Q(status="lodged") | Q(lodged_at__isnull=False), name="counter_session_lodged_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"guichet {self.pk}"


class TitleProduction(TimeStampedModel):
    """The physical title of one dossier: printed, shipped in a batch to the lodging mairie, handed over or
    destroyed. Dates here feed the public tracking page."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="title_production")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", help_text="where it is collected")
    started_at = models.DateTimeField()
    expected_ready_at = models.DateTimeField()
    batch_number = models.CharField(max_length=20, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    expected_arrival_at = models.DateTimeField(null=True, blank=True)
    available_at = models.DateTimeField(null=True, blank=True)
    collect_before = models.DateField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    identity_checked = models.BooleanField(default=False)
    old_title_surrendered = models.BooleanField(default=False)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("fabrication du titre")
        indexes = [models.Index(fields=["available_at", "delivered_at", "destroyed_at"], name="title_uncollected")]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivered_at__isnull=True) | Q(destroyed_at__isnull=True),
                name="title_delivered_or_destroyed_not_both",
            ),
            models.CheckConstraint(
                condition=Q(available_at__isnull=True) | Q(collect_before__isnull=False),
                name="title_available_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"titre du dossier {self.dossier_id}"
