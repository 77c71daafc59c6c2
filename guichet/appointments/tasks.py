"""Background tasks: nightly slot generation and the reminders two days ahead."""

from django_tasks import task

from .services import appointment_reminders_send, slots_generate_all


@task()
def generate_appointment_slots() -> int:
    return slots_generate_all()


@task()
def send_appointment_reminders() -> int:
    return appointment_reminders_send()
