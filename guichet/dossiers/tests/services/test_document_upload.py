import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from guichet.audit.models import AuditAction, AuditEntry
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.dossiers.models import Document, EventKind
from guichet.dossiers.services import DocumentRejected, document_upload
from guichet.dossiers.tests.fixtures import jpeg_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<html><script>alert(1)</script></html>")
    return buffer.getvalue()


@pytest.fixture
def draft(citizen, make_dossier):
    return make_dossier(citizen, "draft")


def rejected(draft, citizen, content, *, kind="identity", name="piece.png") -> DocumentRejected:
    with pytest.raises(DocumentRejected) as error:
        document_upload(dossier=draft, kind=kind, uploaded_file=upload(content, name=name), actor=citizen)
    assert not Document.objects.exists(), "nothing may be stored for a rejected file"
    assert error.value.message, "a French message for people"
    return error.value


def test_png_is_stored_reencoded_with_its_hash_and_journaled(draft, citizen):
    document = document_upload(dossier=draft, kind="identity", uploaded_file=upload(png_bytes()), actor=citizen)
    stored = default_storage.open(document.file.name).read()
    assert document.content_type == "image/png"
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert document.size == len(stored)
    assert document.is_identity_document
    assert "piece" not in document.file.name  # the uploaded name never reaches storage
    assert draft.events.filter(kind=EventKind.DOCUMENT_ADDED).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.DOCUMENT_UPLOADED, dossier_id=draft.pk).count() == 1


def test_jpeg_metadata_is_dropped(draft, citizen):
    exif = Image.Exif()
    exif[0x010F] = "Fabricant-Secret"  # Make
    exif[0x8825] = {2: (48, 6, 0)}  # GPS info
    content = jpeg_bytes(exif=exif.tobytes())
    assert b"Fabricant-Secret" in content
    document = document_upload(
        dossier=draft, kind="identity", uploaded_file=upload(content, name="photo.jpg"), actor=citizen
    )
    stored = default_storage.open(document.file.name).read()
    assert document.content_type == "image/jpeg"
    assert b"Fabricant-Secret" not in stored
    assert b"Exif" not in stored


def test_clean_pdf_is_stored_as_is(draft, citizen):
    content = pdf_bytes()
    document = document_upload(
        dossier=draft, kind="proof_of_address", uploaded_file=upload(content, name="facture.pdf"), actor=citizen
    )
    assert document.content_type == "application/pdf"
    assert default_storage.open(document.file.name).read() == content


def test_empty_file_is_refused(draft, citizen):
    assert rejected(draft, citizen, b"").code == "document_empty"


def test_too_large_file_is_refused(draft, citizen):
    content = pdf_bytes() + b"%" * (200 * 1024)
    error = rejected(draft, citizen, content, kind="proof_of_address", name="facture.pdf")
    assert error.code == "document_too_large"
    assert "200 ko" in error.message


def test_html_pretending_to_be_a_jpeg_is_refused(draft, citizen):
    error = rejected(draft, citizen, b"<html><script>alert(1)</script></html>", name="photo.jpg")
    assert error.code == "document_type_not_allowed"


def test_executable_and_svg_are_refused(draft, citizen):
    assert rejected(draft, citizen, b"MZ\x90\x00" + b"\x00" * 200, name="scan.pdf").code == "document_type_not_allowed"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert rejected(draft, citizen, svg, name="scan.png").code == "document_type_not_allowed"


def test_png_named_pdf_is_refused_as_lying(draft, citizen):
    error = rejected(draft, citizen, png_bytes(), name="justificatif.pdf")
    assert error.code == "document_type_mismatch"


def test_type_not_allowed_for_this_kind(draft, citizen):
    error = rejected(draft, citizen, png_bytes(), kind="proof_of_address")
    assert error.code == "document_type_not_allowed"
    assert "PDF" in error.message


