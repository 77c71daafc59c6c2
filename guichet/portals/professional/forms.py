from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

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
