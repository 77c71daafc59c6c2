from datetime import UTC, timedelta

from django.core import mail
from django.core.management import call_command

from guichet.appointments.calendar_file import appointment_ics
from guichet.appointments.models import Appointment
from guichet.appointments.services import appointment_book, appointment_reminders_send
from guichet.notifications.models import Channel, Notification

from .conftest import NUMBER, at


def test_reminder_two_days_before_by_email_and_sms(
    agenda, mairie, booking_day, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://guichet.example.fr"
    appointment = appointment_book(
        place=mairie,
        starts_at=at(booking_day, 9),
        application_id=NUMBER,
        actor=None,
        contact_email="camille@example.fr",
        contact_mobile="0612345678",
    )
    assert appointment_reminders_send(today=booking_day - timedelta(days=3)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert appointment_reminders_send(today=booking_day - timedelta(days=2)) == 1
    channels = set(Notification.objects.filter(template="appointment_reminder").values_list("channel", flat=True))
    assert channels == {Channel.EMAIL, Channel.SMS}
    email = Notification.objects.get(channel=Channel.EMAIL)
    assert (
        email.context["ics_url"]
        == f"https://guichet.example.fr/usager/rendez-vous/{appointment.reference}/rendez-vous.ics"
    )
    assert mail.outbox and email.context["ics_url"] in mail.outbox[0].body
    # Sent once: running again the same day enqueues nothing more.
    assert appointment_reminders_send(today=booking_day - timedelta(days=2)) == 0
    assert Notification.objects.filter(template="appointment_reminder").count() == 2


def test_no_sms_without_mobile_and_no_reminder_for_cancelled(agenda, mairie, booking_day):
    appointment_book(
        place=mairie, starts_at=at(booking_day, 9), application_id=NUMBER, actor=None, contact_email="a@example.fr"
    )
    cancelled = appointment_book(
        place=mairie,
        starts_at=at(booking_day, 10),
        application_id="Z9Y8X7W6V5",
        actor=None,
        contact_email="b@example.fr",
    )
    from guichet.appointments.services import appointment_cancel

    appointment_cancel(appointment=cancelled, actor=None)
    call_command("send_appointment_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    appointment_reminders_send(today=booking_day - timedelta(days=2))
    assert list(Notification.objects.values_list("channel", "recipient")) == [(Channel.EMAIL, "a@example.fr")]


def test_ics_file_describes_the_appointment(agenda, mairie, booking_day):
    appointment = appointment_book(place=mairie, starts_at=at(booking_day, 9), application_id=NUMBER, actor=None)
    text = appointment_ics(Appointment.objects.get(pk=appointment.pk))
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert f"DTSTART:{at(booking_day, 9).astimezone(UTC):%Y%m%dT%H%M%SZ}" in text
    assert f"DTEND:{at(booking_day, 9, 15).astimezone(UTC):%Y%m%dT%H%M%SZ}" in text
    assert f"UID:{appointment.reference}@" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_generate_command_is_idempotent(agenda, mairie):
    call_command("generate_appointment_slots", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = mairie.appointment_slots.count()
    call_command("generate_appointment_slots", place=mairie.pk, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mairie.appointment_slots.count() == before
