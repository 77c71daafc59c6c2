"""Pré-demande (online pre-application) for a CNI, a passport or both, and its coordination status.

One pré-demande number covers one or two titles; each title is a generic `Dossier` (procedure `cni` or
`passeport`), created in draft with the pré-demande and lodged at a mairie counter.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext_lazy as _

from guichet.core import references
from guichet.core.models import TimeStampedModel
from guichet.dossiers.models import Dossier
from guichet.territory.models import Place


class CoordinationStatus(models.TextChoices):
    """The statuses the national coordination API speaks (INTEROP.md §1)."""

    DECLARED = "declared", _("Déclarée (incomplète)")
    VALIDATED = "validated", _("Validée")
    CONSUMED = "consumed", _("Déposée en mairie")
    EXPIRED = "expired", _("Expirée")


class Title(models.TextChoices):
    CNI = "cni", _("Carte nationale d'identité")
    PASSPORT = "passeport", _("Passeport")


class Motive(models.TextChoices):
    FIRST = "first", _("Première demande")
    RENEWAL_EXPIRED = "renewal_expired", _("Renouvellement : titre expiré")
    RENEWAL_EXPIRING = "renewal_expiring", _("Renouvellement : titre bientôt expiré")
    RENEWAL_CIVIL_STATUS = "renewal_civil_status", _("Renouvellement : changement d'état civil")
    RENEWAL_ADDRESS = "renewal_address", _("Renouvellement : changement d'adresse")
    LOSS = "loss", _("Perte")
    THEFT = "theft", _("Vol")
    DAMAGE = "damage", _("Titre détérioré")


def new_predemande_number() -> str:
    return references.generate(10)


class PreDemande(TimeStampedModel):
    number = models.CharField(max_length=10, unique=True, default=new_predemande_number, editable=False)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="predemandes")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="the applicant, or a parent, mediator or agent acting for them",
    )
    status = models.CharField(max_length=12, choices=CoordinationStatus.choices, default=CoordinationStatus.DECLARED)
    is_for_minor = models.BooleanField(default=False)
    motive = models.CharField(max_length=30, choices=Motive.choices, default=Motive.FIRST)
    # Civil status, address, parents, physical description, previous title: validated by the forms.
    data = models.JSONField(default=dict, blank=True)
    mobile_phone = models.CharField(max_length=16, blank=True, help_text="E.164, only to send the SMS")
    validated_at = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    consumed_at = models.DateTimeField(null=True, blank=True)
    lodged_at_place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    counter_receipt_number = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("pré-demande")
        indexes = [
            models.Index(fields=["status", "valid_until"], name="predemande_expiry"),
            # The instructor's check for another open request of the same person looks the birth date up
            # (`checks.same_person_candidates`): without it, each dossier view read every pré-demande.
            models.Index(
                KeyTransform("birth_date", KeyTransform("civil_status", "data")), name="predemande_birth_date"
            ),
            # Public tracking looks a receipt number up as well as a pré-demande number.
            models.Index(
                fields=["counter_receipt_number"],
                name="predemande_receipt_number",
                condition=~Q(counter_receipt_number=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(number__regex=r"^[A-Z0-9]{10}$"), name="predemande_number_format"),
            models.CheckConstraint(
                condition=~Q(status__in=["validated", "consumed"])
                | (Q(validated_at__isnull=False) & Q(valid_until__isnull=False)),
                name="predemande_validated_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(status="consumed") | Q(consumed_at__isnull=False), name="predemande_consumed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def display_number(self) -> str:
        return references.display(self.number)


class PreDemandeTitle(models.Model):
    """One requested title of a pré-demande, and the dossier that carries it through instruction."""

    predemande = models.ForeignKey(PreDemande, on_delete=models.CASCADE, related_name="titles")
    title = models.CharField(max_length=12, choices=Title.choices)
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="predemande_title")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["predemande", "title"], name="predemande_one_dossier_per_title")]

    def __str__(self) -> str:
        return f"{self.predemande.number} — {self.get_title_display()}"


# Counter, production and hand-over models live beside the pré-demande (same app, same migrations).
from .counter_models import CounterSession, CounterSessionStatus, TitleProduction  # noqa: E402, F401
