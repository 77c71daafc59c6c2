"""A citizen's mandate to a structure (a point numérique, a mairie, a driving school…) to act for them.

The mandate binds the *structure* (a territory `Place`), not one of its staff: any active member of the
structure with the right role may act under it. Its scope is a list of procedures, or one dossier.
Its life: proposed (waiting for consent) → active from the consent → ended by revocation or by `valid_until`.
Nothing runs on a timer: "active" is computed from the dates on every read, so expiry is exact to the second.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.dossiers.models import Dossier, DossierAccess
from guichet.territory.models import Place

from .durations import duration_choices

CONSENT_CODE_MAX_ATTEMPTS = 5
CONSENT_CODE_MAX_SENDS = 3


class MandateKind(models.TextChoices):
    MEDIATION = "mediation", _("Accompagnement par un médiateur")
    CLIENT = "client", _("Démarche confiée à un professionnel")


class ConsentMethod(models.TextChoices):
    TYPED = "typed", _("Phrase d'accord saisie par la personne")
    SMS_CODE = "sms_code", _("Code reçu par SMS")
    PRINTED_ATTESTATION = "printed_attestation", _("Attestation imprimée et signée")


class MandateStatus(models.TextChoices):
    PENDING = "pending", _("En attente d'accord")
    ACTIVE = "active", _("En cours")
    EXPIRED = "expired", _("Terminé")
    REVOKED = "revoked", _("Révoqué")


class MandateQuerySet(models.QuerySet["Mandate"]):
    def active(self, now: datetime | None = None) -> "MandateQuerySet":
        now = now or timezone.now()
        return self.filter(
            revoked_at__isnull=True, consented_at__isnull=False, valid_from__lte=now, valid_until__gt=now
        )


class Mandate(models.Model):
    reference = models.CharField(_("référence"), max_length=10, unique=True)
    kind = models.CharField(max_length=20, choices=MandateKind.choices)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mandates_given", verbose_name=_("mandant")
    )
    holder = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("structure"))
    # Scope: procedure codes of the dossiers registry, or one dossier (then `procedures` holds its procedure).
    procedures = models.JSONField(default=list)
    dossier = models.ForeignKey(Dossier, null=True, blank=True, on_delete=models.PROTECT, related_name="mandates")
    duration = models.CharField(max_length=20, choices=duration_choices())
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True, help_text="exclusive")
    fee_cents = models.PositiveIntegerField(null=True, blank=True, help_text="shown to the citizen before consent")
    consent_method = models.CharField(max_length=30, choices=ConsentMethod.choices)
    # The exact words the citizen agreed to (typed sentence, or the text of the SMS / of the attestation).
    consent_text = models.TextField(blank=True)
    consent_code_digest = models.CharField(max_length=64, blank=True)
    consent_code_expires_at = models.DateTimeField(null=True, blank=True)
    consent_code_attempts = models.PositiveSmallIntegerField(default=0)
    consent_code_sends = models.PositiveSmallIntegerField(default=0)
    consent_phone_hint = models.CharField(max_length=20, blank=True, help_text="last digits of the number texted")
    attestation_digest = models.CharField(max_length=64, blank=True, help_text="SHA-256 printed on the attestation")
    consented_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.CharField(max_length=30, blank=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandat")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["citizen", "holder"], name="mandate_citizen_holder")]
        constraints = [
            models.CheckConstraint(
                name="mandate_scope_not_empty", condition=Q(dossier__isnull=False) | ~Q(procedures=[])
            ),
            models.CheckConstraint(
                name="mandate_consent_sets_the_period",
                condition=Q(consented_at__isnull=True)
                | Q(valid_from__isnull=False, valid_until__isnull=False, valid_until__gt=F("valid_from")),
            ),
            models.CheckConstraint(
                name="mandate_period_only_after_consent",
                condition=Q(consented_at__isnull=False) | Q(valid_from__isnull=True, valid_until__isnull=True),
            ),
            models.CheckConstraint(
                name="mandate_sms_consent_has_a_code",
                condition=~Q(consent_method=ConsentMethod.SMS_CODE) | ~Q(consent_code_digest=""),
            ),
            models.CheckConstraint(
                name="mandate_printed_consent_has_a_digest",
                condition=~Q(consent_method=ConsentMethod.PRINTED_ATTESTATION) | ~Q(attestation_digest=""),
            ),
            models.CheckConstraint(
                name="mandate_consent_attempts_bounded",
                condition=Q(consent_code_attempts__lte=CONSENT_CODE_MAX_ATTEMPTS)
                & Q(consent_code_sends__lte=CONSENT_CODE_MAX_SENDS),
            ),
            models.CheckConstraint(
                name="mandate_mediation_is_free", condition=~Q(kind=MandateKind.MEDIATION) | Q(fee_cents__isnull=True)
            ),
            models.CheckConstraint(
                name="mandate_revocation_has_a_date",
                condition=Q(revoked_at__isnull=True, revocation_reason="")
                | Q(revoked_at__isnull=False) & ~Q(revocation_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"mandat {self.reference}"

    @property
    def display_reference(self) -> str:
        return f"{self.reference[:5]}-{self.reference[5:]}"

    def status_at(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return MandateStatus.REVOKED
        if self.consented_at is None or self.valid_from is None or self.valid_until is None:
            return MandateStatus.PENDING
        if self.valid_until <= now:
            return MandateStatus.EXPIRED
        return MandateStatus.ACTIVE

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def status_label(self) -> str:
        return str(MandateStatus(self.status).label)

    @property
    def is_active(self) -> bool:
        return self.status == MandateStatus.ACTIVE


class MandateDossierAccess(models.Model):
    """Which dossier grant a mandate opened: revoking the mandate revokes exactly these."""

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="dossier_accesses")
    access = models.OneToOneField(DossierAccess, on_delete=models.CASCADE, related_name="mandate_link")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("accès ouvert par un mandat")

    def __str__(self) -> str:
        return f"{self.mandate} → accès {self.access_id}"
