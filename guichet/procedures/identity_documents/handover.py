"""Hand-over at the lodging mairie, reminders for titles not collected, and their destruction."""

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.audit.models import AuditAction
from guichet.audit.services import audit_record
from guichet.core.exceptions import InvalidInput, PermissionDenied
from guichet.core.regulated import regulated_value
from guichet.dossiers.models import AccessRole, Dossier
from guichet.dossiers.services import AccessAlreadyGranted, dossier_access_grant, dossier_transition
from guichet.dossiers.workflow import Status

from .counter import counter_places_of
from .counter.common import _agent_actor
from .counter_models import TitleProduction
from .models import Motive, PreDemandeTitle
from .production import title_available_notify

# Motives where the applicant still holds a previous title, which is surrendered at hand-over.
MOTIVES_WITH_OLD_TITLE = frozenset(
    {
        Motive.RENEWAL_EXPIRED,
        Motive.RENEWAL_EXPIRING,
        Motive.RENEWAL_CIVIL_STATUS,
        Motive.RENEWAL_ADDRESS,
        Motive.DAMAGE,
    }
)


def old_title_expected(dossier: Dossier) -> bool:
    link = PreDemandeTitle.objects.select_related("predemande").filter(dossier=dossier).first()
    return link is not None and link.predemande.motive in MOTIVES_WITH_OLD_TITLE


def titles_awaiting_collection(*, agent: Any):
    """Available titles waiting at the agent's mairies, oldest first."""
    places = counter_places_of(agent=agent)
    return (
        TitleProduction.objects.filter(
            place__in=places, dossier__status=Status.AVAILABLE, delivered_at__isnull=True, destroyed_at__isnull=True
        )
        .select_related("dossier", "place")
        .order_by("collect_before", "pk")
    )


@transaction.atomic
def title_deliver(
    *, dossier: Dossier, agent: Any, identity_checked: bool, old_title_surrendered: bool, now: datetime | None = None
) -> TitleProduction:
    """An agent of the mairie holding the title hands it over after checking the holder's identity."""
    now = now or timezone.now()
    production = TitleProduction.objects.select_for_update().select_related("place").get(dossier=dossier)
    if production.place not in counter_places_of(agent=agent):
        raise PermissionDenied(_("Ce titre est à retirer dans une autre mairie."), code="title_at_another_mairie")
    if not identity_checked:
        raise InvalidInput(
            _("Vérifiez l'identité de la personne venue retirer le titre, puis cochez la case."),
            code="identity_not_checked",
        )
    if old_title_expected(dossier) and not old_title_surrendered:
        raise InvalidInput(
            _("L'ancien titre doit être remis avant la remise du nouveau : cochez la case une fois récupéré."),
            code="old_title_not_surrendered",
        )
    with contextlib.suppress(AccessAlreadyGranted):
        dossier_access_grant(dossier=dossier, user=agent, role=AccessRole.MAIRIE_AGENT, actor=agent, reason="remise")
    dossier.refresh_from_db()
    dossier_transition(
        dossier=dossier,
        name="deliver",
        actor=agent,
        data={
            "identity_checked": True,
            "old_title_surrendered": bool(old_title_surrendered),
            "place": production.place.name,
        },
    )
    production.delivered_at = now
    production.identity_checked = True
    production.old_title_surrendered = bool(old_title_surrendered)
    production.save(update_fields=["delivered_at", "identity_checked", "old_title_surrendered", "updated_at"])
    audit_record(
        action=AuditAction.DOSSIER_CHANGED,
        actor=_agent_actor(agent, production.place, dossier.applicant_id),
        dossier_id=dossier.pk,
        subject_user_id=dossier.applicant_id,
        object_type="title_production",
        object_id=production.pk,
        data={"change": "title_handed_over", "old_title_surrendered": bool(old_title_surrendered)},
    )
    return production


@dataclass(frozen=True)
class UncollectedRun:
    reminded: int
    destroyed: int


def titles_uncollected_process(*, now: datetime | None = None) -> UncollectedRun:
    """Reminds before the deadline (once per configured step), then destroys titles not collected in time.
    Running it twice on the same day changes nothing more."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminder_days = sorted(
        (int(d) for d in regulated_value("identity.collection.reminder_days_before", on=today)), reverse=True
    )
    reminded = destroyed = 0
    waiting = TitleProduction.objects.filter(
        available_at__isnull=False, delivered_at__isnull=True, destroyed_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(waiting):
        with transaction.atomic():
            job = TitleProduction.objects.select_for_update().select_related("dossier", "place").get(pk=pk)
            if job.delivered_at or job.destroyed_at or job.dossier.status != Status.AVAILABLE:
                continue
            if job.collect_before is not None and today >= job.collect_before:
                dossier_transition(
                    dossier=job.dossier,
                    name="destroy",
                    actor=None,
                    data={"reason": _("Titre non retiré dans le délai : détruit.")},
                )
                job.destroyed_at = now
                job.save(update_fields=["destroyed_at", "updated_at"])
                destroyed += 1
                continue
            deadline = job.collect_before
            if deadline is None:
                continue
            due = len([days for days in reminder_days if deadline - timedelta(days=days) <= today])
            if due > job.reminders_sent:
                title_available_notify(production=job, event_key=f"title-reminder-{job.dossier_id}-{due}")
                job.reminders_sent = due
                job.last_reminder_at = now
                job.save(update_fields=["reminders_sent", "last_reminder_at", "updated_at"])
                reminded += 1
    return UncollectedRun(reminded=reminded, destroyed=destroyed)
