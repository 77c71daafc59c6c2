"""E-mail through Django's configured e-mail backend (file or console in development, SMTP in production)."""

import smtplib
from collections.abc import Sequence
from email import encoders
from email.mime.base import MIMEBase
from email.mime.nonmultipart import MIMENonMultipart
from email.mime.text import MIMEText
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from ..attachments import Attachment
from . import PermanentDeliveryError, RetryableDeliveryError


def _mime_part(attachment: Attachment) -> MIMEBase:
    """One attachment with its full content type (parameters such as `method=PUBLISH` kept): text in UTF-8,
    anything else in base64; named in Content-Disposition so that mail clients offer the file."""
    maintype, subtype = attachment.media_type.split("/", 1)
    parameters = {name: value for name, value in attachment.parameters.items() if name != "charset"}
    part: MIMEBase
    if maintype == "text":
        try:
            text = attachment.content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise PermanentDeliveryError("attachment_not_utf8") from error
        part = MIMEText(text, subtype, "utf-8")
    else:
        part = MIMENonMultipart(maintype, subtype)
        part.set_payload(attachment.content)
        encoders.encode_base64(part)
    for name, value in parameters.items():
        part.set_param(name, value, requote=False)
    part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
    return part


def email_send(*, to: str, subject: str, text_body: str, html_body: str, attachments: Sequence[Attachment] = ()) -> str:
    """Sends one message with a plain-text part, an HTML alternative and the attachments; returns its
    Message-ID. Works with every Django e-mail backend (file, memory, SMTP): they all send `message()`."""
    message_id = make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "guichet.localhost")
    message = EmailMultiAlternatives(
        subject=subject,
        body=text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html_body, "text/html")
    for attachment in attachments:
        message.attach(_mime_part(attachment))
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as error:
        # The server's answer names the address: keep only the status codes.
        codes = sorted({code for code, _ in error.recipients.values()})
        raise PermanentDeliveryError(f"smtp_recipient_refused {codes}") from error
    except smtplib.SMTPResponseException as error:
        kind = PermanentDeliveryError if 500 <= error.smtp_code < 600 else RetryableDeliveryError
        raise kind(f"smtp_error {error.smtp_code}") from error
    except (smtplib.SMTPException, OSError) as error:
        raise RetryableDeliveryError(f"smtp_unavailable {type(error).__name__}") from error
    return message_id
