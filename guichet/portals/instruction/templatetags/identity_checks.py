"""The identity-title panel on the generic instruction dossier page: checks and decision links."""

from typing import Any

from django import template
from django.db.models import OuterRef, Subquery

from guichet.dossiers.policy import INSTRUCTION_CAPACITIES, DossierPolicy
from guichet.instruction.models import ComplementRequest
from guichet.instruction.selectors import complement_open_for
from guichet.procedures.identity_documents.checks import instruction_checks, instruction_checks_link
from guichet.procedures.identity_documents.models import Title

register = template.Library()


@register.inclusion_tag("instruction/identity/checks_panel.html", takes_context=True)
def identity_checks_panel(context: dict[str, Any], dossier: Any) -> dict[str, Any]:
    if dossier.procedure not in Title.values:
        return {"show": False}
    user = context["request"].user
    # The view's `dossier_access` left the user's roles on the dossier: this reads no role again.
    abilities = DossierPolicy.abilities(user, dossier, capacities=INSTRUCTION_CAPACITIES)
    # The open complement request's reason (the first one not answered, as `complement_open_for`) is read with the
    # link: one query for the pré-demande, its place, the verified identity and the open request.
    link = instruction_checks_link(
        dossier=dossier,
        open_complement_reason=Subquery(
            ComplementRequest.objects.filter(dossier_id=OuterRef("dossier_id"), answered_at__isnull=True)
            .order_by("-created_at")
            .values("reason")[:1]
        ),
    )
    if link is None:
        open_complement: Any = complement_open_for(dossier_id=dossier.pk)
    else:
        reason = link.open_complement_reason  # type: ignore[attr-defined]
        open_complement = {"reason": reason} if reason is not None else None
    return {
        "show": True,
        "dossier": dossier,
        "checks": instruction_checks(dossier=dossier, link=link) if link is not None else [],
        "predemande": link.predemande if link else None,
        "abilities": abilities,
        "open_complement": open_complement,
    }
