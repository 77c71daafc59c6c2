"""The public list of trusted third parties (`/lieux/professionnels/`): only approvals in force today are shown."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from dsfr.forms import DsfrBaseForm

from guichet.territory.models import PlaceKind
from guichet.trusted_parties.operations import TRUSTED_PARTY_KINDS, operation_choices, operation_labels
from guichet.trusted_parties.selectors import approvals_public, organisation_standing

from .directory_forms import DirectorySearchForm

RESULTS_MAX = 200
KIND_LABELS = dict(PlaceKind.choices)


class TrustedPartiesSearchForm(DsfrBaseForm):
    # The same commune and département fields as the directory's search (each form copies its fields).
    q = DirectorySearchForm.base_fields["q"]
    departement = DirectorySearchForm.base_fields["departement"]
    type = forms.ChoiceField(
        label=gettext_lazy("Type de professionnel"),
        required=False,
        choices=[("", gettext_lazy("Écoles de conduite et professionnels de l'automobile"))]
        + [(kind, KIND_LABELS[kind]) for kind in TRUSTED_PARTY_KINDS],
    )
    operation = forms.ChoiceField(label=gettext_lazy("Démarche à faire faire"), required=False)

    clean_departement = DirectorySearchForm.clean_departement

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        groups = [(KIND_LABELS[kind], operation_choices(kind)) for kind in TRUSTED_PARTY_KINDS]
        self.fields["operation"].choices = [("", _("Toutes les démarches")), *groups]  # type: ignore[attr-defined]


@require_safe
def trusted_parties(request: HttpRequest) -> HttpResponse:
    form = TrustedPartiesSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    approvals = (
        approvals_public(
            department_code=data.get("departement") or None,
            commune=data.get("q", ""),
            kind=data.get("type", ""),
            operation=data.get("operation", ""),
        )
        if not form.is_bound or form.is_valid()
        else []
    )
    rows = [
        {
            "approval": approval,
            "kind_label": KIND_LABELS[approval.kind],
            "operations": operation_labels(approval.operations),
        }
        for approval in approvals[:RESULTS_MAX]
    ]
    return render(
        request,
        "public/directory/trusted_parties.html",
        {
            "page_title": _("Écoles de conduite agréées et professionnels de l'automobile habilités"),
            "form": form,
            "rows": rows,
            "total": len(approvals),
            "truncated": len(approvals) > RESULTS_MAX,
            "filtered": bool(form.is_bound),
            "breadcrumb": [{"url": reverse("public:directory_search"), "title": _("Trouver un lieu")}],
        },
    )


def trusted_party_card(place) -> dict:
    """What a directory place page says about a driving school's or car professional's approval today."""
    if place.kind not in TRUSTED_PARTY_KINDS:
        return {"approval": None, "operations": []}
    standing = organisation_standing(place=place)
    approval = standing.approval if standing.is_valid else None
    return {"approval": approval, "operations": operation_labels(approval.operations) if approval else []}
