from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


class AgendaSettingsForm(DsfrBaseForm):
    minutes_per_file = forms.IntegerField(
        label=_("Durée par dossier (minutes)"),
        help_text=_("Un rendez-vous de plusieurs dossiers occupe autant de créneaux consécutifs (entre 5 et 120)."),
        min_value=5,
        max_value=120,
    )
    max_files_per_booking = forms.IntegerField(
        label=_("Nombre maximal de dossiers par rendez-vous"), min_value=1, max_value=10
    )
    weeks_ahead = forms.IntegerField(label=_("Semaines ouvertes à la réservation"), min_value=1, max_value=26)
    booking_notice_hours = forms.IntegerField(
        label=_("Délai minimal avant un rendez-vous (heures)"), min_value=0, max_value=336
    )
    is_active = forms.BooleanField(label=_("Prendre des rendez-vous en ligne"), required=False)


class ClosureForm(DsfrBaseForm):
    starts_on = forms.DateField(
        label=_("Premier jour de fermeture"),
        help_text=_("Format : AAAA-MM-JJ"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = forms.DateField(
        label=_("Dernier jour de fermeture"),
        help_text=_("Format : AAAA-MM-JJ"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label=_("Motif"), max_length=200, help_text=_("Par exemple : pont, travaux, formation"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", _("Le dernier jour ne peut pas précéder le premier."))
        return cleaned
