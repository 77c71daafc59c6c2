"""The récépissé is a real, tagged PDF whose text and QR code say the pré-demande's number.

No QR decoder is installed (no zbar, no OpenCV), so the QR test reads the embedded image back, samples it module
by module, and checks that the matrix equals the one segno encodes for the number — and differs from the matrix
of any other number. Text is extracted through the fonts' ToUnicode maps (see `pdf_reading`).
"""

import pytest
import segno

from ..receipt_pdf import QR_BORDER, QR_ERROR_LEVEL, QR_PNG_SCALE, predemande_receipt_pdf
from .factories import make_predemande
from .pdf_reading import pdf_images, pdf_is_tagged, pdf_text

pytestmark = pytest.mark.django_db


def sampled_matrix(image) -> list[list[int]]:
    """1 for a dark module, read at the centre of each module of the QR image."""
    grey = image.convert("L")
    modules = grey.width // QR_PNG_SCALE - 2 * QR_BORDER
    half = QR_PNG_SCALE // 2
    return [
        [
            1
            if grey.getpixel(((col + QR_BORDER) * QR_PNG_SCALE + half, (row + QR_BORDER) * QR_PNG_SCALE + half)) < 128
            else 0
            for col in range(modules)
        ]
        for row in range(modules)
    ]


def segno_matrix(text: str) -> list[list[int]]:
    return [list(row) for row in segno.make_qr(text, error=QR_ERROR_LEVEL).matrix]


def test_receipt_text_lists_number_validity_titles_checklist_and_where_to_book(citizen, communes):
    predemande = make_predemande(citizen, titles=("cni", "passeport"))
    text = pdf_text(predemande_receipt_pdf(predemande))
    assert predemande.display_number in text
    assert predemande.valid_until is not None
    assert f"{predemande.valid_until.day} " in text and str(predemande.valid_until.year) in text
    assert "Carte nationale d'identité" in text and "Passeport" in text
    assert "photo d'identité de moins de 6 mois" in text
    assert "acte de naissance" in text  # born in a commune absent from the connected list
    assert "86,00\u00a0€" in text
    assert "mairie équipée" in text


def test_receipt_is_a_tagged_pdf(citizen, communes):
    data = predemande_receipt_pdf(make_predemande(citizen))
    assert data.startswith(b"%PDF-")
    assert pdf_is_tagged(data)


def test_receipt_qr_code_encodes_the_number(citizen, communes):
    predemande = make_predemande(citizen)
    images = pdf_images(predemande_receipt_pdf(predemande))
    assert len(images) == 1
    read = sampled_matrix(images[0])
    assert read == segno_matrix(predemande.number)
    assert read != segno_matrix(predemande.number[:-1] + ("2" if predemande.number[-1] != "2" else "3"))
