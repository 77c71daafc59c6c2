"""Appointments of a pré-demande: the booking services of `appointments` (which know only the number), plus
the pré-demande's own rules (validated numbers only) and a line on the timeline of each of its dossiers."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from guichet.appointments import services as appointment_services
from guichet.appointments.models import Appointment
from guichet.core import references
from guichet.core.exceptions import DomainError
from guichet.territory.models import Place

from ..models import CoordinationStatus, PreDemande
from .common import _note

# Timeline notes (see `timeline.py`).
APPOINTMENT_BOOKED, APPOINTMENT_MOVED, APPOINTMENT_CANCELLED, APPOINTMENT_NO_SHOW = (
    "appointment_booked",
    "appointment_moved",
    "appointment_cancelled",
    "appointment_no_show",
)


class PreDemandeNotBookable(DomainError):
    """The number cannot take an appointment; `code` is its coordination status (or `unknown`)."""

    code = "predemande_not_bookable"
    MESSAGES = {
        "unknown": gettext_lazy(
            "Aucune pré-demande ne porte ce numéro. Vérifiez les 10 caractères de votre récapitulatif."
        ),
        CoordinationStatus.DECLARED: gettext_lazy(
            "Cette pré-demande n'est pas encore validée : terminez-la avant de prendre rendez-vous."
        ),
        CoordinationStatus.CONSUMED: gettext_lazy(
            "Cette pré-demande a déjà été déposée en mairie : aucun rendez-vous n'est utile."
        ),
        CoordinationStatus.EXPIRED: gettext_lazy("Cette pré-demande a expiré : faites une nouvelle pré-demande."),
    }

    def __init__(self, status: str) -> None:
        super().__init__(str(self.MESSAGES.get(status, self.MESSAGES["unknown"])), code=f"predemande_{status}")


def _appointment_data(appointment: Appointment) -> dict[str, Any]:
    return {
        "appointment": appointment.reference,
        "place": appointment.place.name,
        "starts_at": appointment.starts_at.isoformat(),
    }


def _predemande_of(number: str) -> PreDemande | None:
    return PreDemande.objects.filter(number=references.normalize(number)).first()


def _note_appointment(appointment: Appointment, *, actor: Any, note: str, **data: Any) -> None:
    predemande = _predemande_of(appointment.application_id)
    if predemande is not None:
        _note(predemande=predemande, actor=actor, note=note, **_appointment_data(appointment), **data)


@transaction.atomic
def predemande_appointment_book(
    *,
    number: str,
    place: Place,
    starts_at: datetime,
    actor: Any,
    files_count: int = 1,
    contact_email: str = "",
    confirm_second: bool = False,
) -> Appointment:
    """Books a slot for a validated pré-demande; the SMS reminder goes to the pré-demande's mobile, if any."""
    predemande = PreDemande.objects.select_for_update().filter(number=references.normalize(number)).first()
    status = predemande.status if predemande is not None else "unknown"
    if predemande is None or status != CoordinationStatus.VALIDATED:
        raise PreDemandeNotBookable(status)
    appointment = appointment_services.appointment_book(
        place=place,
        starts_at=starts_at,
        application_id=predemande.number,
        files_count=files_count,
        contact_email=contact_email,
        contact_mobile=predemande.mobile_phone,
        confirm_second=confirm_second,
        actor=actor,
    )
    _note(predemande=predemande, actor=actor, note=APPOINTMENT_BOOKED, **_appointment_data(appointment))
    return appointment


@transaction.atomic
def predemande_appointment_cancel(*, appointment: Appointment, actor: Any) -> Appointment:
    cancelled = appointment_services.appointment_cancel(appointment=appointment, actor=actor)
    _note_appointment(cancelled, actor=actor, note=APPOINTMENT_CANCELLED)
    return cancelled


@transaction.atomic
def predemande_appointment_move(
    *, appointment: Appointment, starts_at: datetime, actor: Any, place: Place | None = None
) -> Appointment:
    previous_start = appointment.starts_at.isoformat()
    moved = appointment_services.appointment_move(
        appointment=appointment, starts_at=starts_at, actor=actor, place=place
    )
    _note_appointment(moved, actor=actor, note=APPOINTMENT_MOVED, previous_starts_at=previous_start)
    return moved


@transaction.atomic
def predemande_appointment_no_show(*, appointment: Appointment, actor: Any) -> Appointment:
    """A mairie agent records that nobody came (the citizen reads it on the timeline)."""
    marked = appointment_services.appointment_mark_no_show(appointment=appointment, actor=actor)
    _note_appointment(marked, actor=actor, note=APPOINTMENT_NO_SHOW)
    return marked


def predemande_appointments_settle(*, predemande: PreDemande, place: Place, actor: Any, now: datetime) -> None:
    """At lodging: the appointment here is attended, the others still to come are cancelled (and said so)."""
    settled = appointment_services.appointments_settle_on_lodging(
        application_id=predemande.number, place=place, actor=actor, now=now
    )
    for released in settled.released:
        _note(
            predemande=predemande,
            actor=actor,
            note=APPOINTMENT_CANCELLED,
            reason="predemande_consumed",
            **_appointment_data(released),
        )
