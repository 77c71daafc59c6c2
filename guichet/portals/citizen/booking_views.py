"""Citizen pages for mairie appointments (CNI, passport): search, book, my appointments, cancel, move, .ics.

The pré-demande's status lives in `procedures`; this portal checks it before calling the booking service,
which belongs to a lower layer and takes only the number.
"""

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.roles import Role
from guichet.appointments import selectors
from guichet.appointments.calendar_file import appointment_ics
from guichet.appointments.errors import SecondAppointmentNeedsConfirmation, SlotTaken
from guichet.appointments.models import AgendaSettings, Appointment
from guichet.core.exceptions import DomainError
from guichet.portals.common.access import portal_for
from guichet.procedures.identity_documents.models import CoordinationStatus, PreDemande
from guichet.procedures.identity_documents.predemande import (
    PreDemandeNotBookable,
    predemande_appointment_book,
    predemande_appointment_cancel,
    predemande_appointment_move,
)
from guichet.procedures.identity_documents.selectors import predemande_statuses
from guichet.territory import selectors as territory_selectors
from guichet.territory.codes import is_postal_code
from guichet.territory.models import Place
from guichet.territory.opening_hours import PARIS

from .booking_forms import BookingForm, MairieSearchForm

START_FORMAT = "%Y-%m-%dT%H:%M"
SEARCH_WEEKS = 8
SLOTS_PER_MAIRIE = 4
SOONEST_OVERALL = 6
SHORT_START_FORMAT = "D j M H:i"  # a mairie's slot tags
LONG_START_FORMAT = "l j F Y à H:i"  # the soonest slots, the suggestions after a slot was taken


def _booking_breadcrumb() -> list[dict[str, str]]:
    return [
        {"url": reverse("citizen:home"), "title": _("Mes démarches")},
        {"url": reverse("citizen:booking_list"), "title": _("Mes rendez-vous")},
    ]


def _start_url(confirm_url: str, place_id: int, starts_at: datetime, files: int) -> str:
    # The query `urlencode` writes for these values: only the ":" of the time needs escaping.
    debut = starts_at.astimezone(PARIS).strftime(START_FORMAT).replace(":", "%3A")
    return f"{confirm_url}?lieu={place_id}&debut={debut}&dossiers={files}"


def start_link(*, place_id: int, starts_at: datetime, files: int) -> str:
    return _start_url(reverse("citizen:booking_confirm"), place_id, starts_at, files)


class StartLabels:
    """What `{{ start|date:format }}` writes, once per distinct start and format of a page: the mairies around a
    commune share the same quarter-hour grid, so a search page shows a few dozen distinct times about a hundred
    times, and Django's date formatting is the costliest part of rendering them."""

    def __init__(self) -> None:
        self._labels: dict[tuple[datetime, str], str] = {}

    def __call__(self, moment: datetime, format_string: str) -> str:
        label = self._labels.get((moment, format_string))
        if label is None:
            label = self._labels[(moment, format_string)] = date_format(timezone.localtime(moment), format_string)
        return label


def _slot_choices(
    place: Place,
    starts: list[datetime],
    files: int,
    confirm_url: str | None = None,
    *,
    labels: StartLabels | None = None,
    format_string: str = LONG_START_FORMAT,
) -> list[dict[str, Any]]:
    confirm_url = confirm_url or reverse("citizen:booking_confirm")  # resolved once per page, not per slot
    labels = labels or StartLabels()
    return [
        {
            "starts_at": moment,
            "label": labels(moment, format_string),
            "url": _start_url(confirm_url, place.pk, moment, files),
        }
        for moment in starts
    ]


def _places_for(
    where: str, radius_km: int
) -> tuple[list[tuple[Place, float | None]], str | None, dict[int, AgendaSettings]]:
    """Equipped mairies for a commune name or a postal code, nearest first; the name of the centre used; and the
    mairies' agenda settings (read with them, for `bookable_starts`)."""
    text = where.strip()
    if is_postal_code(text):
        communes = list(territory_selectors.communes_by_postal_code(postal_code=text)[:1])
        local_filter: dict[str, str] = {"postal_code": text}
    else:
        communes = list(territory_selectors.commune_search_by_name(query=text, limit=1))
        local_filter = {"commune_code": communes[0].code} if communes else {}
    centre = communes[0] if communes else None
    point = None
    if centre is not None and centre.latitude is not None and centre.longitude is not None:
        point = (centre.latitude, centre.longitude)
    around = selectors.equipped_places_around(**local_filter, centre=point, radius_km=radius_km, limit=30)
    found: dict[int, tuple[Place, float | None]] = {place.pk: (place, None) for place in around.local}
    for nearby in around.nearby:
        found[nearby.place.pk] = (nearby.place, nearby.distance_km)
    ordered = sorted(found.values(), key=lambda item: (item[1] is None, item[1] or 0, item[0].name))
    return ordered, (centre.name if centre else None), around.agendas


