"""Forms of the approvals registry. They collect; the services check numbers, SIRET, periods and rights."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.trusted_parties import identifiers
from guichet.trusted_parties.operations import operation_choices

# Service error codes → the field the message belongs to (others are shown above the form).
ERROR_FIELDS = {
    "invalid_approval_number": "number",
    "approval_number_taken": "number",
    "invalid_siret": "holder_siret",
    "holder_name_missing": "holder_name",
    "operations_missing": "operations",
    "operation_unknown": "operations",
    "reason_missing": "reason",
    "period_reversed": "valid_until",
    "renewal_not_later": "valid_until",
    "invalid_email_address": "email",
}


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label, help_text=_("Format : JJ/MM/AAAA ou AAAA-MM-JJ"), widget=forms.DateInput(attrs={"type": "date"})
    )


def _operations_field(kind: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Opérations autorisées"),
        choices=operation_choices(kind),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the service says "cochez au moins une opération" in plain words
    )


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Motif de la décision"),
        help_text=_("Conservé dans l'historique de l'agrément (par exemple : arrêté du 3 mars, contrôle sur place)."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class ApprovalGrantForm(DsfrBaseForm):
    number = forms.CharField(label=_("Numéro"), max_length=30, required=False)
    holder_name = forms.CharField(label=_("Raison sociale du titulaire"), max_length=200, required=False)
    holder_siret = forms.CharField(
        label=_("SIRET de l'établissement"),
        max_length=30,
        required=False,
        help_text=_("14 chiffres, espaces acceptés : par exemple 732 829 320 00074"),
    )
    valid_from = _date_field(_("Début de validité"))
    valid_until = _date_field(_("Fin de validité (dernier jour inclus)"))
    reason = _reason_field()
    manager_email = forms.EmailField(
        label=_("Adresse électronique du responsable de l'établissement (facultatif)"),
        help_text=_("Il reçoit une invitation pour ouvrir l'espace professionnel et inviter ses collègues."),
        required=False,
    )

    def __init__(self, *args, kind: str, department_code: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind, self.department_code = kind, department_code
        department_segment = identifiers.department_segment(department_code)
        self.fields["operations"] = _operations_field(kind)
        self.order_fields(["number", "holder_name", "holder_siret", "operations", "valid_from", "valid_until"])
        example = f"E 24 {department_segment} 0012 0" if kind == "driving_school" else f"H {department_segment} 00042"
        self.fields["number"].help_text = _("Par exemple %(example)s (espaces acceptés)") % {"example": example}

    # The same checks as the service's, here too so that every mistake is shown at once, beside its field.
    def clean_number(self) -> str:
        try:
            return identifiers.approval_number_check(
                raw=self.cleaned_data["number"], kind=self.kind, department_code=self.department_code
            )
        except identifiers.InvalidApprovalNumber as error:
            raise forms.ValidationError(error.message) from error

    def clean_holder_siret(self) -> str:
        try:
            return identifiers.siret_check(self.cleaned_data["holder_siret"])
        except identifiers.InvalidSiret as error:
            raise forms.ValidationError(error.message) from error


class ApprovalDecisionForm(DsfrBaseForm):
    reason = _reason_field()


class ApprovalRenewForm(DsfrBaseForm):
    valid_until = _date_field(_("Nouvelle fin de validité (dernier jour inclus)"))
    reason = _reason_field()

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operations"] = _operations_field(kind)
        self.order_fields(["valid_until", "operations", "reason"])


class ManagerInviteForm(DsfrBaseForm):
    email = forms.CharField(label=_("Adresse électronique du responsable"), max_length=254, required=False)


def attach_error(form: forms.Form, error) -> None:
    """Shows a service's French message beside the field it concerns."""
    field = ERROR_FIELDS.get(error.code)
    form.add_error(field if field in form.fields else None, error.message)
