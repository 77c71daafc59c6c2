"""Portal gates: login, role, and a verified second factor for every non-citizen role."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from guichet.accounts.roles import ROLES_REQUIRING_TWO_FACTOR, Role
from guichet.accounts.selectors import has_confirmed_second_factor, requires_two_factor, roles_of


def two_factor_expected(user) -> bool:
    """A second factor is expected from every non-citizen, and from citizens who turned it on."""
    return requires_two_factor(user=user) or has_confirmed_second_factor(user=user)


def two_factor_pending(user) -> bool:
    return user.is_authenticated and not user.is_verified() and two_factor_expected(user)


def two_factor_redirect(user, next_url: str) -> HttpResponseRedirect:
    """Sends the user to the 2FA verification page, or to its set-up if no device is confirmed yet."""
    target = reverse(
        "account:two_factor_verify" if has_confirmed_second_factor(user=user) else "account:two_factor_setup"
    )
    return redirect(f"{target}?{urlencode({'next': next_url})}")


def portal_for(*roles: Role) -> Callable:
    """Decorates a view so that only holders of one of `roles` reach it, after 2FA where the role needs it."""
    needs_two_factor = bool(set(roles) & ROLES_REQUIRING_TWO_FACTOR)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not roles_of(user=user) & {r.value for r in roles}:  # type: ignore[arg-type]
                return render(
                    request,
                    "portal_forbidden.html",
                    {"page_title": _("Accès réservé")},
                    status=403,
                )
            if not user.is_verified() and (  # type: ignore[union-attr,attr-defined]
                needs_two_factor or two_factor_expected(user)
            ):
                return two_factor_redirect(user, request.get_full_path())
            return view(request, *args, **kwargs)

        wrapped.portal_roles = tuple(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator
