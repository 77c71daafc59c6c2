from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from guichet.procedures.identity_documents.models import Motive, Title


class PreDemandeSearchForm(DsfrBaseForm):
    number = forms.CharField(
        label=_("Numéro de pré-demande"),
        help_text=_("10 caractères, saisis ou lus par le lecteur de QR code (espaces et tirets acceptés)"),
        max_length=200,
        error_messages={"required": _("Saisissez le numéro de pré-demande ou scannez le QR code.")},
    )


class LodgeForm(DsfrBaseForm):
    originals = forms.MultipleChoiceField(
        label=_("Originaux vérifiés"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, checklist, stamp_titles, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["originals"].choices = [(item.key, item.label) for item in checklist]
        for title, label in stamp_titles:
            self.fields[f"stamp_{title}"] = forms.CharField(
                label=_("Timbre fiscal pour : %(title)s") % {"title": label},
                help_text=_("16 chiffres"),
                max_length=40,
                required=False,
            )


class PaperFormForm(DsfrBaseForm):
    family_name = forms.CharField(label=_("Nom de naissance"), max_length=150)
    given_names = forms.CharField(label=_("Prénoms"), max_length=150)
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        help_text=_("Format : jj/mm/aaaa"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Saisissez une date valide, par exemple 17/05/1990.")},
    )
    birth_commune_code = forms.CharField(label=_("Code INSEE de la commune de naissance"), max_length=5, required=False)
    titles = forms.MultipleChoiceField(
        label=_("Titres demandés"),
        choices=Title.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un titre.")},
    )
    motive = forms.ChoiceField(label=_("Motif"), choices=Motive.choices)
    is_for_minor = forms.BooleanField(label=_("Demande pour un mineur"), required=False)
    email = forms.EmailField(
        label=_("Adresse électronique de l'usager"),
        help_text=_("Facultatif : sans adresse, un compte provisoire est créé et signalé comme ouvert au guichet"),
        required=False,
    )
    mobile_phone = forms.CharField(
        label=_("Téléphone mobile"),
        help_text=_("Facultatif, uniquement pour le SMS de disponibilité"),
        max_length=20,
        required=False,
    )


class HandoverForm(DsfrBaseForm):
    identity_checked = forms.BooleanField(
        label=_("J'ai vérifié l'identité de la personne venue retirer le titre"), required=False
    )
    old_title_surrendered = forms.BooleanField(label=_("L'ancien titre a été remis à la mairie"), required=False)
