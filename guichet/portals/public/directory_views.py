"""The public directory ("annuaire") of places: search, a page per département and per place, national exports."""

import json

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from guichet.territory import opening_hours
from guichet.territory.codes import is_postal_code
from guichet.territory.directory import (
    SERVICE_FILTERS,
    PlaceResult,
    commune_points_of_department,
    department_place_counts,
    directory_search,
    place_is_open_at,
    place_offers,
    place_position,
    places_for_export,
    public_place,
    town_points,
)
from guichet.territory.mediation_schema import export_records, records_to_csv
from guichet.territory.models import Commune, Department, PlaceKind
from guichet.territory.selectors import commune_by_code, commune_search_by_name, communes_by_postal_code

from .directory_forms import KIND_LABELS, DirectorySearchForm
from .directory_map import METROPOLE, MapPoint, bounds_around, map_svg
from .trusted_parties_views import trusted_party_card

RESULTS_MAX = 100


def _hours_in_words(spec: str) -> str:
    if not spec.strip():
        return ""
    try:
        return opening_hours.describe(spec)
    except opening_hours.OpeningHoursError:
        return spec


def _map_points(results: list[PlaceResult]) -> list[MapPoint]:
    return [
        MapPoint(
            result.position.latitude,
            result.position.longitude,
            result.place.name,
            reverse("public:directory_place", kwargs={"place_id": result.place.pk}),
        )
        for result in results
        if result.position is not None
    ]


def _listing(results: list[PlaceResult]) -> list[dict]:
    now = timezone.now()
    rows = []
    for result in results:
        place = result.place
        rows.append(
            {
                "place": place,
                "kind_label": KIND_LABELS.get(place.kind, place.kind),
                "distance_km": result.distance_km,
                "hours": _hours_in_words(place.opening_hours),
                "open_now": place_is_open_at(place, now),
                "services": [label for key, label in SERVICE_FILTERS.items() if place_offers(place, key)],
                "overseas": result.position is not None
                and not METROPOLE.contains(result.position.latitude, result.position.longitude),
            }
        )
    return rows


def _results_map(
    results: list[PlaceResult], *, department_code: str, origin: tuple[float, float] | None, local: bool
) -> SafeString:
    """The département's map when searching one, a local map around a nearby search, else metropolitan France."""
    points = _map_points(results)
    positions = [(point.latitude, point.longitude) for point in points]
    if department_code:
        background = commune_points_of_department(department_code=department_code)
        bounds = bounds_around([*background, *positions])
        if bounds is not None:
            return map_svg(bounds=bounds, places=points, background=background)
    elif local and origin is not None and positions:
        bounds = bounds_around([origin, *positions])
        if bounds is not None and all(METROPOLE.contains(*position) for position in (origin, *positions)):
            departments = {result.place.department_id for result in results}
            background = commune_points_of_department(department_code=departments)
            return map_svg(bounds=bounds, places=points, background=background)
    return map_svg(bounds=METROPOLE, places=points, background=town_points())


def _uses_commune_centres(results: list[PlaceResult]) -> bool:
    return any(result.position is not None and result.position.from_commune for result in results)


def _origin_commune(form: DirectorySearchForm) -> tuple[Commune | None, list[Commune]]:
    """The commune searched for, and the other candidates the query matched (offered as links)."""
    data = form.cleaned_data
    if data.get("commune"):
        return commune_by_code(code=data["commune"]), []
    query = data.get("q", "").strip()
    if not query:
        return None, []
    candidates = list(
        communes_by_postal_code(postal_code=query)[:10]
        if is_postal_code(query)
        else commune_search_by_name(query=query, limit=10)
    )
    return (candidates[0] if candidates else None), candidates[1:]


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    context: dict = {"page_title": _("Trouver un lieu près de chez vous"), "form": form, "searched": False}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        origin = None
        origin_label = ""
        commune, other_communes = _origin_commune(form)
        if data.get("lat") is not None:
            origin = (data["lat"], data["lon"])
            origin_label = _("votre position")
        elif commune is not None and commune.latitude is not None:
            origin = (commune.latitude, commune.longitude)
            origin_label = str(commune)
        department_code = data.get("departement") or ""
        if department_code and not Department.objects.filter(code=department_code).exists():
            form.add_error("departement", _("Aucun département ne porte ce code dans le référentiel."))
        elif data.get("q") and commune is None and origin is None:
            form.add_error("q", _("Aucune commune ne correspond : vérifiez l'orthographe ou le code postal."))
        else:
            radius = int(data.get("rayon") or "50")
            results = directory_search(
                department_code=department_code or None,
                kinds=[data["type"]] if data.get("type") else [],
                service=data.get("service") or "",
                open_at=timezone.now() if data.get("ouvert") else None,
                origin=origin,
                radius_km=radius if origin is not None and radius > 0 else None,
            )
            shown = results[:RESULTS_MAX]
            context.update(
                searched=True,
                results=_listing(shown),
                total=len(results),
                truncated=len(results) > RESULTS_MAX,
                origin_label=origin_label,
                other_communes=other_communes,
                radius=radius if origin is not None and radius > 0 else None,
                uses_commune_centres=_uses_commune_centres(shown) or commune is not None,
                map=_results_map(shown, department_code=department_code, origin=origin, local=bool(radius)),
                show_overseas_note=True,
            )
    if not context["searched"]:
        counts = department_place_counts()
        context["departments"] = [
            {"department": department, "total": counts.get(department.code, 0)}
            for department in Department.objects.order_by("code")
        ]
    return render(request, "public/directory/search.html", context)


