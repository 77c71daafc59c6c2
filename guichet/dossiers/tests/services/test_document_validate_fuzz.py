"""Whatever bytes arrive, validation either accepts them or refuses them with a DocumentRejected — never a crash."""

import contextlib
import io

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from guichet.dossiers.registry import DocumentRule
from guichet.dossiers.services import DocumentRejected, document_validate
from guichet.dossiers.tests.fixtures import jpeg_bytes, pdf_bytes, png_bytes

RULE = DocumentRule(kind="any", label="Pièce", max_bytes=512 * 1024)
PREFIXES = [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"%PDF-1.7\n", png_bytes()[:40], jpeg_bytes()[:120]]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2048))
def test_random_bytes_never_crash_validation(prefix, body):
    try:
        stored, content_type = document_validate(content=prefix + body, rule=RULE)
    except DocumentRejected as error:
        assert error.code.startswith("document_")
        assert error.message
    else:
        assert content_type in {"application/pdf", "image/jpeg", "image/png"} and stored


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=1, max_value=400), flip=st.integers(min_value=0, max_value=255))
def test_damaged_real_files_never_crash_validation(cut, flip):
    for original in (png_bytes((60, 40)), jpeg_bytes((60, 40)), pdf_bytes()):
        damaged = bytearray(original[: max(1, len(original) - cut)])
        damaged[len(damaged) // 2] ^= flip
        with contextlib.suppress(DocumentRejected):
            document_validate(content=bytes(damaged), rule=RULE)


def test_progressive_jpeg_is_accepted():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, format="JPEG", progressive=True)
    _, content_type = document_validate(content=buffer.getvalue(), rule=RULE, original_name="scan.JPEG")
    assert content_type == "image/jpeg"


def test_pdf_opening_on_a_page_view_is_accepted():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
    buffer = io.BytesIO()
    pdf.save(buffer)
    stored, content_type = document_validate(content=buffer.getvalue(), rule=RULE, original_name="scan.pdf")
    assert content_type == "application/pdf" and stored == buffer.getvalue()


@pytest.mark.parametrize("mode", ["RGBA", "P", "L", "CMYK"])
def test_images_in_other_colour_modes_are_reencoded(mode):
    buffer = io.BytesIO()
    image_format = "JPEG" if mode == "CMYK" else "PNG"
    Image.new(mode, (20, 20)).save(buffer, format=image_format)
    stored, content_type = document_validate(content=buffer.getvalue(), rule=RULE)
    with Image.open(io.BytesIO(stored)) as reopened:
        assert reopened.size == (20, 20)
    assert content_type == ("image/jpeg" if mode == "CMYK" else "image/png")
