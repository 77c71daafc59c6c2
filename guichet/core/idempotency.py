"""Idempotent form submissions: the form carries a random key; the first submission with it does the work, the
next ones (retries, double clicks, even arriving at the same time) are sent where the first one went."""

import re
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import IdempotencyKey

FIELD_NAME = "idempotency_key"
HEADER_NAME = "Idempotency-Key"
_VALID_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# A retry comes within minutes (double click, browser timeout); a day is far beyond any of them.
KEY_RETENTION = timedelta(days=1)


def idempotency_key_new() -> str:
    return uuid.uuid4().hex


def idempotency_key_of(request) -> str:
    """The key sent with the form (hidden field) or as an `Idempotency-Key` header; "" when absent or malformed."""
    key = (request.POST.get(FIELD_NAME) or request.headers.get(HEADER_NAME) or "").strip()
    return key if _VALID_KEY.match(key) else ""


@transaction.atomic
def idempotent_submit(*, scope: str, user_id: int, key: str, perform: Callable[[], str]) -> tuple[str, bool]:
    """Runs `perform` (which does the work and returns the URL to go to next) once per (scope, user, key).

    Returns (url, is_repeat). Without a key, `perform` simply runs. The key row is inserted first: a copy of
    the same submission arriving meanwhile waits on the unique index until this transaction ends, then reads
    the URL recorded here; if `perform` fails, the row goes with the rollback and a retry does the work.
    """
    if not key:
        return perform(), False
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(scope=scope, user_id=user_id, key=key)
    except IntegrityError:
        existing = IdempotencyKey.objects.get(scope=scope, user_id=user_id, key=key)
        return existing.result_url, True
    url = perform()
    IdempotencyKey.objects.filter(pk=row.pk).update(result_url=url[:500])
    return url, False


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Deletes the keys older than KEY_RETENTION (the table would otherwise grow by one row per form sent)."""
    cutoff = (now or timezone.now()) - KEY_RETENTION
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
