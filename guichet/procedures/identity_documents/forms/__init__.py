from .start import PreDemandeStartForm
from .steps import STEP_FORMS, AddressForm, CivilStatusForm, ContactForm, ParentsForm, PhysicalForm, PreviousTitlesForm

__all__ = [
    "STEP_FORMS",
    "AddressForm",
    "CivilStatusForm",
    "ContactForm",
    "ParentsForm",
    "PhysicalForm",
    "PreDemandeStartForm",
    "PreviousTitlesForm",
]
