"""Issuing and revoking API tokens; looking a token up. Platform admins act here (admin site or command)."""

from django.db import transaction
from django.utils import timezone

from guichet.audit.services import SYSTEM, Actor, audit_record

from .models import ApiClient, new_token, token_digest


def _actor(user) -> Actor:
    if user is None:
        return SYSTEM
    from guichet.accounts.services.common import actor_of

    return actor_of(user)


@transaction.atomic
def api_client_issue(
    *, name: str, kind: str, actor, token: str | None = None, is_demo: bool = False
) -> tuple[ApiClient, str]:
    """Creates a client and returns it with its token, shown once: only its digest is kept."""
    token = token or new_token()
    client = ApiClient.objects.create(
        name=name.strip(),
        kind=kind,
        token_digest=token_digest(token),
        token_hint=token[:4],
        created_by=actor,
        is_demo=is_demo,
    )
    audit_record(
        action="api_token_issued",
        actor=_actor(actor),
        object_type="api_client",
        object_id=client.pk,
        data={"kind": kind},
    )
    return client, token


@transaction.atomic
def api_client_revoke(*, client: ApiClient, actor) -> ApiClient:
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        audit_record(action="api_token_revoked", actor=_actor(actor), object_type="api_client", object_id=client.pk)
    return client


def api_client_for_token(*, token: str | None, kind: str) -> ApiClient | None:
    if not token:
        return None
    return ApiClient.objects.filter(token_digest=token_digest(token), kind=kind, revoked_at__isnull=True).first()
