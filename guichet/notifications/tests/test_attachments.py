"""E-mail attachments: stored with the outbox row, sent by every e-mail backend (memory, file, SMTP), identical
on retry."""

import email
import email.policy
import socketserver
import threading
from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from guichet.notifications.attachments import MAX_TOTAL_BYTES, Attachment, InvalidAttachment
from guichet.notifications.models import Channel, DeliveryStatus, Notification
from guichet.notifications.services import DeliveryOutcome, notification_deliver, notification_enqueue

from .test_services import STATUS_CONTEXT

pytestmark = pytest.mark.django_db

CONTEXT = STATUS_CONTEXT
CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:r1@guichet\r\n"
    "SUMMARY:Rendez-vous à la mairie\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
).encode()
INVITATION = Attachment(
    filename="rendez-vous.ics", content_type="text/calendar; method=PUBLISH; charset=utf-8", content=CALENDAR
)
PDF = Attachment(filename="recu.pdf", content_type="application/pdf", content=b"%PDF-1.7\n\x00\xff binary")


def enqueue(*, attachments=(INVITATION,), channel=Channel.EMAIL, recipient="camille@example.org", **overrides):
    return notification_enqueue(
        event_key=overrides.pop("event_key", "dossier:1:invitation"),
        channel=channel,
        recipient=recipient,
        template="dossier_status_changed",
        context=CONTEXT,
        attachments=attachments,
        **overrides,
    )


def attached_parts(raw: bytes) -> dict[str, EmailMessage]:
    """The attachments of a message as sent on the wire, by file name."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return {part.get_filename(): part for part in message.iter_attachments()}  # type: ignore[misc]


def check_invitation_part(part: EmailMessage) -> None:
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    assert part.get_content_disposition() == "attachment"
    assert part.get_payload(decode=True) == CALENDAR


def test_memory_backend_delivers_the_attachments_byte_for_byte(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = enqueue(attachments=[INVITATION, PDF])
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.SENT
    [message] = mail.outbox
    parts = attached_parts(message.message().as_bytes())
    assert set(parts) == {"rendez-vous.ics", "recu.pdf"}
    check_invitation_part(parts["rendez-vous.ics"])
    assert parts["recu.pdf"].get_content_type() == "application/pdf"
    assert parts["recu.pdf"].get_payload(decode=True) == PDF.content
    # The text and HTML bodies are still there, beside the files.
    assert "Nouvelle étape : En instruction" in message.body
    assert isinstance(message, EmailMultiAlternatives)
    assert message.alternatives[0][1] == "text/html"


def test_file_backend_writes_the_attachment(django_capture_on_commit_callbacks, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        enqueue()
    [written] = list(tmp_path.iterdir())
    # The file backend writes each message followed by a line of dashes.
    raw = written.read_bytes().rsplit(b"\n" + b"-" * 79, 1)[0]
    check_invitation_part(attached_parts(raw)["rendez-vous.ics"])


class _SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to receive one message from Django's SMTP backend."""

    received: list[bytes]

    def handle(self) -> None:
        self.wfile.write(b"220 sink ready\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command.startswith((b"EHLO", b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP")):
                self.wfile.write(b"250 OK\r\n")
            elif command == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.received.append(b"".join(lines))
                self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"502 not implemented\r\n")


@pytest.fixture
def smtp_sink() -> Iterator[tuple[int, list[bytes]]]:
    received: list[bytes] = []
    handler = type("Handler", (_SmtpSink,), {"received": received})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], received
    finally:
        server.shutdown()
        server.server_close()


def test_smtp_backend_sends_the_attachment_over_the_wire(django_capture_on_commit_callbacks, settings, smtp_sink):
    port, received = smtp_sink
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    with django_capture_on_commit_callbacks(execute=True):
        notification = enqueue()
    notification.refresh_from_db()
    assert notification.status == DeliveryStatus.SENT, notification.last_error
    [raw] = received
    check_invitation_part(attached_parts(raw)["rendez-vous.ics"])


def test_a_retry_sends_the_attachment_stored_at_enqueue_time(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    with django_capture_on_commit_callbacks(execute=True):
        notification = enqueue()
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (DeliveryStatus.PENDING, 1)
    assert notification.attachments[0]["filename"] == "rendez-vous.ics"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=None)
    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.SENT
    [message] = mail.outbox
    check_invitation_part(attached_parts(message.message().as_bytes())["rendez-vous.ics"])


def test_enqueueing_again_keeps_the_first_attachment(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue()
        second = enqueue(attachments=[PDF])
    assert first.pk == second.pk
    [message] = mail.outbox
    assert set(attached_parts(message.message().as_bytes())) == {"rendez-vous.ics"}


def test_a_damaged_stored_attachment_fails_for_good_without_sending(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = enqueue()
    Notification.objects.filter(pk=notification.pk).update(attachments=[{"filename": "x.ics"}])
    assert notification_deliver(notification_id=notification.pk) == DeliveryOutcome.FAILED
    notification.refresh_from_db()
    assert notification.last_error == "attachment_unreadable"
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("attachment", "code"),
    [
        (
            Attachment(filename="../etc/passwd", content_type="text/plain", content=b"x"),
            "invalid_notification_attachment",
        ),
        (
            Attachment(filename="a.ics\r\nBcc: x", content_type="text/plain", content=b"x"),
            "invalid_notification_attachment",
        ),
        (
            Attachment(filename="a.ics", content_type="text/calendar\r\nX: y", content=b"x"),
            "invalid_notification_attachment",
        ),
        (Attachment(filename="a.ics", content_type="text/calendar", content=b""), "invalid_notification_attachment"),
        (
            Attachment(
                filename="big.bin", content_type="application/octet-stream", content=b"0" * (MAX_TOTAL_BYTES + 1)
            ),
            "attachments_too_large",
        ),
    ],
)
def test_malformed_attachments_are_refused_and_nothing_is_stored(attachment, code):
    with pytest.raises(InvalidAttachment) as refused:
        enqueue(attachments=[attachment])
    assert refused.value.code == code
    assert not Notification.objects.exists()


def test_sms_cannot_carry_an_attachment():
    with pytest.raises(InvalidAttachment) as refused:
        notification_enqueue(
            event_key="dossier:1:sms",
            channel=Channel.SMS,
            recipient="0612345678",
            template="dossier_status_changed",
            context=CONTEXT,
            attachments=[INVITATION],
        )
    assert refused.value.code == "attachments_not_supported"
    assert not Notification.objects.exists()
