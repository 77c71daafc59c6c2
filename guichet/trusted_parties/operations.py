"""What an approval allows its holder to do for clients: one vocabulary per kind of trusted third party.

Car professionals: the operations the SIV habilitation covers (service-public.fr F20324, DOMAIN.md §1);
imports with foreign plates, successions and civil-status changes are not on the list and stay with the citizen.
Driving schools: the NEPH registration, booking the exams, and the licence request after the practical test
(R49186, F33694, brochure §4).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.territory.models import PlaceKind


class Operation(models.TextChoices):
    # Driving schools (agrément).
    LICENCE_REGISTRATION = "licence_registration", _("Inscription au permis de conduire (obtention du numéro NEPH)")
    EXAM_BOOKING = "exam_booking", _("Inscription aux examens du code et de la conduite")
    LICENCE_ISSUE = "licence_issue", _("Demande de fabrication du permis après la réussite à l'examen")
    # Car professionals (habilitation SIV).
    NEW_VEHICLE_REGISTRATION = "new_vehicle_registration", _("Immatriculation d'un véhicule neuf, cyclomoteurs compris")
    USED_VEHICLE_REGISTRATION = (
        "used_vehicle_registration",
        _("Immatriculation d'un véhicule d'occasion déjà immatriculé en France (changement de titulaire)"),
    )
    LESSEE_CHANGE = "lessee_change", _("Changement de locataire (loueurs)")
    PURCHASE_SALE_DECLARATION = "purchase_sale_declaration", _("Déclaration d'achat ou de cession d'un véhicule")
    ADMINISTRATIVE_STATUS_CERTIFICATE = (
        "administrative_status_certificate",
        _("Certificat de situation administrative (non-gage)"),
    )
    DESTRUCTION_PURCHASE_SALE = (
        "destruction_purchase_sale",
        _("Déclaration d'achat ou de cession d'un véhicule destiné à la destruction"),
    )
    DESTRUCTION_DECLARATION = "destruction_declaration", _("Déclaration de destruction d'un véhicule")


OPERATIONS_BY_KIND: dict[str, tuple[str, ...]] = {
    PlaceKind.DRIVING_SCHOOL: (Operation.LICENCE_REGISTRATION, Operation.EXAM_BOOKING, Operation.LICENCE_ISSUE),
    PlaceKind.CAR_PROFESSIONAL: (
        Operation.NEW_VEHICLE_REGISTRATION,
        Operation.USED_VEHICLE_REGISTRATION,
        Operation.LESSEE_CHANGE,
        Operation.PURCHASE_SALE_DECLARATION,
        Operation.ADMINISTRATIVE_STATUS_CERTIFICATE,
        Operation.DESTRUCTION_PURCHASE_SALE,
        Operation.DESTRUCTION_DECLARATION,
    ),
}
OPERATION_LABELS: dict[str, str] = {value: str(label) for value, label in Operation.choices}
TRUSTED_PARTY_KINDS: tuple[str, ...] = tuple(OPERATIONS_BY_KIND)


def operation_choices(kind: str) -> list[tuple[str, str]]:
    return [(value, OPERATION_LABELS[value]) for value in OPERATIONS_BY_KIND.get(kind, ())]


def operation_labels(values: list[str]) -> list[str]:
    """Labels in the vocabulary's order, unknown values kept as they are (never silently dropped)."""
    order = {value: index for index, value in enumerate(Operation.values)}
    return [OPERATION_LABELS.get(value, value) for value in sorted(values, key=lambda v: order.get(v, 999))]
