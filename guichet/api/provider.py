"""Appointment provider endpoints for the national slot finder, Guichet as the server — INTEROP.md §2.

Errors have the finder's shape `{"error": {"code": 400, "message": "..."}}`, missing parameters included; so the
parameters are declared optional (for the OpenAPI schema) and checked here.
"""

import re
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema

from guichet.appointments import selectors as appointment_selectors
from guichet.territory.opening_hours import PARIS

from .auth import SlotHubToken
from .rendering import json_response

router = Router(auth=SlotHubToken(), tags=["Fournisseur de créneaux (moteur national)"])

REASONS = ("CNI", "PASSPORT", "CNI-PASSPORT")
APPLICATION_ID = re.compile(r"^[A-Z0-9]{10}$")
MAX_DOCUMENTS = 10


class HubError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ErrorBody(Schema):
    code: int
    message: str


class ErrorResponse(Schema):
    error: ErrorBody


class UnauthorizedResponse(Schema):
    error: str


class MeetingPoint(Schema):
    id: str
    name: str
    longitude: float
    latitude: float
    public_entry_address: str
    zip_code: str
    city_name: str
    website: str | None = None


class TimeSlot(Schema):
    datetime: str
    callback_url: str


class HeldAppointment(Schema):
    meeting_point: str
    datetime: str
    management_url: str
    cancel_url: str


def _required(value: str | None, name: str) -> str:
    if value is None or not value.strip():
        raise HubError(f"Missing {name} param")
    return value.strip()


def _date(value: str | None, name: str) -> date:
    text = _required(value, name)
    try:
        return date.fromisoformat(text) if len(text) == 10 else _invalid(name)
    except ValueError:
        return _invalid(name)


def _invalid(name: str) -> date:
    raise HubError(f"Invalid {name} param")


@router.get(
    "/getManagedMeetingPoints",
    response={200: list[MeetingPoint], 401: UnauthorizedResponse},
    summary="Mairies équipées gérées par Guichet",
    exclude_none=True,  # `website` is optional: absent rather than null
)
def managed_meeting_points(request: HttpRequest):
    points = []
    for place in appointment_selectors.equipped_places().filter(latitude__isnull=False, longitude__isnull=False):
        point = {
            "id": str(place.pk),
            "name": place.name,
            "longitude": place.longitude,
            "latitude": place.latitude,
            "public_entry_address": place.address,
            "zip_code": place.postal_code,
            "city_name": place.city,
        }
        if place.website:
            point["website"] = place.website
        points.append(point)
    return points


def booking_confirm_base() -> str:
    return f"{settings.SITE_URL}{reverse('citizen:booking_confirm')}"


@router.get(
    "/availableTimeSlots",
    response={200: dict[str, list[TimeSlot]], 400: ErrorResponse, 401: UnauthorizedResponse},
    summary="Créneaux disponibles",
)
def available_time_slots(
    request: HttpRequest,
    meeting_point_ids: list[str] | None = Query(None),  # noqa: B008 (django-ninja declares query parameters this way)
    start_date: str | None = None,
    end_date: str | None = None,
    reason: str | None = None,
    documents_number: str | None = None,
):
    """Free starts per meeting point between `start_date` and `end_date` (both included) long enough for
    `documents_number` files. `datetime` is the Paris wall-clock time written with a literal `Z`."""
    try:
        if not meeting_point_ids:
            raise HubError("Missing meeting_point_ids param")
        first = _date(start_date, "start_date")
        last = _date(end_date, "end_date")
        if first > last:
            raise HubError("start_date is after end_date")
        if _required(reason, "reason") not in REASONS:
            raise HubError("Invalid reason param")
        files = 1
        if documents_number is not None and documents_number.strip():
            text = documents_number.strip()
            if not text.isdigit() or not 1 <= int(text) <= MAX_DOCUMENTS:
                raise HubError("Invalid documents_number param")
            files = int(text)
    except HubError as error:
        return 400, {"error": {"code": 400, "message": error.message}}
    # Ids Guichet never gave (not numbers, or too large for a key) simply get no entry.
    wanted = {int(raw) for raw in meeting_point_ids if raw.strip().isdigit() and len(raw.strip()) <= 15}
    agendas = appointment_selectors.equipped_agendas(place_ids=wanted)  # the managed ones, by name
    managed = list(agendas)
    starts = appointment_selectors.bookable_starts(
        place_ids=managed,
        start=datetime.combine(first, time.min, tzinfo=PARIS),
        end=datetime.combine(last + timedelta(days=1), time.min, tzinfo=PARIS),
        files_count=files,
        agendas=agendas,
    )
    base = booking_confirm_base()
    answer: dict[str, list[dict[str, str]]] = {}
    for place_id in managed:
        # The citizen's confirmation page for this start, the query written as `urlencode` would (":" as %3A);
        # the per-place part is built once, and each start needs one clock conversion.
        prefix = f"{base}?lieu={place_id}&debut="
        suffix = f"&dossiers={files}"
        slots = answer[str(place_id)] = []
        for moment in starts.get(place_id, []):
            local = moment.astimezone(PARIS).isoformat()  # YYYY-MM-DDTHH:MM:SS…
            slots.append(
                {
                    "datetime": f"{local[:16]}Z",
                    "callback_url": f"{prefix}{local[:13]}%3A{local[14:16]}{suffix}",
                }
            )
    # Already in the declared schema's shape and field order: sent as is (see rendering.py).
    return json_response(answer)


@router.get(
    "/searchApplicationIds",
    response={200: dict[str, list[HeldAppointment]], 400: ErrorResponse, 401: UnauthorizedResponse},
    summary="Rendez-vous détenus pour des numéros de pré-demande",
)
def search_application_ids(request: HttpRequest, application_ids: list[str] | None = Query(None)):  # noqa: B008
    if not application_ids or not any(raw.strip() for raw in application_ids):
        return 400, {"error": {"code": 400, "message": "Missing application_ids param"}}
    requested = {raw: raw.strip().upper() for raw in application_ids if raw.strip()}
    held: dict[str, list[dict]] = {number: [] for number in requested.values()}
    # Only well-formed numbers are looked up: anything else (even with NUL bytes) simply holds nothing.
    wellformed = [number for number in requested.values() if APPLICATION_ID.match(number)]
    for appointment in appointment_selectors.appointments_of_numbers(numbers=wellformed):
        held[appointment.application_id].append(
            {
                "meeting_point": appointment.place.name,
                "datetime": appointment.starts_at.astimezone(PARIS).isoformat(),
                "management_url": settings.SITE_URL
                + reverse("citizen:booking_detail", kwargs={"reference": appointment.reference}),
                "cancel_url": settings.SITE_URL
                + reverse("citizen:booking_cancel", kwargs={"reference": appointment.reference}),
            }
        )
    return {raw: held[number] for raw, number in requested.items()}
