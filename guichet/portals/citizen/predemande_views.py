"""Citizen pages of the CNI/passport pré-demande: start, steps, review, result, récépissé PDF, fiscal stamps.

Only the applicant (or whoever started it for them, or a representative of its dossiers) reaches a pré-demande;
everyone else gets a 404, as for a number that does not exist.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from dsfr.forms import DsfrBaseForm

from guichet.accounts.roles import Role
from guichet.core.exceptions import DomainError
from guichet.core.idempotency import idempotency_key_new, idempotency_key_of, idempotent_submit
from guichet.portals.common.access import portal_for
from guichet.procedures.identity_documents import predemande as services
from guichet.procedures.identity_documents.fees import format_euros
from guichet.procedures.identity_documents.forms import STEP_FORMS, PreDemandeStartForm
from guichet.procedures.identity_documents.forms.start import FOR_MINOR
from guichet.procedures.identity_documents.models import CoordinationStatus, PreDemande, Title
from guichet.procedures.identity_documents.receipt_pdf import predemande_qr_svg, predemande_receipt_pdf

STEP_SLUGS: dict[str, str] = {
    "etat-civil": services.CIVIL_STATUS,
    "filiation": services.PARENTS,
    "description": services.PHYSICAL,
    "adresse": services.ADDRESS,
    "telephone": services.CONTACT,
    "titres": services.PREVIOUS_TITLES,
}
SLUG_OF_STEP = {step: slug for slug, step in STEP_SLUGS.items()}
SEARCH_ACTION = "search"
TOTAL_STEPS = len(services.STEPS) + 1  # the review step comes last


class StampEntryForm(DsfrBaseForm):
    title = forms.ChoiceField(choices=Title.choices, widget=forms.HiddenInput)
    stamp_number = forms.CharField(
        label=gettext_lazy("Numéro du timbre (16 chiffres)"),
        max_length=25,
        help_text=gettext_lazy("Le numéro reçu par SMS ou imprimé sous le code du timbre."),
    )


def _predemande(request: HttpRequest, number: str) -> PreDemande:
    predemande = services.predemande_for_citizen(user=request.user, number=number)
    if predemande is None:
        raise Http404
    return predemande


def _breadcrumb() -> list[dict[str, str]]:
    return [{"url": reverse("citizen:home"), "title": _("Mes démarches")}]


@portal_for(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def predemande_start(request: HttpRequest) -> HttpResponse:
    form = PreDemandeStartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():

        def start() -> str:
            predemande = services.predemande_start(
                applicant=request.user,
                actor=request.user,
                titles=form.cleaned_data["titles"],
                motive=form.cleaned_data["motive"],
                is_for_minor=form.cleaned_data["for_whom"] == FOR_MINOR,
                representative=form.representative(),
            )
            return reverse(
                "citizen:predemande_step", kwargs={"number": predemande.number, "step": SLUG_OF_STEP[services.STEPS[0]]}
            )

        try:
            # The same form sent twice (double click, retry) starts one pré-demande, not two.
            url, _repeat = idempotent_submit(
                scope="predemande_start",
                user_id=int(request.user.pk or 0),  # the portal guard admits signed-in users only
                key=idempotency_key_of(request),
                perform=start,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Votre pré-demande est créée. Vous pouvez l'interrompre et la reprendre plus tard.")
            )
            return redirect(url)
    context = {
        "page_title": _("Pré-demande de carte d'identité ou de passeport"),
        "breadcrumb": _breadcrumb(),
        "form": form,
        "idempotency_key": idempotency_key_new(),
    }
    return render(request, "citizen/predemande/start.html", context, status=400 if request.method == "POST" else 200)


@portal_for(Role.CITIZEN)
def predemande_resume(request: HttpRequest, number: str) -> HttpResponse:
    predemande = _predemande(request, number)
    if predemande.status != CoordinationStatus.DECLARED:
        return redirect("citizen:predemande_result", number=predemande.number)
    step = services.predemande_next_step(predemande)
    if step is None:
        return redirect("citizen:predemande_review", number=predemande.number)
    return redirect("citizen:predemande_step", number=predemande.number, step=SLUG_OF_STEP[step])


def _steps_nav(predemande: PreDemande) -> list[dict[str, Any]]:
    return [
        {
            "slug": SLUG_OF_STEP[step],
            "title": STEP_FORMS[step].heading,
            "is_done": step in (predemande.data or {}),
        }
        for step in services.STEPS
    ]


@portal_for(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def predemande_step(request: HttpRequest, number: str, step: str) -> HttpResponse:
    predemande = _predemande(request, number)
    if step not in STEP_SLUGS:
        raise Http404
    if predemande.status != CoordinationStatus.DECLARED:
        messages.info(request, _("Cette pré-demande est validée : elle ne peut plus être modifiée."))
        return redirect("citizen:predemande_result", number=predemande.number)
    key = STEP_SLUGS[step]
    form_class = STEP_FORMS[key]
    status = 200
    if request.method == "POST" and request.POST.get("action") == SEARCH_ACTION:
        # Search for a commune: the page comes back with the list of matches and what was typed, unsaved.
        form = form_class(initial=request.POST.dict(), predemande=predemande)
    elif request.method == "POST":
        form = form_class(request.POST, predemande=predemande)
        if form.is_valid():
            try:
                services.predemande_save_step(predemande=predemande, step=key, values=form.values(), actor=request.user)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                index = services.STEPS.index(key)
                if index + 1 < len(services.STEPS):
                    return redirect(
                        "citizen:predemande_step",
                        number=predemande.number,
                        step=SLUG_OF_STEP[services.STEPS[index + 1]],
                    )
                return redirect("citizen:predemande_review", number=predemande.number)
        status = 400
    else:
        form = form_class(predemande=predemande)
    index = services.STEPS.index(key)
    context = {
        "page_title": str(form_class.heading),
        "breadcrumb": _breadcrumb(),
        "predemande": predemande,
        "form": form,
        "step_slug": step,
        "step_number": index + 1,
        "total_steps": TOTAL_STEPS,
        "next_title": STEP_FORMS[services.STEPS[index + 1]].heading
        if index + 1 < len(services.STEPS)
        else _("Vérification"),
        "previous_slug": SLUG_OF_STEP[services.STEPS[index - 1]] if index > 0 else "",
        "search_field": {"civil_status": "birth_commune_search", "address": "postal_code"}.get(key, ""),
        "steps": _steps_nav(predemande),
    }
    return render(request, "citizen/predemande/step.html", context, status=status)


def _fees_context(predemande: PreDemande) -> list[dict[str, Any]]:
    stamps = services.predemande_stamps(predemande)
    return [
        {
            "title": fee.title,
            "label": Title(fee.title).label,
            "amount": format_euros(fee.amount_cents),
            "is_due": fee.is_due,
            "is_unverified": fee.is_unverified,
            "stamp": stamps.get(fee.title),
        }
        for fee in services.predemande_fees(predemande)
    ]


@portal_for(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def predemande_review(request: HttpRequest, number: str) -> HttpResponse:
    predemande = _predemande(request, number)
    if predemande.status != CoordinationStatus.DECLARED:
        return redirect("citizen:predemande_result", number=predemande.number)
    status = 200
    if request.method == "POST":
        try:
            services.predemande_validate(predemande=predemande, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(request, _("Votre pré-demande est validée. Notez son numéro ou imprimez le récépissé."))
            return redirect("citizen:predemande_result", number=predemande.number)
    missing = services.predemande_missing_steps(predemande)
    context = {
        "page_title": _("Vérification de votre pré-demande"),
        "breadcrumb": _breadcrumb(),
        "predemande": predemande,
        "steps": _steps_nav(predemande),
        "missing": [SLUG_OF_STEP[step] for step in missing],
        "checklist": services.predemande_checklist(predemande) if not missing else [],
        "fees": _fees_context(predemande) if not missing else [],
        "step_number": TOTAL_STEPS,
        "total_steps": TOTAL_STEPS,
    }
    return render(request, "citizen/predemande/review.html", context, status=status)


def _result_context(request: HttpRequest, predemande: PreDemande, stamp_form: StampEntryForm | None = None) -> dict:
    return {
        "page_title": _("Votre pré-demande %(number)s") % {"number": predemande.display_number},
        "breadcrumb": _breadcrumb(),
        "predemande": predemande,
        "titles": [Title(t).label for t in services.predemande_titles(predemande)],
        "qr_svg": predemande_qr_svg(predemande.number),
        "checklist": services.predemande_checklist(predemande),
        "fees": _fees_context(predemande),
        "can_pay": predemande.status in services.OPEN_STATUSES,
        "stamp_form": stamp_form,
    }


@portal_for(Role.CITIZEN)
def predemande_result(request: HttpRequest, number: str) -> HttpResponse:
    predemande = _predemande(request, number)
    if predemande.status == CoordinationStatus.DECLARED:
        return redirect("citizen:predemande_resume", number=predemande.number)
    return render(request, "citizen/predemande/result.html", _result_context(request, predemande))


@portal_for(Role.CITIZEN)
def predemande_receipt(request: HttpRequest, number: str) -> HttpResponseBase:
    predemande = _predemande(request, number)
    if predemande.status == CoordinationStatus.DECLARED:
        raise Http404  # no récépissé before validation
    response = HttpResponse(predemande_receipt_pdf(predemande), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="pre-demande-{predemande.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _title_from_post(request: HttpRequest) -> str:
    title = request.POST.get("title", "")
    if title not in Title.values:
        raise Http404
    return title


@portal_for(Role.CITIZEN)
@require_POST
def predemande_stamp_buy(request: HttpRequest, number: str) -> HttpResponse:
    predemande = _predemande(request, number)
    try:
        stamp = services.predemande_stamp_buy(
            predemande=predemande, title=_title_from_post(request), actor=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Timbre fiscal acheté : n° %(number)s. Il sera vérifié et utilisé au guichet.")
            % {"number": stamp.number},
        )
    return redirect("citizen:predemande_result", number=predemande.number)


@portal_for(Role.CITIZEN)
@require_POST
def predemande_stamp_enter(request: HttpRequest, number: str) -> HttpResponse:
    predemande = _predemande(request, number)
    form = StampEntryForm(request.POST)
    if form.is_valid():
        try:
            services.predemande_stamp_enter(
                predemande=predemande,
                title=form.cleaned_data["title"],
                number=form.cleaned_data["stamp_number"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error("stamp_number", error.message)
        else:
            messages.success(request, _("Votre timbre fiscal est vérifié et enregistré pour cette demande."))
            return redirect("citizen:predemande_result", number=predemande.number)
    if predemande.status == CoordinationStatus.DECLARED:
        messages.error(request, _("Validez d'abord votre pré-demande."))
        return redirect("citizen:predemande_resume", number=predemande.number)
    return render(
        request, "citizen/predemande/result.html", _result_context(request, predemande, stamp_form=form), status=400
    )


@portal_for(Role.CITIZEN)
@require_POST
def predemande_stamp_refund(request: HttpRequest, number: str) -> HttpResponse:
    predemande = _predemande(request, number)
    try:
        services.predemande_stamp_refund(predemande=predemande, title=_title_from_post(request), actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le timbre est remboursé : vous serez crédité sous quelques jours."))
    return redirect("citizen:predemande_result", number=predemande.number)
