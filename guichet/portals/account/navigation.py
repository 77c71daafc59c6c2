"""Safe redirection targets and the account-page gate."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from guichet.portals.common.access import two_factor_pending, two_factor_redirect


def safe_next(request: HttpRequest, default: str | None = None) -> str:
    """The `next` parameter if it stays on this site, else `default` (Mon compte)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse("account:home")


def account_page(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """Signed in, and past the second factor when the account has one or its role needs one."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if two_factor_pending(request.user):
            return two_factor_redirect(request.user, request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
