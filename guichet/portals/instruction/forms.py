from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.dossiers import registry
from guichet.dossiers.workflow import QUEUE_STATUSES, Status


class QueueFilterForm(DsfrBaseForm):
    status = forms.ChoiceField(label=_("État"), required=False)
    procedure = forms.ChoiceField(label=_("Démarche"), required=False)
    department = forms.CharField(
        label=_("Département"), required=False, max_length=3, help_text=_("Code du département, par exemple 35 ou 2A")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("Tous"))]
        self.fields["status"].choices = everything + [(s.value, s.label) for s in Status if s in QUEUE_STATUSES]
        self.fields["procedure"].choices = everything + registry.choices()


class TransitionForm(DsfrBaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Motif communiqué au demandeur"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, needs_reason: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if needs_reason:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _("Indiquez le motif : le demandeur le lira.")
        else:
            del self.fields["reason"]
