from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from guichet.accounts.roles import Role
from guichet.portals.common.access import portal_for
from guichet.portals.common.structure import structures_of

PROFESSIONAL_ROLES = {Role.DRIVING_SCHOOL_STAFF, Role.CAR_PROFESSIONAL_STAFF}


@portal_for(Role.DRIVING_SCHOOL_STAFF, Role.CAR_PROFESSIONAL_STAFF)
def home(request: HttpRequest) -> HttpResponse:
    structures = structures_of(user=request.user, roles=PROFESSIONAL_ROLES)  # type: ignore[arg-type]
    return render(
        request, "professional/home.html", {"page_title": _("Espace professionnel"), "structures": structures}
    )
