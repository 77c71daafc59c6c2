"""The pré-demande pages for a visitor of an assisted session: the citizen's pages (`PreDemandePages`), reached
only through the session and under a mandate covering every title; stamps are left to the visitor."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from guichet.mandates.errors import MandateRefused
from guichet.mediation.models import StepKind
from guichet.portals.common.predemande_pages import PreDemandePages
from guichet.procedures.identity_documents.forms import PreDemandeStartForm
from guichet.procedures.identity_documents.forms.start import FOR_MINOR
from guichet.procedures.identity_documents.models import PreDemande
from guichet.procedures.identity_documents.predemande.assisted import (
    predemande_assisted_open,
    predemande_assisted_step,
    predemande_for_assisted,
    predemande_start_assisted,
)

from .access import current_session, session_breadcrumb, session_page


class MediatorPreDemandePages(PreDemandePages):
    namespace = "mediator"
    handles_stamps = False
    passthrough_errors = (MandateRefused,)
    started_message = gettext_lazy("La pré-demande de la personne est créée : remplissez les étapes avec elle.")
    validated_message = gettext_lazy("La pré-demande est validée. Imprimez le récépissé et la liste des originaux.")
    review_title = gettext_lazy("Vérification de la pré-demande")
    result_title = gettext_lazy("Pré-demande %(number)s")

    def predemande(self, request: HttpRequest, number: str) -> PreDemande:
        session = current_session(request)
        predemande = predemande_for_assisted(session=session, number=number)
        if predemande is None:
            raise Http404
        return predemande_assisted_open(session=session, predemande=predemande, actor=request.user)

    def start_form(self, request: HttpRequest) -> PreDemandeStartForm:
        return PreDemandeStartForm(request.POST or None, user=current_session(request).citizen)

    def start_predemande(self, request: HttpRequest, form: PreDemandeStartForm) -> PreDemande:
        return predemande_start_assisted(
            session=current_session(request),
            titles=form.cleaned_data["titles"],
            motive=form.cleaned_data["motive"],
            is_for_minor=form.cleaned_data["for_whom"] == FOR_MINOR,
            representative=form.representative(),
            actor=request.user,
        )

    def breadcrumb(self, request: HttpRequest) -> list[dict[str, str]]:
        return session_breadcrumb()

    def extra_context(self, request: HttpRequest) -> dict:
        return {"assisted_session": current_session(request)}

    def after_validation(self, request: HttpRequest, predemande: PreDemande) -> None:
        predemande_assisted_step(
            session=current_session(request), predemande=predemande, kind=StepKind.DOSSIER_FILED, actor=request.user
        )

    def after_receipt(self, request: HttpRequest, predemande: PreDemande) -> None:
        predemande_assisted_step(
            session=current_session(request), predemande=predemande, kind=StepKind.RECEIPT_PRINTED, actor=request.user
        )


pages = MediatorPreDemandePages()
visitor_page = session_page(needs_visitor=True)

predemande_start = visitor_page(require_http_methods(["GET", "POST"])(pages.start))
predemande_resume = visitor_page(pages.resume)
predemande_step = visitor_page(require_http_methods(["GET", "POST"])(pages.step))
predemande_review = visitor_page(require_http_methods(["GET", "POST"])(pages.review))
predemande_result = visitor_page(pages.result)
predemande_receipt = visitor_page(pages.receipt)
