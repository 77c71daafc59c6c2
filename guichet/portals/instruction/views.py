"""The instruction centre's portal: the queue of dossiers to instruct and the dossier view. Every opening of a
dossier or a document is journaled, and the applicant sees it."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.roles import Role
from guichet.core.exceptions import DomainError
from guichet.dossiers import registry, selectors, services
from guichet.dossiers.downloads import document_response
from guichet.dossiers.models import Dossier
from guichet.dossiers.policy import INSTRUCTION_CAPACITIES, DossierPolicy, dossier_access
from guichet.dossiers.workflow import TRANSITION_TEXTS, TRANSITIONS_WITH_REASON, Actor
from guichet.instruction.services import complement_request
from guichet.portals.common.access import portal_for

from .forms import QueueFilterForm, TransitionForm


def _access(request: HttpRequest, reference: str, action: str, related: tuple[str, ...] = ()) -> Dossier:
    return dossier_access(
        user=request.user,
        reference_or_id=reference,
        action=action,
        capacities=INSTRUCTION_CAPACITIES,
        related=related,
    )


# Decisions that must name a motive of the list have their own page (identity_views.identity_decide).
DECISIONS = ("accept", "refuse")


_REFERENCE_SLOT = "REFERENCE"  # references are letters and digits: this word is never part of one's link


def _attach_detail_urls(dossiers: list[Dossier]) -> None:
    """Each queue row's link, from one resolved URL rather than a `{% url %}` per row (a page shows 25)."""
    link = reverse("instruction:dossier_detail", args=[_REFERENCE_SLOT])
    for dossier in dossiers:
        dossier.detail_url = link.replace(_REFERENCE_SLOT, dossier.reference)  # type: ignore[attr-defined]


def _instructor_transitions(abilities: dict[str, bool], dossier: Dossier) -> list[str]:
    procedure = registry.get_or_generic(dossier.procedure)
    return [
        name
        for name, transition in procedure.transitions.transitions.items()
        if abilities.get(name)
        and Actor.INSTRUCTOR in transition.by
        and not (procedure.decision_needs_motive and name in DECISIONS)
    ]


@portal_for(Role.INSTRUCTOR)
def home(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    page = None
    error = None
    filter_params: dict[str, str] = {}
    try:
        filters = selectors.queue_filters_clean(
            status=request.GET.get("status", ""),
            procedure=request.GET.get("procedure", ""),
            department=request.GET.get("department", ""),
        )
        filter_params = {k: v for k, v in vars(filters).items() if v}
        page = selectors.instruction_queue(user=request.user, filters=filters, cursor=request.GET.get("page") or None)
    except DomainError as exc:
        error = exc.message
    if page:
        _attach_detail_urls(page.items)
    base = reverse("instruction:home")
    context: dict[str, Any] = {
        "page_title": _("Dossiers à instruire"),
        "form": form,
        "page": page,
        "error": error,
        "first_url": f"{base}?{urlencode(filter_params)}" if filter_params else base,
        "next_url": f"{base}?{urlencode({**filter_params, 'page': page.next_cursor})}"
        if page and page.next_cursor
        else None,
        "previous_url": f"{base}?{urlencode({**filter_params, 'page': page.previous_cursor})}"
        if page and page.previous_cursor
        else None,
    }
    return render(request, "instruction/home.html", context, status=400 if error else 200)


def _documents_of(dossier: Dossier) -> list[Any]:
    """The dossier's documents, each pointing to the dossier already loaded (their labels read its procedure)
    rather than to a copy joined in the query."""
    documents = list(selectors.dossier_documents(dossier=dossier))
    for document in documents:
        document.dossier = dossier
    return documents


@portal_for(Role.INSTRUCTOR)
def dossier_detail(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _access(request, reference, "view", related=("applicant",))
    # The roles read with the dossier are reused here and by the identity panel (see policy `_ROLES_MEMO`).
    services.dossier_record_view(dossier=dossier, actor=request.user, role=Actor.INSTRUCTOR)
    abilities = DossierPolicy.abilities(request.user, dossier, capacities=INSTRUCTION_CAPACITIES)
    context = {
        "page_title": _("Dossier %(reference)s") % {"reference": dossier.display_reference},
        "breadcrumb": [{"url": reverse("instruction:home"), "title": _("Dossiers à instruire")}],
        "dossier": dossier,
        "applicant": dossier.applicant,
        "abilities": abilities,
        "transitions": _instructor_transitions(abilities, dossier),
        "events": selectors.dossier_timeline(dossier=dossier),
        "documents": _documents_of(dossier),
        "download_url_name": "instruction:document_download",
        "is_assigned_to_me": dossier.assigned_to_id == request.user.pk,
    }
    return render(request, "instruction/dossier_detail.html", context)


@portal_for(Role.INSTRUCTOR)
@require_POST
def dossier_assign(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _access(request, reference, "assign")
    try:
        services.dossier_assign(dossier=dossier, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le dossier vous est attribué."))
    return redirect("instruction:dossier_detail", reference=dossier.reference)


@portal_for(Role.INSTRUCTOR)
def document_download(request: HttpRequest, reference: str, document_id: int) -> HttpResponseBase:
    dossier = _access(request, reference, "view_documents")
    return document_response(dossier=dossier, document_id=document_id, user=request.user, role=Actor.INSTRUCTOR)


@portal_for(Role.INSTRUCTOR)
@require_http_methods(["GET", "POST"])
def dossier_transition(request: HttpRequest, reference: str, transition: str) -> HttpResponse:
    dossier = _access(request, reference, transition)
    if transition in DECISIONS and registry.get_or_generic(dossier.procedure).decision_needs_motive:
        # This page takes no motive: the decision is taken on the page that offers the list.
        return redirect("instruction:identity_decide", reference=dossier.reference, decision=transition)
    abilities = DossierPolicy.abilities(request.user, dossier, capacities=INSTRUCTION_CAPACITIES)
    if transition not in _instructor_transitions(abilities, dossier):
        raise Http404
    needs_reason = transition in TRANSITIONS_WITH_REASON
    form = TransitionForm(request.POST or None, initial={"version": dossier.version}, needs_reason=needs_reason)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data.get("reason", "").strip()
        try:
            if transition == "request_complement":
                # Recorded as an open request, so that the applicant's answer is tied to what was asked.
                complement_request(
                    dossier=dossier, actor=request.user, reason=reason, expected_version=form.cleaned_data["version"]
                )
            else:
                services.dossier_transition(
                    dossier=dossier,
                    name=transition,
                    actor=request.user,
                    data={"reason": reason} if reason else None,
                    expected_version=form.cleaned_data["version"],
                )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Le dossier a été mis à jour."))
        return redirect("instruction:dossier_detail", reference=dossier.reference)
    label, explanation = TRANSITION_TEXTS.get(transition, (transition, ""))
    detail_url = reverse("instruction:dossier_detail", args=[dossier.reference])
    context = {
        "page_title": str(label),
        "breadcrumb": [
            {"url": reverse("instruction:home"), "title": _("Dossiers à instruire")},
            {"url": detail_url, "title": _("Dossier %(reference)s") % {"reference": dossier.display_reference}},
        ],
        "dossier": dossier,
        "explanation": explanation,
        "form": form,
        "cancel_url": detail_url,
    }
    return render(
        request, "instruction/dossier_transition.html", context, status=400 if request.method == "POST" else 200
    )
