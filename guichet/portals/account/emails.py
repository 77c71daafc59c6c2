"""Account e-mails: each is rendered from three templates (subject, text, HTML) and sent after commit."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def account_email_send(*, to: str, template: str, context: dict, folder: str = "account/emails") -> None:
    """Sends `<folder>/<template>{_subject.txt,.txt,.html}` once the current transaction commits.

    Other portals use it (with their own `folder`) for e-mails carrying a secret link that must not be stored."""
    full_context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{folder}/{template}_subject.txt", full_context).split())
    text_body = render_to_string(f"{folder}/{template}.txt", full_context)
    html_body = render_to_string(f"{folder}/{template}.html", full_context)

    def send() -> None:
        message = EmailMultiAlternatives(subject=subject, body=text_body, to=[to])
        message.attach_alternative(html_body, "text/html")
        message.send()

    transaction.on_commit(send)
