from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.accounts.models import IdentityDocumentType
from guichet.dossiers import registry
from guichet.dossiers.models import Dossier
from guichet.mandates.durations import duration_choices
from guichet.mandates.models import ConsentMethod


class VisitorSearchForm(DsfrBaseForm):
    email = forms.EmailField(label=_("Adresse électronique de la personne"), required=False)
    mobile_phone = forms.CharField(label=_("Ou son numéro de mobile"), max_length=20, required=False)
    last_name = forms.CharField(label=_("… avec son nom de famille"), max_length=150, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not (data.get("mobile_phone") and data.get("last_name")):
            raise ValidationError(_("Indiquez l'adresse électronique, ou le numéro de mobile et le nom de famille."))
        return data


class AccountCreateForm(DsfrBaseForm):
    email = forms.EmailField(label=_("Adresse électronique de la personne"))
    first_name = forms.CharField(label=_("Prénoms"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    mobile_phone = forms.CharField(
        label=_("Numéro de mobile (facultatif)"),
        max_length=20,
        required=False,
        help_text=_("Pour recevoir un code d'accord par SMS et les avis sur ses démarches."),
    )
    password1 = forms.CharField(
        label=_("Mot de passe, tapé par la personne elle-même (facultatif)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        help_text=_(
            "Tournez l'écran vers la personne. Sans mot de passe, elle recevra un courriel pour le choisir plus tard."
        ),
    )
    password2 = forms.CharField(
        label=_("Le même mot de passe, une seconde fois"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1", "") != data.get("password2", ""):
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        return data


class MobileForm(DsfrBaseForm):
    mobile_phone = forms.CharField(label=_("Numéro de mobile de la personne"), max_length=20)


class IdentityCheckForm(DsfrBaseForm):
    document_type = forms.ChoiceField(
        label=_("Pièce d'identité présentée (originale)"), choices=IdentityDocumentType.choices
    )
    given_name = forms.CharField(label=_("Prénoms lus sur la pièce"), max_length=150)
    family_name = forms.CharField(label=_("Nom lu sur la pièce"), max_length=150)
    birthdate = forms.DateField(
        label=_("Date de naissance lue sur la pièce"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    checked = forms.BooleanField(
        label=_("J'ai vu l'original de la pièce et la personne en face de moi lui ressemble"),
        error_messages={"required": _("Cochez la case pour confirmer la vérification.")},
    )


class MandateForm(DsfrBaseForm):
    procedures = forms.MultipleChoiceField(
        label=_("Démarches couvertes"), widget=forms.CheckboxSelectMultiple, required=False
    )
    dossier = forms.ChoiceField(label=_("Ou un seul dossier déjà commencé"), required=False)
    duration = forms.ChoiceField(label=_("Durée"), choices=duration_choices(), widget=forms.RadioSelect)
    consent_method = forms.ChoiceField(
        label=_("Comment la personne donne son accord"), choices=ConsentMethod.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, dossiers: list[Dossier], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dossiers = {str(d.pk): d for d in dossiers}
        self.fields["procedures"].choices = registry.choices()
        self.fields["dossier"].choices = [("", _("Aucun : les démarches cochées"))] + [
            (str(d.pk), f"{d.display_reference} — {registry.get_or_generic(d.procedure).label}") for d in dossiers
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["dossier_object"] = self.dossiers.get(data.get("dossier") or "")
        if not data.get("procedures") and data["dossier_object"] is None:
            raise ValidationError(_("Cochez au moins une démarche, ou choisissez un dossier."))
        return data


class ConsentForm(DsfrBaseForm):
    code_or_text = forms.CharField(label=_("Code reçu par SMS"), max_length=200)

    def __init__(self, *args: Any, method: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["code_or_text"]
        if method == ConsentMethod.TYPED:
            field.label = _("La personne écrit ici la phrase d'accord")
            field.widget.attrs["autocomplete"] = "off"
        elif method == ConsentMethod.PRINTED_ATTESTATION:
            field.label = _("Numéro imprimé sur l'attestation signée")
            field.help_text = _("Recopiez-le, ou scannez le QR code de l'attestation.")
        else:
            field.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})


class ProcedureStartForm(DsfrBaseForm):
    procedure = forms.ChoiceField(label=_("Démarche à commencer"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = registry.choices()
