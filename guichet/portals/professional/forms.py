from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.mandates.models import ConsentMethod
from guichet.portals.account.forms import SignupForm


class StaffInviteForm(DsfrBaseForm):
    email = forms.CharField(
        label=_("Adresse électronique professionnelle"),
        help_text=_("La personne reçoit un lien valable 7 jours pour créer son compte."),
        max_length=254,
        required=False,
    )
    is_manager = forms.BooleanField(
        label=_("Responsable : pourra aussi inviter et retirer des membres du personnel"), required=False
    )


class StaffAccountForm(SignupForm):
    """The sign-up form, with the invited address fixed (following the e-mailed link proved it)."""

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].disabled = True
        self.fields["email"].initial = email
        self.fields["email"].help_text = _("L'adresse à laquelle l'invitation a été envoyée.")


class ClientMandateForm(DsfrBaseForm):
    client_email = forms.CharField(
        label=_("Adresse électronique du compte Guichet de votre client"),
        help_text=_("Votre client doit avoir créé son compte ; il retrouvera le mandat dans « Mes mandats »."),
        max_length=254,
    )
    procedure = forms.ChoiceField(label=_("Démarche confiée"), widget=forms.RadioSelect)
    fee = forms.DecimalField(
        label=_("Prix de votre service, en euros TTC"),
        help_text=_("0 si le service est gratuit. Ce prix est montré au client avant qu'il donne son accord."),
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        decimal_places=2,
    )
    consent_method = forms.ChoiceField(
        label=_("Comment le client donne son accord"), choices=ConsentMethod.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, procedures: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = procedures  # type: ignore[attr-defined]

    @property
    def fee_cents(self) -> int:
        return int(self.cleaned_data["fee"] * 100)


class DeliveryForm(DsfrBaseForm):
    address = forms.CharField(label=_("Adresse du domicile du client (numéro et voie)"), max_length=250)
    postal_code = forms.CharField(label=_("Code postal"), max_length=5)
    city = forms.CharField(label=_("Commune"), max_length=150)
