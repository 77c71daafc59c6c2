"""Links from "Mes démarches" to the pré-demande a CNI/passport draft dossier belongs to."""

from typing import Any

from django import template
from django.urls import reverse

from guichet.procedures.identity_documents.predemande import predemande_for_dossier
from guichet.procedures.identity_documents.procedures import CNI, PASSPORT

register = template.Library()


@register.simple_tag
def predemande_resume_url(dossier: Any) -> str:
    """The page to resume (draft) or see (validated) the pré-demande behind `dossier`, or "" for other dossiers."""
    if dossier.procedure not in (CNI, PASSPORT):
        return ""
    predemande = predemande_for_dossier(dossier=dossier)
    return reverse("citizen:predemande_resume", args=[predemande.number]) if predemande else ""
