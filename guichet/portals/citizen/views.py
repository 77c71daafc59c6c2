"""The citizen's portal: "Mes démarches", a dossier page, documents. Acts only as applicant or representative."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.roles import Role
from guichet.core.exceptions import DomainError
from guichet.dossiers import registry, selectors, services
from guichet.dossiers.downloads import document_response
from guichet.dossiers.models import Dossier
from guichet.dossiers.policy import CITIZEN_CAPACITIES, DossierPolicy, dossier_access
from guichet.dossiers.selectors import DossierGroup
from guichet.dossiers.services.actors import pick_role
from guichet.dossiers.workflow import TRANSITION_TEXTS
from guichet.instruction.services import complement_answer
from guichet.portals.common.access import portal_for

from .forms import ComplementAnswerForm, DocumentUploadForm, TransitionForm
from .templatetags.predemande_tags import attach_predemande_numbers


def _access(request: HttpRequest, reference: str, action: str) -> Dossier:
    return dossier_access(user=request.user, reference_or_id=reference, action=action, capacities=CITIZEN_CAPACITIES)


def _citizen_transitions(abilities: dict[str, bool], dossier: Dossier) -> list[str]:
    procedure = registry.get_or_generic(dossier.procedure)
    return [
        name
        for name, transition in procedure.transitions.transitions.items()
        if abilities.get(name) and transition.by & CITIZEN_CAPACITIES
    ]


@portal_for(Role.CITIZEN)
def home(request: HttpRequest) -> HttpResponse:
    dashboard = selectors.citizen_dashboard(user=request.user)
    attach_predemande_numbers(dashboard.drafts.items)  # the drafts' "reprendre" links: one query, not one per draft
    return render(request, "citizen/home.html", {"page_title": _("Mes démarches"), "dashboard": dashboard})


DOSSIER_GROUP_PAGE_SIZE = 20
_GROUP_TITLES = {
    DossierGroup.DRAFTS: gettext_lazy("Brouillons à terminer"),
    DossierGroup.IN_PROGRESS: gettext_lazy("Démarches en cours"),
    DossierGroup.FINISHED: gettext_lazy("Démarches terminées"),
}


@portal_for(Role.CITIZEN)
def dossier_group(request: HttpRequest, group: str) -> HttpResponse:
    """One group of "Mes démarches" in full, a page at a time (the dashboard shows the latest of each)."""
    if group not in DossierGroup.ALL:
        raise Http404
    dossiers = selectors.citizen_dossier_group(user=request.user, group=group)
    # An unreadable or too large page number gives the first or the last page rather than an error.
    page = Paginator(dossiers, DOSSIER_GROUP_PAGE_SIZE).get_page(request.GET.get("page"))
    if group == DossierGroup.DRAFTS:
        attach_predemande_numbers(page.object_list)
    base = reverse("citizen:dossier_group", args=[group])
    context = {
        "page_title": _GROUP_TITLES[group],
        "breadcrumb": [{"url": reverse("citizen:home"), "title": _("Mes démarches")}],
        "page": page,
        "resume": group == DossierGroup.DRAFTS,
        "previous_url": f"{base}?page={page.previous_page_number()}" if page.has_previous() else None,
        "next_url": f"{base}?page={page.next_page_number()}" if page.has_next() else None,
    }
    return render(request, "citizen/dossier_group.html", context)


def _detail_context(request: HttpRequest, dossier: Dossier, upload_form: DocumentUploadForm | None = None) -> dict:
    abilities = DossierPolicy.abilities(request.user, dossier, capacities=CITIZEN_CAPACITIES)
    procedure = registry.get_or_generic(dossier.procedure)
    if abilities["upload"] and upload_form is None:
        upload_form = DocumentUploadForm(procedure=procedure)
    documents = list(selectors.dossier_documents(dossier=dossier).select_related("dossier"))
    present = {d.kind for d in documents if d.purged_at is None}
    missing = [rule.label for rule in procedure.documents if rule.is_required and rule.kind not in present]
    return {
        "page_title": _("Dossier %(reference)s") % {"reference": dossier.display_reference},
        "breadcrumb": [{"url": reverse("citizen:home"), "title": _("Mes démarches")}],
        "missing_documents": missing if abilities["upload"] else [],
        "dossier": dossier,
        "procedure": procedure,
        "abilities": abilities,
        "transitions": _citizen_transitions(abilities, dossier),
        "events": selectors.dossier_timeline(dossier=dossier).only(
            "kind", "created_at", "data", "actor_role", "actor_organisation", "on_behalf_of"
        ),
        "documents": documents,
        "access_log": selectors.dossier_access_log(dossier=dossier) if abilities["view_access_log"] else None,
        "upload_form": upload_form if abilities["upload"] else None,
        "download_url_name": "citizen:document_download",
    }


@portal_for(Role.CITIZEN)
def dossier_detail(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _access(request, reference, "view")
    return render(request, "citizen/dossier_detail.html", _detail_context(request, dossier))


@portal_for(Role.CITIZEN)
@require_POST
def document_upload(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _access(request, reference, "upload")
    procedure = registry.get_or_generic(dossier.procedure)
    form = DocumentUploadForm(request.POST, request.FILES, procedure=procedure)
    if form.is_valid():
        try:
            services.document_upload(
                dossier=dossier,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("La pièce a bien été ajoutée à votre dossier."))
            return redirect("citizen:dossier_detail", reference=dossier.reference)
    return render(request, "citizen/dossier_detail.html", _detail_context(request, dossier, form), status=400)


@portal_for(Role.CITIZEN)
def document_download(request: HttpRequest, reference: str, document_id: int) -> HttpResponseBase:
    dossier = _access(request, reference, "view_documents")
    roles = DossierPolicy.dossier_roles(request.user, dossier, capacities=CITIZEN_CAPACITIES)
    return document_response(dossier=dossier, document_id=document_id, user=request.user, role=pick_role(roles))


@portal_for(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def dossier_transition(request: HttpRequest, reference: str, transition: str) -> HttpResponse:
    dossier = _access(request, reference, transition)
    abilities = DossierPolicy.abilities(request.user, dossier, capacities=CITIZEN_CAPACITIES)
    if transition not in _citizen_transitions(abilities, dossier):
        raise Http404
    answers_complement = transition == "provide_complement"
    form_class = ComplementAnswerForm if answers_complement else TransitionForm
    form = form_class(request.POST or None, initial={"version": dossier.version})
    if request.method == "POST" and form.is_valid():
        try:
            if answers_complement:
                # The answer is recorded against the instructor's open request, then the dossier goes back.
                complement_answer(
                    dossier=dossier,
                    actor=request.user,
                    message=form.cleaned_data["message"],
                    expected_version=form.cleaned_data["version"],
                )
            else:
                services.dossier_transition(
                    dossier=dossier, name=transition, actor=request.user, expected_version=form.cleaned_data["version"]
                )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("C'est fait : votre dossier a été mis à jour."))
        return redirect("citizen:dossier_detail", reference=dossier.reference)
    label, explanation = TRANSITION_TEXTS.get(transition, (transition, ""))
    context: dict[str, Any] = {
        "page_title": str(label),
        "breadcrumb": [
            {"url": reverse("citizen:home"), "title": _("Mes démarches")},
            {
                "url": reverse("citizen:dossier_detail", args=[dossier.reference]),
                "title": _("Dossier %(reference)s") % {"reference": dossier.display_reference},
            },
        ],
        "dossier": dossier,
        "transition": transition,
        "explanation": explanation,
        "form": form,
        "cancel_url": reverse("citizen:dossier_detail", args=[dossier.reference]),
    }
    return render(request, "citizen/dossier_transition.html", context, status=400 if request.method == "POST" else 200)
