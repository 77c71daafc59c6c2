from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


@register.simple_tag
def status_badge(status: str) -> str:
    """The status badge, built here rather than by an included template: list pages show one per row, and an
    include costs a template lookup and a context push each time."""
    badge_class = _BADGE.get(status, "")  # type: ignore[call-overload]
    return format_html('<p class="fr-badge fr-badge--sm {}">{}</p>', badge_class, status_label(status))


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
