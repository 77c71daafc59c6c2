from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.territory.codes import is_department_code
from guichet.territory.directory import PUBLIC_KINDS, SERVICE_FILTERS
from guichet.territory.models import PlaceKind

KIND_LABELS = dict(PlaceKind.choices)
RADIUS_CHOICES = [
    ("10", _("10 km")),
    ("20", _("20 km")),
    ("50", _("50 km")),
    ("100", _("100 km")),
    ("0", _("Sans limite")),
]


class DirectorySearchForm(DsfrBaseForm):
    q = forms.CharField(
        label=_("Commune ou code postal"),
        help_text=_("Par exemple : Rennes, ou 35000"),
        required=False,
        max_length=100,
    )
    departement = forms.CharField(
        label=_("Département (code)"), help_text=_("Par exemple : 35, 2A, 974"), required=False, max_length=3
    )
    type = forms.ChoiceField(
        label=_("Type de lieu"),
        required=False,
        choices=[("", _("Tous les types"))] + [(kind, KIND_LABELS[kind]) for kind in PUBLIC_KINDS],
    )
    service = forms.ChoiceField(
        label=_("Service recherché"),
        required=False,
        choices=[("", _("Tous les services"))] + [(key, label) for key, label in SERVICE_FILTERS.items()],
    )
    rayon = forms.ChoiceField(label=_("Distance maximale"), required=False, choices=RADIUS_CHOICES, initial="50")
    ouvert = forms.BooleanField(label=_("Ouvert maintenant"), required=False)
    commune = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)

    def clean_departement(self) -> str:
        code = self.cleaned_data["departement"].strip().upper()
        if code and len(code) == 1 and code.isdigit():
            code = f"0{code}"
        if code and not is_department_code(code):
            raise forms.ValidationError(_("Ce code de département n'existe pas (exemples : 35, 2A, 974)."))
        return code

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            raise forms.ValidationError(_("La position transmise est incomplète : cherchez plutôt par commune."))
        return cleaned
