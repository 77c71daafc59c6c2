"""SMS through a provider chosen by `settings.GUICHET_SMS_PROVIDER` (dotted path to a class).

- `FileSmsProvider` writes JSON lines to `settings.GUICHET_SMS_FILE_PATH` (development default);
- `MemorySmsProvider` keeps messages in `MemorySmsProvider.outbox` (tests, like `django.core.mail.outbox`);
- `HttpSmsProvider` posts JSON to `settings.GUICHET_SMS_HTTP_URL` with a bearer token.

Only French mobile numbers are accepted: +336… and +337… in E.164 form.
"""

import fcntl
import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from guichet.core.exceptions import InvalidInput

from . import PermanentDeliveryError, RetryableDeliveryError

_FRENCH_MOBILE = re.compile(r"^\+33[67]\d{8}$")
_SEPARATORS = re.compile(r"[\s.\-()]")

# GSM 03.38 basic character set (plus the escape-table characters, which count double).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€")
SMS_SINGLE_LENGTH = 160

# Typography that would force the whole SMS into UCS-2 (70 characters) for no benefit.
_GSM_FRIENDLY = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " "}
)


class InvalidPhoneNumber(InvalidInput):
    code = "invalid_mobile_number"
    default_message = _(
        "Ce numéro ne peut pas recevoir de SMS : indiquez un numéro de mobile français commençant par 06 ou 07."
    )


def phone_normalize_french_mobile(raw: str) -> str:
    """Returns the E.164 form (+33612345678) of a French mobile number, or raises `InvalidPhoneNumber`."""
    number = _SEPARATORS.sub("", raw or "")
    if number.startswith("0033"):
        number = "+33" + number[4:]
    elif number.startswith("0") and len(number) == 10:
        number = "+33" + number[1:]
    if not _FRENCH_MOBILE.match(number):
        raise InvalidPhoneNumber()
    return number


def sms_prepare_text(text: str) -> str:
    """Collapses whitespace and replaces typographic signs that have a GSM-7 equivalent."""
    return " ".join(text.translate(_GSM_FRIENDLY).split())


def sms_length(text: str) -> int:
    """Length in GSM-7 septets, or in UCS-2 characters when some character is outside GSM-7."""
    if sms_is_gsm7(text):
        return sum(2 if char in GSM7_EXTENDED else 1 for char in text)
    return len(text)


def sms_is_gsm7(text: str) -> bool:
    return all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text)


class SmsProvider(Protocol):
    def send(self, *, to: str, text: str, reference: str = "") -> str:
        """Sends `text` to the E.164 number `to`; returns the provider's message id. `reference` is the same for
        every attempt of one notification, so that a provider that deduplicates can drop a resend."""
        ...


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str
    message_id: str


class MemorySmsProvider:
    """Keeps sent messages in memory; tests read and clear `MemorySmsProvider.outbox`."""

    outbox: ClassVar[list[SmsMessage]] = []

    def send(self, *, to: str, text: str, reference: str = "") -> str:
        message = SmsMessage(to=to, text=text, message_id=f"memory-{uuid.uuid4().hex}")
        MemorySmsProvider.outbox.append(message)
        return message.message_id


class FileSmsProvider:
    """Appends one JSON object per message. A directory path receives `sms.jsonl`; a `*.jsonl` path is the file."""

    def __init__(self, path: str | Path | None = None) -> None:
        target = Path(path or settings.GUICHET_SMS_FILE_PATH)
        self.path = target if target.suffix == ".jsonl" else target / "sms.jsonl"

    def send(self, *, to: str, text: str, reference: str = "") -> str:
        message_id = f"file-{uuid.uuid4().hex}"
        line = json.dumps(
            {
                "id": message_id,
                "reference": reference,
                "to": to,
                "text": text,
                "written_at": timezone.now().isoformat(),
            },
            ensure_ascii=False,
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                # Several workers may write at once: one whole line each.
                fcntl.flock(handle, fcntl.LOCK_EX)
                handle.write(line + "\n")
        except OSError as error:
            raise RetryableDeliveryError(f"sms_file_unwritable {type(error).__name__}") from error
        return message_id


class HttpSmsProvider:
    """POSTs `{"to", "text", "reference"}` as JSON; expects a 2xx answer, ideally `{"id": "..."}`.

    Timeouts, connection errors, 5xx, 408 and 429 may succeed later (retryable); any other 4xx is permanent.
    """

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float | None = None) -> None:
        self.url = url if url is not None else settings.GUICHET_SMS_HTTP_URL
        self.token = token if token is not None else settings.GUICHET_SMS_HTTP_TOKEN
        self.timeout = timeout if timeout is not None else float(getattr(settings, "GUICHET_SMS_HTTP_TIMEOUT", 10))
        # One session per provider: the messages of a dispatch batch reuse its connection to the gateway (keep-alive)
        # instead of opening, and for HTTPS negotiating, a connection per SMS.
        self._session = requests.Session()

    def send(self, *, to: str, text: str, reference: str = "") -> str:
        if not self.url:
            raise PermanentDeliveryError("sms_http_url_not_configured")
        reference = reference or uuid.uuid4().hex
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = self._session.post(
                self.url, json={"to": to, "text": text, "reference": reference}, headers=headers, timeout=self.timeout
            )
        except requests.Timeout as error:
            raise RetryableDeliveryError("sms_http_timeout") from error
        except requests.RequestException as error:
            raise RetryableDeliveryError(f"sms_http_unreachable {type(error).__name__}") from error
        status = response.status_code
        if status >= 500 or status in (408, 429):
            raise RetryableDeliveryError(f"sms_http_status {status}")
        if status >= 400:
            raise PermanentDeliveryError(f"sms_http_status {status}")
        if status >= 300:
            raise PermanentDeliveryError(f"sms_http_unexpected_status {status}")
        try:
            body = response.json()
        except ValueError:
            body = {}
        provider_id = body.get("id") if isinstance(body, dict) else None
        return str(provider_id or reference)[:120]

    def close(self) -> None:
        """Closes the kept-alive connection; `sms_provider_close` calls it once the provider's messages are sent."""
        self._session.close()


def sms_provider() -> SmsProvider:
    provider_class = import_string(settings.GUICHET_SMS_PROVIDER)
    provider: SmsProvider = provider_class()
    return provider


def sms_provider_close(provider: SmsProvider) -> None:
    """Releases what a provider holds between messages, for those that hold something (a `close` method): the
    configured class may be any object with `send`."""
    close = getattr(provider, "close", None)
    if callable(close):
        close()
