"""Files sent with an e-mail (e.g. an iCalendar invitation).

They are checked and stored with the notification row when it is enqueued, so that every delivery attempt
(retries included) sends exactly the same bytes, whatever changed meanwhile.
"""

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.core.exceptions import InvalidInput

MAX_ATTACHMENTS = 5
MAX_TOTAL_BYTES = 2 * 1024 * 1024
# A plain file name: no folder, no control character, nothing a mail client could misread.
_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\- ]{0,99}$")
# type/subtype, then optional `; name=value` parameters with simple values (e.g. method=PUBLISH).
_CONTENT_TYPE = re.compile(r"^[a-z]+/[a-z0-9.+\-]+(?:; ?[a-z\-]+=[A-Za-z0-9.\-_]+)*$")


class InvalidAttachment(InvalidInput):
    code = "invalid_notification_attachment"
    default_message = _("La pièce jointe de ce message n'est pas valide.")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # with its parameters, e.g. "text/calendar; method=PUBLISH; charset=utf-8"
    content: bytes

    @property
    def media_type(self) -> str:
        return self.content_type.split(";", 1)[0].strip()

    @property
    def parameters(self) -> dict[str, str]:
        pairs = (part.strip().split("=", 1) for part in self.content_type.split(";")[1:])
        return {name.strip().lower(): value.strip() for name, value in pairs}


def attachments_clean(attachments: Iterable[Attachment]) -> list[Attachment]:
    """Checks names, types and sizes; raises `InvalidAttachment` (never sends a malformed message)."""
    cleaned = list(attachments)
    if len(cleaned) > MAX_ATTACHMENTS:
        raise InvalidAttachment(code="too_many_attachments")
    for attachment in cleaned:
        if not isinstance(attachment.content, bytes) or not attachment.content:
            raise InvalidAttachment()
        if not _FILENAME.match(attachment.filename) or not _CONTENT_TYPE.match(attachment.content_type):
            raise InvalidAttachment()
    if sum(len(attachment.content) for attachment in cleaned) > MAX_TOTAL_BYTES:
        raise InvalidAttachment(code="attachments_too_large")
    return cleaned


def attachments_to_json(attachments: Sequence[Attachment]) -> list[dict[str, str]]:
    return [
        {
            "filename": attachment.filename,
            "content_type": attachment.content_type,
            "content_base64": base64.b64encode(attachment.content).decode("ascii"),
        }
        for attachment in attachments
    ]


def attachments_from_json(stored: Any) -> list[Attachment]:
    """What `attachments_to_json` wrote; a damaged row raises `InvalidAttachment` (a permanent failure)."""
    if not stored:
        return []
    try:
        return attachments_clean(
            Attachment(
                filename=str(item["filename"]),
                content_type=str(item["content_type"]),
                content=base64.b64decode(item["content_base64"], validate=True),
            )
            for item in stored
        )
    except (KeyError, TypeError, binascii.Error) as error:
        raise InvalidAttachment() from error
