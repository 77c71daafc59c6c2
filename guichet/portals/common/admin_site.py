from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from guichet.accounts.roles import Role
from guichet.accounts.selectors import roles_of
from guichet.portals.common.access import two_factor_pending, two_factor_redirect


class GuichetAdminSite(AdminSite):
    """Django admin for platform admins only, and only once their second factor is verified."""

    site_header = "Guichet — administration"
    site_title = "Guichet"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and Role.PLATFORM_ADMIN.value in roles_of(user=user)  # type: ignore[arg-type]
            and user.is_verified()  # type: ignore[union-attr,attr-defined]
        )

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """Everyone signs in through Guichet's own pages: throttled login, then the second factor."""
        next_url = request.GET.get("next") or reverse("admin:index")
        if not next_url.startswith("/") or next_url.startswith("//"):
            next_url = reverse("admin:index")
        if self.has_permission(request):
            return redirect(next_url)
        if two_factor_pending(request.user):
            return two_factor_redirect(request.user, next_url)
        if request.user.is_authenticated:
            return render(request, "portal_forbidden.html", {"page_title": _("Accès réservé")}, status=403)
        return redirect_to_login(next_url)
