"""What the citizen's timeline and the "who accessed my dossier" table say about a CNI or passport dossier, in
words specific to the chain: pré-demande steps, stamps, appointments, counter, decision, production, hand-over.

Events carry structured data (notes, transition details); the words are chosen here, when the page is shown.
"""

from datetime import date, datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.core import references
from guichet.dossiers.models import EventKind

from .fees import format_euros
from .models import Title


def _moment(raw: Any) -> str:
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        return ""
    return formats.date_format(timezone.localtime(moment), "j F Y à H:i")


def _day(raw: Any) -> str:
    try:
        return formats.date_format(date.fromisoformat(str(raw)), "j F Y")
    except ValueError:
        return ""


def _step_label(step: str) -> str:
    from .forms import STEP_FORMS

    form = STEP_FORMS.get(step)
    return str(form.heading) if form is not None else step


def _title_label(title: Any) -> str:
    return str(Title(title).label) if title in Title.values else str(title or "")


def _appointment(data: dict[str, Any]) -> dict[str, str]:
    return {"date": _moment(data.get("starts_at")), "place": str(data.get("place", ""))}


def _note_text(note: str, data: dict[str, Any]) -> str | None:
    if note == "predemande_step_saved":
        return _("Pré-demande : étape « %(step)s » enregistrée") % {"step": _step_label(str(data.get("step", "")))}
    if note == "predemande_validated":
        return _("Pré-demande validée, valable jusqu'au %(day)s") % {"day": _day(data.get("valid_until"))}
    if note in ("stamp_bought", "stamp_entered", "stamp_refunded"):
        texts = {
            "stamp_bought": _("Timbre fiscal acheté en ligne (%(amount)s) pour : %(title)s"),
            "stamp_entered": _("Timbre fiscal enregistré (%(amount)s) pour : %(title)s"),
            "stamp_refunded": _("Timbre fiscal remboursé (%(amount)s) pour : %(title)s"),
        }
        amount = format_euros(int(data.get("amount_cents") or 0))
        return texts[note] % {"amount": amount, "title": _title_label(data.get("title"))}
    if note == "appointment_booked":
        return _("Rendez-vous pris le %(date)s — %(place)s") % _appointment(data)
    if note == "appointment_moved":
        return _("Rendez-vous déplacé du %(previous)s au %(date)s — %(place)s") % {
            **_appointment(data),
            "previous": _moment(data.get("previous_starts_at")),
        }
    if note == "appointment_cancelled":
        if data.get("reason") == "predemande_consumed":
            return _("Rendez-vous du %(date)s annulé : la demande est déjà déposée — %(place)s") % _appointment(data)
        return _("Rendez-vous du %(date)s annulé — %(place)s") % _appointment(data)
    if note == "appointment_no_show":
        return _("Rendez-vous du %(date)s non honoré — %(place)s") % _appointment(data)
    if note == "shipped_to_mairie" or data.get("step") == "shipped_to_mairie":
        if data.get("place"):
            return _("Titre fabriqué et expédié vers %(place)s") % {"place": data["place"]}
        return _("Titre fabriqué et expédié vers la mairie")
    return None


def _transition_text(transition: str, details: dict[str, Any]) -> str | None:
    if transition == "submit" and details.get("counter_receipt"):
        values = {
            "place": details.get("place", ""),
            "receipt": references.display(str(details["counter_receipt"])),
        }
        if details.get("paper_form"):
            return (
                _("Demande saisie sur formulaire papier et déposée au guichet — %(place)s, récépissé n° %(receipt)s")
                % values
            )
        return _("Dossier déposé au guichet — %(place)s, récépissé n° %(receipt)s") % values
    if transition == "make_available" and details.get("place"):
        return _("Titre disponible à %(place)s, à retirer avant le %(day)s") % {
            "place": details["place"],
            "day": _day(details.get("collect_before")),
        }
    if transition == "deliver" and details.get("place"):
        return _("Titre remis en main propre — %(place)s") % {"place": details["place"]}
    if transition == "expire":
        return _("Pré-demande expirée : sa durée de validité est passée")
    return None


# The `change` of journal entries written by this procedure, for the "who accessed my dossier" table.
CHANGE_LABELS: dict[str, Any] = {
    "predemande_started": gettext_lazy("Pré-demande commencée"),
    "predemande_step_saved": gettext_lazy("Pré-demande complétée"),
    "predemande_validated": gettext_lazy("Pré-demande validée"),
    "predemande_expired": gettext_lazy("Pré-demande expirée"),
    "stamp_attached": gettext_lazy("Timbre fiscal enregistré"),
    "stamp_detached": gettext_lazy("Timbre fiscal retiré"),
    "stamp_consumed": gettext_lazy("Timbre fiscal vérifié et utilisé au guichet"),
    "paper_form_keyed": gettext_lazy("Demande saisie au guichet (formulaire papier)"),
    "biometrics_captured": gettext_lazy("Photo, signature et empreintes recueillies au guichet"),
    "predemande_consumed": gettext_lazy("Dossier déposé au guichet"),
    "previous_title_invalidated": gettext_lazy("Ancien titre invalidé (perte ou vol)"),
    "title_handed_over": gettext_lazy("Titre remis au guichet"),
}


class IdentityTexts:
    """`dossiers.registry.ProcedureTexts` for the CNI and the passport."""

    def event_text(self, kind: str, data: dict[str, Any]) -> str | None:
        if kind == EventKind.CREATED:
            return _("Demande commencée")
        if kind == EventKind.NOTE:
            return _note_text(str(data.get("note", "")), data)
        if kind == EventKind.TRANSITION:
            details = data.get("details")
            return _transition_text(str(data.get("transition", "")), details if isinstance(details, dict) else {})
        return None

    def change_label(self, change: str) -> str | None:
        label = CHANGE_LABELS.get(change)
        return str(label) if label is not None else None


IDENTITY_TEXTS = IdentityTexts()
