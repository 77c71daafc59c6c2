"""The words of a dossier's timeline: the procedure's own text for an event when it has one, else the generic
one. Used by the pages (template filter) and by anything that must say what happened (tests, exports)."""

from typing import Any

from django.utils.translation import gettext as _

from . import registry
from .models import AccessRole, EventKind
from .workflow import TIMELINE_TEXTS, Status


def status_label(status: str) -> str:
    return str(dict(Status.choices).get(status, status))  # type: ignore[call-overload]


def event_text(*, kind: str, data: dict[str, Any] | None, procedure: registry.Procedure) -> str:
    data = data or {}
    if procedure.texts is not None:
        text = procedure.texts.event_text(kind, data)
        if text:
            return text
    if kind == EventKind.TRANSITION:
        known = TIMELINE_TEXTS.get(str(data.get("transition", "")))
        if known:
            return str(known)
        return _("Nouvel état : %(status)s") % {"status": status_label(data.get("to", ""))}
    if kind in (EventKind.ACCESS_GRANTED, EventKind.ACCESS_REVOKED):
        role = str(dict(AccessRole.choices).get(data.get("role", ""), data.get("role", "")))
        if kind == EventKind.ACCESS_GRANTED:
            return _("Accès accordé : %(role)s") % {"role": role}
        return _("Accès retiré : %(role)s") % {"role": role}
    return str(dict(EventKind.choices).get(kind, kind))


def change_label(*, change: str, procedure: registry.Procedure) -> str | None:
    if procedure.texts is None or not change:
        return None
    return procedure.texts.change_label(change)
