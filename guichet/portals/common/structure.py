"""What a staff portal's home shows about the person's own structure(s): the places their roles attach them to."""

from dataclasses import dataclass

from guichet.accounts.models import User
from guichet.accounts.selectors import role_assignments_active_for
from guichet.territory.models import Place
from guichet.territory.opening_hours import OpeningHoursError, describe


@dataclass(frozen=True)
class StructureCard:
    place: Place
    hours: str


def _hours_in_words(spec: str) -> str:
    if not spec:
        return ""
    try:
        return describe(spec)
    except OpeningHoursError:
        return spec


def structures_of(*, user: User, roles: set[str]) -> list[StructureCard]:
    assignments = role_assignments_active_for(user=user).filter(role__in=roles, place__isnull=False)
    places = [a.place for a in assignments if a.place is not None]
    return [StructureCard(place=place, hours=_hours_in_words(place.opening_hours)) for place in places]
