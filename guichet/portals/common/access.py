"""Portal gates: login, role, and a verified second factor for every non-citizen role."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from guichet.accounts.roles import ROLES_REQUIRING_TWO_FACTOR, Role
from guichet.accounts.selectors import roles_of


def portal_for(*roles: Role) -> Callable:
    """Decorates a view so that only holders of one of `roles` reach it, after 2FA where the role needs it."""
    needs_two_factor = bool(set(roles) & ROLES_REQUIRING_TWO_FACTOR)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not roles_of(user=user) & {r.value for r in roles}:
                return render(
                    request,
                    "portal_forbidden.html",
                    {"page_title": _("Accès réservé")},
                    status=403,
                )
            if needs_two_factor and not user.is_verified():  # type: ignore[union-attr,attr-defined]
                return redirect(f"{_two_factor_url(user)}?next={request.get_full_path()}")
            return view(request, *args, **kwargs)

        wrapped.portal_roles = tuple(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def _two_factor_url(user) -> str:
    from django.urls import reverse
    from django_otp import devices_for_user

    has_device = any(True for _ in devices_for_user(user, confirmed=True))
    return reverse("account:two_factor_verify" if has_device else "account:two_factor_setup")
