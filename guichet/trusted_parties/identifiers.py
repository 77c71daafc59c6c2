"""Identifiers of the registry: the holder's SIRET and the approval number, checked before anything is stored.

SIRET: 14 digits (SIREN of the company, then the NIC of the establishment) whose Luhn sum is a multiple of 10.
La Poste is the known exception: its establishments share the SIREN 356 000 000 and their NIC was allotted in
sequence, so their SIRET only has a digit sum that is a multiple of 5 (the head office also passes Luhn).

Approval numbers: DOMAIN.md gives no format, so Guichet fixes one per kind, both carrying the département of the
préfecture that grants them (3 characters: 035, 02A, 974):
- driving-school agrément: ``E AA DDD NNNN C`` — E, the year of grant (2 digits), the département, a 4-digit order
  number and a final digit, as printed on schools' documents;
- SIV habilitation of a car professional: ``H DDD NNNNN`` — H, the département, a 5-digit order number.
They are stored without spaces and shown grouped.
"""

import re

from django.utils.translation import gettext as _

from guichet.core.exceptions import InvalidInput
from guichet.territory.models import PlaceKind

SIRET_LENGTH = 14
LA_POSTE_SIREN = "356000000"

_DEPARTMENT = r"(?:\d{3}|02A|02B)"
_AGREMENT = re.compile(rf"^E(?P<year>\d{{2}})(?P<department>{_DEPARTMENT})(?P<order>\d{{4}})(?P<last>\d)$")
_HABILITATION = re.compile(rf"^H(?P<department>{_DEPARTMENT})(?P<order>\d{{5}})$")
_SEPARATORS = re.compile(r"[\s.\-/]+")


class InvalidSiret(InvalidInput):
    code = "invalid_siret"


class InvalidApprovalNumber(InvalidInput):
    code = "invalid_approval_number"


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def siret_normalise(raw: str) -> str:
    """What people type, without the spaces and dots they group digits with."""
    return _SEPARATORS.sub("", raw or "")


def siret_check(raw: str) -> str:
    """The SIRET without separators, or InvalidSiret with a French message saying what is wrong."""
    siret = siret_normalise(raw)
    if not siret:
        raise InvalidSiret(_("Indiquez le numéro SIRET de l'établissement (14 chiffres)."))
    if not siret.isascii() or not siret.isdigit():
        raise InvalidSiret(_("Le numéro SIRET ne contient que des chiffres : 14 chiffres, sans lettre."))
    if len(siret) != SIRET_LENGTH:
        raise InvalidSiret(
            _(
                "Le numéro SIRET comporte 14 chiffres (9 pour l'entreprise, 5 pour l'établissement) ; "
                "vous en avez saisi %(count)d."
            )
            % {"count": len(siret)}
        )
    if luhn_is_valid(siret):
        return siret
    if siret.startswith(LA_POSTE_SIREN) and sum(int(char) for char in siret) % 5 == 0:
        return siret
    raise InvalidSiret(
        _(
            "Ce numéro SIRET n'existe pas : sa clé de contrôle ne correspond pas. Vérifiez chaque chiffre "
            "sur l'extrait Kbis ou l'avis de situation."
        )
    )


def department_segment(department_code: str) -> str:
    """The département as approval numbers carry it: 35 → 035, 2A → 02A, 974 → 974."""
    return department_code.upper().rjust(3, "0")


def approval_number_normalise(raw: str) -> str:
    return _SEPARATORS.sub("", raw or "").upper()


def approval_number_check(*, raw: str, kind: str, department_code: str) -> str:
    """The number without separators, checked against its kind's format and the granting département."""
    number = approval_number_normalise(raw)
    if kind == PlaceKind.DRIVING_SCHOOL:
        match = _AGREMENT.match(number)
        if match is None:
            raise InvalidApprovalNumber(
                _(
                    "Un numéro d'agrément d'école de conduite s'écrit E, l'année sur 2 chiffres, le département sur "
                    "3 caractères, 4 chiffres puis 1 chiffre : par exemple E 24 %(department)s 0012 0."
                )
                % {"department": department_segment(department_code)}
            )
    elif kind == PlaceKind.CAR_PROFESSIONAL:
        match = _HABILITATION.match(number)
        if match is None:
            raise InvalidApprovalNumber(
                _(
                    "Un numéro d'habilitation s'écrit H, le département sur 3 caractères puis 5 chiffres : "
                    "par exemple H %(department)s 00042."
                )
                % {"department": department_segment(department_code)}
            )
    else:
        raise InvalidApprovalNumber(
            _("Seules les écoles de conduite et les professionnels de l'automobile reçoivent un agrément ici.")
        )
    if match.group("department") != department_segment(department_code):
        raise InvalidApprovalNumber(
            _("Ce numéro porte le département %(found)s : un numéro délivré ici porte le département %(expected)s.")
            % {"found": match.group("department"), "expected": department_segment(department_code)}
        )
    return number


def approval_number_display(number: str) -> str:
    """Grouped for reading: E 24 035 0012 0, H 035 00042 (other values as stored)."""
    match = _AGREMENT.match(number)
    if match:
        return f"E {match['year']} {match['department']} {match['order']} {match['last']}"
    match = _HABILITATION.match(number)
    if match:
        return f"H {match['department']} {match['order']}"
    return number
