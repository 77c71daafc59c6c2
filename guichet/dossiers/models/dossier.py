from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.core import references
from guichet.core.models import TimeStampedModel
from guichet.territory.models import Department

from ..workflow import DECIDED_STATUSES, QUEUE_STATUSES, Status


def new_reference() -> str:
    return references.generate(10)


class Dossier(TimeStampedModel):
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    procedure = models.CharField(max_length=60, db_index=True)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="dossiers")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT)
    commune_code = models.CharField(max_length=5, blank=True)
    data = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_dossiers"
    )
    version = models.PositiveIntegerField(default=1, help_text="optimistic lock, incremented on each transition")

    class Meta:
        verbose_name = _("dossier")
        indexes = [
            # Instruction queues: filter by status (and département), order by submission, keyset on (submitted_at, id).
            models.Index(fields=["status", "department", "submitted_at", "id"], name="dossier_queue"),
            models.Index(fields=["applicant", "-updated_at"], name="dossier_applicant_recent"),
            # An instructor's queue over several départements, oldest first: walking this index in order and
            # keeping the centre's départements reads a few hundred entries per page, however long the queue.
            models.Index(
                fields=["submitted_at", "id"],
                name="dossier_queue_by_submission",
                condition=Q(status__in=sorted(QUEUE_STATUSES)),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT)
                | Q(submitted_at__isnull=False)
                | Q(status__in=[Status.WITHDRAWN, Status.EXPIRED]),
                name="dossier_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(DECIDED_STATUSES)) | Q(decided_at__isnull=False),
                name="dossier_decided_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def display_reference(self) -> str:
        return references.display(self.reference)
