"""The identity-title panel on the generic instruction dossier page: checks and decision links."""

from typing import Any

from django import template

from guichet.dossiers.policy import INSTRUCTION_CAPACITIES, DossierPolicy
from guichet.instruction.selectors import complement_open_for
from guichet.procedures.identity_documents.checks import instruction_checks
from guichet.procedures.identity_documents.models import PreDemandeTitle, Title

register = template.Library()


@register.inclusion_tag("instruction/identity/checks_panel.html", takes_context=True)
def identity_checks_panel(context: dict[str, Any], dossier: Any) -> dict[str, Any]:
    if dossier.procedure not in Title.values:
        return {"show": False}
    user = context["request"].user
    abilities = DossierPolicy.abilities(user, dossier, capacities=INSTRUCTION_CAPACITIES)
    link = PreDemandeTitle.objects.select_related("predemande__lodged_at_place").filter(dossier=dossier).first()
    return {
        "show": True,
        "dossier": dossier,
        "checks": instruction_checks(dossier=dossier),
        "predemande": link.predemande if link else None,
        "abilities": abilities,
        "open_complement": complement_open_for(dossier_id=dossier.pk),
    }
