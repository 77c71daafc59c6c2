"""FranceConnect pages: start the sign-in, receive the provider's answer, confirm a link, sign out through it.

Views stay thin: the protocol and the account decisions live in `guichet.accounts.franceconnect`.
Every refusal renders the same French error page with a 4xx/503 status; nobody is signed in on a refusal.
"""

import logging
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from dsfr.forms import DsfrBaseForm

from guichet.accounts.franceconnect import franceconnect_is_enabled
from guichet.accounts.franceconnect.errors import FailureCode, FranceConnectError
from guichet.accounts.franceconnect.identity import PivotIdentity
from guichet.accounts.franceconnect.protocol import (
    CompletedSignIn,
    authorization_complete,
    authorization_url_build,
    logout_state_check,
    logout_url_build,
)
from guichet.accounts.franceconnect.selectors import user_with_email
from guichet.accounts.franceconnect.services import (
    Outcome,
    franceconnect_account_create,
    franceconnect_account_resolve,
    franceconnect_identity_link,
    franceconnect_identity_refresh,
    franceconnect_login_record,
    franceconnect_logout_record,
)
from guichet.accounts.models import User

logger = logging.getLogger(__name__)

# Session keys other code may read: the sign-in came from FranceConnect, and the ID token for its logout.
SESSION_LOGIN_FLAG = "franceconnect_login"
SESSION_ID_TOKEN = "franceconnect_id_token"  # noqa: S105 - a session key name
PENDING_LINK_KEY = "franceconnect_pending_link"
PENDING_LINK_MAX_AGE_SECONDS = 10 * 60
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
STATUS_BY_CODE = {FailureCode.PROVIDER_UNAVAILABLE: 503, FailureCode.ACCOUNT_INACTIVE: 403}


def _require_enabled() -> None:
    if not franceconnect_is_enabled():
        raise Http404


def _absolute(name: str) -> str:
    return f"{settings.SITE_URL}{reverse(name)}"


def _callback_uri() -> str:
    return _absolute("account:franceconnect:callback")


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _error_page(request: HttpRequest, error: FranceConnectError) -> HttpResponse:
    logger.warning("franceconnect refused", extra={"failure_code": str(error.code), "failure_detail": error.detail})
    is_logout = error.code == FailureCode.LOGOUT_STATE_INVALID
    return render(
        request,
        "account/franceconnect_error.html",
        {
            "page_title": _("Déconnexion non confirmée") if is_logout else _("Connexion avec FranceConnect impossible"),
            "error_message": error.message,
            "code": error.code,
            "is_logout": is_logout,
        },
        status=STATUS_BY_CODE.get(error.code, 400),
    )


def _sign_in(request: HttpRequest, user: User, *, id_token: str, next_url: str) -> HttpResponse:
    login(request, user, backend=MODEL_BACKEND)
    request.session[SESSION_LOGIN_FLAG] = True
    request.session[SESSION_ID_TOKEN] = id_token
    franceconnect_login_record(user=user)
    return HttpResponseRedirect(next_url)


