"""« Mes mandats »: the structures a citizen allowed to act for them, and a button that ends each one at once."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.roles import Role
from guichet.core.exceptions import DomainError
from guichet.mandates.durations import duration_get
from guichet.mandates.models import MandateStatus
from guichet.mandates.selectors import mandate_of_citizen, mandates_of_citizen
from guichet.mandates.services import format_fee, mandate_revoke, mandate_scope_text
from guichet.portals.common.access import portal_for


@portal_for(Role.CITIZEN)
def mandates(request: HttpRequest) -> HttpResponse:
    rows = []
    for mandate in mandates_of_citizen(citizen=request.user)[:200]:
        duration = duration_get(mandate.duration)
        status = mandate.status
        rows.append(
            {
                "mandate": mandate,
                "scope": mandate_scope_text(mandate),
                "duration": duration.label if duration else mandate.duration,
                "fee": format_fee(mandate.fee_cents),
                "status_label": mandate.status_label,
                "can_revoke": status in (MandateStatus.ACTIVE, MandateStatus.PENDING),
            }
        )
    context = {
        "page_title": _("Mes mandats"),
        "breadcrumb": [{"url": reverse("citizen:home"), "title": _("Mes démarches")}],
        "current": [row for row in rows if row["can_revoke"]],
        "past": [row for row in rows if not row["can_revoke"]],
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
