"""Receiving justificatifs safely: the bytes decide the type, never the file name or the browser's claim.

Only PDF, JPEG and PNG are accepted. A file that is also something else (a polyglot: an image with a ZIP or
HTML payload appended, a PDF carrying another format), a PDF that can run actions (JavaScript, auto-open
actions, launching programs, attached files) or that is encrypted, is refused. Images are decoded and
re-encoded, which drops their metadata (location, device) and anything hidden in them.
"""

import hashlib
import io
import os
import re
import struct
import warnings
from typing import Any

import magic
import pikepdf
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from guichet.audit.models import AuditAction
from guichet.audit.services import audit_record
from guichet.core.exceptions import InvalidInput, PermissionDenied

from .. import registry
from ..models import Document, Dossier, EventKind
from ..policy import DossierPolicy
from .actors import audit_actor, event_record, pick_role
from .errors import DocumentRejected

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
SUPPORTED_TYPES = frozenset({PDF, JPEG, PNG})
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
_NAME_EXTENSIONS = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "jpe": JPEG, "png": PNG}
_TYPE_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}

# Beyond this many pixels an image is refused before being decoded (a "decompression bomb").
MAX_IMAGE_PIXELS = 40_000_000

# Signatures of other formats that have no business inside a justificatif.
_FOREIGN_TEXT_MARKERS = re.compile(rb"<\s*(?:script|html|!doctype|iframe|svg|object|embed)\b|<\?php", re.IGNORECASE)
# A ZIP local file header with a plausible "version needed" field (random bytes almost never match it).
_ZIP_MARKER = re.compile(rb"PK\x03\x04[\x0a\x0b\x14\x2d\x2e\x33\x3f]\x00")
_PDF_MARKER = b"%PDF-"

