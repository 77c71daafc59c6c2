"""Mairie agents manage their own mairie's appointment agenda: settings, closures, slots, the day's bookings.

An agent reaches only the place of their role assignment; every view of bookings is journaled.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.roles import Role
from guichet.accounts.selectors import role_assignments_active_for
from guichet.accounts.services.common import actor_of
from guichet.appointments import selectors, services
from guichet.appointments.models import AgendaSettings, Appointment, Closure
from guichet.audit.services import audit_record
from guichet.core.exceptions import DomainError
from guichet.portals.common.access import portal_for
from guichet.procedures.identity_documents.predemande import predemande_appointment_no_show
from guichet.territory.models import Place
from guichet.territory.opening_hours import PARIS

from .agenda_forms import AgendaSettingsForm, ClosureForm


def _agent_place(request: HttpRequest) -> Place | None:
    """The equipped mairie this agent works at (the first one if several), or None."""
    for assignment in role_assignments_active_for(user=request.user).filter(role=Role.MAIRIE_AGENT):  # type: ignore[arg-type]
        if assignment.place is not None and assignment.place.is_equipped:
            return assignment.place
    return None


def _breadcrumb() -> list[dict[str, str]]:
    return [{"url": reverse("town_hall:home"), "title": _("Espace mairie")}]


def _not_equipped(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "town_hall/agenda/not_equipped.html",
        {"page_title": _("Agenda des rendez-vous"), "breadcrumb": _breadcrumb()},
    )


@portal_for(Role.MAIRIE_AGENT)
@require_http_methods(["GET", "POST"])
def agenda_home(request: HttpRequest) -> HttpResponse:
    place = _agent_place(request)
    if place is None:
        return _not_equipped(request)
    agenda = AgendaSettings.objects.filter(place=place).first() or AgendaSettings(place=place)
    initial = {name: getattr(agenda, name) for name in services.AGENDA_FIELDS}
    form = AgendaSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_settings_update(place=place, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Les réglages de l'agenda sont enregistrés."))
            return redirect("town_hall:agenda_home")
    today = timezone.now().astimezone(PARIS).date()
    return render(
        request,
        "town_hall/agenda/home.html",
        {
            "page_title": _("Agenda des rendez-vous"),
            "breadcrumb": _breadcrumb(),
            "place": place,
            "form": form,
            "closures": selectors.closures_of(place=place, from_day=today),
            "counts": selectors.slot_counts(place=place),
            "today": today,
        },
        status=400 if request.method == "POST" else 200,
    )


@portal_for(Role.MAIRIE_AGENT)
@require_POST
def agenda_generate(request: HttpRequest) -> HttpResponse:
    place = _agent_place(request)
    if place is None:
        raise Http404
    if not AgendaSettings.objects.filter(place=place, is_active=True).exists():
        messages.error(request, _("Activez d'abord la prise de rendez-vous en ligne dans les réglages."))
        return redirect("town_hall:agenda_home")
    created = services.slots_generate(place=place)
    audit_record(
        action="agenda_slots_generated",
        actor=actor_of(request.user),  # type: ignore[arg-type]
        object_type="place",
        object_id=place.pk,
        data={"created": created},
    )
    messages.success(request, _("%(count)d créneau(x) créé(s).") % {"count": created})
    return redirect("town_hall:agenda_home")


@portal_for(Role.MAIRIE_AGENT)
@require_http_methods(["GET", "POST"])
def agenda_closure_add(request: HttpRequest) -> HttpResponse:
    place = _agent_place(request)
    if place is None:
        return _not_equipped(request)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        closure = services.closure_create(place=place, actor=request.user, **form.cleaned_data)
        booked = services.closure_booked_count(closure=closure)
        if booked:
            messages.warning(
                request,
                _(
                    "Fermeture enregistrée. %(count)d rendez-vous déjà pris tombent pendant cette fermeture : "
                    "prévenez les personnes concernées (voir la liste du jour)."
                )
                % {"count": booked},
            )
        else:
            messages.success(request, _("Fermeture enregistrée : aucun rendez-vous ne pourra être pris ces jours-là."))
        return redirect("town_hall:agenda_home")
    return render(
        request,
        "town_hall/agenda/closure_form.html",
        {"page_title": _("Ajouter une fermeture"), "breadcrumb": _breadcrumb(), "form": form, "place": place},
        status=400 if request.method == "POST" else 200,
    )


@portal_for(Role.MAIRIE_AGENT)
@require_POST
def agenda_closure_delete(request: HttpRequest, closure_id: int) -> HttpResponse:
    place = _agent_place(request)
    closure = Closure.objects.filter(pk=closure_id, place=place).first() if place else None
    if closure is None:
        raise Http404
    services.closure_delete(closure=closure, actor=request.user)
    messages.success(request, _("Fermeture supprimée ; les créneaux de ces jours sont de nouveau proposés."))
    return redirect("town_hall:agenda_home")


@portal_for(Role.MAIRIE_AGENT)
def agenda_day(request: HttpRequest) -> HttpResponse:
    place = _agent_place(request)
    if place is None:
        return _not_equipped(request)
    today = timezone.now().astimezone(PARIS).date()
    try:
        day = date.fromisoformat(request.GET.get("jour", "")) if request.GET.get("jour") else today
    except ValueError:
        messages.error(request, _("Date non reconnue : voici les rendez-vous d'aujourd'hui."))
        day = today
    appointments = list(selectors.day_appointments(place=place, day=day))
    audit_record(
        action="agenda_day_viewed",
        actor=actor_of(request.user),  # type: ignore[arg-type]
        object_type="place",
        object_id=place.pk,
        data={"day": day.isoformat(), "count": len(appointments)},
    )
    return render(
        request,
        "town_hall/agenda/day.html",
        {
            "page_title": _("Rendez-vous du %(day)s") % {"day": day.strftime("%d/%m/%Y")},
            "breadcrumb": [*_breadcrumb(), {"url": reverse("town_hall:agenda_home"), "title": _("Agenda")}],
            "place": place,
            "day": day,
            "previous_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "appointments": appointments,
            "now": timezone.now(),
            "is_closed": selectors.is_closed_on(place=place, day=day),
        },
    )


@portal_for(Role.MAIRIE_AGENT)
@require_POST
def agenda_no_show(request: HttpRequest, reference: str) -> HttpResponse:
    """The agent records, from the day's list, that nobody came to a past appointment of their mairie."""
    place = _agent_place(request)
    appointment = (
        Appointment.objects.filter(reference=reference.strip().upper(), place=place).first() if place else None
    )
    if appointment is None:
        raise Http404
    local = appointment.starts_at.astimezone(PARIS)
    try:
        predemande_appointment_no_show(appointment=appointment, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Le rendez-vous de %(time)s (pré-demande %(number)s) est noté non honoré.")
            % {"time": local.strftime("%H:%M"), "number": appointment.application_id},
        )
    return redirect(f"{reverse('town_hall:agenda_day')}?jour={local.date().isoformat()}")
