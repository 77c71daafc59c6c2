"""The per-user session registry."""

from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guichet.audit.models import AuditAction
from guichet.audit.services import audit_record
from guichet.core.exceptions import ObjectNotFound

from ..models import (
    User,
    UserSession,
)
from ..user_agents import user_agent_summary
from .common import actor_of


def _session_store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)


@transaction.atomic
def user_session_register(*, user: User, session_key: str, user_agent: str) -> UserSession:
    browser, system = user_agent_summary(user_agent or "")
    # Forget this account's sessions that have expired or were closed elsewhere (e.g. by `clearsessions`).
    for stale in UserSession.objects.filter(user=user).exclude(session_key=session_key):
        if not session_is_alive(session=stale):
            stale.delete()
    session, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "browser": browser,
            "operating_system": system,
            "signed_in_on": timezone.localdate(),
            "created_at": timezone.now(),
        },
    )
    return session


@transaction.atomic
def user_session_rekey(*, user: User, old_key: str | None, new_key: str | None) -> None:
    """Follows a session whose key was rotated (password change)."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(user=user, session_key=old_key).update(session_key=new_key)


def session_is_alive(*, session: UserSession) -> bool:
    data = _session_store(session.session_key).load()
    return str(data.get("_auth_user_id", "")) == str(session.user_id)


@transaction.atomic
def user_session_end(*, user: User, session_id: int, current_session_key: str | None, actor: User) -> None:
    """Ends another of the user's sessions: the stored session is deleted, so its cookie no longer works."""
    session = UserSession.objects.filter(pk=session_id, user=user).first()
    if session is None or session.session_key == current_session_key:
        raise ObjectNotFound
    _session_store(session.session_key).delete()
    session.delete()
    audit_record(
        action=AuditAction.SESSION_ENDED,
        actor=actor_of(actor),
        subject_user_id=user.pk,
        object_type="user_session",
        object_id=session_id,
    )


@transaction.atomic
def user_sessions_end_others(*, user: User, current_session_key: str | None, actor: User) -> int:
    others = list(UserSession.objects.filter(user=user).exclude(session_key=current_session_key or ""))
    for session in others:
        _session_store(session.session_key).delete()
        session.delete()
    if others:
        audit_record(
            action=AuditAction.SESSION_ENDED,
            actor=actor_of(actor),
            subject_user_id=user.pk,
            data={"count": len(others)},
        )
    return len(others)
