"""Account pages: sign-in, sign-out, "Mon compte" and the second factor. (Foundation; see the accounts issue.)"""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from guichet.accounts.selectors import role_assignments_active_for


class LoginForm(DsfrBaseForm, AuthenticationForm):
    username = forms.EmailField(
        label=gettext_lazy("Adresse électronique"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": gettext_lazy("Adresse électronique ou mot de passe incorrect."),
        "inactive": gettext_lazy("Ce compte est désactivé."),
    }


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "account/login.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": gettext_lazy("Se connecter")}


def lockout_response(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    return render(
        request,
        "account/locked_out.html",
        {"page_title": _("Connexion temporairement bloquée")},
        status=429,
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    assignments = role_assignments_active_for(user=request.user)  # type: ignore[arg-type]
    return render(request, "account/home.html", {"page_title": _("Mon compte"), "assignments": assignments})


def signup(request: HttpRequest) -> HttpResponse:
    return render(request, "account/signup.html", {"page_title": _("Créer un compte")})


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    return render(request, "account/two_factor_setup.html", {"page_title": _("Double authentification")})


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    return render(request, "account/two_factor_verify.html", {"page_title": _("Double authentification")})
