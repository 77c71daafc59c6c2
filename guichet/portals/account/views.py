"""Sign-up, e-mail verification, sign-in and sign-out, password reset and change."""

from datetime import timedelta

from axes.helpers import get_cool_off
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from guichet.accounts.email_verification import (
    PURPOSE_CHANGE,
    PURPOSE_SIGNUP,
    email_link_resolve,
    email_link_token_make,
)
from guichet.accounts.errors import EmailAlreadyUsed, EmailLinkRefused
from guichet.accounts.models import User
from guichet.accounts.services import (
    user_login_failure_record,
    user_login_record,
    user_logout_record,
    user_password_changed_record,
    user_session_rekey,
    user_sessions_end_others,
    user_signup,
    user_verify_email,
)
from guichet.core.exceptions import InvalidInput
from guichet.portals.common.access import two_factor_expected, two_factor_redirect

from .emails import account_email_send
from .forms import (
    EMAIL_UNVERIFIED,
    EmailForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignupForm,
)
from .navigation import account_page

# --- Sign-in and sign-out ------------------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "account/login.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": gettext_lazy("Se connecter")}

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        user_login_record(user=user)
        if two_factor_expected(user):
            return two_factor_redirect(user, self.get_success_url())
        return response

    def form_invalid(self, form):
        typed_email = self.request.POST.get("username", "")
        if typed_email:
            if getattr(self.request, "axes_locked_out", False):
                reason = "locked_out"
            elif any(error.code == EMAIL_UNVERIFIED for error in form.non_field_errors().as_data()):
                reason = EMAIL_UNVERIFIED
            else:
                reason = "invalid_credentials"
            user_login_failure_record(typed_email=typed_email, reason=reason)
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["email_unverified"] = form.is_bound and any(
            error.code == EMAIL_UNVERIFIED for error in form.non_field_errors().as_data()
        )
        return context


