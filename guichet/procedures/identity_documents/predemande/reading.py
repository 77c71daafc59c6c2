"""Reading helpers (who may see a pré-demande, its checklist and fees); they never write."""

from datetime import date
from typing import Any

from django.utils import timezone

from guichet.core import references
from guichet.core.regulated import regulated_value
from guichet.dossiers.models import Dossier
from guichet.dossiers.policy import CITIZEN_CAPACITIES, DossierPolicy
from guichet.payments.models import FiscalStamp

from ..checklist import RULES_KEY, ChecklistCase, ChecklistItem, ChecklistRules, HeldTitle, build_checklist
from ..fees import Fee, department_of_commune, fee_due
from ..models import Motive, PreDemande, PreDemandeTitle, Title
from .common import ADDRESS, CIVIL_STATUS, CONNECTED_COMMUNES, PREVIOUS_TITLES


def predemande_for_citizen(*, user: Any, number: str) -> PreDemande | None:
    """The pré-demande if `user` is its applicant or a representative of one of its dossiers.

    Whoever started it for someone else (a mediator under mandate, a mairie agent at the counter) does not reach it
    here: their access follows their mandate or their own portal, and ends with it."""
    if user is None or not user.is_authenticated:
        return None
    predemande = PreDemande.objects.filter(number=references.normalize(number)).first()
    if predemande is None:
        return None
    if user.pk == predemande.applicant_id:
        return predemande
    for link in predemande.titles.select_related("dossier"):
        if DossierPolicy.dossier_roles(user, link.dossier, capacities=CITIZEN_CAPACITIES):
            return predemande
    return None


def predemande_titles(predemande: PreDemande) -> list[str]:
    return sorted(predemande.titles.values_list("title", flat=True))


def predemande_request_date(predemande: PreDemande) -> date:
    return timezone.localdate(predemande.validated_at) if predemande.validated_at else timezone.localdate()


def predemande_fees(predemande: PreDemande, *, on: date | None = None) -> list[Fee]:
    on = on or predemande_request_date(predemande)
    birth = (predemande.data.get(CIVIL_STATUS) or {}).get("birth_date")
    if not birth:
        return []
    department = department_of_commune((predemande.data.get(ADDRESS) or {}).get("commune_code", ""))
    return [
        fee_due(
            title=title,
            motive=predemande.motive,
            birth_date=date.fromisoformat(birth),
            on=on,
            department_code=department,
        )
        for title in predemande_titles(predemande)
    ]


def _held_titles(predemande: PreDemande, requested: list[str]) -> tuple[HeldTitle, ...]:
    previous = predemande.data.get(PREVIOUS_TITLES) or {}
    held = []
    lost = predemande.motive in (Motive.LOSS, Motive.THEFT)
    for kind in (Title.CNI, Title.PASSPORT):
        entry = previous.get(kind) or {}
        if not (entry.get("number") or entry.get("issued_on") or entry.get("expires_on")):
            continue
        held.append(
            HeldTitle(
                kind=kind,
                issued_on=date.fromisoformat(entry["issued_on"]) if entry.get("issued_on") else None,
                expires_on=date.fromisoformat(entry["expires_on"]) if entry.get("expires_on") else None,
                is_lost_or_stolen=lost and kind in requested,
            )
        )
    return tuple(held)


def birth_commune_is_connected(commune_code: str, *, on: date) -> bool:
    return bool(commune_code) and commune_code in regulated_value(CONNECTED_COMMUNES, on=on)


def predemande_checklist(predemande: PreDemande, *, on: date | None = None) -> list[ChecklistItem]:
    on = on or predemande_request_date(predemande)
    civil = predemande.data.get(CIVIL_STATUS) or {}
    representative = predemande.data.get("representative") or {}
    requested = predemande_titles(predemande)
    case = ChecklistCase(
        titles=frozenset(requested),
        motive=predemande.motive,
        on=on,
        is_minor=predemande.is_for_minor,
        born_abroad=bool(civil.get("born_abroad")),
        birth_commune_connected=birth_commune_is_connected(civil.get("birth_commune_code", ""), on=on),
        held_titles=_held_titles(predemande, requested),
        fees_cents={fee.title: fee.amount_cents for fee in predemande_fees(predemande, on=on)},
        representative_link=representative.get("link", ""),
        parents_separated=bool(representative.get("parents_separated")),
    )
    return build_checklist(case, ChecklistRules.from_value(regulated_value(RULES_KEY, on=on)))


def predemande_stamps(predemande: PreDemande) -> dict[str, FiscalStamp]:
    numbers = predemande.data.get("stamps") or {}
    by_number = {s.number: s for s in FiscalStamp.objects.filter(number__in=list(numbers.values()))}
    return {title: by_number[n] for title, n in numbers.items() if n in by_number}


def predemande_for_dossier(*, dossier: Dossier) -> PreDemande | None:
    link = PreDemandeTitle.objects.filter(dossier=dossier).select_related("predemande").first()
    return link.predemande if link else None


def predemande_numbers_for_dossiers(*, dossier_ids: list[int]) -> dict[int, str]:
    """The number of the pré-demande behind each dossier (one query): `predemande_for_dossier` for a list."""
    numbers: dict[int, str] = {}
    links = PreDemandeTitle.objects.filter(dossier_id__in=dossier_ids).order_by("pk")
    for dossier_id, number in links.values_list("dossier_id", "predemande__number"):
        numbers.setdefault(dossier_id, number)  # the first link, as `.first()` picks it
    return numbers
