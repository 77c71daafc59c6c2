"""Public tracking page: status and dates only, from a number and the birth date; attempts limited per address."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from dsfr.forms import DsfrBaseForm

from guichet.portals.public.layout_cache import layout_key
from guichet.procedures.identity_documents.tracking import tracking_attempt_allowed, tracking_lookup


class TrackingForm(DsfrBaseForm):
    reference = forms.CharField(
        label=gettext_lazy("Numéro de pré-demande, de récépissé ou de dossier"),
        help_text=gettext_lazy("Tel qu'il figure sur votre récapitulatif ou votre récépissé"),
        max_length=40,
        error_messages={"required": gettext_lazy("Saisissez le numéro à suivre.")},
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Date de naissance du titulaire"),
        help_text=gettext_lazy("Format : jj/mm/aaaa"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={
            "required": gettext_lazy("Saisissez la date de naissance."),
            "invalid": gettext_lazy("Saisissez une date valide, par exemple 17/05/1990."),
        },
    )


# The empty form's HTML per layout key: an unbound form renders the same text on every GET (labels, help texts and
# field names only change with the language and the deploy, see layout_cache), and rendering it costs as much as
# the rest of the page.
_blank_form_html: dict[tuple, str] = {}


def _blank_form() -> str:
    key = layout_key()
    html = _blank_form_html.get(key)
    if html is None:
        html = _blank_form_html[key] = str(TrackingForm())
    return html


@require_http_methods(["GET", "POST"])
def tracking(request: HttpRequest) -> HttpResponse:
    # POST keeps the birth date out of URLs, browser history and access logs.
    form = TrackingForm(request.POST if request.method == "POST" else None)
    result = None
    not_found = False
    throttled = False
    status = 200
    if request.method == "POST":
        # Only well-formed lookups count: typos cost nothing, guessing numbers soon stops.
        if not form.is_valid():
            status = 400
        elif not tracking_attempt_allowed(client_key=request.META.get("REMOTE_ADDR", "unknown")):
            throttled = True
            status = 429
        else:
            result = tracking_lookup(
                reference=form.cleaned_data["reference"], birth_date=form.cleaned_data["birth_date"]
            )
            not_found = result is None
    context = {
        "page_title": _("Suivre une demande de carte d'identité ou de passeport"),
        "form": form,
        "blank_form_html": "" if form.is_bound else _blank_form(),
        "result": result,
        "not_found": not_found,
        "throttled": throttled,
    }
    return render(request, "public/tracking.html", context, status=status)
