"""An iCalendar (RFC 5545) file for one appointment, so that people can put it in their calendar."""

from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.notifications.attachments import Attachment

from .models import Appointment


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF + space (RFC 5545 §3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def appointment_ics(appointment: Appointment) -> str:
    place = appointment.place
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "guichet.localhost"
    location = ", ".join(
        part for part in (place.name, place.address, f"{place.postal_code} {place.city}".strip()) if part
    )
    summary = _("Rendez-vous carte d'identité / passeport — %(place)s") % {"place": place.name}
    description = _(
        "Numéro de pré-demande : %(number)s. Nombre de dossiers : %(files)d. "
        "Apportez les originaux de la liste de votre pré-demande."
    ) % {"number": appointment.application_id, "files": appointment.files_count}
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Guichet//Rendez-vous//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{appointment.reference}@{host}",
        f"DTSTAMP:{_stamp(timezone.now())}",
        f"DTSTART:{_stamp(appointment.starts_at)}",
        f"DTEND:{_stamp(appointment.ends_at)}",
        f"SUMMARY:{_escape(summary)}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(description)}",
        "STATUS:" + ("CONFIRMED" if appointment.is_active else "CANCELLED"),
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER:-P1D",
        f"DESCRIPTION:{_escape(summary)}",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


ICS_CONTENT_TYPE = "text/calendar; method=PUBLISH; charset=utf-8"


def appointment_ics_attachment(appointment: Appointment) -> Attachment:
    """The same file as the download link, to attach to the confirmation and reminder e-mails."""
    return Attachment(
        filename=f"rendez-vous-{appointment.reference}.ics",
        content_type=ICS_CONTENT_TYPE,
        content=appointment_ics(appointment).encode("utf-8"),
    )
