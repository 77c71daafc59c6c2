"""Gates of the mediator portal: a helper role (mediator, or mairie agent of a mairie without a collection station)
with its second factor, then, for session pages, the helper's open assisted session (ended after inactivity).

A refusal for want of a valid mandate is journaled and shown as a page saying why (403), nothing being changed.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from guichet.accounts.roles import Role
from guichet.mandates.errors import MandateRefused
from guichet.mediation.models import AssistedSession
from guichet.mediation.services import assisted_places_of, assisted_refusal_record, assisted_session_current
from guichet.portals.common.access import portal_for

HELPER_ROLES = (Role.MEDIATOR, Role.MAIRIE_AGENT)


def helper_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not assisted_places_of(user=request.user):
            return render(request, "portal_forbidden.html", {"page_title": _("Accès réservé")}, status=403)
        return view(request, *args, **kwargs)

    return portal_for(*HELPER_ROLES)(wrapped)


def current_session(request: HttpRequest) -> AssistedSession:
    session: AssistedSession = request.assisted_session  # type: ignore[attr-defined]
    return session


def session_page(*, needs_visitor: bool = False) -> Callable:
    """For pages of an assisted session: `request.assisted_session` is the helper's open session."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            session = assisted_session_current(helper=request.user)
            if session is None:
                messages.info(request, _("Aucune session accompagnée en cours : ouvrez-en une pour aider quelqu'un."))
                return redirect("mediator:home")
            if needs_visitor and session.citizen is None:
                messages.info(request, _("Retrouvez ou créez d'abord le compte de la personne."))
                return redirect("mediator:session")
            request.assisted_session = session  # type: ignore[attr-defined]
            try:
                return view(request, *args, **kwargs)
            except MandateRefused as refusal:
                assisted_refusal_record(session=session, refusal=refusal)
                context = {
                    "page_title": _("Action impossible sans mandat valable"),
                    "message": refusal.message,
                    "assisted_session": session,
                    "breadcrumb": session_breadcrumb(),
                }
                return render(request, "mediator/refused.html", context, status=403)

        return helper_page(wrapped)

    return decorator


def session_breadcrumb() -> list[dict[str, str]]:
    return [
        {"url": reverse("mediator:home"), "title": _("Espace médiation")},
        {"url": reverse("mediator:session"), "title": _("Session en cours")},
    ]