@portal_for(Role.CITIZEN)
def booking_search(request: HttpRequest) -> HttpResponse:
    form = MairieSearchForm(request.GET or None)
    results: list[dict[str, Any]] = []
    soonest: list[dict[str, Any]] = []
    centre_name = None
    searched = form.is_bound and form.is_valid()
    if searched:
        files = form.cleaned_data["files"]
        places, centre_name, agendas = _places_for(form.cleaned_data["where"], form.cleaned_data["radius_km"])
        now = timezone.now()
        starts = selectors.bookable_starts(
            place_ids=[place.pk for place, _distance in places],
            start=now,
            end=now + timedelta(weeks=SEARCH_WEEKS),
            files_count=files,
            limit_per_place=max(SLOTS_PER_MAIRIE, SOONEST_OVERALL),  # the page shows no more than this per mairie
            agendas=agendas,
        )
        confirm_url = reverse("citizen:booking_confirm")
        labels = StartLabels()
        candidates: list[tuple[datetime, Place]] = []
        for place, distance in places:
            place_starts = starts.get(place.pk, [])
            results.append(
                {
                    "place": place,
                    "distance_km": distance,
                    "slots": _slot_choices(
                        place,
                        place_starts[:SLOTS_PER_MAIRIE],
                        files,
                        confirm_url,
                        labels=labels,
                        format_string=SHORT_START_FORMAT,
                    ),
                }
            )
            candidates.extend((moment, place) for moment in place_starts[:SOONEST_OVERALL])
        # The soonest starts of all the mairies (ties by name); links are built for those shown only.
        candidates.sort(key=lambda item: (item[0], item[1].name))
        soonest = [
            {"place": place, **_slot_choices(place, [moment], files, confirm_url, labels=labels)[0]}
            for moment, place in candidates[:SOONEST_OVERALL]
        ]
    return render(
        request,
        "citizen/booking/search.html",
        {
            "page_title": _("Prendre rendez-vous en mairie"),
            "breadcrumb": [{"url": reverse("citizen:home"), "title": _("Mes démarches")}],
            "form": form,
            "searched": searched,
            "results": results,
            "soonest": soonest,
            "centre_name": centre_name,
        },
    )


def _validated_predemandes_of(user) -> list[PreDemande]:
    return list(
        PreDemande.objects.filter(applicant=user, status=CoordinationStatus.VALIDATED)
        .order_by("-validated_at")
        .only("number", "mobile_phone", "validated_at")[:10]
    )


def _parse_slot_request(params) -> tuple[Place, datetime, int] | None:
    place = selectors.equipped_place_or_none(place_id=params.get("lieu", ""))
    try:
        starts_at = datetime.strptime(params.get("debut", ""), START_FORMAT).replace(tzinfo=PARIS)
        files = int(params.get("dossiers", "1") or "1")
    except (TypeError, ValueError):
        return None
    if place is None or not 1 <= files <= 10:
        return None
    return place, starts_at, files


