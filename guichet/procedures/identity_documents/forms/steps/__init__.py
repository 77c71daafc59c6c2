"""One form per step of the pré-demande. Each cleans its input into JSON-ready values (`values()`).

Communes are chosen without JavaScript: the person types a name or a postal code, presses "Rechercher", and the
page comes back with a list of matching communes to pick from.
"""

from .base import (
    DATE_FORMATS,
    HEIGHT_MAX_CM,
    HEIGHT_MIN_CM,
    NAME_PATTERN,
    OLDEST_BIRTH_YEAR,
    RENEWALS,
    TITLE_NUMBER_PATTERN,
    StepForm,
)
from .contact import AddressForm, ContactForm
from .person import EYE_COLOURS, CivilStatusForm, ParentsForm, PhysicalForm
from .previous_titles import PreviousTitlesForm
from .registry import STEP_FORMS

__all__ = [
    "DATE_FORMATS",
    "EYE_COLOURS",
    "HEIGHT_MAX_CM",
    "HEIGHT_MIN_CM",
    "NAME_PATTERN",
    "OLDEST_BIRTH_YEAR",
    "RENEWALS",
    "STEP_FORMS",
    "TITLE_NUMBER_PATTERN",
    "AddressForm",
    "CivilStatusForm",
    "ContactForm",
    "ParentsForm",
    "PhysicalForm",
    "PreviousTitlesForm",
    "StepForm",
]
