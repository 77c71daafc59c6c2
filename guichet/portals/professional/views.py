from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from guichet.portals.common.access import portal_for
from guichet.trusted_parties.operations import operation_labels
from guichet.trusted_parties.selectors import is_organisation_manager, organisation_standing, staff_places_of

from .access import PROFESSIONAL_ROLES, approval_unavailable


@portal_for(*PROFESSIONAL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    """The person's organisations with their approval; closed when none of them may act today."""
    standings = [organisation_standing(place=place) for place in staff_places_of(user=request.user)]  # type: ignore[arg-type]
    if standings and not any(standing.is_valid for standing in standings):
        return approval_unavailable(request, standings)
    organisations = [
        {
            "standing": standing,
            "operations": operation_labels(standing.approval.operations) if standing.approval else [],
            "is_manager": is_organisation_manager(user=request.user, place=standing.place),  # type: ignore[arg-type]
        }
        for standing in standings
    ]
    return render(
        request,
        "professional/home.html",
        {"page_title": _("Espace professionnel"), "organisations": organisations},
    )
