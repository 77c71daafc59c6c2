from django.core.management.base import BaseCommand

from guichet.appointments.services import appointment_reminders_send


class Command(BaseCommand):
    help = "Envoie les rappels (courriel, SMS) des rendez-vous qui ont lieu dans deux jours."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{appointment_reminders_send()} rappel(s) préparé(s).")
