"""Citizen pages of the CNI/passport pré-demande: start, steps, review, result, récépissé PDF, fiscal stamps.

Only the applicant (or a representative of its dossiers) reaches a pré-demande; everyone else gets a 404, as for a
number that does not exist. The pages themselves are shared with the mediator portal (`PreDemandePages`).
"""

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guichet.accounts.roles import Role
from guichet.portals.common.access import portal_for
from guichet.portals.common.predemande_pages import PreDemandePages
from guichet.procedures.identity_documents import predemande as services
from guichet.procedures.identity_documents.forms import PreDemandeStartForm
from guichet.procedures.identity_documents.forms.start import FOR_MINOR
from guichet.procedures.identity_documents.models import PreDemande


class CitizenPreDemandePages(PreDemandePages):
    namespace = "citizen"

    def predemande(self, request: HttpRequest, number: str) -> PreDemande:
        predemande = services.predemande_for_citizen(user=request.user, number=number)
        if predemande is None:
            raise Http404
        return predemande

    def start_predemande(self, request: HttpRequest, form: PreDemandeStartForm) -> PreDemande:
        return services.predemande_start(
            applicant=request.user,
            actor=request.user,
            titles=form.cleaned_data["titles"],
            motive=form.cleaned_data["motive"],
            is_for_minor=form.cleaned_data["for_whom"] == FOR_MINOR,
            representative=form.representative(),
        )

    def breadcrumb(self, request: HttpRequest) -> list[dict[str, str]]:
        return [{"url": reverse("citizen:home"), "title": _("Mes démarches")}]


pages = CitizenPreDemandePages()
citizen_page = portal_for(Role.CITIZEN)

predemande_start = citizen_page(require_http_methods(["GET", "POST"])(pages.start))
predemande_resume = citizen_page(pages.resume)
predemande_step = citizen_page(require_http_methods(["GET", "POST"])(pages.step))
predemande_review = citizen_page(require_http_methods(["GET", "POST"])(pages.review))
predemande_result = citizen_page(pages.result)
predemande_receipt = citizen_page(pages.receipt)
predemande_stamp_buy = citizen_page(require_POST(pages.stamp_buy))
predemande_stamp_enter = citizen_page(require_POST(pages.stamp_enter))
predemande_stamp_refund = citizen_page(require_POST(pages.stamp_refund))
