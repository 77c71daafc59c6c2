"""What every step form shares: limits, field helpers, and the base form storing JSON-ready values."""

import re
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from ...models import Motive, PreDemande

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
OLDEST_BIRTH_YEAR = 1900
# Sanity bounds for a height in centimetres, from a newborn to the tallest people on record.
HEIGHT_MIN_CM, HEIGHT_MAX_CM = 40, 250
NAME_PATTERN = re.compile(r"^[^\W\d_]+(?:[ '’\-]+[^\W\d_]+)*$")
TITLE_NUMBER_PATTERN = re.compile(r"^[A-Z0-9]{9,12}$")
RENEWALS = {Motive.RENEWAL_EXPIRED, Motive.RENEWAL_EXPIRING, Motive.RENEWAL_CIVIL_STATUS, Motive.RENEWAL_ADDRESS}


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=help_text or gettext_lazy("Format : jj/mm/aaaa"),
        error_messages={"invalid": gettext_lazy("Saisissez une date valide, par exemple 14/07/1990.")},
    )


def _name_field(label: Any, *, required: bool = True, max_length: int = 100) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length)


def _check_name(value: str) -> str:
    value = " ".join((value or "").split())
    if value and not NAME_PATTERN.match(value):
        raise ValidationError(_("Utilisez seulement des lettres, des espaces, des traits d'union ou des apostrophes."))
    return value


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _from_iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


class StepForm(DsfrBaseForm):
    step: ClassVar[str]
    heading: ClassVar[Any]

    def __init__(self, *args: Any, predemande: PreDemande, today: date | None = None, **kwargs: Any) -> None:
        self.predemande = predemande
        self.today = today or timezone.localdate()
        if "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(predemande.data.get(self.step) or {})
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_from(cls, stored: dict[str, Any]) -> dict[str, Any]:
        return {
            name: (_from_iso(value) if name.endswith(("_date", "_on")) else value) for name, value in stored.items()
        }

    def values(self) -> dict[str, Any]:
        return {
            name: (_iso(value) if isinstance(value, date) else value)
            for name, value in self.cleaned_data.items()
            if not name.endswith("_search")
        }
