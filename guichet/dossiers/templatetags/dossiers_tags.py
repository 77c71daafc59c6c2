from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.dossiers import registry
from guichet.dossiers.models import AccessRole, EventKind
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
def status_badge_class(status: str) -> str:
    return _BADGE.get(status, "")  # type: ignore[call-overload]


@register.filter
def status_label(status: str) -> str:
    return str(dict(Status.choices).get(status, status))


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
def event_description(event: Any) -> str:
    data = event.data or {}
    if event.kind == EventKind.TRANSITION:
        return _("Nouvel état : %(status)s") % {"status": status_label(data.get("to", ""))}
    if event.kind in (EventKind.ACCESS_GRANTED, EventKind.ACCESS_REVOKED):
        role = str(dict(AccessRole.choices).get(data.get("role", ""), data.get("role", "")))
        if event.kind == EventKind.ACCESS_GRANTED:
            return _("Accès accordé : %(role)s") % {"role": role}
        return _("Accès retiré : %(role)s") % {"role": role}
    return str(dict(EventKind.choices).get(event.kind, event.kind))


# Roles named on the citizen's timeline, with the organisation, when someone acts on their behalf.
_ACTING_FOR_APPLICANT = {
    "mediator": gettext_lazy("médiateur numérique"),
    "mairie_agent": gettext_lazy("agent de mairie"),
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
