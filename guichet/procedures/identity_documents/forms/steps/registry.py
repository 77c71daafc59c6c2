"""The step forms by step name."""

from .base import StepForm
from .contact import AddressForm, ContactForm
from .person import CivilStatusForm, ParentsForm, PhysicalForm
from .previous_titles import PreviousTitlesForm

STEP_FORMS: dict[str, type[StepForm]] = {
    form.step: form
    for form in (CivilStatusForm, ParentsForm, PhysicalForm, AddressForm, ContactForm, PreviousTitlesForm)
}
