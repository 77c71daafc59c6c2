"""Appointments registered by other software (coordination API)."""

from datetime import datetime

from django.db import IntegrityError, transaction

from guichet.audit.services import Actor

from ..models import ExternalAppointment
from .common import _journal


@transaction.atomic
def external_appointment_register(
    *,
    application_id: str,
    meeting_point: str,
    meeting_point_id: str,
    appointment_date: str,
    appointment_at: datetime,
    management_url: str,
    editor_name: str,
    actor: Actor,
) -> ExternalAppointment:
    """Registers an appointment held in another software; the same (number, management URL) is idempotent."""
    number = application_id.upper()
    existing = ExternalAppointment.objects.filter(application_id=number, management_url=management_url).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            registered = ExternalAppointment.objects.create(
                application_id=number,
                meeting_point=meeting_point,
                meeting_point_id=meeting_point_id,
                appointment_date=appointment_date,
                appointment_at=appointment_at,
                management_url=management_url,
                editor_name=editor_name,
            )
    except IntegrityError:  # the same pair registered in parallel
        return ExternalAppointment.objects.get(application_id=number, management_url=management_url)
    _journal(
        "external_appointment_registered",
        actor,
        object_type="external_appointment",
        object_id=registered.pk,
        data={"editor": editor_name},
    )
    return registered


@transaction.atomic
def external_appointment_delete(
    *, application_id: str, meeting_point: str, meeting_point_id: str, appointment_at: datetime, actor: Actor
) -> int:
    matches = ExternalAppointment.objects.filter(
        application_id=application_id.upper(),
        meeting_point=meeting_point,
        meeting_point_id=meeting_point_id,
        appointment_at=appointment_at,
    )
    ids = list(matches.values_list("pk", flat=True))
    deleted, _ = ExternalAppointment.objects.filter(pk__in=ids).delete()
    if deleted:
        _journal(
            "external_appointment_deleted",
            actor,
            object_type="external_appointment",
            object_id=",".join(str(i) for i in ids),
            data={"count": deleted},
        )
    return deleted