@require_http_methods(["GET", "POST"])
def login_start(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    try:
        url = authorization_url_build(session=request.session, redirect_uri=_callback_uri(), next_url=next_url)
    except FranceConnectError as error:
        return _error_page(request, error)
    return HttpResponseRedirect(url)


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    try:
        signed_in = authorization_complete(session=request.session, params=request.GET, redirect_uri=_callback_uri())
        resolution = franceconnect_account_resolve(identity=signed_in.identity)
        if resolution.outcome == Outcome.CONFIRM_LINK:
            return _ask_link_confirmation(request, signed_in)
        if resolution.outcome == Outcome.NEW or resolution.user is None:
            user = franceconnect_account_create(identity=signed_in.identity)
        else:
            user = franceconnect_identity_refresh(user=resolution.user, identity=signed_in.identity)
    except FranceConnectError as error:
        return _error_page(request, error)
    return _sign_in(request, user, id_token=signed_in.id_token, next_url=signed_in.next_url)


def _ask_link_confirmation(request: HttpRequest, signed_in: CompletedSignIn) -> HttpResponse:
    if request.user.is_authenticated:
        logout(request)  # a confirmation page must not be shown inside somebody else's session
    request.session[PENDING_LINK_KEY] = {
        "identity": signed_in.identity.as_session(),
        "id_token": signed_in.id_token,
        "next": signed_in.next_url,
        "created_at": int(time.time()),
    }
    return redirect("account:franceconnect:link_confirm")


class LinkConfirmForm(DsfrBaseForm):
    password = forms.CharField(
        label=gettext_lazy("Mot de passe de votre compte Guichet"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _pending_link(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_LINK_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - int(pending.get("created_at", 0)) > PENDING_LINK_MAX_AGE_SECONDS:
        del request.session[PENDING_LINK_KEY]
        return None
    return pending


@require_http_methods(["GET", "POST"])
def link_confirm(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    pending = _pending_link(request)
    if pending is None:
        return _error_page(request, FranceConnectError(FailureCode.LINK_EXPIRED))
    identity = PivotIdentity.from_session(pending["identity"])
    form = LinkConfirmForm(request.POST or None)
    if request.method == "POST" and request.POST.get("decision") == "refuse":
        del request.session[PENDING_LINK_KEY]
        messages.info(request, _("Votre compte n'a pas été relié à FranceConnect. Vous n'êtes pas connecté."))
        return redirect(settings.LOGIN_URL)
    if request.method == "POST" and form.is_valid():
        account = user_with_email(email=identity.email)
        # authenticate() goes through the login throttling, like the sign-in form.
        user = authenticate(
            request, username=account.email if account else identity.email, password=form.cleaned_data["password"]
        )
        if user is None:
            form.add_error("password", _("Mot de passe incorrect."))
        else:
            try:
                linked = franceconnect_identity_link(user=user, identity=identity, actor=user)  # type: ignore[arg-type]
            except FranceConnectError as error:
                del request.session[PENDING_LINK_KEY]
                return _error_page(request, error)
            del request.session[PENDING_LINK_KEY]
            messages.success(request, _("Votre compte est désormais relié à FranceConnect."))
            return _sign_in(request, linked, id_token=pending["id_token"], next_url=pending["next"])
    return render(
        request,
        "account/franceconnect_link_confirm.html",
        {"page_title": _("Relier votre compte à FranceConnect"), "form": form, "email": identity.email},
    )


@require_POST
def logout_start(request: HttpRequest) -> HttpResponse:
    """Ends the provider's session first when the sign-in came from FranceConnect; Guichet's follows on return."""
    id_token = request.session.get(SESSION_ID_TOKEN)
    if not request.user.is_authenticated or not id_token or not franceconnect_is_enabled():
        return _local_logout(request)
    try:
        url = logout_url_build(
            session=request.session,
            id_token=id_token,
            post_logout_redirect_uri=_absolute("account:franceconnect:logout_callback"),
        )
    except FranceConnectError:
        response = _local_logout(request)
        messages.warning(
            request,
            _("Vous êtes déconnecté de Guichet, mais FranceConnect n'a pas pu être joint : fermez votre navigateur."),
        )
        return response
    return HttpResponseRedirect(url)


@require_GET
def logout_callback(request: HttpRequest) -> HttpResponse:
    _require_enabled()
    if not request.user.is_authenticated:
        return redirect(settings.LOGOUT_REDIRECT_URL)  # nothing left to end on Guichet's side
    try:
        logout_state_check(session=request.session, state=request.GET.get("state", ""))
    except FranceConnectError as error:
        return _error_page(request, error)
    return _local_logout(request)


def _local_logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        franceconnect_logout_record(user=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.info(request, _("Vous êtes déconnecté."))
    return redirect(settings.LOGOUT_REDIRECT_URL)
