"""Issuing and revoking API tokens; looking a token up. Platform admins act here (admin site or command)."""

from django.db import transaction
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


def api_client_for_token(*, token: str | None, kind: str) -> ApiClient | None:
    if not token:
        return None
    # Looked up at every call, never cached: a revoked token is refused on its next request.
    clients = ApiClient.objects.filter(token_digest=token_digest(token), kind=kind, revoked_at__isnull=True)
    if kind == ClientKind.PROFESSIONAL:
        # Only a professional's token has an organisation (a check constraint), which its calls read.
        clients = clients.select_related("place")
    # token_digest is unique: no ordering needed to take the one row.
    return next(iter(clients[:1]), None)


def api_clients_of_place(*, place) -> list[ApiClient]:
    """A professional organisation's tokens still in use, newest first."""
    return list(ApiClient.objects.filter(place=place, revoked_at__isnull=True).order_by("-created_at"))
