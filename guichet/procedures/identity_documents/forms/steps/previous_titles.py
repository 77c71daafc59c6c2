"""The step about the titles the person holds or held."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...models import Motive, Title
from ...predemande import PREVIOUS_TITLES
from .base import RENEWALS, TITLE_NUMBER_PATTERN, StepForm, _date_field, _from_iso, _iso


class PreviousTitlesForm(StepForm):
    """The title(s) already held. Which parts are required depends on the motive and the requested titles."""

    step = PREVIOUS_TITLES
    heading = gettext_lazy("Titres déjà obtenus")

    cni_number = forms.CharField(label=gettext_lazy("Carte d'identité : numéro"), required=False, max_length=12)
    cni_issued_on = _date_field(gettext_lazy("Carte d'identité : date de délivrance"), required=False)
    cni_expires_on = _date_field(gettext_lazy("Carte d'identité : date d'expiration"), required=False)
    passeport_number = forms.CharField(label=gettext_lazy("Passeport : numéro"), required=False, max_length=12)
    passeport_issued_on = _date_field(gettext_lazy("Passeport : date de délivrance"), required=False)
    passeport_expires_on = _date_field(gettext_lazy("Passeport : date d'expiration"), required=False)
    declaration_date = _date_field(
        gettext_lazy("Date de la déclaration de perte ou de vol (si déjà faite)"), required=False
    )

    @classmethod
    def initial_from(cls, stored: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {"declaration_date": _from_iso(stored.get("declaration_date"))}
        for kind in (Title.CNI, Title.PASSPORT):
            entry = stored.get(kind) or {}
            initial[f"{kind}_number"] = entry.get("number", "")
            initial[f"{kind}_issued_on"] = _from_iso(entry.get("issued_on"))
            initial[f"{kind}_expires_on"] = _from_iso(entry.get("expires_on"))
        return initial

    def values(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        stored: dict[str, Any] = {"declaration_date": _iso(cleaned.get("declaration_date"))}
        for kind in (Title.CNI, Title.PASSPORT):
            stored[kind] = {
                "number": cleaned.get(f"{kind}_number", ""),
                "issued_on": _iso(cleaned.get(f"{kind}_issued_on")),
                "expires_on": _iso(cleaned.get(f"{kind}_expires_on")),
            }
        return stored

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        requested = set(self.predemande.titles.values_list("title", flat=True))
        motive = self.predemande.motive
        for kind in (Title.CNI, Title.PASSPORT):
            number = (cleaned.get(f"{kind}_number") or "").replace(" ", "").upper()
            cleaned[f"{kind}_number"] = number
            if number and not TITLE_NUMBER_PATTERN.match(number):
                self.add_error(f"{kind}_number", _("Le numéro d'un titre compte de 9 à 12 lettres et chiffres."))
            issued, expires = cleaned.get(f"{kind}_issued_on"), cleaned.get(f"{kind}_expires_on")
            if issued and issued > self.today:
                self.add_error(f"{kind}_issued_on", _("La date de délivrance ne peut pas être dans le futur."))
            if issued and expires and expires <= issued:
                self.add_error(
                    f"{kind}_expires_on", _("La date d'expiration ne peut pas précéder la date de délivrance.")
                )
            if kind not in requested:
                continue
            filled = bool(number or issued or expires)
            if motive == Motive.FIRST and filled:
                self.add_error(
                    f"{kind}_number",
                    _(
                        "Pour une première demande, laissez cette partie vide : si vous avez déjà eu ce titre, "
                        "choisissez un renouvellement, une perte ou un vol."
                    ),
                )
            if (motive in RENEWALS or motive == Motive.DAMAGE) and not expires:
                self.add_error(
                    f"{kind}_expires_on",
                    _("Indiquez la date d'expiration de votre carte d'identité actuelle.")
                    if kind == Title.CNI
                    else _("Indiquez la date d'expiration de votre passeport actuel."),
                )
            if motive == Motive.RENEWAL_EXPIRED and expires and expires >= self.today:
                self.add_error(
                    f"{kind}_expires_on",
                    _("Ce titre n'est pas encore expiré : choisissez plutôt le motif « titre bientôt expiré »."),
                )
            if motive == Motive.RENEWAL_EXPIRING and expires and expires < self.today:
                self.add_error(
                    f"{kind}_expires_on",
                    _("Ce titre est déjà expiré : choisissez plutôt le motif « titre expiré »."),
                )
        declared = cleaned.get("declaration_date")
        if declared and declared > self.today:
            self.add_error("declaration_date", _("La date de déclaration ne peut pas être dans le futur."))
        if motive == Motive.THEFT and not declared:
            self.add_error(
                "declaration_date",
                _(
                    "Un vol doit d'abord être déclaré au commissariat ou à la gendarmerie : "
                    "indiquez la date du récépissé."
                ),
            )
        return cleaned
