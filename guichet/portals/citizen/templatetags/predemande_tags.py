"""Links from "Mes démarches" to the pré-demande a CNI/passport draft dossier belongs to."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import reverse

from guichet.procedures.identity_documents.predemande import predemande_for_dossier, predemande_numbers_for_dossiers
from guichet.procedures.identity_documents.procedures import CNI, PASSPORT

register = template.Library()


_NOT_READ = object()


def attach_predemande_numbers(dossiers: Iterable[Any]) -> None:
    """Reads the pré-demande numbers of a list's CNI/passport dossiers in one query, for `predemande_resume_url`."""
    resumable = [d for d in dossiers if d.procedure in (CNI, PASSPORT)]
    if not resumable:
        return
    numbers = predemande_numbers_for_dossiers(dossier_ids=[d.pk for d in resumable])
    for dossier in resumable:
        dossier.predemande_number = numbers.get(dossier.pk)


@register.simple_tag
def predemande_resume_url(dossier: Any) -> str:
    """The page to resume (draft) or see (validated) the pré-demande behind `dossier`, or "" for other dossiers."""
    if dossier.procedure not in (CNI, PASSPORT):
        return ""
    number = getattr(dossier, "predemande_number", _NOT_READ)  # set by attach_predemande_numbers
    if number is _NOT_READ:
        predemande = predemande_for_dossier(dossier=dossier)
        number = predemande.number if predemande else None
    return reverse("citizen:predemande_resume", args=[number]) if number else ""
