"""Demo data for assisted sessions (idempotent): a visitor the mediator can find, an active mandate of the demo
citizen to the préfecture's point numérique, and a few past sessions so that the préfecture's activity page has
something to show. The mediator persona (Inès Moreau) opens a live session from « Médiation »."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from guichet.accounts.models import User
from guichet.mandates.models import ConsentMethod, Mandate, MandateKind
from guichet.mandates.services import CONSENT_SENTENCE, mandate_consent_confirm, mandate_propose
from guichet.mediation.models import AssistedSession, AssistedStep, EndReason, StepKind
from guichet.territory.models import Place

DEMO_VISITOR = ("josiane.lebihan@demo.guichet.fr", "Josiane", "Le Bihan", "+33612000001")
# (days ago, minutes, steps, procedure) of the past sessions shown on the préfecture's activity page.
PAST_SESSIONS = (
    (2, 35, (StepKind.ACCOUNT_CREATED, StepKind.IDENTITY_VERIFIED, StepKind.MANDATE_CONSENTED), "cni"),
    (3, 20, (StepKind.ACCOUNT_FOUND, StepKind.MANDATE_CONSENTED, StepKind.RECEIPT_PRINTED), "passeport"),
    (6, 45, (StepKind.ACCOUNT_FOUND, StepKind.IDENTITY_VERIFIED), "cni"),
    (9, 15, (StepKind.ACCOUNT_FOUND,), ""),
)


def _visitor(password: str) -> User:
    email, first_name, last_name, mobile = DEMO_VISITOR
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "mobile_phone": mobile,
            "email_verified_at": timezone.now(),
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _past_sessions(place: Place, helper: User) -> int:
    if AssistedSession.objects.filter(place=place).exists():
        return 0
    now = timezone.now()
    for days_ago, minutes, steps, procedure in PAST_SESSIONS:
        opened = now - timedelta(days=days_ago, hours=3)
        session = AssistedSession.objects.create(
            place=place,
            helper=helper,
            opened_at=opened,
            last_activity_at=opened + timedelta(minutes=minutes),
            ended_at=opened + timedelta(minutes=minutes),
            end_reason=EndReason.CLOSED,
        )
        for kind in steps:
            AssistedStep.objects.create(session=session, kind=kind, created_at=opened)
        if procedure:
            AssistedStep.objects.create(
                session=session,
                kind=StepKind.DOSSIER_CREATED,
                procedure=procedure,
                reference=f"DEMO{days_ago:06d}",
                created_at=opened,
            )
    return len(PAST_SESSIONS)


def seed_demo_mediation(
    *, places: dict[str, Place], mediator: User, citizen: User, password: str, progress: Callable[[str], None]
) -> None:
    point = places["pn_prefecture"]
    visitor = _visitor(password)
    created = _past_sessions(point, mediator)
    if not Mandate.objects.active().filter(citizen=citizen, holder=point).exists():
        mandate = mandate_propose(
            holder=point,
            citizen=citizen,
            kind=MandateKind.MEDIATION,
            procedures=["passeport"],
            duration="three_months",
            consent_method=ConsentMethod.TYPED,
            actor=mediator,
        )
        mandate_consent_confirm(mandate=mandate, code_or_text=CONSENT_SENTENCE, actor=mediator)
    progress(
        f"médiation : visiteur {visitor.email} à retrouver, {created} sessions passées, "
        f"mandat passeport de {citizen.email} à « {point.name} »"
    )
