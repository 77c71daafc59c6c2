from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.core import references


class MairieSearchForm(DsfrBaseForm):
    where = forms.CharField(
        label=_("Commune ou code postal"),
        help_text=_("Par exemple : Rennes, ou 35000"),
        max_length=100,
        error_messages={"required": _("Indiquez une commune ou un code postal.")},
    )
    radius_km = forms.TypedChoiceField(
        label=_("Distance maximale"),
        choices=[(10, _("10 km")), (20, _("20 km")), (40, _("40 km")), (80, _("80 km"))],
        coerce=int,
        initial=20,
    )
    files = forms.TypedChoiceField(
        label=_("Nombre de personnes (un dossier par personne)"),
        choices=[(n, str(n)) for n in range(1, 5)],
        coerce=int,
        initial=1,
    )


class BookingForm(DsfrBaseForm):
    application_id = forms.CharField(
        label=_("Numéro de pré-demande"),
        help_text=_("10 caractères, lettres et chiffres, indiqués sur votre récapitulatif de pré-demande"),
        max_length=20,
        error_messages={"required": _("Indiquez le numéro de votre pré-demande.")},
    )
    confirm_second = forms.BooleanField(
        label=_("Je confirme vouloir un second rendez-vous pour ce numéro"),
        required=False,
    )

    def clean_application_id(self) -> str:
        number = references.normalize(self.cleaned_data["application_id"])
        if len(number) != 10:
            raise forms.ValidationError(
                _("Le numéro de pré-demande comporte 10 caractères (lettres et chiffres). Vérifiez votre saisie.")
            )
        return number
