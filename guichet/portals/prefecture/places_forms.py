from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.territory import vocabularies
from guichet.territory.models import Department, Place, PlaceKind

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


def _multiple(label: Any, values: tuple[str, ...]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=_choices(values), widget=forms.CheckboxSelectMultiple
    )


class PlaceForm(DsfrBaseForm, forms.ModelForm):
    """A place of the admin's départements; the model's `clean` checks hours, commune and vocabularies."""

    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    services = _multiple(_("Services (vocabulaire national)"), vocabularies.SERVICES)
    access_modes = _multiple(_("Modalités d'accès"), vocabularies.ACCESS_MODES)
    support_modes = _multiple(_("Modalités d'accompagnement"), vocabularies.SUPPORT_MODES)
    fees = _multiple(_("Frais à charge"), vocabularies.FEES)
    audiences = _multiple(_("Publics spécifiquement adressés"), vocabularies.AUDIENCES)
    specific_support = _multiple(_("Prise en charge spécifique"), vocabularies.SPECIFIC_SUPPORT)

    class Meta:
        model = Place
        fields = [
            "kind",
            "name",
            "department",
            "commune_code",
            "address",
            "address_complement",
            "postal_code",
            "city",
            "latitude",
            "longitude",
            "opening_hours",
            "phone",
            "email",
            "website",
            "accessibility",
            "accessibility_url",
            "appointment_url",
            "appointment_info",
            "collection_stations",
            "mediator_present",
            "mediator_hours",
            "has_scanner",
            "has_printer",
            "services",
            "access_modes",
            "support_modes",
            "fees",
            "audiences",
            "specific_support",
            "approval",
            "pivot",
            "summary",
            "is_active",
        ]
        labels = {
            "kind": _("Type de lieu"),
            "name": _("Nom"),
            "department": _("Département"),
            "commune_code": _("Code commune INSEE"),
            "address": _("Adresse"),
            "address_complement": _("Complément d'adresse"),
            "postal_code": _("Code postal"),
            "city": _("Commune"),
            "opening_hours": _("Horaires d'ouverture"),
            "phone": _("Téléphone"),
            "email": _("Adresse électronique"),
            "website": _("Site web"),
            "accessibility": _("Accessibilité"),
            "accessibility_url": _("Fiche d'accessibilité (adresse web)"),
            "appointment_url": _("Prise de rendez-vous en ligne (adresse web)"),
            "appointment_info": _("Comment obtenir un rendez-vous"),
            "collection_stations": _("Nombre de dispositifs de recueil"),
            "mediator_present": _("Un médiateur numérique est présent"),
            "mediator_hours": _("Horaires de présence du médiateur"),
            "has_scanner": _("Scanner à disposition"),
            "has_printer": _("Imprimante à disposition"),
            "approval": _("Agrément ou habilitation (numéro et portée)"),
            "pivot": _("SIRET ou RNA de la structure"),
            "summary": _("Présentation courte"),
            "is_active": _("Lieu ouvert et affiché dans l'annuaire"),
        }
        help_texts = {
            "opening_hours": _("Syntaxe OpenStreetMap, par exemple : Mo-Fr 09:00-12:00,14:00-17:00; PH off"),
            "mediator_hours": _(
                "Même syntaxe que les horaires d'ouverture ; laissez vide s'il est là aux heures d'ouverture."
            ),
            "commune_code": _("5 caractères, par exemple 35238 ; la commune doit appartenir au département."),
        }

    def __init__(self, *args, departments: list[Department], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            code__in=[department.code for department in departments]
        )
        self.fields["department"].empty_label = None  # type: ignore[attr-defined]
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in PlaceKind.choices if value != PlaceKind.INSTRUCTION_CENTRE
        ]

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("longitude", _("Indiquez la latitude et la longitude, ou aucune des deux."))
        if cleaned.get("collection_stations") and cleaned.get("kind") != PlaceKind.MAIRIE:
            self.add_error("collection_stations", _("Seules les mairies peuvent avoir des dispositifs de recueil."))
        return cleaned


class PlacesImportForm(DsfrBaseForm):
    department = forms.ModelChoiceField(label=_("Département"), queryset=Department.objects.none(), empty_label=None)
    file = forms.FileField(
        label=_("Fichier au schéma national des lieux de médiation numérique"),
        help_text=_("CSV (séparateur virgule, encodage UTF-8, ligne d'en-tête) ou JSON ; 5 Mo au plus."),
    )

    def __init__(self, *args, departments: list[Department], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            code__in=[department.code for department in departments]
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo : découpez-le par département."))
        name = upload.name.lower()
        if not name.endswith((".csv", ".json")):
            raise forms.ValidationError(_("Seuls les fichiers .csv et .json sont acceptés."))
        return upload

    @property
    def file_format(self) -> str:
        return "json" if self.cleaned_data["file"].name.lower().endswith(".json") else "csv"
