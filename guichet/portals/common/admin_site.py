from django.contrib.admin import AdminSite
from django.http import HttpRequest

from guichet.accounts.roles import Role
from guichet.accounts.selectors import roles_of


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
