"""Préfecture admins manage the directory's places of their own département(s); every change is journaled."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.roles import Role
from guichet.accounts.selectors import role_assignments_active_for
from guichet.accounts.services.common import actor_of
from guichet.portals.common.access import portal_for
from guichet.territory.mediation_schema import places_import
from guichet.territory.models import Department, Place, PlaceKind
from guichet.territory.place_services import place_create, place_update

from .places_forms import PlaceForm, PlacesImportForm

KIND_LABELS = dict(PlaceKind.choices)


def _departments(request: HttpRequest) -> list[Department]:
    assignments = role_assignments_active_for(user=request.user).filter(role=Role.PREFECTURE_ADMIN)  # type: ignore[arg-type]
    return [assignment.department for assignment in assignments if assignment.department is not None]


def _own_place(request: HttpRequest, place_id: int) -> Place:
    codes = [department.code for department in _departments(request)]
    place = Place.objects.filter(pk=place_id, department_id__in=codes).first()
    if place is None:
        raise Http404(_("Ce lieu n'existe pas ou ne relève pas de votre département."))
    return place


def _breadcrumb() -> list[dict]:
    return [
        {"url": reverse("prefecture:home"), "title": _("Espace préfecture")},
        {"url": reverse("prefecture:places"), "title": _("Lieux du département")},
    ]


@portal_for(Role.PREFECTURE_ADMIN)
def place_list(request: HttpRequest) -> HttpResponse:
    departments = _departments(request)
    places = (
        Place.objects.filter(department__in=departments)
        .exclude(kind=PlaceKind.INSTRUCTION_CENTRE)
        .order_by("department_id", "kind", "name")
    )
    rows = [{"place": place, "kind_label": KIND_LABELS.get(place.kind, place.kind)} for place in places]
    return render(
        request,
        "prefecture/places/list.html",
        {
            "page_title": _("Lieux du département"),
            "rows": rows,
            "departments": departments,
            "breadcrumb": [{"url": reverse("prefecture:home"), "title": _("Espace préfecture")}],
        },
    )


def _values(form: PlaceForm) -> dict:
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


@portal_for(Role.PREFECTURE_ADMIN)
@require_http_methods(["GET", "POST"])
def place_new(request: HttpRequest) -> HttpResponse:
    departments = _departments(request)
    form = PlaceForm(request.POST or None, departments=departments, instance=Place())
    if request.method == "POST" and form.is_valid():
        place = place_create(values=_values(form), actor=actor_of(request.user))  # type: ignore[arg-type]
        messages.success(request, _("Le lieu « %(name)s » est enregistré.") % {"name": place.name})
        return redirect("prefecture:places")
    return render(
        request,
        "prefecture/places/form.html",
        {"page_title": _("Ajouter un lieu"), "form": form, "breadcrumb": _breadcrumb()},
    )


@portal_for(Role.PREFECTURE_ADMIN)
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, place_id: int) -> HttpResponse:
    place = _own_place(request, place_id)
    original = Place.objects.get(pk=place.pk)
    form = PlaceForm(request.POST or None, departments=_departments(request), instance=place)
    if request.method == "POST" and form.is_valid():
        place_update(place=original, values=_values(form), actor=actor_of(request.user))  # type: ignore[arg-type]
        messages.success(
            request, _("Les modifications du lieu « %(name)s » sont enregistrées.") % {"name": original.name}
        )
        return redirect("prefecture:places")
    return render(
        request,
        "prefecture/places/form.html",
        {
            "page_title": _("Modifier le lieu « %(name)s »") % {"name": original.name},
            "form": form,
            "place": original,
            "breadcrumb": _breadcrumb(),
        },
    )


@portal_for(Role.PREFECTURE_ADMIN)
@require_http_methods(["GET", "POST"])
def places_upload(request: HttpRequest) -> HttpResponse:
    departments = _departments(request)
    form = PlacesImportForm(request.POST or None, request.FILES or None, departments=departments)
    report = None
    if request.method == "POST" and form.is_valid():
        report = places_import(
            content=form.cleaned_data["file"].read(),
            file_format=form.file_format,
            department=form.cleaned_data["department"],
            actor=actor_of(request.user),  # type: ignore[arg-type]
        )
    return render(
        request,
        "prefecture/places/import.html",
        {
            "page_title": _("Importer des lieux"),
            "form": form,
            "report": report,
            "breadcrumb": _breadcrumb(),
        },
    )
