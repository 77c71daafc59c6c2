from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from guichet.accounts.roles import Role
from guichet.mediation.services import assisted_places_of
from guichet.portals.common.access import portal_for
from guichet.portals.common.structure import structures_of


@portal_for(Role.MAIRIE_AGENT)
def home(request: HttpRequest) -> HttpResponse:
    structures = structures_of(user=request.user, roles={Role.MAIRIE_AGENT})  # type: ignore[arg-type]
    context = {
        "page_title": _("Espace mairie"),
        "structures": structures,
        "can_assist": bool(assisted_places_of(user=request.user)),  # mairies without a collection station
    }
    return render(request, "town_hall/home.html", context)
