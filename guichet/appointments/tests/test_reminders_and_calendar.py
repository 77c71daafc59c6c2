from datetime import UTC, timedelta

from django.core import mail
from django.core.management import call_command

from guichet.appointments.calendar_file import appointment_ics
from guichet.appointments.models import Appointment
from guichet.appointments.services import appointment_book, appointment_reminders_send
from guichet.notifications.models import Channel, Notification

from .conftest import NUMBER, at
from .ics_reading import ics_attachments, ics_components


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
    email = Notification.objects.get(channel=Channel.EMAIL, template="appointment_reminder")
    assert (
        email.context["ics_url"]
        == f"https://guichet.example.fr/usager/rendez-vous/{appointment.reference}/rendez-vous.ics"
    )
    [reminder] = [message for message in mail.outbox if message.subject.startswith("Rappel")]
    assert email.context["ics_url"] in reminder.body
    [(filename, part)] = ics_attachments(reminder)
    assert filename == f"rendez-vous-{appointment.reference}.ics"
    assert (part.get_content_type(), part.get_param("method")) == ("text/calendar", "PUBLISH")
    event = ics_components(part.get_content())["VEVENT"]
    assert event["DTSTART"] == f"{at(booking_day, 9).astimezone(UTC):%Y%m%dT%H%M%SZ}"
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
    reminders = Notification.objects.filter(template="appointment_reminder")
    assert list(reminders.values_list("channel", "recipient")) == [(Channel.EMAIL, "a@example.fr")]


def test_ics_file_describes_the_appointment(agenda, mairie, booking_day):
    appointment = appointment_book(place=mairie, starts_at=at(booking_day, 9), application_id=NUMBER, actor=None)
    text = appointment_ics(Appointment.objects.get(pk=appointment.pk))
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert f"DTSTART:{at(booking_day, 9).astimezone(UTC):%Y%m%dT%H%M%SZ}" in text
    assert f"DTEND:{at(booking_day, 9, 15).astimezone(UTC):%Y%m%dT%H%M%SZ}" in text
    assert f"UID:{appointment.reference}@" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    components = ics_components(text)
    assert components["VCALENDAR"]["METHOD"] == "PUBLISH"
    assert components["VEVENT"]["STATUS"] == "CONFIRMED"
    assert "VALARM" in components


def test_booking_sends_a_confirmation_email_with_the_ics_file_attached(
    agenda, mairie, booking_day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = appointment_book(
            place=mairie,
            starts_at=at(booking_day, 10),
            application_id=NUMBER,
            actor=None,
            contact_email="camille@example.fr",
            files_count=2,
        )
    [message] = mail.outbox
    assert message.to == ["camille@example.fr"]
    assert message.subject.startswith("Rendez-vous réservé en mairie le ")
    assert mairie.name in message.body and NUMBER in message.body
    assert "1 esplanade de l'Hôtel de Ville" in message.body  # plain text: nothing HTML-escaped
    [(filename, part)] = ics_attachments(message)
    assert filename == f"rendez-vous-{appointment.reference}.ics"
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    assert part.get_content_disposition() == "attachment"
    components = ics_components(part.get_content())
    event = components["VEVENT"]
    assert components["VCALENDAR"]["METHOD"] == "PUBLISH"
    assert event["UID"].startswith(f"{appointment.reference}@")
    assert event["DTSTART"] == f"{at(booking_day, 10).astimezone(UTC):%Y%m%dT%H%M%SZ}"
    assert event["DTEND"] == f"{at(booking_day, 10, 30).astimezone(UTC):%Y%m%dT%H%M%SZ}"  # two files, two slots
    assert mairie.name in event["LOCATION"]
    # The outbox holds the file itself: a retry would send these very bytes.
    stored = Notification.objects.get(template="appointment_confirmation")
    assert stored.attachments[0]["content_type"] == "text/calendar; method=PUBLISH; charset=utf-8"


def test_no_confirmation_without_an_email_address(agenda, mairie, booking_day, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appointment_book(place=mairie, starts_at=at(booking_day, 10), application_id=NUMBER, actor=None)
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_generate_command_is_idempotent(agenda, mairie):
    call_command("generate_appointment_slots", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = mairie.appointment_slots.count()
    call_command("generate_appointment_slots", place=mairie.pk, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mairie.appointment_slots.count() == before


def test_moving_sends_the_new_event_and_cancels_the_old_one_in_the_calendar(
    agenda, mairie, booking_day, django_capture_on_commit_callbacks
):
    from guichet.appointments.services import appointment_move

    with django_capture_on_commit_callbacks(execute=True):
        first = appointment_book(
            place=mairie, starts_at=at(booking_day, 10), application_id=NUMBER, actor=None, contact_email="c@example.fr"
        )
    with django_capture_on_commit_callbacks(execute=True):
        moved = appointment_move(appointment=first, starts_at=at(booking_day, 11), actor=None)

    message = mail.outbox[-1]
    events = {name: ics_components(part.get_content())["VEVENT"] for name, part in ics_attachments(message)}
    new_event = events[f"rendez-vous-{moved.reference}.ics"]
    old_event = events[f"rendez-vous-{first.reference}.ics"]
    assert new_event["STATUS"] == "CONFIRMED"
    assert new_event["DTSTART"] == f"{at(booking_day, 11).astimezone(UTC):%Y%m%dT%H%M%SZ}"
    assert old_event["STATUS"] == "CANCELLED"
    assert old_event["UID"].startswith(f"{first.reference}@")
