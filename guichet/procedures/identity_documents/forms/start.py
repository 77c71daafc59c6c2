from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from ..models import Motive, Title
from ..predemande import RepresentativeLink

FOR_SELF, FOR_MINOR = "self", "minor"


class PreDemandeStartForm(DsfrBaseForm):
    titles = forms.MultipleChoiceField(
        label=_("Titre(s) demandé(s)"),
        choices=Title.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez la carte d'identité, le passeport, ou les deux.")},
    )
    for_whom = forms.ChoiceField(
        label=_("Pour qui faites-vous cette demande ?"),
        choices=[(FOR_SELF, _("Pour moi")), (FOR_MINOR, _("Pour un enfant mineur dont je suis le représentant légal"))],
        widget=forms.RadioSelect,
        initial=FOR_SELF,
    )
    motive = forms.ChoiceField(label=_("Motif de la demande"), choices=Motive.choices)
    representative_link = forms.ChoiceField(
        label=_("Votre lien avec l'enfant (demande pour un mineur)"),
        choices=[("", _("Choisir")), *RepresentativeLink.choices],
        required=False,
    )
    representative_last_name = forms.CharField(
        label=_("Votre nom (représentant légal)"), max_length=100, required=False
    )
    representative_given_names = forms.CharField(
        label=_("Vos prénoms (représentant légal)"), max_length=150, required=False
    )
    parents_separated = forms.BooleanField(
        label=_("Les parents de l'enfant sont séparés (résidence fixée par un jugement ou une convention)"),
        required=False,
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None and not self.is_bound:
            self.initial.setdefault("representative_last_name", user.last_name)
            self.initial.setdefault("representative_given_names", user.first_name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("for_whom") == FOR_MINOR:
            message = _("Pour un enfant mineur, la demande est faite par son représentant légal : indiquez ce champ.")
            for name in ("representative_link", "representative_last_name", "representative_given_names"):
                if not cleaned.get(name):
                    self.add_error(name, message)
        return cleaned

    def representative(self) -> dict[str, Any] | None:
        if self.cleaned_data.get("for_whom") != FOR_MINOR:
            return None
        return {
            "link": self.cleaned_data.get("representative_link", ""),
            "last_name": self.cleaned_data.get("representative_last_name", ""),
            "given_names": self.cleaned_data.get("representative_given_names", ""),
            "parents_separated": self.cleaned_data.get("parents_separated", False),
        }
