"""Why a booking or an agenda change is refused: a stable code for machines, a French message for people."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from guichet.core.exceptions import DomainError, InvalidInput


class AgendaNotOpen(DomainError):
    code = "agenda_not_open"
    default_message = _("Cette mairie ne prend pas de rendez-vous en ligne pour le moment.")


class SlotNotOffered(InvalidInput):
    code = "slot_not_offered"
    default_message = _("Ce créneau n'existe pas dans l'agenda de cette mairie. Choisissez un créneau proposé.")


class SlotInPast(InvalidInput):
    code = "slot_in_past"
    default_message = _("Ce créneau est passé ou trop proche pour être réservé. Choisissez un créneau plus tardif.")


class PlaceClosed(InvalidInput):
    code = "place_closed"
    default_message = _("La mairie est fermée ce jour-là (jour férié ou fermeture exceptionnelle).")


class TooManyFiles(InvalidInput):
    code = "too_many_files"
    default_message = _("Le nombre de dossiers pour un seul rendez-vous dépasse ce que cette mairie accepte.")


class SecondAppointmentNeedsConfirmation(DomainError):
    code = "second_appointment_needs_confirmation"
    default_message = _(
        "Un rendez-vous est déjà réservé pour ce numéro de pré-demande. Un seul suffit : annulez-le ou "
        "confirmez que vous voulez vraiment un second rendez-vous."
    )


class AppointmentNotActive(DomainError):
    code = "appointment_not_active"
    default_message = _("Ce rendez-vous n'est plus réservé : il a été annulé, honoré ou déclaré non honoré.")


class AppointmentNotStarted(DomainError):
    code = "appointment_not_started"
    default_message = _(
        "Ce rendez-vous n'a pas encore commencé : il ne peut être déclaré non honoré qu'après son heure de début."
    )


class SlotTaken(DomainError):
    """Somebody else booked the slot first; `suggestions` are the next free starts of the same mairie."""

    code = "slot_taken"
    default_message = _("Ce créneau vient d'être réservé par quelqu'un d'autre. Voici les prochains créneaux libres.")

    def __init__(self, *, suggestions: list[datetime]) -> None:
        super().__init__()
        self.suggestions = suggestions
