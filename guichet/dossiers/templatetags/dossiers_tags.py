from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from guichet.dossiers import registry, timeline
from guichet.dossiers.workflow import TRANSITION_TEXTS, Status

register = template.Library()

_BADGE = {
    Status.DRAFT: "fr-badge--new",
    Status.SUBMITTED: "fr-badge--info",
    Status.IN_INSTRUCTION: "fr-badge--info",
    Status.AWAITING_COMPLEMENT: "fr-badge--warning",
    Status.ACCEPTED: "fr-badge--success",
    Status.REFUSED: "fr-badge--error",
    Status.IN_PRODUCTION: "fr-badge--info",
    Status.AVAILABLE: "fr-badge--success",
    Status.DELIVERED: "fr-badge--success",
}


@register.filter
def status_label(status: str) -> str:
    return timeline.status_label(status)


# (language, status) → the badge's HTML. Labels change only with a deploy (compiled catalogues), so each badge is
# built once per process and language; the set of statuses is closed, so this stays a few dozen strings.
_BADGE_HTML: dict[tuple[str | None, str], SafeString] = {}


@register.simple_tag
def status_badge(status: str) -> str:
    """The status badge, built here rather than by an included template: list pages show one per row, and an
    include costs a template lookup and a context push each time."""
    key = (get_language(), status)
    html = _BADGE_HTML.get(key)
    if html is None:
        badge_class = _BADGE.get(status, "")  # type: ignore[call-overload]
        html = format_html('<p class="fr-badge fr-badge--sm {}">{}</p>', badge_class, status_label(status))
        if status in Status.values:
            _BADGE_HTML[key] = html  # an unknown value (bad data) is rendered but not kept
    return html


@register.filter
def procedure_label(code: str) -> str:
    return str(registry.get_or_generic(code).label)


@register.filter
def transition_label(name: str) -> str:
    text = TRANSITION_TEXTS.get(name)
    if text:
        return str(text[0])
    return next(
        (str(t.label) for p in registry.all_procedures() for n, t in p.transitions.transitions.items() if n == name),
        name,
    )


@register.filter
def event_description(event: Any, dossier: Any = None) -> str:
    """`{{ event|event_description:dossier }}`; without the dossier, the event's own is read (one query)."""
    procedure = registry.get_or_generic((dossier or event.dossier).procedure)
    return timeline.event_text(kind=event.kind, data=event.data, procedure=procedure)


# Roles named on the citizen's timeline, with the organisation, when someone acts on their behalf.
_ACTING_FOR_APPLICANT = {
    "mediator": gettext_lazy("médiateur numérique"),
    "mairie_agent": gettext_lazy("agent de mairie"),
    "trusted_party": gettext_lazy("tiers de confiance"),
}


@register.filter
def event_actor(event: Any) -> str:
    """The organisation that acted, and for a helper acting on the applicant's behalf, in which capacity."""
    organisation = event.actor_organisation or ""
    if event.on_behalf_of_id and event.actor_role in _ACTING_FOR_APPLICANT:
        return _("%(organisation)s (%(role)s, pour le compte du demandeur)") % {
            "organisation": organisation,
            "role": _ACTING_FOR_APPLICANT[event.actor_role],
        }
    return organisation


@register.filter
def event_reason(event: Any) -> str:
    details = (event.data or {}).get("details") or {}
    return str(details.get("reason", "")) if isinstance(details, dict) else ""


@register.filter
def document_label(document: Any) -> str:
    rule = registry.get_or_generic(document.dossier.procedure).document_rule(document.kind)
    return str(rule.label) if rule else document.kind
