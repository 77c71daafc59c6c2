"""Appointment coordination API (anti-duplicate), Guichet as the server — INTEROP.md §1.

Every parameter is in the query string, for GET, POST and DELETE alike. Missing parameters answer 422 with
the JSON django-ninja gives, which names each missing parameter in `loc`.
"""

import re
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema

from guichet.appointments import selectors as appointment_selectors
from guichet.appointments import services as appointment_services
from guichet.appointments.models import ExternalAppointment
from guichet.audit.services import Actor
from guichet.procedures.identity_documents.models import CoordinationStatus
from guichet.procedures.identity_documents.selectors import predemande_statuses
from guichet.territory.opening_hours import PARIS

from .auth import CoordinationEditorToken
from .rendering import json_response

router = Router(auth=CoordinationEditorToken(), tags=["Coordination des rendez-vous (anti-doublon)"])

APPLICATION_ID = re.compile(r"^[A-Z0-9]{10}$")
# "+01:00" sent unencoded in a query string arrives as " 01:00".
_UNENCODED_OFFSET = re.compile(r"(T?\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")
GUICHET_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


class Detail(Schema):
    detail: str


class CoordinationAppointment(Schema):
    management_url: str
    meeting_point: str
    meeting_point_id: str
    appointment_date: str
    editor_comment: str | None = None


class ApplicationStatus(Schema):
    status: str
    appointments: list[CoordinationAppointment]


class Success(Schema):
    success: bool


class RowCount(Schema):
    rowcount: int


def parse_appointment_date(raw: str) -> datetime | None:
    """`YYYY-MM-DD HH:MM:SS` (Paris local) or ISO 8601 with or without offset; None when unreadable."""
    text = _UNENCODED_OFFSET.sub(r"\1+\2", raw.strip())
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment


def _editor_actor(request: HttpRequest) -> Actor:
    client = request.auth  # type: ignore[attr-defined]
    return Actor(user_id=None, role="api_client", organisation=f"{client.name} (#{client.pk})")


def guichet_management_url(reference: str) -> str:
    return settings.SITE_URL + reverse("citizen:booking_detail", kwargs={"reference": reference})


@router.get("/status", response={200: dict[str, ApplicationStatus], 401: Detail}, summary="Statut et rendez-vous")
def status(request: HttpRequest, application_ids: list[str] = Query(...), meeting_point_id: str | None = None):  # noqa: B008
    """Status of each requested pré-demande number and every appointment known for it, in Guichet's own
    agendas (with Guichet's management URL) and in other software. Unknown numbers answer `unknown`."""
    requested = {raw: raw.strip().upper() for raw in application_ids}
    # Only well-formed numbers are looked up: anything else (even with NUL bytes) is simply unknown.
    wellformed = [number for number in requested.values() if APPLICATION_ID.match(number)]
    statuses = predemande_statuses(numbers=wellformed)
    items: dict[str, list[dict]] = {number: [] for number in requested.values()}
    guichet_rows, external_rows = appointment_selectors.reported_appointments_of_numbers(numbers=wellformed)
    for own in guichet_rows:
        items[own.application_id].append(
            {
                "management_url": guichet_management_url(own.reference),
                "meeting_point": own.place_name,
                "meeting_point_id": str(own.place_id),
                "appointment_date": own.starts_at.astimezone(PARIS).strftime(GUICHET_DATE_FORMAT),
                "editor_comment": None,
            }
        )
    for external in external_rows:
        items[external.application_id].append(
            {
                "management_url": external.management_url,
                "meeting_point": external.meeting_point,
                "meeting_point_id": external.meeting_point_id,
                "appointment_date": external.appointment_date,
                "editor_comment": external.editor_comment,
            }
        )
    # Already in the declared schema's shape and field order (every value a string, or None for the comment).
    return json_response(
        {
            raw: {"status": statuses.get(number, "unknown") if number else "unknown", "appointments": items[number]}
            for raw, number in requested.items()
        }
    )


def _too_long(**values: str) -> str | None:
    for name, value in values.items():
        limit = getattr(ExternalAppointment._meta.get_field(name), "max_length", None)
        if limit is not None and len(value) > limit:
            return f"{name} is longer than {limit} characters"
    return None


def _refusal(number: str, status_value: str) -> str:
    if not APPLICATION_ID.match(number):
        return f"application_id {number!r} is not a valid application id (10 characters A-Z 0-9)"
    return f"application_id {number} has status '{status_value}': appointments can only be registered when 'validated'"


@router.post(
    "/appointments",
    response={200: Success, 400: Detail, 401: Detail},
    summary="Déclarer un rendez-vous",
)
def appointment_create(
    request: HttpRequest,
    application_id: str,
    meeting_point: str,
    meeting_point_id: str,
    appointment_date: str,
    management_url: str,
):
    """Registers an appointment held in the calling software. The same (application_id, management_url) pair
    registered again is accepted and changes nothing."""
    number = application_id.strip().upper()
    status_value = predemande_statuses(numbers=[number]).get(number, "unknown")
    if status_value != CoordinationStatus.VALIDATED:
        return 400, {"detail": _refusal(number, status_value)}
    moment = parse_appointment_date(appointment_date)
    if moment is None:
        return 400, {
            "detail": "appointment_date must be 'YYYY-MM-DD HH:MM:SS' (Paris time) or ISO 8601 (YYYY-MM-DDTHH:MM:SS)"
        }
    if not management_url.strip():
        return 400, {"detail": "management_url must not be empty"}
    too_long = _too_long(
        meeting_point=meeting_point,
        meeting_point_id=meeting_point_id,
        appointment_date=appointment_date,
        management_url=management_url.strip(),
    )
    if too_long:
        return 400, {"detail": too_long}
    appointment_services.external_appointment_register(
        application_id=number,
        meeting_point=meeting_point,
        meeting_point_id=meeting_point_id,
        appointment_date=appointment_date,
        appointment_at=moment,
        management_url=management_url.strip(),
        editor_name=request.auth.name,  # type: ignore[attr-defined]
        actor=_editor_actor(request),
    )
    return {"success": True}


@router.delete(
    "/appointments",
    response={200: RowCount, 400: Detail, 401: Detail},
    summary="Supprimer un rendez-vous déclaré",
)
def appointment_delete(
    request: HttpRequest, application_id: str, meeting_point: str, meeting_point_id: str, appointment_date: str
):
    """Deletes the registered appointments matching every parameter; answers how many were deleted."""
    number = application_id.strip().upper()
    if predemande_statuses(numbers=[number]).get(number) == CoordinationStatus.CONSUMED:
        return 400, {"detail": f"application_id {number} has status 'consumed': its appointments can no longer change"}
    moment = parse_appointment_date(appointment_date)
    if moment is None:
        return 400, {
            "detail": "appointment_date must be 'YYYY-MM-DD HH:MM:SS' (Paris time) or ISO 8601 (YYYY-MM-DDTHH:MM:SS)"
        }
    deleted = appointment_services.external_appointment_delete(
        application_id=number,
        meeting_point=meeting_point,
        meeting_point_id=meeting_point_id,
        appointment_at=moment,
        actor=_editor_actor(request),
    )
    return {"rowcount": deleted}
