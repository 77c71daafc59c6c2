"""Client mandates in the professional portal: propose a mandate for one procedure with its price, record the
client's consent, then create, fill and submit the client's dossier — the title goes to the client's home.

Every page checks the organisation's approval first (closed-portal page otherwise) and every action the client's
mandate (refusal page saying why, or 404 for what is not the organisation's).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.core.exceptions import DomainError
from guichet.dossiers import registry
from guichet.dossiers.downloads import document_response
from guichet.dossiers.models import Dossier
from guichet.dossiers.policy import TRUSTED_PARTY_CAPACITIES
from guichet.dossiers.workflow import Actor
from guichet.mandates.errors import MandateRefused
from guichet.mandates.models import Mandate, MandateKind, MandateStatus
from guichet.mandates.selectors import mandate_for_staff, mandate_summary, mandates_of_holder
from guichet.mandates.services import mandate_consent_code_resend, mandate_for_action, mandate_revoke
from guichet.portals.citizen.forms import DocumentUploadForm
from guichet.portals.common.mandate_pages import attestation_response, consent_page_context, filing_context
from guichet.portals.mediator.forms import ConsentForm
from guichet.territory.models import Place
from guichet.trusted_parties.selectors import client_dossiers_by_mandate, organisation_standing
from guichet.trusted_parties.services import (
    approval_require_valid,
    client_document_upload,
    client_dossier_create,
    client_dossier_open,
    client_dossier_transition,
    client_mandate_confirm,
    client_mandate_propose,
    client_mandate_require_active,
    procedures_of_approval,
)

from .access import organisation_view, professional_page
from .forms import ClientMandateForm, DeliveryForm

FILING_TRANSITIONS = ("submit", "provide_complement")


def _breadcrumb(place: Place) -> list[dict]:
    return [
        {"url": reverse("professional:home"), "title": _("Espace professionnel")},
        {"url": reverse("professional:clients", kwargs={"place_id": place.pk}), "title": _("Clients")},
    ]


def _procedure_choices(place: Place) -> list[tuple[str, str]]:
    return [(p.code, str(p.label)) for p in procedures_of_approval(organisation_standing(place=place).approval)]


@organisation_view()
def clients(request: HttpRequest, place: Place) -> HttpResponse:
    mandates = mandates_of_holder(holder=place).filter(kind=MandateKind.CLIENT)[:200]
    filed = client_dossiers_by_mandate(place=place)
    return render(
        request,
        "professional/clients.html",
        {
            "page_title": _("Clients — %(name)s") % {"name": place.name},
            "place": place,
            "rows": [{"summary": mandate_summary(m), "dossiers": filed.get(m.reference, [])} for m in mandates],
            "can_propose": bool(_procedure_choices(place)),
            "breadcrumb": [{"url": reverse("professional:home"), "title": _("Espace professionnel")}],
        },
    )


@organisation_view()
@require_http_methods(["GET", "POST"])
def client_mandate_new(request: HttpRequest, place: Place) -> HttpResponse:
    choices = _procedure_choices(place)
    form = ClientMandateForm(request.POST or None, procedures=choices)
    if request.method == "POST" and form.is_valid():
        try:
            mandate = client_mandate_propose(
                place=place,
                client_email=form.cleaned_data["client_email"],
                procedure=form.cleaned_data["procedure"],
                fee_cents=form.fee_cents,
                consent_method=form.cleaned_data["consent_method"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("professional:client_mandate_consent", reference=mandate.reference)
    return render(
        request,
        "professional/client_mandate_new.html",
        {
            "page_title": _("Proposer un mandat à un client"),
            "place": place,
            "form": form,
            "has_procedures": bool(choices),
            "breadcrumb": _breadcrumb(place),
        },
        status=400 if request.method == "POST" else 200,
    )


def _client_mandate(request: HttpRequest, reference: str, *, require_approval: bool = True) -> Mandate:
    """A client mandate of one of the person's organisations (404 otherwise), whose approval is in force unless
    `require_approval` is false (ApprovalNotValid then shows the closed-portal page, see `professional_page`)."""
    mandate = mandate_for_staff(user=request.user, reference=reference)
    if mandate is None or mandate.kind != MandateKind.CLIENT:
        raise Http404
    request.professional_place = mandate.holder  # type: ignore[attr-defined]
    if require_approval:
        approval_require_valid(place=mandate.holder)
    return mandate


@professional_page
@require_http_methods(["GET", "POST"])
def client_mandate_consent(request: HttpRequest, reference: str) -> HttpResponse:
    mandate = _client_mandate(request, reference)
    if mandate.status != MandateStatus.PENDING:
        messages.info(request, _("Ce mandat n'attend plus d'accord (%(status)s).") % {"status": mandate.status_label})
        return redirect("professional:clients", place_id=mandate.holder_id)
    form = ConsentForm(request.POST or None, method=mandate.consent_method)
    if request.method == "POST" and form.is_valid():
        try:
            client_mandate_confirm(
                mandate=mandate,
                code_or_text=form.cleaned_data["code_or_text"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except DomainError as error:
            form.add_error("code_or_text", error.message)
        else:
            messages.success(request, _("Accord du client enregistré : vous pouvez déposer sa demande."))
            return redirect("professional:client_dossier_new", reference=mandate.reference)
    return render(
        request,
        "professional/client_mandate_consent.html",
        {
            "page_title": _("Accord du client au mandat %(reference)s") % {"reference": mandate.display_reference},
            **consent_page_context(mandate, form),
            "breadcrumb": _breadcrumb(mandate.holder),
        },
        status=400 if request.method == "POST" else 200,
    )


@professional_page
@require_POST
def client_mandate_code_resend(request: HttpRequest, reference: str) -> HttpResponse:
    mandate = _client_mandate(request, reference)
    try:
        mandate_consent_code_resend(mandate=mandate, actor=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Un nouveau code a été envoyé au client ; le précédent ne fonctionne plus."))
    return redirect("professional:client_mandate_consent", reference=mandate.reference)


@professional_page
def client_mandate_attestation(request: HttpRequest, reference: str) -> HttpResponseBase:
    return attestation_response(_client_mandate(request, reference))


@professional_page
@require_POST
def client_mandate_end(request: HttpRequest, reference: str) -> HttpResponse:
    """Ending a mandate is always possible, even while the approval is suspended: it only removes rights."""
    mandate = _client_mandate(request, reference, require_approval=False)
    try:
        mandate_revoke(mandate=mandate, actor=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Mandat %(reference)s terminé.") % {"reference": mandate.display_reference})
    return redirect("professional:clients", place_id=mandate.holder_id)


@professional_page
@require_http_methods(["GET", "POST"])
def client_dossier_new(request: HttpRequest, reference: str) -> HttpResponse:
    mandate = _client_mandate(request, reference)
    client_mandate_require_active(mandate)  # pending, ended or revoked: refused before any form is shown
    form = DeliveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = client_dossier_create(mandate=mandate, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except MandateRefused:
            raise
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Demande commencée pour votre client."))
            return redirect("professional:client_dossier", reference=dossier.reference)
    return render(
        request,
        "professional/client_dossier_new.html",
        {
            "page_title": _("Déposer la demande de votre client"),
            "row": mandate_summary(mandate),
            "mandate": mandate,
            "client": mandate.citizen,
            "form": form,
            "breadcrumb": _breadcrumb(mandate.holder),
        },
        status=400 if request.method == "POST" else 200,
    )


def _client_dossier(request: HttpRequest, reference: str) -> Dossier:
    """The client's dossier, (re)opened to the staff member under the mandate; refusals raise (see the decorator)."""
    dossier = Dossier.objects.filter(reference=reference.upper().replace("-", "")).select_related("applicant").first()
    if dossier is None:
        raise Http404
    mandate = mandate_for_action(
        user=request.user,
        citizen=dossier.applicant,
        procedure_code=dossier.procedure,
        dossier=dossier,
        kind=MandateKind.CLIENT,
    )
    request.professional_place = mandate.holder  # type: ignore[attr-defined]
    client_dossier_open(place=mandate.holder, dossier=dossier, actor=request.user)  # type: ignore[arg-type]
    return dossier


