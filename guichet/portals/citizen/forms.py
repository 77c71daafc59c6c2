from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.dossiers.registry import Procedure


class DocumentUploadForm(DsfrBaseForm):
    kind = forms.ChoiceField(label=_("Type de pièce"))
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("Formats acceptés : PDF, JPEG ou PNG. Taille maximale indiquée pour chaque pièce."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
        error_messages={
            "required": _("Choisissez un fichier à envoyer."),
            "empty": _("Le fichier est vide. Choisissez un autre fichier."),
            "invalid": _("Aucun fichier n'a été reçu. Choisissez de nouveau le fichier."),
        },
    )

    def __init__(self, *args, procedure: Procedure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (rule.kind, f"{rule.label} ({_max_label(rule.max_bytes)})") for rule in procedure.documents
        ]


def _max_label(size: int) -> str:
    megabytes = size / (1024 * 1024)
    if megabytes >= 1:
        return str(_("%(size)s Mo maximum") % {"size": f"{megabytes:.0f}"})
    return str(_("%(size)s ko maximum") % {"size": size // 1024})


class TransitionForm(DsfrBaseForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ComplementAnswerForm(TransitionForm):
    message = forms.CharField(
        label=_("Votre réponse"),
        help_text=_("Expliquez ce que vous transmettez ; ajoutez d'abord les pièces demandées sur la page du dossier."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )
