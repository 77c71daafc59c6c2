"""French mobile numbers for SMS (DOMAIN.md §3.10): 06/07 national or +33 6/7, stored in E.164."""

import re

from django.utils.translation import gettext as _

from guichet.core.exceptions import InvalidInput

_SEPARATORS = re.compile(r"[\s.\-()/]")
_NATIONAL_MOBILE = re.compile(r"^0([67]\d{8})$")
_INTERNATIONAL_MOBILE = re.compile(r"^(?:\+|00)33([67]\d{8})$")
_MACHINE_TO_MACHINE = re.compile(r"^(?:0|(?:\+|00)33)700\d{10}$")


def french_mobile_normalise(raw: str) -> str:
    """Returns the number as +336XXXXXXXX / +337XXXXXXXX, or raises InvalidInput with a French message."""
    compact = _SEPARATORS.sub("", raw or "")
    compact = compact.replace("+33(0)", "+33").replace("+330", "+33")
    if _MACHINE_TO_MACHINE.match(compact):
        raise InvalidInput(
            _(
                "Les numéros à 14 chiffres commençant par 0700 sont réservés aux objets connectés "
                "et ne peuvent pas recevoir nos SMS. Indiquez un numéro de téléphone mobile en 06 ou 07."
            ),
            code="phone_machine_to_machine",
        )
    match = _NATIONAL_MOBILE.match(compact) or _INTERNATIONAL_MOBILE.match(compact)
    if match is None:
        raise InvalidInput(
            _(
                "Indiquez un numéro de téléphone mobile français commençant par 06 ou 07 "
                "(par exemple 06 12 34 56 78 ou +33 6 12 34 56 78)."
            ),
            code="phone_invalid",
        )
    return f"+33{match.group(1)}"


def french_mobile_display(e164: str) -> str:
    """+33612345678 → 06 12 34 56 78 (for reading back to the person)."""
    if not e164.startswith("+33") or len(e164) != 12:
        return e164
    national = "0" + e164[3:]
    return " ".join(national[i : i + 2] for i in range(0, 10, 2))
