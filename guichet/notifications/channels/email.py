"""E-mail through Django's configured e-mail backend (file or console in development, SMTP in production)."""

import smtplib
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from . import PermanentDeliveryError, RetryableDeliveryError


def email_send(*, to: str, subject: str, text_body: str, html_body: str) -> str:
    """Sends one message with a plain-text part and an HTML alternative; returns its Message-ID."""
    message_id = make_msgid(domain=urlsplit(settings.SITE_URL).hostname or "guichet.localhost")
    message = EmailMultiAlternatives(
        subject=subject,
        body=text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html_body, "text/html")
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
