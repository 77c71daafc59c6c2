"""Journaling shared by the appointment services."""

from typing import Any

from guichet.audit.services import SYSTEM, Actor, audit_record


def _audit_actor(actor: Any) -> Actor:
    if isinstance(actor, Actor):
        return actor
    if actor is None or not getattr(actor, "is_authenticated", False):
        return SYSTEM
    from guichet.accounts.services.common import actor_of

    return actor_of(actor)


def _journal(action: str, actor: Any, *, object_type: str, object_id: str | int, data: dict | None = None) -> None:
    audit_record(action=action, actor=_audit_actor(actor), object_type=object_type, object_id=object_id, data=data)
