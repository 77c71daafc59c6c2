"""The printed attestation of a mandate (tagged PDF by WeasyPrint), with a QR code holding its reference and digest.

The person signs it on paper; the structure keeps it. The agent then types the reference printed on it to record
that the signed paper was received.
"""

from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import timezone

from .durations import duration_get
from .models import Mandate
from .services import CONSENT_SENTENCE, attestation_qr_payload, format_fee, mandate_scope_text


def attestation_context(mandate: Mandate) -> dict[str, Any]:
    duration = duration_get(mandate.duration)
    return {
        "mandate": mandate,
        "scope": mandate_scope_text(mandate),
        "duration": duration.label if duration else mandate.duration,
        "fee": format_fee(mandate.fee_cents),
        "qr_data_uri": segno.make_qr(attestation_qr_payload(mandate), error="m").png_data_uri(scale=6, border=4),
        "digest": mandate.attestation_digest,
        "sentence": CONSENT_SENTENCE,
        "printed_at": timezone.localtime(),
    }


def mandate_attestation_pdf(mandate: Mandate) -> bytes:
    from weasyprint import HTML  # heavy: only when a PDF is asked for

    html = render_to_string("mandates/attestation.html", attestation_context(mandate))
    return HTML(string=html).write_pdf(pdf_tags=True)
