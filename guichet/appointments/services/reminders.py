"""What the person who booked receives: a confirmation at booking, a reminder two days before; both e-mails
carry the iCalendar file as an attachment."""

from datetime import date, timedelta
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone

from guichet.notifications.models import Channel
from guichet.notifications.services import notification_enqueue
from guichet.territory.opening_hours import PARIS

from .. import selectors
from ..calendar_file import appointment_ics_attachment
from ..models import Appointment

REMINDER_DAYS_BEFORE = 2


def reminder_context(appointment: Appointment) -> dict[str, Any]:
    local = appointment.starts_at.astimezone(PARIS)
    place = appointment.place
    site = django_settings.SITE_URL
    return {
        "appointment_reference": appointment.reference,
        "application_id": appointment.application_id,
        "place_name": place.name,
        "place_address": ", ".join(
            part for part in (place.address, f"{place.postal_code} {place.city}".strip()) if part
        ),
        "date_label": formats.date_format(local.date(), "l j F Y"),
        "time_label": local.strftime("%H:%M"),
        "files_count": appointment.files_count,
        "appointment_url": site + reverse("citizen:booking_detail", kwargs={"reference": appointment.reference}),
        "ics_url": site + reverse("citizen:booking_ics", kwargs={"reference": appointment.reference}),
    }


def _email_with_calendar(
    *,
    appointment: Appointment,
    event_key: str,
    template: str,
    context: dict[str, Any],
    replaced: Appointment | None = None,
) -> None:
    attachments = [appointment_ics_attachment(appointment)]
    if replaced is not None:
        # Same UID, STATUS:CANCELLED: calendar applications take the old event out instead of keeping both.
        attachments.append(appointment_ics_attachment(replaced))
    notification_enqueue(
        event_key=event_key,
        channel=Channel.EMAIL,
        recipient=appointment.contact_email,
        template=template,
        context=context,
        recipient_user_id=appointment.booked_by_id,
        attachments=attachments,
    )


def appointment_confirmation_send(*, appointment: Appointment, replaced: Appointment | None = None) -> None:
    """E-mails the booking's details with the .ics file attached (nothing when no address was given); after a
    move, the cancelled appointment's file too. Called in the booking's transaction: the outbox sends it after
    commit, once per appointment."""
    if not appointment.contact_email:
        return
    _email_with_calendar(
        appointment=appointment,
        event_key=f"appointment_confirmation:{appointment.reference}",
        template="appointment_confirmation",
        context=reminder_context(appointment),
        replaced=replaced,
    )


def appointment_reminders_send(*, today: date | None = None) -> int:
    """Enqueues an e-mail (with the .ics file attached) and, if a mobile was given, an SMS for each appointment
    two days ahead. Idempotent: the outbox keys on the appointment, and sent reminders are marked."""
    today = today or timezone.now().astimezone(PARIS).date()
    count = 0
    for appointment in selectors.reminders_due(day=today + timedelta(days=REMINDER_DAYS_BEFORE)):
        with transaction.atomic():
            context = reminder_context(appointment)
            event_key = f"appointment_reminder:{appointment.reference}"
            if appointment.contact_email:
                _email_with_calendar(
                    appointment=appointment, event_key=event_key, template="appointment_reminder", context=context
                )
            if appointment.contact_mobile:
                notification_enqueue(
                    event_key=event_key,
                    channel=Channel.SMS,
                    recipient=appointment.contact_mobile,
                    template="appointment_reminder",
                    context=context,
                    recipient_user_id=appointment.booked_by_id,
                )
            Appointment.objects.filter(pk=appointment.pk).update(reminder_sent_at=timezone.now())
            count += 1
    return count
