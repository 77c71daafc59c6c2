from collections.abc import Iterable

from guichet.core import references

from .models import CoordinationStatus, PreDemande

UNKNOWN = "unknown"


def predemande_statuses(*, numbers: Iterable[str]) -> dict[str, str]:
    """Coordination status per requested number (upper-cased), `unknown` when there is no such pré-demande."""
    wanted = {references.normalize(n): n for n in numbers}
    found = dict(PreDemande.objects.filter(number__in=list(wanted)).values_list("number", "status"))
    return {number: found.get(number, UNKNOWN) for number in wanted}


def predemande_is_bookable(*, number: str) -> bool:
    return predemande_statuses(numbers=[number]).get(references.normalize(number)) == CoordinationStatus.VALIDATED