@pytest.mark.parametrize(
    ("carrier", "payload"),
    [
        ("png", "zip"),
        ("png", "pdf"),
        ("png", "html"),
        ("jpeg", "zip"),
        ("jpeg", "pdf"),
        ("jpeg", "html"),
        ("jpeg", "padding-then-zip"),
    ],
)
def test_image_with_trailing_payload_is_refused(draft, citizen, carrier, payload):
    image = png_bytes() if carrier == "png" else jpeg_bytes()
    extra = {
        "zip": zip_bytes(),
        "pdf": pdf_bytes(),
        "html": b"<html><body><script>alert(document.cookie)</script></body></html>",
        "padding-then-zip": b"\x00" * 64 + zip_bytes(),
    }[payload]
    name = "photo.png" if carrier == "png" else "photo.jpg"
    assert rejected(draft, citizen, image + extra, name=name).code == "document_polyglot"


def test_png_carrying_html_in_a_text_chunk_is_refused(draft, citizen):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="PNG", pnginfo=info)
    assert rejected(draft, citizen, buffer.getvalue()).code == "document_polyglot"


def test_pdf_with_javascript_is_refused(draft, citizen):
    error = rejected(draft, citizen, pdf_bytes(javascript=True), name="scan.pdf")
    assert error.code == "document_pdf_active_content"


def test_pdf_with_embedded_file_is_refused(draft, citizen):
    error = rejected(draft, citizen, pdf_bytes(attachment=True), name="scan.pdf")
    assert error.code == "document_pdf_active_content"


def test_encrypted_pdf_is_refused(draft, citizen):
    assert rejected(draft, citizen, pdf_bytes(encrypted=True), name="scan.pdf").code == "document_pdf_encrypted"


def test_pdf_with_trailing_or_embedded_zip_is_refused(draft, citizen):
    assert rejected(draft, citizen, pdf_bytes() + zip_bytes(), name="scan.pdf").code == "document_polyglot"
    content = pdf_bytes()
    marker = content.index(b"%%EOF")
    with_zip_inside = content[:marker] + b"%" + zip_bytes() + b"\n" + content[marker:]
    assert rejected(draft, citizen, with_zip_inside, name="scan.pdf").code == "document_polyglot"


def test_truncated_image_and_broken_pdf_are_refused(draft, citizen):
    assert rejected(draft, citizen, png_bytes()[:60]).code == "document_unreadable"
    assert rejected(draft, citizen, b"%PDF-1.7\nnot really a pdf\n%%EOF\n", name="a.pdf").code == "document_unreadable"


def test_decompression_bomb_is_refused_before_decoding(draft, citizen):
    buffer = io.BytesIO()
    Image.new("1", (9000, 6000)).save(buffer, format="PNG")
    assert rejected(draft, citizen, buffer.getvalue()).code == "document_image_too_large"


def test_unknown_kind_is_refused(draft, citizen):
    with pytest.raises(InvalidInput) as error:
        document_upload(dossier=draft, kind="passport_photo", uploaded_file=upload(png_bytes()), actor=citizen)
    assert error.value.code == "document_kind_unknown"


def test_stranger_cannot_upload(draft, other_citizen):
    with pytest.raises(PermissionDenied):
        document_upload(dossier=draft, kind="identity", uploaded_file=upload(png_bytes()), actor=other_citizen)
    assert not Document.objects.exists()


def test_upload_is_closed_during_instruction(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "in_instruction", instructor=personas["instructor"])
    count = Document.objects.count()
    with pytest.raises(PermissionDenied) as error:
        document_upload(dossier=dossier, kind="identity", uploaded_file=upload(png_bytes()), actor=citizen)
    assert error.value.code == "upload_not_allowed"
    assert Document.objects.count() == count


def test_database_refuses_empty_unsupported_or_half_purged_documents(draft, citizen):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    document = document_upload(dossier=draft, kind="identity", uploaded_file=upload(png_bytes()), actor=citizen)
    for changes in ({"size": 0}, {"content_type": "text/html"}, {"purged_at": timezone.now()}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Document.objects.filter(pk=document.pk).update(**changes)
