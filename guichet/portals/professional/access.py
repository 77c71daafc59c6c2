"""Gate of the professional portal's organisation pages: a staff role at the place (404 otherwise), 2FA, and an
approval in force today — a suspended, revoked or expired approval closes the portal at once (403 page)."""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from guichet.accounts.roles import Role
from guichet.core.exceptions import DomainError
from guichet.mandates.errors import MandateRefused
from guichet.portals.common.access import portal_for
from guichet.territory.models import Place
from guichet.trusted_parties.errors import ApprovalNotValid
from guichet.trusted_parties.selectors import (
    OrganisationStanding,
    is_organisation_manager,
    organisation_standing,
    staff_places_of,
)
from guichet.trusted_parties.services import REFUSAL_MESSAGES

PROFESSIONAL_ROLES = (Role.DRIVING_SCHOOL_STAFF, Role.CAR_PROFESSIONAL_STAFF)


def approval_unavailable(request: HttpRequest, standings: list[OrganisationStanding]) -> HttpResponse:
    """The page staff see while their organisation may not act, saying why and whom to contact."""
    return render(
        request,
        "professional/approval_unavailable.html",
        {
            "page_title": _("Espace professionnel fermé"),
            "items": [{"standing": standing, "message": REFUSAL_MESSAGES[standing.standing]} for standing in standings],
        },
        status=403,
    )


def organisation_closed(request: HttpRequest, place: Place) -> HttpResponse | None:
    """The closed-portal page when the organisation's approval is not in force today; None when it may act."""
    standing = organisation_standing(place=place)
    return None if standing.is_valid else approval_unavailable(request, [standing])


# Refusals that mean "this is not yours" (answered 404, like a missing object) rather than "no longer allowed".
NOT_YOURS = frozenset({"mandate_missing", "not_holder_staff", "mandate_out_of_scope"})


def professional_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """For pages reached by a mandate's or a dossier's reference: a refused approval or mandate is a page saying
    why (403), nothing being changed; something that is not the organisation's answers 404."""

    @portal_for(*PROFESSIONAL_ROLES)
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except ApprovalNotValid as refusal:
            place = getattr(request, "professional_place", None)
            if place is not None:
                return approval_unavailable(request, [organisation_standing(place=place)])
            raise Http404 from refusal
        except MandateRefused as refusal:
            if refusal.code in NOT_YOURS:
                raise Http404 from refusal
            context = {"page_title": _("Action impossible sans mandat valable"), "message": refusal.message}
            return render(request, "professional/mandate_refused.html", context, status=403)
        except DomainError as refusal:  # e.g. the approval no longer covers the procedure
            context = {"page_title": _("Action impossible"), "message": refusal.message}
            return render(request, "professional/mandate_refused.html", context, status=403)

    return wrapped


def organisation_view(*, manager_only: bool = False) -> Callable:
    """Decorates `view(request, place, ...)` reached as `<place_id>/…` by the staff of that place."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @portal_for(*PROFESSIONAL_ROLES)
        @wraps(view)
        def wrapped(request: HttpRequest, place_id: int, *args, **kwargs) -> HttpResponse:
            place: Place | None = next(
                (p for p in staff_places_of(user=request.user) if p.pk == place_id),  # type: ignore[arg-type]
                None,
            )
            if place is None:
                raise Http404(_("Cet établissement n'existe pas ou vous n'en faites pas partie."))
            closed = organisation_closed(request, place)
            if closed is not None:
                return closed
            if manager_only and not is_organisation_manager(user=request.user, place=place):  # type: ignore[arg-type]
                return render(
                    request,
                    "portal_forbidden.html",
                    {"page_title": _("Réservé aux responsables de l'établissement")},
                    status=403,
                )
            return view(request, place, *args, **kwargs)

        return wrapped

    return decorator