# PDF names that make a document act on its own when opened, or carry other files.
_PDF_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/AA", "/XFA"})
_PDF_ACTIVE_ACTIONS = frozenset(
    {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/GoToE", "/Rendition", "/Sound"}
)


def _reject(code: str, message: str, **details: object) -> DocumentRejected:
    return DocumentRejected(message, code=code, **details)


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(size)s Mo") % {"size": f"{size / (1024 * 1024):.0f}".replace(".", ",")}
    return _("%(size)s ko") % {"size": max(1, size // 1024)}


def _read_bounded(uploaded_file: Any, max_bytes: int) -> bytes:
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > max_bytes:
        raise _too_large(max_bytes)
    uploaded_file.seek(0)
    chunks = []
    total = 0
    for chunk in uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else [uploaded_file.read()]:
        total += len(chunk)
        if total > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(max_bytes: int) -> DocumentRejected:
    return _reject(
        "document_too_large",
        _("Le fichier est trop volumineux : la taille maximale est de %(max)s. Réduisez-le puis réessayez.")
        % {"max": _human_size(max_bytes)},
        max_bytes=max_bytes,
    )


def sniff_type(content: bytes) -> str:
    return magic.from_buffer(content[:8192], mime=True)


def _check_name_matches(original_name: str, detected: str) -> None:
    """A known extension that contradicts the content means the file lies about what it is."""
    extension = os.path.splitext(original_name)[1].lower().lstrip(".")
    claimed = _NAME_EXTENSIONS.get(extension)
    if claimed is not None and claimed != detected:
        raise _reject(
            "document_type_mismatch",
            _(
                "Le contenu de ce fichier ne correspond pas à son nom (%(claimed)s annoncé, %(detected)s reçu). "
                "Enregistrez de nouveau le document depuis votre appareil puis réessayez."
            )
            % {"claimed": _TYPE_LABELS[claimed], "detected": _TYPE_LABELS.get(detected, detected)},
        )


def _polyglot() -> DocumentRejected:
    return _reject(
        "document_polyglot",
        _(
            "Ce fichier contient d'autres données que le document lui-même et ne peut pas être accepté. "
            "Enregistrez de nouveau le document (par exemple en l'exportant ou en le scannant) puis réessayez."
        ),
    )


def _has_foreign_markers(content: bytes, *, allow_pdf: bool) -> bool:
    if _FOREIGN_TEXT_MARKERS.search(content):
        return True
    if not allow_pdf and _PDF_MARKER in content:
        return True
    return bool(_ZIP_MARKER.search(content))


# --- images -------------------------------------------------------------------------------------------------------


def _png_end(content: bytes) -> int:
    """Offset just after the IEND chunk, walking the chunk list; raises ValueError if the structure is broken."""
    offset = 8
    while offset + 8 <= len(content):
        (length,) = struct.unpack(">I", content[offset : offset + 4])
        chunk_type = content[offset + 4 : offset + 8]
        offset += 12 + length
        if offset > len(content):
            raise ValueError("truncated chunk")
        if chunk_type == b"IEND":
            return offset
    raise ValueError("no IEND")


def _jpeg_end(content: bytes) -> int:
    """Offset just after the end-of-image marker, walking segments and entropy-coded scans."""
    if content[:2] != b"\xff\xd8":
        raise ValueError("no SOI")
    offset = 2
    size = len(content)
    while offset < size:
        if content[offset] != 0xFF:
            raise ValueError("marker expected")
        while offset < size and content[offset] == 0xFF:
            offset += 1
        if offset >= size:
            break
        marker = content[offset]
        offset += 1
        if marker == 0xD9:
            return offset
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue
        if offset + 2 > size:
            break
        (length,) = struct.unpack(">H", content[offset : offset + 2])
        offset += length
        if marker == 0xDA:
            # Entropy-coded data: runs until a marker that is neither a stuffed byte nor a restart marker.
            while offset < size - 1:
                if content[offset] == 0xFF and content[offset + 1] != 0x00 and not 0xD0 <= content[offset + 1] <= 0xD7:
                    break
                offset += 1
    raise ValueError("no EOI")


def _check_image_structure(content: bytes, detected: str) -> None:
    try:
        end = _png_end(content) if detected == PNG else _jpeg_end(content)
    except (ValueError, struct.error):
        raise _reject(
            "document_unreadable",
            _("Cette image est abîmée ou incomplète. Enregistrez-la de nouveau puis réessayez."),
        ) from None
    if content[end:].strip(b"\x00\r\n\t ") or _has_foreign_markers(content, allow_pdf=False):
        raise _polyglot()


def _reencode_image(content: bytes, detected: str) -> bytes:
    unreadable = _reject(
        "document_unreadable", _("Cette image n'a pas pu être lue. Enregistrez-la de nouveau puis réessayez.")
    )
    too_many_pixels = _reject(
        "document_image_too_large",
        _("Cette image a une trop grande définition. Réduisez-la (par exemple à 4000 × 3000 pixels) puis réessayez."),
    )
    expected_format = "PNG" if detected == PNG else "JPEG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[expected_format]) as probe:
                width, height = probe.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise too_many_pixels
                probe.verify()
            with Image.open(io.BytesIO(content), formats=[expected_format]) as opened:
                opened.load()
                image: Image.Image = ImageOps.exif_transpose(opened) or opened
                output = io.BytesIO()
                if expected_format == "JPEG":
                    if image.mode not in ("RGB", "L"):
                        image = image.convert("RGB")
                    image.save(output, format="JPEG", quality=90, optimize=True)
                else:
                    if image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
                        image = image.convert("RGBA")
                    image.save(output, format="PNG", optimize=True)
                return output.getvalue()
    except DocumentRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error):
        raise unreadable from None


# --- PDF ----------------------------------------------------------------------------------------------------------


def _check_pdf(content: bytes) -> None:
    if not content.startswith(_PDF_MARKER):
        raise _polyglot()
    eof = content.rfind(b"%%EOF")
    if eof == -1 or content[eof + 5 :].strip(b"\x00\r\n\t "):
        raise _polyglot()
    if _has_foreign_markers(content, allow_pdf=True):
        raise _polyglot()
    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError:
        raise _encrypted() from None
    except pikepdf.PdfError:
        raise _reject(
            "document_unreadable", _("Ce PDF est abîmé ou incomplet. Enregistrez-le de nouveau puis réessayez.")
        ) from None
    with pdf:
        if pdf.is_encrypted:
            raise _encrypted()
        if _pdf_has_active_content(pdf):
            raise _reject(
                "document_pdf_active_content",
                _(
                    "Ce PDF contient des éléments actifs (script, action automatique ou fichier joint) et ne peut "
                    "pas être accepté. Imprimez-le en PDF ou scannez le document papier puis réessayez."
                ),
            )


def _encrypted() -> DocumentRejected:
    return _reject(
        "document_pdf_encrypted",
        _("Ce PDF est protégé par un mot de passe ou chiffré. Enregistrez une version sans protection puis réessayez."),
    )


def _pdf_has_active_content(pdf: pikepdf.Pdf) -> bool:
    root = pdf.Root
    open_action = root.get("/OpenAction")
    # A plain destination (open at page N, zoom) is harmless; an action dictionary is not.
    if open_action is not None and isinstance(open_action, pikepdf.Dictionary):
        return True
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        keys = set(obj.keys())
        if keys & _PDF_ACTIVE_KEYS:
            return True
        if obj.get("/S") in _PDF_ACTIVE_ACTIONS or obj.get("/Type") in ("/EmbeddedFile", "/Filespec"):
            return True
    return False


# --- service ------------------------------------------------------------------------------------------------------


def document_validate(*, content: bytes, rule: registry.DocumentRule, original_name: str = "") -> tuple[bytes, str]:
    """The bytes to store and their type, or DocumentRejected with a code and a French message."""
    if not content:
        raise _reject("document_empty", _("Le fichier est vide. Choisissez un autre fichier."))
    if len(content) > rule.max_bytes:
        raise _too_large(rule.max_bytes)
    detected = sniff_type(content)
    allowed = rule.allowed_types & SUPPORTED_TYPES
    if detected not in allowed:
        labels = ", ".join(sorted(_TYPE_LABELS[t] for t in allowed))
        raise _reject(
            "document_type_not_allowed",
            _("Ce type de fichier n'est pas accepté pour cette pièce. Formats acceptés : %(labels)s.")
            % {"labels": labels},
            allowed=sorted(allowed),
        )
    _check_name_matches(original_name, detected)
    if detected == PDF:
        _check_pdf(content)
        return content, detected
    _check_image_structure(content, detected)
    return _reencode_image(content, detected), detected


@transaction.atomic
def document_upload(*, dossier: Dossier, kind: str, uploaded_file: Any, actor: Any) -> Document:
    """Checks, stores and journals one justificatif."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    roles = DossierPolicy.dossier_roles(actor, locked)
    if not roles:
        raise PermissionDenied()
    if not DossierPolicy.abilities(actor, locked)["upload"]:
        raise PermissionDenied(
            _("Vous ne pouvez plus ajouter de pièce à ce dossier dans son état actuel."), code="upload_not_allowed"
        )
    procedure = registry.get_or_generic(locked.procedure)
    rule = procedure.document_rule(kind)
    if rule is None:
        raise InvalidInput(_("Ce type de pièce n'est pas prévu pour cette démarche."), code="document_kind_unknown")
    if uploaded_file is None:
        raise _reject("document_missing", _("Choisissez un fichier à envoyer."))
    original_name = os.path.basename(str(getattr(uploaded_file, "name", "") or ""))[:200]
    content = _read_bounded(uploaded_file, rule.max_bytes)
    stored, content_type = document_validate(content=content, rule=rule, original_name=original_name)

    document = Document(
        dossier=locked,
        kind=kind,
        content_type=content_type,
        size=len(stored),
        sha256=hashlib.sha256(stored).hexdigest(),
        original_name=original_name,
        is_identity_document=rule.is_identity_document,
        uploaded_by=actor,
    )
    document.file.save(f"document.{EXTENSIONS[content_type]}", ContentFile(stored), save=False)
    stored_name = document.file.name
    storage = document.file.storage
    try:
        document.save()
        who = audit_actor(actor, pick_role(roles), locked)
        event_record(
            dossier=locked, kind=EventKind.DOCUMENT_ADDED, actor=who, data={"document_id": document.pk, "kind": kind}
        )
        audit_record(
            action=AuditAction.DOCUMENT_UPLOADED,
            actor=who,
            dossier_id=locked.pk,
            subject_user_id=locked.applicant_id,
            object_type="document",
            object_id=document.pk,
            data={"kind": kind, "content_type": content_type, "size": document.size},
        )
    except Exception:
        storage.delete(stored_name)
        raise
    return document


def document_record_view(*, document: Document, actor: Any, role: str) -> None:
    """Journals an agent opening a justificatif."""
    audit_record(
        action=AuditAction.DOCUMENT_VIEWED,
        actor=audit_actor(actor, role, document.dossier),
        dossier_id=document.dossier_id,
        subject_user_id=document.dossier.applicant_id,
        object_type="document",
        object_id=document.pk,
        data={"kind": document.kind},
    )