@portal_for(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def booking_confirm(request: HttpRequest) -> HttpResponse:
    requested = _parse_slot_request(request.GET)
    if requested is None:
        messages.error(
            request, _("Ce créneau n'est pas reconnu. Cherchez une mairie puis choisissez un créneau proposé.")
        )
        return redirect("citizen:booking_search")
    place, starts_at, files = requested
    known = _validated_predemandes_of(request.user)
    initial = {"application_id": known[0].number} if known else {}
    form = BookingForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {
        "page_title": _("Confirmer le rendez-vous"),
        "breadcrumb": _booking_breadcrumb(),
        "place": place,
        "starts_at": starts_at,
        "files": files,
        "known_numbers": [p.number for p in known],
        "form": form,
        "needs_confirmation": False,
        "suggestions": [],
    }
    if request.method == "POST" and form.is_valid():
        try:
            appointment = predemande_appointment_book(
                number=form.cleaned_data["application_id"],
                place=place,
                starts_at=starts_at,
                files_count=files,
                contact_email=request.user.email,  # type: ignore[union-attr]
                confirm_second=form.cleaned_data["confirm_second"],
                actor=request.user,
            )
        except PreDemandeNotBookable as error:
            form.add_error("application_id", error.message)
        except SecondAppointmentNeedsConfirmation as error:
            context["needs_confirmation"] = True
            form.add_error("confirm_second", error.message)
        except SlotTaken as error:
            context["suggestions"] = _slot_choices(place, error.suggestions, files)
            form.add_error(None, error.message)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Votre rendez-vous est réservé."))
            return redirect("citizen:booking_detail", reference=appointment.reference)
    status_code = 400 if request.method == "POST" else 200
    return render(request, "citizen/booking/confirm.html", context, status=status_code)


@portal_for(Role.CITIZEN)
def booking_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    appointments = list(selectors.appointments_booked_by(user=request.user))
    upcoming = sorted((a for a in appointments if a.is_active and a.ends_at >= now), key=lambda a: a.starts_at)
    others = [a for a in appointments if a not in upcoming]
    return render(
        request,
        "citizen/booking/list.html",
        {
            "page_title": _("Mes rendez-vous"),
            "breadcrumb": [{"url": reverse("citizen:home"), "title": _("Mes démarches")}],
            "upcoming": upcoming,
            "others": others,
        },
    )


def _own(request: HttpRequest, reference: str) -> Appointment:
    appointment = selectors.appointment_of_user(user=request.user, reference=reference)
    if appointment is None:
        raise Http404
    return appointment


def _can_change(appointment: Appointment) -> bool:
    if not appointment.is_active or appointment.starts_at <= timezone.now():
        return False
    status = predemande_statuses(numbers=[appointment.application_id]).get(appointment.application_id)
    return status != CoordinationStatus.CONSUMED


@portal_for(Role.CITIZEN)
def booking_detail(request: HttpRequest, reference: str) -> HttpResponse:
    appointment = _own(request, reference)
    return render(
        request,
        "citizen/booking/detail.html",
        {
            "page_title": _("Rendez-vous du %(date)s")
            % {"date": appointment.starts_at.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")},
            "breadcrumb": _booking_breadcrumb(),
            "appointment": appointment,
            "can_change": _can_change(appointment),
        },
    )


@portal_for(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def booking_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    appointment = _own(request, reference)
    if not _can_change(appointment):
        messages.error(request, _("Ce rendez-vous ne peut plus être annulé."))
        return redirect("citizen:booking_detail", reference=appointment.reference)
    if request.method == "POST":
        predemande_appointment_cancel(appointment=appointment, actor=request.user)
        messages.success(request, _("Votre rendez-vous est annulé. Le créneau est libéré pour une autre personne."))
        return redirect("citizen:booking_list")
    return render(
        request,
        "citizen/booking/cancel.html",
        {"page_title": _("Annuler le rendez-vous"), "breadcrumb": _booking_breadcrumb(), "appointment": appointment},
    )


@portal_for(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def booking_move(request: HttpRequest, reference: str) -> HttpResponse:
    appointment = _own(request, reference)
    if not _can_change(appointment):
        messages.error(request, _("Ce rendez-vous ne peut plus être déplacé."))
        return redirect("citizen:booking_detail", reference=appointment.reference)
    error_message = None
    status_code = 200
    if request.method == "POST":
        try:
            new_start = datetime.strptime(request.POST.get("debut", ""), START_FORMAT).replace(tzinfo=PARIS)
        except ValueError:
            error_message = _("Choisissez l'un des créneaux proposés.")
        else:
            try:
                moved = predemande_appointment_move(appointment=appointment, starts_at=new_start, actor=request.user)
            except DomainError as error:
                error_message = error.message
            else:
                messages.success(request, _("Votre rendez-vous est déplacé. L'ancien créneau est libéré."))
                return redirect("citizen:booking_detail", reference=moved.reference)
        status_code = 400
    now = timezone.now()
    starts = selectors.bookable_starts(
        place_ids=[appointment.place_id],
        start=now,
        end=now + timedelta(weeks=SEARCH_WEEKS),
        files_count=appointment.files_count,
        limit_per_place=30,
    ).get(appointment.place_id, [])
    return render(
        request,
        "citizen/booking/move.html",
        {
            "page_title": _("Déplacer le rendez-vous"),
            "breadcrumb": _booking_breadcrumb(),
            "appointment": appointment,
            "choices": [{"value": m.astimezone(PARIS).strftime(START_FORMAT), "starts_at": m} for m in starts],
            "error_message": error_message,
        },
        status=status_code,
    )


@portal_for(Role.CITIZEN)
def booking_ics(request: HttpRequest, reference: str) -> HttpResponse:
    appointment = _own(request, reference)
    response = HttpResponse(appointment_ics(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rendez-vous-{appointment.reference}.ics"'
    return response
