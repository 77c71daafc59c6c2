"""The printable récépissé of a pré-demande (tagged PDF by WeasyPrint) and its QR code (segno).

The QR code encodes the bare 10-character number, so a counter's scanner reads exactly what an agent would type.
"""

from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .fees import format_euros
from .models import PreDemande, Title
from .predemande import predemande_checklist, predemande_fees, predemande_titles

QR_ERROR_LEVEL = "m"
QR_PNG_SCALE = 8
QR_BORDER = 4


def predemande_qr(number: str) -> segno.QRCode:
    """Always a full QR code (never a Micro QR, which phone readers and counter scanners rarely read)."""
    return segno.make_qr(number, error=QR_ERROR_LEVEL)


def predemande_qr_svg(number: str) -> str:
    """Inline SVG for HTML pages, with a text alternative."""
    return predemande_qr(number).svg_inline(
        scale=4,
        border=QR_BORDER,
        title=_("QR code de la pré-demande %(number)s") % {"number": number},
        svgclass="guichet-qr",
        lineclass=None,
        omitsize=False,
    )


def predemande_qr_png_data_uri(number: str) -> str:
    return predemande_qr(number).png_data_uri(scale=QR_PNG_SCALE, border=QR_BORDER)


def receipt_context(predemande: PreDemande) -> dict[str, Any]:
    fees = predemande_fees(predemande)
    civil = predemande.data.get("civil_status") or {}
    return {
        "predemande": predemande,
        "titles": [str(Title(title).label) for title in predemande_titles(predemande)],
        "checklist": predemande_checklist(predemande),
        "fees": [
            {"label": Title(fee.title).label, "amount": format_euros(fee.amount_cents), "unverified": fee.is_unverified}
            for fee in fees
            if fee.is_due
        ],
        "qr_data_uri": predemande_qr_png_data_uri(predemande.number),
        "person_name": " ".join(filter(None, [civil.get("given_names", ""), civil.get("last_name", "")])),
        "printed_at": timezone.localtime(),
    }


def predemande_receipt_pdf(predemande: PreDemande) -> bytes:
    from weasyprint import HTML  # heavy (loads its stylesheets): only when a PDF is asked for

    html = render_to_string("identity_documents/predemande_receipt.html", receipt_context(predemande))
    return HTML(string=html).write_pdf(pdf_tags=True)  # tagged PDF: screen readers follow its structure
