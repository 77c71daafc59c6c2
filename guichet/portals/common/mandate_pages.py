"""What the portals acting under a mandate share: the consent page's context, the printed attestation, and the
filing part of a dossier page (missing documents, actions, documents, upload, timeline)."""

from typing import Any

from django.http import Http404, HttpResponse

from guichet.dossiers import registry, selectors
from guichet.dossiers.models import Dossier
from guichet.dossiers.policy import DossierPolicy
from guichet.mandates.attestation import mandate_attestation_pdf
from guichet.mandates.models import ConsentMethod, Mandate
from guichet.mandates.selectors import mandate_summary
from guichet.mandates.services import CONSENT_SENTENCE
from guichet.portals.citizen.forms import DocumentUploadForm


def consent_page_context(mandate: Mandate, form: Any) -> dict[str, Any]:
    """For `common/consent_side.html`: the mandate in words and the proof of consent the method asks for."""
    return {
        "row": mandate_summary(mandate),
        "mandate": mandate,
        "form": form,
        "sentence": CONSENT_SENTENCE,
        "is_typed": mandate.consent_method == ConsentMethod.TYPED,
        "is_sms": mandate.consent_method == ConsentMethod.SMS_CODE,
        "is_printed": mandate.consent_method == ConsentMethod.PRINTED_ATTESTATION,
    }


def attestation_response(mandate: Mandate) -> HttpResponse:
    """The attestation to print and sign, for mandates consented that way only."""
    if mandate.consent_method != ConsentMethod.PRINTED_ATTESTATION:
        raise Http404
    response = HttpResponse(mandate_attestation_pdf(mandate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mandat-{mandate.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def filing_context(
    *,
    user: Any,
    dossier: Dossier,
    capacities: frozenset[str],
    transitions: tuple[str, ...],
    download_url_name: str,
    upload_form: DocumentUploadForm | None = None,
) -> dict[str, Any]:
    """For `common/dossier_filing.html`: what the person acting for the applicant may do on the dossier now."""
    abilities = DossierPolicy.abilities(user, dossier, capacities=capacities)
    procedure = registry.get_or_generic(dossier.procedure)
    if abilities["upload"] and upload_form is None:
        upload_form = DocumentUploadForm(procedure=procedure)
    documents = list(selectors.dossier_documents(dossier=dossier).select_related("dossier"))
    present = {d.kind for d in documents if d.purged_at is None}
    return {
        "dossier": dossier,
        "procedure": procedure,
        "abilities": abilities,
        "transitions": [
            name for name in procedure.transitions.transitions if abilities.get(name) and name in transitions
        ],
        "missing_documents": [r.label for r in procedure.documents if r.is_required and r.kind not in present],
        "documents": documents,
        "events": selectors.dossier_timeline(dossier=dossier),
        "upload_form": upload_form if abilities["upload"] else None,
        "download_url_name": download_url_name,
    }
