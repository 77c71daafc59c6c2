"""Identity-title additions to the instruction portal: decide with a motive from the list, ask for a complement."""

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from dsfr.forms import DsfrBaseForm

from guichet.accounts.roles import Role
from guichet.core.exceptions import DomainError
from guichet.dossiers.models import Dossier
from guichet.dossiers.policy import INSTRUCTION_CAPACITIES, dossier_access
from guichet.instruction.models import Decision
from guichet.instruction.selectors import decision_motives_for
from guichet.instruction.services import complement_request
from guichet.portals.common.access import portal_for
from guichet.procedures.identity_documents.checks import identity_dossier_decide
from guichet.procedures.identity_documents.models import Title

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def _comment_field(help_text: "_StrPromise") -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Précisions communiquées au demandeur"),
        help_text=help_text,
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(DsfrBaseForm):
    """Acceptance: a motive of the list, optional free text."""

    motive = forms.ChoiceField(
        label=gettext_lazy("Motif de l'acceptation"),
        error_messages={"required": gettext_lazy("Choisissez le motif de la décision dans la liste.")},
    )
    comment = _comment_field(gettext_lazy("Facultatif : le demandeur lira ce texte avec le motif."))

    def __init__(self, *args, motives, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["motive"].choices = [("", _("Choisir un motif"))] + [(m.code, m.label) for m in motives]


class RefusalForm(DecisionForm):
    """Refusal: a motive of the list is required, and the free text too with a motive to be explained."""

    motive = forms.ChoiceField(
        label=gettext_lazy("Motif du refus"),
        error_messages={
            "required": gettext_lazy("Un refus doit être motivé : choisissez le motif du refus dans la liste.")
        },
    )
    comment = _comment_field(
        gettext_lazy(
            "Le demandeur lira ce texte avec le motif. Obligatoire avec un motif à préciser (« Autre motif »)."
        )
    )


class ComplementForm(DsfrBaseForm):
    reason = forms.CharField(
        label=gettext_lazy("Ce qui manque, expliqué au demandeur"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Indiquez ce qui manque : le demandeur le lira.")},
    )


# Where the decision service's refusals are shown on the form.
ERROR_FIELDS = {"invalid_motive": "motive", "motive_details_required": "comment", "comment_too_long": "comment"}


def _identity_dossier(request: HttpRequest, reference: str, action: str) -> Dossier:
    # The applicant comes with the dossier: the decision's e-mail needs it.
    dossier = dossier_access(
        user=request.user,
        reference_or_id=reference,
        action=action,
        capacities=INSTRUCTION_CAPACITIES,
        related=("applicant",) if request.method == "POST" else (),
    )
    if dossier.procedure not in Title.values:
        raise Http404
    return dossier


def _breadcrumb(dossier: Dossier) -> list[dict[str, str]]:
    return [
        {"url": reverse("instruction:home"), "title": _("Dossiers à instruire")},
        {
            "url": reverse("instruction:dossier_detail", args=[dossier.reference]),
            "title": _("Dossier %(reference)s") % {"reference": dossier.display_reference},
        },
    ]


@portal_for(Role.INSTRUCTOR)
@require_http_methods(["GET", "POST"])
def identity_decide(request: HttpRequest, reference: str, decision: str) -> HttpResponse:
    if decision not in Decision.values:
        raise Http404
    dossier = _identity_dossier(request, reference, decision)
    motives = decision_motives_for(procedure=dossier.procedure, decision=decision)
    form_class = RefusalForm if decision == Decision.REFUSE else DecisionForm
    form = form_class(request.POST if request.method == "POST" else None, motives=motives)
    if request.method == "POST" and form.is_valid():
        try:
            identity_dossier_decide(
                dossier=dossier,
                actor=request.user,
                decision=decision,
                motive_code=form.cleaned_data["motive"],
                comment=form.cleaned_data["comment"],
                motives=motives,
            )
        except DomainError as error:
            form.add_error(ERROR_FIELDS.get(error.code), error.message)
        else:
            messages.success(request, _("La décision est enregistrée."))
            return redirect("instruction:dossier_detail", reference=dossier.reference)
    title = _("Accepter la demande") if decision == Decision.ACCEPT else _("Refuser la demande")
    context = {
        "page_title": title,
        "breadcrumb": _breadcrumb(dossier),
        "dossier": dossier,
        "form": form,
        "cancel_url": reverse("instruction:dossier_detail", args=[dossier.reference]),
    }
    return render(
        request, "instruction/identity/decision.html", context, status=400 if request.method == "POST" else 200
    )


@portal_for(Role.INSTRUCTOR)
@require_http_methods(["GET", "POST"])
def identity_complement(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _identity_dossier(request, reference, "request_complement")
    form = ComplementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            complement_request(dossier=dossier, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La demande de complément est envoyée au demandeur."))
            return redirect("instruction:dossier_detail", reference=dossier.reference)
    context = {
        "page_title": _("Demander un complément"),
        "breadcrumb": _breadcrumb(dossier),
        "dossier": dossier,
        "form": form,
        "cancel_url": reverse("instruction:dossier_detail", args=[dossier.reference]),
    }
    return render(
        request, "instruction/identity/decision.html", context, status=400 if request.method == "POST" else 200
    )
