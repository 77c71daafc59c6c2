"""One form per step of the pré-demande. Each cleans its input into JSON-ready values (`values()`).

Communes are chosen without JavaScript: the person types a name or a postal code, presses "Rechercher", and the
page comes back with a list of matching communes to pick from.
"""

import re
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from guichet.accounts.phone_numbers import french_mobile_normalise
from guichet.core.exceptions import InvalidInput
from guichet.territory import selectors as territory

from ..fees import age_on
from ..models import Motive, PreDemande, Title
from ..predemande import ADDRESS, CIVIL_STATUS, CONTACT, PARENTS, PHYSICAL, PREVIOUS_TITLES

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


STEP_FORMS: dict[str, type[StepForm]] = {
    form.step: form
    for form in (CivilStatusForm, ParentsForm, PhysicalForm, AddressForm, ContactForm, PreviousTitlesForm)
}
