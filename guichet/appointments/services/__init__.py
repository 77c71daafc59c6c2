"""Agenda and booking services: each owns its transaction, takes the actor and journals what it changes."""

from .agenda import (
    AGENDA_FIELDS,
    agenda_settings_update,
    closure_booked_count,
    closure_create,
    closure_delete,
    slots_generate,
    slots_generate_all,
)
from .attendance import LodgingSettlement, appointment_mark_no_show, appointments_settle_on_lodging
from .bookings import appointment_book, appointment_cancel, appointment_move
from .external import external_appointment_delete, external_appointment_register
from .reminders import (
    REMINDER_DAYS_BEFORE,
    appointment_confirmation_send,
    appointment_reminders_send,
    reminder_context,
)

__all__ = [
    "AGENDA_FIELDS",
    "REMINDER_DAYS_BEFORE",
    "LodgingSettlement",
    "agenda_settings_update",
    "appointment_book",
    "appointment_cancel",
    "appointment_confirmation_send",
    "appointment_mark_no_show",
    "appointment_move",
    "appointment_reminders_send",
    "appointments_settle_on_lodging",
    "closure_booked_count",
    "closure_create",
    "closure_delete",
    "external_appointment_delete",
    "external_appointment_register",
    "reminder_context",
    "slots_generate",
    "slots_generate_all",
]
