"""Fixtures shared by the dossier tests and the portal tests (imported by their conftest modules)."""

import io
from collections.abc import Callable

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guichet.accounts.models import User
from guichet.dossiers import registry
from guichet.dossiers.models import Dossier
from guichet.dossiers.services import dossier_create, dossier_transition
from guichet.testing.personas import ensure_test_territory

from .procedures import TEST_PROCEDURE


@pytest.fixture
def test_procedure():
    registry.register(TEST_PROCEDURE)
    yield TEST_PROCEDURE
    registry.unregister(TEST_PROCEDURE.code)


@pytest.fixture
def department(db):
    return ensure_test_territory()


@pytest.fixture
def other_citizen(db):
    return User.objects.create_user("autre.usager@example.fr", "Another-Password-123", first_name="Alex")


def png_bytes(size: tuple[int, int] = (40, 30), color: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes(size: tuple[int, int] = (40, 30), exif: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "blue")
    if exif is not None:
        image.save(buffer, format="JPEG", exif=exif)
    else:
        image.save(buffer, format="JPEG")
    return buffer.getvalue()


def pdf_bytes(*, javascript: bool = False, encrypted: bool = False, attachment: bool = False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    if javascript:
        action = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        )
        pdf.Root.OpenAction = action
    if attachment:
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"hidden content")
    buffer = io.BytesIO()
    if encrypted:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="owner-secret", user="user-secret"))
    else:
        pdf.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "piece.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def make_dossier(test_procedure, department) -> Callable[..., Dossier]:
    """Builds a dossier of the test procedure for `applicant`, moved to `status` through real transitions."""

    def build(applicant: User, status: str = "draft", *, instructor: User | None = None, with_document: bool = True):
        from guichet.dossiers.services import document_upload

        dossier = dossier_create(
            procedure=TEST_PROCEDURE.code, applicant=applicant, actor=applicant, data={}, department=department
        )
        if status == "draft":
            return dossier
        if with_document:
            document_upload(dossier=dossier, kind="identity", uploaded_file=upload(png_bytes()), actor=applicant)
        dossier_transition(dossier=dossier, name="submit", actor=applicant)
        path = {
            "submitted": [],
            "in_instruction": ["start_instruction"],
            "awaiting_complement": ["start_instruction", "request_complement"],
            "accepted": ["start_instruction", "accept"],
            "refused": ["start_instruction", "refuse"],
            "withdrawn": None,
        }[status]
        if path is None:
            dossier_transition(dossier=dossier, name="withdraw", actor=applicant)
            return dossier
        for name in path:
            dossier_transition(dossier=dossier, name=name, actor=instructor)
        return dossier

    return build
