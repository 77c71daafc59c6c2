"""Reads an iCalendar file (RFC 5545) the way a calendar application would, for tests: unfolds the lines,
checks that every component is closed in order, and returns the properties of each component."""

import email
import email.policy
from email.message import EmailMessage

from django.core.mail import EmailMessage as DjangoEmailMessage


def ics_components(text: str) -> dict[str, dict[str, str]]:
    """{"VCALENDAR": {...}, "VEVENT": {...}, ...}: property name (without parameters) → value. Fails on a line
    that is not `NAME[;params]:value`, on unbalanced BEGIN/END and on bare LF line ends."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", ""), "lines must end with CRLF"
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "")
    stack: list[str] = []
    components: dict[str, dict[str, str]] = {}
    for line in unfolded.split("\r\n")[:-1]:
        name, separator, value = line.partition(":")
        assert separator and name, f"not a content line: {line!r}"
        if name == "BEGIN":
            stack.append(value)
            components.setdefault(value, {})
        elif name == "END":
            assert stack and stack.pop() == value, f"END:{value} does not close the open component"
        else:
            assert stack, f"property outside any component: {line!r}"
            components[stack[-1]][name.split(";", 1)[0]] = value
    assert not stack, f"components left open: {stack}"
    return components


def ics_attachments(message: DjangoEmailMessage) -> list[tuple[str, EmailMessage]]:
    """The .ics parts of a sent message, as (file name, MIME part), read back from its wire form."""
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return [
        (part.get_filename() or "", part)  # type: ignore[misc]
        for part in parsed.iter_attachments()
        if (part.get_filename() or "").endswith(".ics")
    ]
