"""Writes on the help content. Platform admins edit it in the Django admin, which calls these services so that
every change is journaled (who, which object, which fields)."""

import io
import warnings

import magic
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from guichet.accounts.models import User
from guichet.accounts.services import actor_of
from guichet.audit.models import AuditAction
from guichet.audit.services import audit_record
from guichet.core.exceptions import InvalidInput

MAX_IMAGE_PIXELS = 12_000_000
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_VIDEO_BYTES = 200 * 1024 * 1024
VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm"}


@transaction.atomic
def help_content_save(*, instance: models.Model, changed_fields: list[str], actor: User) -> models.Model:
    """Saves a guide, section, question, term, tutorial or step, and journals it."""
    created = instance._state.adding
    instance.save()
    audit_record(
        action=AuditAction.HELP_CONTENT_SAVED,
        actor=actor_of(actor),
        object_type=instance._meta.label_lower,
        object_id=instance.pk,
        data={"created": created, "fields": sorted(changed_fields)},
    )
    return instance


@transaction.atomic
def help_content_delete(*, instance: models.Model, actor: User) -> None:
    object_type, object_id, label = instance._meta.label_lower, instance.pk, str(instance)[:150]
    instance.delete()
    audit_record(
        action=AuditAction.HELP_CONTENT_DELETED,
        actor=actor_of(actor),
        object_type=object_type,
        object_id=object_id or "",
        data={"label": label},
    )


def tutorial_image_normalise(uploaded: UploadedFile) -> ContentFile:
    """A PNG or JPEG re-encoded by Pillow (metadata and any trailing payload dropped), or InvalidInput."""
    unreadable = InvalidInput(_("Cette image n'a pas pu être lue : envoyez un fichier PNG ou JPEG."))
    if uploaded.size and uploaded.size > MAX_IMAGE_BYTES:
        raise InvalidInput(_("Cette image dépasse 5 Mo : réduisez-la puis réessayez."))
    content = uploaded.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=["PNG", "JPEG"]) as opened:
                if opened.size[0] * opened.size[1] > MAX_IMAGE_PIXELS:
                    raise InvalidInput(_("Cette image a une trop grande définition : réduisez-la puis réessayez."))
                source_format = opened.format
                opened.load()
                image: Image.Image = ImageOps.exif_transpose(opened) or opened
                output = io.BytesIO()
                if source_format == "JPEG":
                    image.convert("RGB").save(output, format="JPEG", quality=88, optimize=True)
                    extension = "jpg"
                else:
                    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                        image = image.convert("RGBA")
                    image.save(output, format="PNG", optimize=True)
                    extension = "png"
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, UnidentifiedImageError, OSError, ValueError):
        raise unreadable from None
    stem = (uploaded.name or "image").rsplit(".", 1)[0][:60] or "image"
    return ContentFile(output.getvalue(), name=f"{stem}.{extension}")


def tutorial_video_check(uploaded: UploadedFile) -> str:
    """The video's MIME type when its content is MP4 or WebM, or InvalidInput."""
    if uploaded.size and uploaded.size > MAX_VIDEO_BYTES:
        raise InvalidInput(_("Cette vidéo dépasse 200 Mo."))
    head = uploaded.read(4096)
    uploaded.seek(0)
    detected = magic.from_buffer(head, mime=True)
    if detected not in VIDEO_TYPES:
        raise InvalidInput(_("Envoyez une vidéo au format MP4 ou WebM."))
    return detected
