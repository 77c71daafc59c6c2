"""The printed attestation of a mandate (tagged PDF by WeasyPrint), with a QR code holding its reference and digest.

The person signs it on paper; the structure keeps it. The agent then types the reference printed on it to record
that the signed paper was received.
"""

from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Mandate
from .selectors import mandate_summary
from .services import CONSENT_SENTENCE, attestation_qr_payload


def attestation_context(mandate: Mandate) -> dict[str, Any]:
    summary = mandate_summary(mandate)
    return {
        "mandate": mandate,
        "scope": summary.scope,
        "duration": summary.duration,
        "fee": summary.fee,
        "qr_data_uri": segno.make_qr(attestation_qr_payload(mandate), error="m").png_data_uri(scale=6, border=4),
        "digest": mandate.attestation_digest,
        "sentence": CONSENT_SENTENCE,
        "printed_at": timezone.localtime(),
    }


def mandate_attestation_pdf(mandate: Mandate) -> bytes:
    from weasyprint import HTML  # heavy: only when a PDF is asked for

    html = render_to_string("mandates/attestation.html", attestation_context(mandate))
    return HTML(string=html).write_pdf(pdf_tags=True)