def _dossier_page(request: HttpRequest, dossier: Dossier, upload_form=None, status: int = 200) -> HttpResponse:
    place = request.professional_place  # type: ignore[attr-defined]
    context = filing_context(
        user=request.user,
        dossier=dossier,
        capacities=TRUSTED_PARTY_CAPACITIES,  # the client mandate's grant, which the citizen portal refuses
        transitions=FILING_TRANSITIONS,
        download_url_name="professional:client_document_download",
        upload_form=upload_form,
    )
    return render(
        request,
        "professional/client_dossier.html",
        {
            **context,
            "page_title": _("Dossier %(reference)s") % {"reference": dossier.display_reference},
            "delivery": (dossier.data or {}).get("delivery", {}),
            "breadcrumb": _breadcrumb(place),
        },
        status=status,
    )


@professional_page
def client_dossier(request: HttpRequest, reference: str) -> HttpResponse:
    return _dossier_page(request, _client_dossier(request, reference))


@professional_page
@require_POST
def client_dossier_upload(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _client_dossier(request, reference)
    form = DocumentUploadForm(request.POST, request.FILES, procedure=registry.get_or_generic(dossier.procedure))
    if form.is_valid():
        try:
            client_document_upload(
                place=request.professional_place,  # type: ignore[attr-defined]
                dossier=dossier,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except MandateRefused:
            raise
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("La pièce a été ajoutée au dossier de votre client."))
            return redirect("professional:client_dossier", reference=dossier.reference)
    return _dossier_page(request, dossier, form, status=400)


@professional_page
def client_document_download(request: HttpRequest, reference: str, document_id: int) -> HttpResponseBase:
    dossier = _client_dossier(request, reference)
    return document_response(dossier=dossier, document_id=document_id, user=request.user, role=Actor.TRUSTED_PARTY)


@professional_page
@require_POST
def client_dossier_action(request: HttpRequest, reference: str, transition: str) -> HttpResponse:
    dossier = _client_dossier(request, reference)
    if transition not in FILING_TRANSITIONS:
        raise Http404
    try:
        client_dossier_transition(
            place=request.professional_place,  # type: ignore[attr-defined]
            dossier=dossier,
            name=transition,
            actor=request.user,  # type: ignore[arg-type]
        )
    except MandateRefused:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("C'est fait : la demande de votre client a été transmise."))
    return redirect("professional:client_dossier", reference=dossier.reference)
