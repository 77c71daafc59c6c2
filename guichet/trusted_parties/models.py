"""The registry of trusted third parties: approvals, their status history, and the organisations' staff.

An approval (agrément of a driving school, SIV habilitation of a car professional) belongs to one directory place
of kind driving_school / car_professional. Its stored status only moves through the transition table
(`workflow.py`); "expired" is not stored: an approval past its end date is treated as expired at every request.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import RoleAssignment
from guichet.core.models import AppendOnlyModel, TimeStampedModel
from guichet.territory.models import Place, PlaceKind

from .identifiers import approval_number_display


class ApprovalKind(models.TextChoices):
    """Same values as the place kinds they apply to."""

    DRIVING_SCHOOL = PlaceKind.DRIVING_SCHOOL.value, _("Agrément d'école de conduite")
    CAR_PROFESSIONAL = PlaceKind.CAR_PROFESSIONAL.value, _("Habilitation SIV de professionnel de l'automobile")


class ApprovalStatus(models.TextChoices):
    GRANTED = "granted", _("En vigueur")
    SUSPENDED = "suspended", _("Suspendu")
    REVOKED = "revoked", _("Retiré")


class Approval(TimeStampedModel):
    kind = models.CharField(max_length=30, choices=ApprovalKind.choices)
    number = models.CharField(max_length=20, unique=True)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="approvals")
    holder_name = models.CharField(_("raison sociale du titulaire"), max_length=200)
    holder_siret = models.CharField(_("SIRET du titulaire"), max_length=14)
    operations = models.JSONField(default=list)
    valid_from = models.DateField()
    valid_until = models.DateField()
    status = models.CharField(max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.GRANTED)
    status_changed_at = models.DateTimeField()

    class Meta:
        ordering = ["place__department_id", "kind", "number"]
        verbose_name = _("agrément ou habilitation")
        verbose_name_plural = _("agréments et habilitations")
        constraints = [
            # A place has at most one approval that is not revoked; after a revocation a new one may be granted.
            models.UniqueConstraint(
                fields=["place"], condition=~Q(status=ApprovalStatus.REVOKED), name="approval_one_live_per_place"
            ),
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="approval_period"),
            models.CheckConstraint(condition=Q(kind__in=ApprovalKind.values), name="approval_kind_known"),
            models.CheckConstraint(condition=Q(status__in=ApprovalStatus.values), name="approval_status_known"),
            models.CheckConstraint(condition=Q(holder_siret__regex=r"^[0-9]{14}$"), name="approval_siret_digits"),
        ]
        indexes = [models.Index(fields=["status", "valid_until"], name="approval_status_valid_until")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number_display}"

    @property
    def number_display(self) -> str:
        return approval_number_display(self.number)


class ApprovalEventKind(models.TextChoices):
    GRANTED = "granted", _("Délivrance")
    SUSPENDED = "suspended", _("Suspension")
    REINSTATED = "reinstated", _("Levée de la suspension")
    RENEWED = "renewed", _("Renouvellement")
    REVOKED = "revoked", _("Retrait")


@pgtrigger.register(
    pgtrigger.Protect(name="approval_event_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
)
class ApprovalEvent(AppendOnlyModel):
    """The status history of an approval: one row per decision, with its reason; never edited nor deleted."""

    approval = models.ForeignKey(Approval, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=ApprovalEventKind.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    reason = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("décision sur un agrément")
        verbose_name_plural = _("décisions sur les agréments")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.approval_id}"


class StaffInvitation(models.Model):
    """An e-mailed invitation to join an organisation's staff; only a digest of the link's token is kept."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="staff_invitations")
    email = models.EmailField()
    is_manager = models.BooleanField(default=False)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation d'un membre du personnel")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "email"],
                condition=Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="staff_invitation_one_open_per_address",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(cancelled_at__isnull=True),
                name="staff_invitation_accepted_or_cancelled",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk} — lieu {self.place_id}"


class StaffMembership(models.Model):
    """What the registry adds to a staff role: whether the person manages the organisation's staff."""

    role_assignment = models.OneToOneField(RoleAssignment, on_delete=models.CASCADE, related_name="membership")
    is_manager = models.BooleanField(default=False)
    invitation = models.ForeignKey(StaffInvitation, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("membre du personnel")

    def __str__(self) -> str:
        return f"membre {self.role_assignment_id}{' (responsable)' if self.is_manager else ''}"