@require_safe
def department(request: HttpRequest, code: str) -> HttpResponse:
    found = Department.objects.filter(code=code.upper()).first()
    if found is None:
        raise Http404(_("Aucun département ne porte ce code."))
    results = directory_search(department_code=found.code)
    background = commune_points_of_department(department_code=found.code)
    points = _map_points(results)
    bounds = bounds_around([*background, *((point.latitude, point.longitude) for point in points)])
    groups: dict[str, list[dict]] = {}
    for row in _listing(results):
        groups.setdefault(row["kind_label"], []).append(row)
    context = {
        "page_title": _("Lieux du département %(name)s") % {"name": found},
        "department": found,
        "groups": groups,
        "total": len(results),
        "map": map_svg(bounds=bounds, places=points, background=background) if bounds else None,
        "uses_commune_centres": _uses_commune_centres(results) or bool(background),
        "breadcrumb": [{"url": reverse("public:directory_search"), "title": _("Trouver un lieu")}],
    }
    return render(request, "public/directory/department.html", context)


@require_safe
def place_detail(request: HttpRequest, place_id: int) -> HttpResponse:
    place = public_place(place_id=place_id)
    if place is None:
        raise Http404(_("Ce lieu n'existe pas ou n'est plus ouvert au public."))
    position = place_position(place)
    context = {
        "page_title": place.name,
        "place": place,
        "kind_label": KIND_LABELS.get(place.kind, place.kind),
        "hours": _hours_in_words(place.opening_hours),
        "mediator_hours": _hours_in_words(place.mediator_hours),
        "services": [label for key, label in SERVICE_FILTERS.items() if place_offers(place, key)],
        "position": position,
        "is_trusted_party": place.kind in (PlaceKind.DRIVING_SCHOOL, PlaceKind.CAR_PROFESSIONAL),
        "trusted_party": trusted_party_card(place),
        "breadcrumb": [
            {"url": reverse("public:directory_search"), "title": _("Trouver un lieu")},
            {
                "url": reverse("public:directory_department", kwargs={"code": place.department_id}),
                "title": str(place.department),
            },
        ],
    }
    return render(request, "public/directory/place.html", context)


def _export_department(request: HttpRequest) -> tuple[str | None, str | None]:
    """The département asked for (None: all), or an error code when it does not exist."""
    code = request.GET.get("departement", "").strip().upper()
    if not code:
        return None, None
    if not Department.objects.filter(code=code).exists():
        return None, "unknown_department"
    return code, None


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    code, error = _export_department(request)
    if error:
        return HttpResponse(
            _("Département inconnu : indiquez un code du COG, par exemple 35, 2A ou 974.") + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    text = records_to_csv(export_records(places_for_export(department_code=code)))
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lieux-mediation-{code or "france"}.csv"'
    return response


@require_safe
def export_json(request: HttpRequest) -> HttpResponse:
    code, error = _export_department(request)
    if error:
        return JsonResponse(
            {"error": error, "message": _("Département inconnu : indiquez un code du COG, par exemple 35, 2A ou 974.")},
            status=400,
        )
    records = export_records(places_for_export(department_code=code))
    return HttpResponse(
        json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8"),
        content_type="application/json; charset=utf-8",
    )
