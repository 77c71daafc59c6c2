"""Account forms, rendered with the State design system (`{{ form }}`)."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.accounts.models import User
from guichet.accounts.phone_numbers import french_mobile_normalise
from guichet.core.exceptions import InvalidInput

EMAIL_UNVERIFIED = "email_unverified"


class LoginForm(DsfrBaseForm, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse électronique"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _("Adresse électronique ou mot de passe incorrect."),
        "inactive": _("Ce compte est désactivé."),
        EMAIL_UNVERIFIED: _(
            "Votre adresse électronique n'est pas encore vérifiée : ouvrez le lien que nous vous avons envoyé "
            "par courriel. Vous pouvez demander un nouveau lien ci-dessous."
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if user.email_verified_at is None:
            raise ValidationError(self.error_messages[EMAIL_UNVERIFIED], code=EMAIL_UNVERIFIED)


class SignupForm(DsfrBaseForm):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Format attendu : nom@domaine.fr. Nous y enverrons un lien pour la vérifier."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label=_("Prénoms"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Nom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        help_text=_(
            "Au moins 12 caractères. Évitez les mots de passe courants, entièrement numériques "
            "ou proches de votre nom ou de votre adresse électronique."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmation du mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(
        label=_("J'accepte les conditions d'utilisation de Guichet"),
        error_messages={"required": _("Vous devez accepter les conditions d'utilisation pour créer un compte.")},
    )

    def clean(self):
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif password1:
            candidate = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                validate_password(password1, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailForm(DsfrBaseForm):
    email = forms.EmailField(label=_("Adresse électronique"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class TwoFactorCodeForm(DsfrBaseForm):
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=32,
        help_text=_("Les 6 chiffres affichés par votre application, ou un code de secours (16 caractères)."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}),
    )


class TotpConfirmForm(DsfrBaseForm):
    code = forms.RegexField(
        label=_("Code à 6 chiffres"),
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        error_messages={"invalid": _("Saisissez les 6 chiffres affichés par votre application.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ProfileForm(DsfrBaseForm):
    first_name = forms.CharField(
        label=_("Prénoms"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Nom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    mobile_phone = forms.CharField(
        label=_("Téléphone mobile (facultatif)"),
        required=False,
        max_length=30,
        help_text=_("Pour recevoir des SMS. Format attendu : 06 12 34 56 78 ou +33 6 12 34 56 78."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_mobile_phone(self) -> str:
        raw = self.cleaned_data.get("mobile_phone", "").strip()
        if not raw:
            return ""
        try:
            return french_mobile_normalise(raw)
        except InvalidInput as error:
            raise ValidationError(error.message, code=error.code) from error


class EmailChangeForm(DsfrBaseForm):
    new_email = forms.EmailField(
        label=_("Nouvelle adresse électronique"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Mot de passe actuel"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise ValidationError(_("Mot de passe incorrect."), code="password_incorrect")
        return password

    def clean_new_email(self) -> str:
        email = self.cleaned_data["new_email"].strip().lower()
        if email == self.user.email:
            raise ValidationError(_("C'est déjà l'adresse de votre compte."), code="email_unchanged")
        return email


class PasswordResetForm(DsfrBaseForm, auth_forms.PasswordResetForm):
    email = forms.EmailField(label=_("Adresse électronique"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class SetPasswordForm(DsfrBaseForm, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(DsfrBaseForm, auth_forms.PasswordChangeForm):
    pass
