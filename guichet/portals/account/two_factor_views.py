"""Second factor: set-up with a QR code, verification (TOTP or recovery code), recovery codes, turning off."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from guichet.accounts import services
from guichet.accounts.errors import TwoFactorCodeRefused, TwoFactorThrottled
from guichet.accounts.selectors import has_confirmed_second_factor, requires_two_factor
from guichet.core.exceptions import DomainError
from guichet.portals.common.access import two_factor_redirect

from .forms import TotpConfirmForm, TwoFactorCodeForm
from .navigation import account_page, safe_next

_RECOVERY_CODES_SESSION_KEY = "guichet_recovery_codes_to_show"
_RECOVERY_CODES_NEXT_SESSION_KEY = "guichet_recovery_codes_next"


def _show_recovery_codes(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    request.session[_RECOVERY_CODES_SESSION_KEY] = codes
    request.session[_RECOVERY_CODES_NEXT_SESSION_KEY] = next_url
    return redirect("account:two_factor_recovery_codes")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = safe_next(request)
    is_replacement = has_confirmed_second_factor(user=user)  # type: ignore[arg-type]
    if is_replacement and not user.is_verified():  # type: ignore[union-attr]
        # Changing the device (e.g. a lost phone) first needs the current one, or a recovery code.
        return two_factor_redirect(user, request.get_full_path())
    device = services.two_factor_device_start(user=user)  # type: ignore[arg-type]
    form = TotpConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_enable(user=user, device=device, token=form.cleaned_data["code"])  # type: ignore[arg-type]
        except TwoFactorThrottled as error:
            form.add_error("code", error.message)
            status = 429
        except TwoFactorCodeRefused:
            form.add_error(
                "code",
                _("Ce code n'est pas le bon. Vérifiez l'heure de votre téléphone et saisissez le code affiché."),
            )
        else:
            device.refresh_from_db()
            otp_login(request, device)
            return _show_recovery_codes(request, codes, next_url)
    secret = b32encode(device.bin_key).decode().rstrip("=")
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("Code QR à scanner avec votre application d'authentification"), svgclass="guichet-qr"
    )
    return render(
        request,
        "account/two_factor_setup.html",
        {
            "page_title": _("Changer d'application d'authentification")
            if is_replacement
            else _("Activer la double authentification"),
            "is_replacement": is_replacement,
            "form": form,
            "qr_svg": mark_safe(qr_svg),  # noqa: S308 — generated here by segno from our own data
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "next": next_url,
            "is_mandatory": requires_two_factor(user=user),  # type: ignore[arg-type]
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = safe_next(request)
    if not has_confirmed_second_factor(user=user):  # type: ignore[arg-type]
        return two_factor_redirect(user, next_url)
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.two_factor_verify(user=user, token=form.cleaned_data["code"])  # type: ignore[arg-type]
        except TwoFactorThrottled as error:
            form.add_error("code", error.message)
            status = 429
        except TwoFactorCodeRefused:
            form.add_error(
                "code",
                _(
                    "Ce code n'est pas valable. Un code ne sert qu'une fois : attendez le suivant sur votre "
                    "application, ou utilisez un code de secours."
                ),
            )
        else:
            otp_login(request, result.device)
            if result.used_recovery_code:
                messages.warning(
                    request,
                    _(
                        "Vous avez utilisé un code de secours ; il vous en reste %(count)s. "
                        "Vous pouvez en générer de nouveaux depuis Mon compte."
                    )
                    % {"count": result.recovery_codes_left},
                )
            return redirect(next_url)
    return render(
        request,
        "account/two_factor_verify.html",
        {"page_title": _("Double authentification"), "form": form, "next": next_url},
        status=status,
    )


@login_required
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows freshly generated recovery codes once; reloading the page does not show them again."""
    codes = request.session.pop(_RECOVERY_CODES_SESSION_KEY, None)
    next_url = request.session.pop(_RECOVERY_CODES_NEXT_SESSION_KEY, None) or reverse("account:home")
    if not codes:
        messages.info(
            request,
            _("Les codes de secours ne s'affichent qu'une fois. Vous pouvez en générer de nouveaux ici."),
        )
        return redirect("account:home")
    response = render(
        request,
        "account/two_factor_recovery_codes.html",
        {"page_title": _("Vos codes de secours"), "codes": codes, "next": next_url},
    )
    response["Cache-Control"] = "no-store"
    return response


@account_page
@require_POST
def two_factor_recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    try:
        codes = services.recovery_codes_regenerate(user=request.user, actor=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("account:home")
    return _show_recovery_codes(request, codes, reverse("account:home"))


@account_page
@require_http_methods(["GET", "POST"])
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    if requires_two_factor(user=request.user):  # type: ignore[arg-type]
        messages.error(request, _("Votre rôle impose la double authentification : elle ne peut pas être désactivée."))
        return redirect("account:home")
    if not has_confirmed_second_factor(user=request.user):  # type: ignore[arg-type]
        return redirect("account:home")
    if request.method == "POST":
        services.two_factor_disable(user=request.user, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("La double authentification est désactivée."))
        return redirect("account:home")
    return render(
        request, "account/two_factor_disable.html", {"page_title": _("Désactiver la double authentification")}
    )
