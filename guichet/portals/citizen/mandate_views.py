"""« Mes mandats »: the structures a citizen allowed to act for them, and a button that ends each one at once."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.roles import Role
from guichet.core.exceptions import DomainError
from guichet.mandates.selectors import mandate_of_citizen, mandate_summary, mandates_of_citizen
from guichet.mandates.services import mandate_revoke
from guichet.portals.common.access import portal_for


@portal_for(Role.CITIZEN)
def mandates(request: HttpRequest) -> HttpResponse:
    rows = [mandate_summary(mandate) for mandate in mandates_of_citizen(citizen=request.user)[:200]]
    context = {
        "page_title": _("Mes mandats"),
        "breadcrumb": [{"url": reverse("citizen:home"), "title": _("Mes démarches")}],
        "current": [row for row in rows if row.can_be_ended],
        "past": [row for row in rows if not row.can_be_ended],
    }
    return render(request, "citizen/mandates.html", context)


@portal_for(Role.CITIZEN)
@require_POST
def mandate_revoke_view(request: HttpRequest, reference: str) -> HttpResponse:
    mandate = mandate_of_citizen(citizen=request.user, reference=reference)
    if mandate is None:
        raise Http404
    try:
        mandate_revoke(mandate=mandate, actor=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Mandat %(reference)s révoqué : « %(holder)s » ne peut plus agir pour vous, dès maintenant.")
            % {"reference": mandate.display_reference, "holder": mandate.holder.name},
        )
    return redirect("citizen:mandates")