def lockout_response(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """Shown (status 429) once an account or an address has too many failed sign-ins in a row."""
    cool_off = get_cool_off(request) or timedelta(minutes=15)
    retry_at = timezone.localtime(timezone.now() + cool_off)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    return render(
        request,
        "account/locked_out.html",
        {"page_title": _("Connexion temporairement bloquée"), "retry_at": retry_at, "minutes": minutes},
        status=429,
    )


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            user_logout_record(user=request.user, session_key=request.session.session_key)
        return super().post(request, *args, **kwargs)


# --- Sign-up and e-mail verification -------------------------------------------------------------------------------


def _send_verification(user: User, *, purpose: str) -> None:
    token = email_link_token_make(user=user, purpose=purpose)
    path = reverse("account:email_verify", kwargs={"token": token})
    to = user.email if purpose == PURPOSE_SIGNUP else user.pending_email
    account_email_send(
        to=to,
        template="verify_email" if purpose == PURPOSE_SIGNUP else "email_change",
        context={"user": user, "link": f"{settings.SITE_URL}{path}", "hours": 48},
    )


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("account:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = user_signup(
                    email=data["email"],
                    password=data["password1"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    terms_accepted=data["accept_terms"],
                )
                _send_verification(user, purpose=PURPOSE_SIGNUP)
        except EmailAlreadyUsed:
            # Say the same as for a new address; tell the address's owner instead of the person typing.
            account_email_send(to=data["email"], template="signup_existing_account", context={})
        except (ValidationError, InvalidInput) as error:
            messages_list = error.messages if isinstance(error, ValidationError) else [error.message]
            for message in messages_list:
                form.add_error(None, message)
        if not form.errors:
            return redirect("account:signup_done")
    return render(
        request,
        "account/signup.html",
        {"page_title": _("Créer un compte"), "form": form, "terms_url": reverse("public:legal")},
    )


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "account/signup_done.html", {"page_title": _("Vérifiez votre messagerie")})


@require_http_methods(["GET", "POST"])
def email_verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET checks the link and asks for a click (mail scanners follow links); POST uses it up."""
    context: dict = {"page_title": _("Vérification de l'adresse électronique"), "token": token}
    try:
        if request.method == "POST":
            user = user_verify_email(token=token)
            if request.user.is_authenticated and request.user.pk == user.pk:
                messages.success(request, _("Votre nouvelle adresse électronique est vérifiée et enregistrée."))
                return redirect("account:home")
            messages.success(request, _("Votre adresse électronique est vérifiée. Vous pouvez vous connecter."))
            return redirect("account:login")
        link, _user = email_link_resolve(token=token)
        context["purpose"] = link.purpose
    except (EmailLinkRefused, EmailAlreadyUsed) as error:
        context["page_title"] = _("Lien de vérification inutilisable")
        context["error"] = error
        return render(request, "account/email_verify.html", context, status=400)
    return render(request, "account/email_verify.html", context)


@require_http_methods(["GET", "POST"])
def email_verification_resend(request: HttpRequest) -> HttpResponse:
    """Sends a new link if an unverified account has this address; answers the same in every case."""
    form = EmailForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(
            email__iexact=form.cleaned_data["email"], email_verified_at__isnull=True, is_active=True
        ).first()
        if user is not None:
            _send_verification(user, purpose=PURPOSE_SIGNUP)
        messages.info(
            request,
            _(
                "Si un compte en attente de vérification correspond à cette adresse, un nouveau lien "
                "vient de lui être envoyé. Il est valable 48 heures."
            ),
        )
        return redirect("account:login")
    return render(
        request,
        "account/email_verification_resend.html",
        {"page_title": _("Recevoir un nouveau lien de vérification"), "form": form},
    )


def send_email_change_verification(user: User) -> None:
    _send_verification(user, purpose=PURPOSE_CHANGE)


# --- Passwords -----------------------------------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "account/password_reset_form.html"
    subject_template_name = "account/emails/password_reset_subject.txt"
    email_template_name = "account/emails/password_reset.txt"
    html_email_template_name = "account/emails/password_reset.html"
    success_url = reverse_lazy("account:password_reset_done")
    extra_context = {"page_title": gettext_lazy("Mot de passe oublié")}

    def get_extra_email_context(self) -> dict:
        return {"site_url": settings.SITE_URL, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}

    def form_valid(self, form):
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "account/password_reset_done.html"
    extra_context = {"page_title": gettext_lazy("Vérifiez votre messagerie")}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "account/password_reset_confirm.html"
    success_url = reverse_lazy("account:password_reset_complete")
    extra_context = {"page_title": gettext_lazy("Choisir un nouveau mot de passe")}

    def render_to_response(self, context, **response_kwargs):
        # An unusable link (already used, expired, altered) is a bad request, not a page like any other.
        if not self.validlink:
            response_kwargs.setdefault("status", 400)
            context["page_title"] = _("Lien de réinitialisation inutilisable")
        return super().render_to_response(context, **response_kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        user_password_changed_record(user=user, by_reset=True)
        user_sessions_end_others(user=user, current_session_key=None, actor=user)
        axes_reset(username=user.email)  # the owner proved control of the address: lift an account lockout
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "account/password_reset_complete.html"
    extra_context = {"page_title": gettext_lazy("Mot de passe modifié")}


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "account/password_change.html"
    success_url = reverse_lazy("account:home")
    extra_context = {"page_title": gettext_lazy("Changer de mot de passe")}

    def form_valid(self, form) -> HttpResponse:
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # saves and rotates the session key
        user = form.user
        user_session_rekey(user=user, old_key=old_key, new_key=self.request.session.session_key)
        user_sessions_end_others(user=user, current_session_key=self.request.session.session_key, actor=user)
        user_password_changed_record(user=user, by_reset=False)
        messages.success(self.request, _("Votre mot de passe a été modifié. Vos autres sessions ont été fermées."))
        return response


password_change = account_page(PasswordChangeView.as_view())
