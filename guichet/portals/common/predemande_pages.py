"""The CNI/passport pré-demande pages, shared by the portals that fill one in: the citizen for themselves, a
mediator (or a mairie agent without a collection station) for a visitor under mandate.

Each portal subclasses `PreDemandePages` to say how a pré-demande is reached (404 when it may not be), how one is
started, what surrounds the pages (breadcrumb, session banner) and which URL namespace serves them; the steps,
review, result and récépissé behave the same everywhere. Views are thin: they call the pré-demande services.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from dsfr.forms import DsfrBaseForm

from guichet.core.exceptions import DomainError
from guichet.core.idempotency import idempotency_key_new, idempotency_key_of, idempotent_submit
from guichet.procedures.identity_documents import predemande as services
from guichet.procedures.identity_documents.fees import format_euros
from guichet.procedures.identity_documents.forms import STEP_FORMS, PreDemandeStartForm
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
URL_NAMES = (
    "start",
    "result",
    "resume",
    "step",
    "review",
    "receipt",
    "stamp_buy",
    "stamp_enter",
    "stamp_refund",
)


class StampEntryForm(DsfrBaseForm):
    title = forms.ChoiceField(choices=Title.choices, widget=forms.HiddenInput)
    stamp_number = forms.CharField(
        label=gettext_lazy("Numéro du timbre (16 chiffres)"),
        max_length=25,
        help_text=gettext_lazy("Le numéro reçu par SMS ou imprimé sous le code du timbre."),
    )


class PreDemandePages:
    namespace = "citizen"
    # Whether fiscal stamps may be bought, entered or refunded from these pages (the citizen's own portal only).
    handles_stamps = True
    started_message = gettext_lazy("Votre pré-demande est créée. Vous pouvez l'interrompre et la reprendre plus tard.")
    validated_message = gettext_lazy("Votre pré-demande est validée. Notez son numéro ou imprimez le récépissé.")
    # Errors that are not a form's business: they go up to the portal's own handling (e.g. a mandate refusal).
    passthrough_errors: tuple[type[Exception], ...] = ()
    review_title = gettext_lazy("Vérification de votre pré-demande")
    result_title = gettext_lazy("Votre pré-demande %(number)s")

    # --- What each portal says --------------------------------------------------------------------------------

    def predemande(self, request: HttpRequest, number: str) -> PreDemande:
        """The pré-demande `number` if the person may work on it; Http404 otherwise."""
        raise NotImplementedError

    def start_predemande(self, request: HttpRequest, form: PreDemandeStartForm) -> PreDemande:
        raise NotImplementedError

    def start_form(self, request: HttpRequest) -> PreDemandeStartForm:
        return PreDemandeStartForm(request.POST or None, user=request.user)

    def breadcrumb(self, request: HttpRequest) -> list[dict[str, str]]:
        return []

    def extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def after_validation(self, request: HttpRequest, predemande: PreDemande) -> None:
        """Hook run once a pré-demande was validated from these pages."""

    def after_receipt(self, request: HttpRequest, predemande: PreDemande) -> None:
        """Hook run when the récépissé PDF is handed out."""

    # --- Shared plumbing ------------------------------------------------------------------------------------

    def urls(self) -> dict[str, str]:
        names = {name: f"{self.namespace}:predemande_{name}" for name in URL_NAMES}
        if not self.handles_stamps:
            for name in ("stamp_buy", "stamp_enter", "stamp_refund"):
                names[name] = ""
        return names

    def url(self, name: str, **kwargs: str) -> str:
        return reverse(f"{self.namespace}:predemande_{name}", kwargs=kwargs)

    def to(self, name: str, **kwargs: str) -> HttpResponse:
        return redirect(self.url(name, **kwargs))

    def render(self, request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
        full = {"breadcrumb": self.breadcrumb(request), "urls": self.urls(), **self.extra_context(request), **context}
        return render(request, f"citizen/predemande/{template}", full, status=status)

    @staticmethod
    def steps_nav(predemande: PreDemande) -> list[dict[str, Any]]:
        return [
            {"slug": SLUG_OF_STEP[step], "title": STEP_FORMS[step].heading, "is_done": step in (predemande.data or {})}
            for step in services.STEPS
        ]

    @staticmethod
    def fees_context(predemande: PreDemande) -> list[dict[str, Any]]:
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

    # --- Pages ----------------------------------------------------------------------------------------------

    def start(self, request: HttpRequest) -> HttpResponse:
        form = self.start_form(request)
        if request.method == "POST" and form.is_valid():

            def perform() -> str:
                predemande = self.start_predemande(request, form)
                return self.url("step", number=predemande.number, step=SLUG_OF_STEP[services.STEPS[0]])

            try:
                # The same form sent twice (double click, retry) starts one pré-demande, not two.
                url, _repeat = idempotent_submit(
                    scope=f"predemande_start:{self.namespace}",
                    user_id=int(request.user.pk or 0),  # the portal guard admits signed-in users only
                    key=idempotency_key_of(request),
                    perform=perform,
                )
            except self.passthrough_errors:
                raise
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, str(self.started_message))
                return redirect(url)
        context = {
            "page_title": _("Pré-demande de carte d'identité ou de passeport"),
            "form": form,
            "idempotency_key": idempotency_key_new(),
        }
        return self.render(request, "start.html", context, status=400 if request.method == "POST" else 200)

    def resume(self, request: HttpRequest, number: str) -> HttpResponse:
        predemande = self.predemande(request, number)
        if predemande.status != CoordinationStatus.DECLARED:
            return self.to("result", number=predemande.number)
        step = services.predemande_next_step(predemande)
        if step is None:
            return self.to("review", number=predemande.number)
        return self.to("step", number=predemande.number, step=SLUG_OF_STEP[step])

    def step(self, request: HttpRequest, number: str, step: str) -> HttpResponse:
        predemande = self.predemande(request, number)
        if step not in STEP_SLUGS:
            raise Http404
        if predemande.status != CoordinationStatus.DECLARED:
            messages.info(request, _("Cette pré-demande est validée : elle ne peut plus être modifiée."))
            return self.to("result", number=predemande.number)
        key = STEP_SLUGS[step]
        form_class = STEP_FORMS[key]
        index = services.STEPS.index(key)
        status = 200
        if request.method == "POST" and request.POST.get("action") == SEARCH_ACTION:
            # Search for a commune: the page comes back with the list of matches and what was typed, unsaved.
            form = form_class(initial=request.POST.dict(), predemande=predemande)
        elif request.method == "POST":
            form = form_class(request.POST, predemande=predemande)
            if form.is_valid():
                try:
                    services.predemande_save_step(
                        predemande=predemande, step=key, values=form.values(), actor=request.user
                    )
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    if index + 1 < len(services.STEPS):
                        return self.to("step", number=predemande.number, step=SLUG_OF_STEP[services.STEPS[index + 1]])
                    return self.to("review", number=predemande.number)
            status = 400
        else:
            form = form_class(predemande=predemande)
        context = {
            "page_title": str(form_class.heading),
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
            "steps": self.steps_nav(predemande),
        }
        return self.render(request, "step.html", context, status=status)

    def review(self, request: HttpRequest, number: str) -> HttpResponse:
        predemande = self.predemande(request, number)
        if predemande.status != CoordinationStatus.DECLARED:
            return self.to("result", number=predemande.number)
        status = 200
        if request.method == "POST":
            try:
                services.predemande_validate(predemande=predemande, actor=request.user)
            except DomainError as error:
                messages.error(request, error.message)
                status = 400
            else:
                self.after_validation(request, predemande)
                messages.success(request, str(self.validated_message))
                return self.to("result", number=predemande.number)
        missing = services.predemande_missing_steps(predemande)
        context = {
            "page_title": str(self.review_title),
            "predemande": predemande,
            "steps": self.steps_nav(predemande),
            "missing": [SLUG_OF_STEP[step] for step in missing],
            "checklist": services.predemande_checklist(predemande) if not missing else [],
            "fees": self.fees_context(predemande) if not missing else [],
            "step_number": TOTAL_STEPS,
            "total_steps": TOTAL_STEPS,
        }
        return self.render(request, "review.html", context, status=status)

    def result_context(self, predemande: PreDemande, stamp_form: StampEntryForm | None = None) -> dict[str, Any]:
        return {
            "page_title": str(self.result_title) % {"number": predemande.display_number},
            "predemande": predemande,
            "titles": [Title(t).label for t in services.predemande_titles(predemande)],
            "qr_svg": predemande_qr_svg(predemande.number),
            "checklist": services.predemande_checklist(predemande),
            "fees": self.fees_context(predemande),
            "can_pay": self.handles_stamps and predemande.status in services.OPEN_STATUSES,
            "stamp_form": stamp_form,
        }

    def result(self, request: HttpRequest, number: str) -> HttpResponse:
        predemande = self.predemande(request, number)
        if predemande.status == CoordinationStatus.DECLARED:
            return self.to("resume", number=predemande.number)
        return self.render(request, "result.html", self.result_context(predemande))

    def receipt(self, request: HttpRequest, number: str) -> HttpResponseBase:
        predemande = self.predemande(request, number)
        if predemande.status == CoordinationStatus.DECLARED:
            raise Http404  # no récépissé before validation
        self.after_receipt(request, predemande)
        response = HttpResponse(predemande_receipt_pdf(predemande), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="pre-demande-{predemande.number}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response

    # --- Fiscal stamps (citizen portal) ---------------------------------------------------------------------

    @staticmethod
    def title_from_post(request: HttpRequest) -> str:
        title = request.POST.get("title", "")
        if title not in Title.values:
            raise Http404
        return title

    def stamp_buy(self, request: HttpRequest, number: str) -> HttpResponse:
        predemande = self.predemande(request, number)
        try:
            stamp = services.predemande_stamp_buy(
                predemande=predemande, title=self.title_from_post(request), actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Timbre fiscal acheté : n° %(number)s. Il sera vérifié et utilisé au guichet.")
                % {"number": stamp.number},
            )
        return self.to("result", number=predemande.number)

    def stamp_enter(self, request: HttpRequest, number: str) -> HttpResponse:
        predemande = self.predemande(request, number)
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
                return self.to("result", number=predemande.number)
        if predemande.status == CoordinationStatus.DECLARED:
            messages.error(request, _("Validez d'abord votre pré-demande."))
            return self.to("resume", number=predemande.number)
        return self.render(request, "result.html", self.result_context(predemande, stamp_form=form), status=400)

    def stamp_refund(self, request: HttpRequest, number: str) -> HttpResponse:
        predemande = self.predemande(request, number)
        try:
            services.predemande_stamp_refund(
                predemande=predemande, title=self.title_from_post(request), actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Le timbre est remboursé : vous serez crédité sous quelques jours."))
        return self.to("result", number=predemande.number)
