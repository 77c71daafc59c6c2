"""Read-only queries of the public directory ("annuaire"): places by département, commune, distance and filters."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from . import opening_hours
from .mediation_schema import EXPORTED_KINDS
from .models import Commune, CommuneKind, Place, PlaceKind
from .selectors import haversine_km

# Kinds a citizen may visit; instruction centres work behind the scenes and are not listed.
PUBLIC_KINDS: tuple[str, ...] = tuple(kind for kind in PlaceKind.values if kind != PlaceKind.INSTRUCTION_CENTRE)

# What a visitor may look for; each test reads the place's structured fields.
SERVICE_FILTERS: dict[str, object] = {
    "recueil": _("Dépôt d'une demande de carte d'identité ou de passeport (dispositif de recueil)"),
    "mediateur": _("Accompagnement par un médiateur numérique"),
    "scanner": _("Scanner à disposition"),
    "imprimante": _("Imprimante à disposition"),
    "permis": _("Démarches de permis de conduire par un tiers de confiance"),
    "immatriculation": _("Démarches de carte grise par un tiers de confiance"),
}


def place_offers(place: Place, service: str) -> bool:
    if service == "recueil":
        return place.is_equipped
    if service == "mediateur":
        return place.mediator_present
    if service == "scanner":
        return place.has_scanner
    if service == "imprimante":
        return place.has_printer
    if service == "permis":
        return place.kind == PlaceKind.DRIVING_SCHOOL
    if service == "immatriculation":
        return place.kind == PlaceKind.CAR_PROFESSIONAL
    return False


def place_is_open_at(place: Place, moment: datetime) -> bool:
    """Open at `moment` per its opening hours; a place without readable hours is not counted as open."""
    if not place.opening_hours.strip():
        return False
    try:
        return opening_hours.is_open_at(place.opening_hours, moment, department_code=place.department_id)
    except opening_hours.OpeningHoursError:
        return False


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    from_commune: bool  # True: the commune's centre (GeoNames), not the place's own coordinates


@dataclass(frozen=True)
class PlaceResult:
    place: Place
    position: Position | None
    distance_km: float | None


def commune_positions(codes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Centre of each commune code (current communes first), for places without their own coordinates."""
    positions: dict[str, tuple[float, float]] = {}
    rows = (
        Commune.objects.filter(code__in=set(codes), latitude__isnull=False, longitude__isnull=False)
        .order_by("code", "kind")
        .values_list("code", "kind", "latitude", "longitude")
    )
    for code, kind, latitude, longitude in rows:
        if latitude is not None and longitude is not None and (code not in positions or kind == CommuneKind.CURRENT):
            positions[code] = (latitude, longitude)
    return positions


def place_position(place: Place, positions: dict[str, tuple[float, float]] | None = None) -> Position | None:
    if place.latitude is not None and place.longitude is not None:
        return Position(place.latitude, place.longitude, from_commune=False)
    if positions is None:
        positions = commune_positions([place.commune_code])
    centre = positions.get(place.commune_code)
    return Position(centre[0], centre[1], from_commune=True) if centre else None


def public_places() -> QuerySet[Place]:
    return Place.objects.filter(is_active=True, kind__in=PUBLIC_KINDS).select_related("department")


def public_place(*, place_id: int) -> Place | None:
    return public_places().filter(pk=place_id).first()


def directory_search(
    *,
    department_code: str | None = None,
    commune_codes: Iterable[str] | None = None,
    kinds: Iterable[str] = (),
    service: str = "",
    open_at: datetime | None = None,
    origin: tuple[float, float] | None = None,
    radius_km: float | None = None,
) -> list[PlaceResult]:
    """Active public places matching every filter given.

    With an `origin` (latitude, longitude) results come nearest first, with their distance; places without a
    known position then come last. `radius_km` (with an origin) keeps only the places within that distance.
    Without an origin they come by département, kind and name.
    """
    places = public_places()
    if department_code:
        places = places.filter(department_id=department_code)
    if commune_codes is not None:
        places = places.filter(commune_code__in=list(commune_codes))
    kinds = [kind for kind in kinds if kind in PUBLIC_KINDS]
    if kinds:
        places = places.filter(kind__in=kinds)
    candidates = list(places.order_by("department_id", "kind", "name", "pk"))
    if service:
        candidates = [place for place in candidates if place_offers(place, service)]
    if open_at is not None:
        candidates = [place for place in candidates if place_is_open_at(place, open_at)]
    positions = commune_positions(place.commune_code for place in candidates if place.latitude is None)
    results = []
    for place in candidates:
        position = place_position(place, positions)
        distance = None
        if origin is not None and position is not None:
            distance = haversine_km(origin[0], origin[1], position.latitude, position.longitude)
        if origin is not None and radius_km is not None and (distance is None or distance > radius_km):
            continue
        results.append(PlaceResult(place, position, distance))
    if origin is not None:
        results.sort(key=lambda result: (result.distance_km is None, result.distance_km or 0.0, result.place.pk))
    return results


def places_for_export(*, department_code: str | None = None) -> QuerySet[Place]:
    """The active places Guichet publishes in the national mediation-places schema."""
    places = Place.objects.filter(is_active=True, kind__in=EXPORTED_KINDS)
    if department_code:
        places = places.filter(department_id=department_code)
    return places.order_by("pk")


def department_place_counts() -> dict[str, int]:
    rows = public_places().values("department_id").annotate(total=Count("id")).order_by()
    return {row["department_id"]: row["total"] for row in rows}


def town_points(*, min_population: int = 10_000) -> list[tuple[float, float]]:
    """Positions of the towns of at least `min_population` inhabitants (background of the national map)."""
    rows = Commune.objects.filter(
        kind=CommuneKind.CURRENT, population__gte=min_population, latitude__isnull=False, longitude__isnull=False
    ).values_list("latitude", "longitude")
    return [(latitude, longitude) for latitude, longitude in rows if latitude is not None and longitude is not None]


def commune_points_of_department(*, department_code: str | Iterable[str]) -> list[tuple[float, float]]:
    """Positions of the communes of one or several départements (background of a local map)."""
    codes = [department_code] if isinstance(department_code, str) else list(department_code)
    rows = Commune.objects.filter(
        department_id__in=codes,
        kind=CommuneKind.CURRENT,
        latitude__isnull=False,
        longitude__isnull=False,
    ).values_list("latitude", "longitude")
    return [
        (float(latitude), float(longitude))
        for latitude, longitude in rows
        if latitude is not None and longitude is not None
    ]
