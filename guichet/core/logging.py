"""Keeps personal data out of logs: a filter that masks e-mail addresses, French phone numbers and the values
of sensitive URL/query parameters in every message (and in formatted exceptions) before any handler writes it.

Wired on the console handler in `config/settings/base.py`. It is a safety net: code should not log personal
data in the first place.
"""

import logging
import re

EMAIL_MASK = "[email]"
PHONE_MASK = "[telephone]"
HIDDEN_VALUE_MASK = "[masqué]"

SENSITIVE_PARAMETERS = (
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "code",
    "state",
    "nonce",
    "password",
    "passwd",
    "secret",
    "email",
    "mail",
    "phone",
    "telephone",
    "key",
    "signature",
    "uid",
)

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+(?:@|%40)[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
# 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78, +33612345678, 0033 1 23 45 67 89
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)33[\s.\-]?(?:\(0\)[\s.\-]?)?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")
_PARAMETER = re.compile(
    r"(?P<name>(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]*(?:"
    + "|".join(SENSITIVE_PARAMETERS)
    + r"))(?P<sep>=|%3D)(?P<value>[^&\s#\"'<>;,]+)",
    re.IGNORECASE,
)


def scrub_personal_data(text: str) -> str:
    text = _PARAMETER.sub(lambda match: f"{match['name']}{match['sep']}{HIDDEN_VALUE_MASK}", text)
    text = _EMAIL.sub(EMAIL_MASK, text)
    return _PHONE.sub(PHONE_MASK, text)


class PersonalDataScrubFilter(logging.Filter):
    """Rewrites the record's message in place: every later handler and formatter sees the masked text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "personal_data_scrubbed", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg = scrub_personal_data(message)
        record.args = None
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = scrub_personal_data(formatter.formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub_personal_data(record.stack_info)
        record.personal_data_scrubbed = True
        return True
