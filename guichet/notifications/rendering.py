"""Renders one message from its templates: notifications/<template>/{subject.txt, body.txt, body.html, sms.txt}."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .channels.sms import sms_prepare_text
from .models import Channel

TEMPLATE_FILES = {
    Channel.EMAIL: ("subject.txt", "body.txt", "body.html"),
    Channel.SMS: ("sms.txt",),
}


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text_body: str
    html_body: str


def template_exists(*, template: str, channel: str) -> bool:
    try:
        for filename in TEMPLATE_FILES[Channel(channel)]:
            get_template(f"notifications/{template}/{filename}")
    except (TemplateDoesNotExist, ValueError, KeyError):
        return False
    return True


def _context(context: dict[str, Any]) -> dict[str, Any]:
    return {"site_url": settings.SITE_URL, **context}


def render_email(*, template: str, context: dict[str, Any]) -> RenderedEmail:
    full_context = _context(context)
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"notifications/{template}/subject.txt", full_context)
        text_body = render_to_string(f"notifications/{template}/body.txt", full_context)
        html_body = render_to_string(f"notifications/{template}/body.html", full_context)
    # A subject is one line: header injection and folded subjects are avoided by construction.
    return RenderedEmail(subject=" ".join(subject.split()), text_body=text_body.strip() + "\n", html_body=html_body)


def render_sms(*, template: str, context: dict[str, Any]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"notifications/{template}/sms.txt", _context(context))
    return sms_prepare_text(text)
