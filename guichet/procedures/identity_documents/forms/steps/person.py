"""The steps about the person: civil status, parents, physical description."""

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.territory import selectors as territory

from ...fees import age_on
from ...predemande import CIVIL_STATUS, PARENTS, PHYSICAL
from .base import (
    HEIGHT_MAX_CM,
    HEIGHT_MIN_CM,
    OLDEST_BIRTH_YEAR,
    StepForm,
    _check_name,
    _date_field,
    _from_iso,
    _name_field,
)


class CivilStatusForm(StepForm):
    step = CIVIL_STATUS
    heading = gettext_lazy("État civil")

    last_name = _name_field(gettext_lazy("Nom de naissance"))
    usage_name = _name_field(gettext_lazy("Nom d'usage (facultatif)"), required=False)
    given_names = _name_field(gettext_lazy("Prénoms, dans l'ordre de l'état civil"), max_length=150)
    sex = forms.ChoiceField(
        label=gettext_lazy("Sexe"),
        choices=[("F", gettext_lazy("Féminin")), ("M", gettext_lazy("Masculin"))],
        widget=forms.RadioSelect,
    )
    birth_date = _date_field(gettext_lazy("Date de naissance"))
    born_abroad = forms.TypedChoiceField(
        label=gettext_lazy("Lieu de naissance"),
        choices=[("0", gettext_lazy("En France")), ("1", gettext_lazy("À l'étranger"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    birth_commune_search = forms.CharField(
        label=gettext_lazy("Commune de naissance : nom ou code postal"),
        required=False,
        max_length=80,
        help_text=gettext_lazy("Tapez le début du nom ou le code postal, puis « Rechercher la commune »."),
    )
    birth_commune_code = forms.CharField(
        label=gettext_lazy("Commune de naissance"), required=False, widget=forms.Select(choices=[])
    )
    birth_country = forms.CharField(label=gettext_lazy("Pays de naissance (si à l'étranger)"), required=False)
    birth_place_abroad = forms.CharField(label=gettext_lazy("Ville de naissance (si à l'étranger)"), required=False)

    @classmethod
    def initial_from(cls, stored: dict[str, Any]) -> dict[str, Any]:
        initial = super().initial_from(stored)
        if "born_abroad" in initial:
            initial["born_abroad"] = "1" if initial["born_abroad"] else "0"
        initial.pop("birth_commune_name", None)
        return initial

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_commune_code"].widget.choices = self.commune_choices()

    def commune_choices(self) -> list[tuple[str, str]]:
        source = self.data if self.is_bound else self.initial
        query = source.get("birth_commune_search") or ""
        query = query.strip()
        communes = []
        if re.fullmatch(r"\d{5}", query):
            communes = list(territory.communes_by_postal_code(postal_code=query)[:30])
        elif query:
            communes = list(territory.commune_search_by_name(query=query, limit=30))
        choices = [(c.code, f"{c.name} ({c.department_id})") for c in communes]
        selected = self.data.get("birth_commune_code") if self.is_bound else self.initial.get("birth_commune_code")
        if selected and selected not in {code for code, _label in choices}:
            commune = territory.commune_by_code(code=selected)
            choices.insert(0, (selected, f"{commune.name} ({commune.department_id})" if commune else selected))
        return [("", _("Choisir une commune")), *choices]

    def clean_last_name(self) -> str:
        return _check_name(self.cleaned_data["last_name"])

    def clean_usage_name(self) -> str:
        return _check_name(self.cleaned_data.get("usage_name", ""))

    def clean_given_names(self) -> str:
        return _check_name(self.cleaned_data["given_names"])

    def clean_birth_date(self) -> date:
        value = self.cleaned_data["birth_date"]
        if value > self.today:
            raise ValidationError(_("La date de naissance ne peut pas être dans le futur."))
        if value.year < OLDEST_BIRTH_YEAR:
            raise ValidationError(_("Vérifiez l'année de naissance."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("born_abroad"):
            if not cleaned.get("birth_country", "").strip():
                self.add_error("birth_country", _("Indiquez votre pays de naissance."))
            cleaned["birth_commune_code"] = ""
            cleaned["birth_commune_name"] = ""
        elif "born_abroad" in cleaned:
            code = (cleaned.get("birth_commune_code") or "").strip().upper()
            commune = territory.commune_by_code(code=code) if code else None
            if not code:
                self.add_error(
                    "birth_commune_code",
                    _("Choisissez votre commune de naissance : tapez son nom ou son code postal, puis « Rechercher »."),
                )
            elif commune is None:
                self.add_error(
                    "birth_commune_code",
                    _("Le code « %(code)s » ne correspond à aucune commune connue. Recherchez la commune par son nom.")
                    % {"code": code},
                )
            else:
                cleaned["birth_commune_code"] = commune.code
                cleaned["birth_commune_name"] = commune.name
            cleaned["birth_country"] = ""
            cleaned["birth_place_abroad"] = ""
        birth = cleaned.get("birth_date")
        if birth:
            age = age_on(birth, self.today)
            if self.predemande.is_for_minor and age >= 18:
                self.add_error(
                    "birth_date",
                    _("Cette personne a 18 ans ou plus : elle doit faire sa pré-demande elle-même, avec son compte."),
                )
            elif not self.predemande.is_for_minor and age < 18:
                self.add_error(
                    "birth_date",
                    _(
                        "Une personne mineure ne fait pas sa pré-demande elle-même : un parent ou un tuteur la fait "
                        "pour elle, en choisissant « pour un enfant mineur »."
                    ),
                )
        return cleaned


class ParentsForm(StepForm):
    step = PARENTS
    heading = gettext_lazy("Filiation")

    parent1_last_name = _name_field(gettext_lazy("Parent 1 : nom"), required=False)
    parent1_given_names = _name_field(gettext_lazy("Parent 1 : prénoms"), required=False, max_length=150)
    parent1_birth_date = _date_field(gettext_lazy("Parent 1 : date de naissance"), required=False)
    parent1_birth_place = forms.CharField(label=gettext_lazy("Parent 1 : lieu de naissance"), required=False)
    parent2_last_name = _name_field(gettext_lazy("Parent 2 : nom"), required=False)
    parent2_given_names = _name_field(gettext_lazy("Parent 2 : prénoms"), required=False, max_length=150)
    parent2_birth_date = _date_field(gettext_lazy("Parent 2 : date de naissance"), required=False)
    parent2_birth_place = forms.CharField(label=gettext_lazy("Parent 2 : lieu de naissance"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        person_birth = _from_iso((self.predemande.data.get(CIVIL_STATUS) or {}).get("birth_date"))
        for parent in ("parent1", "parent2"):
            for part in ("last_name", "given_names"):
                name = f"{parent}_{part}"
                try:
                    cleaned[name] = _check_name(cleaned.get(name, ""))
                except ValidationError as error:
                    self.add_error(name, error)
            filled = any(cleaned.get(f"{parent}_{part}") for part in ("last_name", "given_names", "birth_date"))
            if filled and not cleaned.get(f"{parent}_last_name"):
                self.add_error(f"{parent}_last_name", _("Indiquez le nom de ce parent, ou laissez la partie vide."))
            born = cleaned.get(f"{parent}_birth_date")
            if born and born > self.today:
                self.add_error(f"{parent}_birth_date", _("La date de naissance ne peut pas être dans le futur."))
            elif born and person_birth and born >= person_birth:
                self.add_error(
                    f"{parent}_birth_date",
                    _("Un parent est né avant son enfant : vérifiez cette date."),
                )
        return cleaned


EYE_COLOURS = [
    ("", gettext_lazy("Choisir")),
    ("brown", gettext_lazy("Marron")),
    ("hazel", gettext_lazy("Noisette")),
    ("green", gettext_lazy("Vert")),
    ("blue", gettext_lazy("Bleu")),
    ("grey", gettext_lazy("Gris")),
    ("black", gettext_lazy("Noir")),
    ("other", gettext_lazy("Autre (vairons…)")),
]


class PhysicalForm(StepForm):
    step = PHYSICAL
    heading = gettext_lazy("Description physique")

    height_cm = forms.IntegerField(
        label=gettext_lazy("Taille en centimètres"),
        help_text=gettext_lazy("Par exemple 172"),
        error_messages={"invalid": gettext_lazy("Indiquez la taille en centimètres, avec des chiffres.")},
    )
    eye_colour = forms.ChoiceField(label=gettext_lazy("Couleur des yeux"), choices=EYE_COLOURS)

    def clean_height_cm(self) -> int:
        value = self.cleaned_data["height_cm"]
        if not HEIGHT_MIN_CM <= value <= HEIGHT_MAX_CM:
            raise ValidationError(
                _("Indiquez une taille entre %(low)d et %(high)d centimètres.")
                % {"low": HEIGHT_MIN_CM, "high": HEIGHT_MAX_CM}
            )
        return value
