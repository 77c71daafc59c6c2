"""The steps about where to reach the person: address and contact details."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.phone_numbers import french_mobile_normalise
from guichet.core.exceptions import InvalidInput
from guichet.territory import selectors as territory

from ...predemande import ADDRESS, CONTACT
from .base import StepForm


class AddressForm(StepForm):
    step = ADDRESS
    heading = gettext_lazy("Adresse")

    street = forms.CharField(label=gettext_lazy("Numéro et voie"), max_length=150)
    complement = forms.CharField(
        label=gettext_lazy("Complément d'adresse (facultatif)"), max_length=150, required=False
    )
    postal_code = forms.CharField(label=gettext_lazy("Code postal"), max_length=5, min_length=5)
    commune_code = forms.CharField(label=gettext_lazy("Commune"), required=False, widget=forms.Select(choices=[]))

    @classmethod
    def initial_from(cls, stored: dict[str, Any]) -> dict[str, Any]:
        initial = super().initial_from(stored)
        initial.pop("commune_name", None)
        return initial

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        postal = (self.data.get("postal_code") if self.is_bound else self.initial.get("postal_code")) or ""
        self.communes = (
            list(territory.communes_by_postal_code(postal_code=postal)) if re.fullmatch(r"\d{5}", postal) else []
        )
        self.fields["commune_code"].widget.choices = [("", _("Choisir une commune"))] + [
            (c.code, c.name) for c in self.communes
        ]

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if not re.fullmatch(r"\d{5}", value):
            raise ValidationError(_("Le code postal compte 5 chiffres."))
        if not self.communes:
            raise ValidationError(_("Aucune commune ne correspond au code postal %(code)s.") % {"code": value})
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "postal_code" not in cleaned:
            return cleaned
        code = (cleaned.get("commune_code") or "").strip()
        if not code and len(self.communes) == 1:
            code = self.communes[0].code
        by_code = {c.code: c for c in self.communes}
        if not code:
            self.add_error("commune_code", _("Choisissez la commune dans la liste."))
        elif code not in by_code:
            self.add_error(
                "commune_code",
                _("Cette commune ne correspond pas au code postal %(code)s.") % {"code": cleaned["postal_code"]},
            )
        else:
            cleaned["commune_code"] = code
            cleaned["commune_name"] = by_code[code].name
        return cleaned


class ContactForm(StepForm):
    step = CONTACT
    heading = gettext_lazy("Téléphone mobile")

    mobile_phone = forms.CharField(
        label=gettext_lazy("Téléphone mobile (facultatif)"),
        required=False,
        max_length=25,
        help_text=gettext_lazy(
            "Seulement pour vous prévenir par SMS quand votre titre sera prêt. Exemple : 06 12 34 56 78"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"mobile_phone": kwargs["predemande"].mobile_phone})
        super().__init__(*args, **kwargs)

    def clean_mobile_phone(self) -> str:
        raw = self.cleaned_data.get("mobile_phone", "").strip()
        if not raw:
            return ""
        try:
            return french_mobile_normalise(raw)
        except InvalidInput as error:
            raise ValidationError(error.message) from None
