"""Issuing and revoking API tokens; looking a token up. Platform admins act here (admin site or command)."""

import functools

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.services import SYSTEM, Actor, audit_record
from guichet.core.exceptions import InvalidInput

from .models import ApiClient, ClientKind, new_token, token_digest


def _actor(user) -> Actor:
    if user is None:
        return SYSTEM
    from guichet.accounts.services.common import actor_of

    return actor_of(user)


@transaction.atomic
def api_client_issue(
    *, name: str, kind: str, actor, token: str | None = None, is_demo: bool = False, place=None
) -> tuple[ApiClient, str]:
    """Creates a client and returns it with its token, shown once: only its digest is kept.

    A professional's token (`kind` professional) names the organisation (`place`) it acts for.
    """
    if (kind == ClientKind.PROFESSIONAL) != (place is not None):
        raise InvalidInput(
            _("Un jeton de professionnel est rattaché à son établissement, et lui seul."), code="api_client_place"
        )
    token = token or new_token()
    client = ApiClient.objects.create(
        name=name.strip(),
        kind=kind,
        token_digest=token_digest(token),
        token_hint=token[:4],
        created_by=actor,
        is_demo=is_demo,
        place=place,
    )
    audit_record(
        action="api_token_issued",
        actor=_actor(actor),
        object_type="api_client",
        object_id=client.pk,
        data={"kind": kind, "place_id": place.pk if place is not None else None},
    )
    return client, token


@transaction.atomic
def api_client_revoke(*, client: ApiClient, actor) -> ApiClient:
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        audit_record(action="api_token_revoked", actor=_actor(actor), object_type="api_client", object_id=client.pk)
    return client


# The columns a coordination or slot-finder call reads of its client (name and id for the journal, the demo flag),
# in the model's field order (what `Model.from_db` expects for a partial row).
_TOKEN_FIELDS = ("id", "name", "kind", "is_demo", "place_id")


@functools.cache
def _token_lookup_sql(vendor: str) -> str:
    # Built once per database vendor (names only: the values are parameters).
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in _TOKEN_FIELDS)
    return (
        f"SELECT {columns} FROM {quote(ApiClient._meta.db_table)} "  # noqa: S608
        f"WHERE {quote('token_digest')} = %s AND {quote('kind')} = %s AND {quote('revoked_at')} IS NULL"
    )


def api_client_for_token(*, token: str | None, kind: str) -> ApiClient | None:
    """The active client of this token and kind, read at every call, never cached: a revoked token is refused on
    its next request."""
    if not token:
        return None
    if kind == ClientKind.PROFESSIONAL:
        # Only a professional's token has an organisation (a check constraint), which its calls read.
        return (
            ApiClient.objects.filter(token_digest=token_digest(token), kind=kind, revoked_at__isnull=True)
            .select_related("place")
            .first()
        )
    # The partner APIs' hot path: one indexed row (token_digest is unique) without building a queryset; the instance
    # has the other columns deferred, as with `.only()`.
    with connection.cursor() as cursor:
        cursor.execute(_token_lookup_sql(connection.vendor), [token_digest(token), kind])
        row = cursor.fetchone()
    if row is None:
        return None
    client_id, name, client_kind, is_demo, place_id = row
    return ApiClient.from_db(
        connection.alias, list(_TOKEN_FIELDS), [client_id, name, client_kind, bool(is_demo), place_id]
    )


def api_clients_of_place(*, place) -> list[ApiClient]:
    """A professional organisation's tokens still in use, newest first."""
    return list(ApiClient.objects.filter(place=place, revoked_at__isnull=True).order_by("-created_at"))
