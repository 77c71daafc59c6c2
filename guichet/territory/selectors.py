"""Read-only queries on the territory: communes by name, postal code, INSEE code or distance; départements; places."""

import math
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from .codes import search_key
from .models import Commune, CommuneKind, Department, Place, PostalCode

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
KM_PER_DEGREE_OF_LATITUDE = math.pi * EARTH_RADIUS_KM / 180

# Communes a person lives in today; delegated and associated communes are former ones kept for addresses.
LIVING_KINDS = (CommuneKind.CURRENT, CommuneKind.MUNICIPAL_ARRONDISSEMENT)


def _current_first_by_population(queryset: QuerySet[Commune]) -> QuerySet[Commune]:
    return queryset.annotate(
        kind_rank=Case(
            When(kind=CommuneKind.CURRENT, then=Value(0)),
            When(kind=CommuneKind.MUNICIPAL_ARRONDISSEMENT, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("kind_rank", F("population").desc(nulls_last=True), "name", "code")


def commune_search_by_name(*, query: str, limit: int = 20) -> QuerySet[Commune]:
    """Communes whose name starts with `query`, ignoring case, accents and punctuation.

    Current communes come first, then Paris/Lyon/Marseille arrondissements, then former communes; larger first.
    """
    key = search_key(query)
    if not key:
        return Commune.objects.none()
    matches = Commune.objects.filter(search_name__startswith=key).select_related("department")
    return _current_first_by_population(matches)[:limit]


def commune_by_code(*, code: str) -> Commune | None:
    """The commune (or arrondissement) bearing this INSEE code, preferring the current one to a former namesake."""
    return _current_first_by_population(Commune.objects.filter(code=code.strip().upper())).first()


def communes_by_postal_code(*, postal_code: str) -> QuerySet[Commune]:
    """Communes served by a postal code, current ones first, larger first."""
    commune_codes = PostalCode.objects.filter(code=postal_code.strip()).values("commune_code")
    return _current_first_by_population(
        Commune.objects.filter(code__in=commune_codes, kind__in=LIVING_KINDS).select_related("department")
    )


def postal_codes_of_commune(*, code: str) -> list[str]:
    return sorted(set(PostalCode.objects.filter(commune_code=code).values_list("code", flat=True)))


@dataclass(frozen=True)
class NearbyCommune:
    commune: Commune
    distance_km: float


def haversine_km(latitude_1: float, longitude_1: float, latitude_2: float, longitude_2: float) -> float:
    """Great-circle distance on a spherical Earth (error under 0.5 %)."""
    phi_1, phi_2 = math.radians(latitude_1), math.radians(latitude_2)
    delta_phi = phi_2 - phi_1
    delta_lambda = math.radians(longitude_2 - longitude_1)
    a = math.sin(delta_phi / 2) ** 2 + math.cos(phi_1) * math.cos(phi_2) * math.sin(delta_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def communes_near(
    *,
    latitude: float,
    longitude: float,
    radius_km: float,
    limit: int = 20,
    kinds: tuple[str, ...] = (CommuneKind.CURRENT,),
    include_estimated: bool = False,
) -> list[NearbyCommune]:
    """Communes within `radius_km` of a point, nearest first.

    A latitude/longitude box (served by an index) narrows the candidates; the exact distance then orders them.
    Communes placed by estimate (no known centre) are left out unless asked for: their position is not theirs.
    """
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or radius_km <= 0 or limit <= 0:
        return []
    latitude_delta = radius_km / KM_PER_DEGREE_OF_LATITUDE
    candidates = Commune.objects.filter(
        kind__in=kinds,
        latitude__gte=max(-90.0, latitude - latitude_delta),
        latitude__lte=min(90.0, latitude + latitude_delta),
    )
    if not include_estimated:
        candidates = candidates.filter(coordinates_estimated=False)
    # Degrees of longitude shrink towards the poles; near them, or for huge radii, keep every longitude.
    widest_latitude = min(90.0, abs(latitude) + latitude_delta)
    cosine = math.cos(math.radians(widest_latitude))
    if cosine > 1e-6:
        longitude_delta = radius_km / (KM_PER_DEGREE_OF_LATITUDE * cosine)
        if longitude_delta < 180:
            west, east = longitude - longitude_delta, longitude + longitude_delta
            if west < -180:  # the box crosses the antimeridian
                candidates = candidates.filter(Q(longitude__gte=west + 360) | Q(longitude__lte=east))
            elif east > 180:
                candidates = candidates.filter(Q(longitude__gte=west) | Q(longitude__lte=east - 360))
            else:
                candidates = candidates.filter(longitude__gte=west, longitude__lte=east)
    nearby = []
    for commune in candidates.select_related("department"):
        distance = haversine_km(latitude, longitude, commune.latitude, commune.longitude)  # type: ignore[arg-type]
        if distance <= radius_km:
            nearby.append(NearbyCommune(commune=commune, distance_km=distance))
    nearby.sort(key=lambda item: (item.distance_km, item.commune.code))
    return nearby[:limit]


def department_by_code(*, code: str) -> Department | None:
    return Department.objects.select_related("region").filter(code=code.strip().upper()).first()


def places_of_department(
    *, department: Department | str, kind: str | None = None, include_inactive: bool = False
) -> QuerySet[Place]:
    """Places of a département (by object or code), optionally of one kind; active ones only unless asked."""
    department_code = department.code if isinstance(department, Department) else department
    places = Place.objects.filter(department_id=department_code)
    if kind is not None:
        places = places.filter(kind=kind)
    if not include_inactive:
        places = places.filter(is_active=True)
    return places.order_by("kind", "name")
