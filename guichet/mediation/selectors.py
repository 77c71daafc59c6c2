"""Activity of the places where people are helped, for the préfecture: counts and durations, nobody named."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db.models import Count, QuerySet
from django.utils import timezone

from guichet.territory.models import Department, Place

from .models import AssistedSession, AssistedStep, StepKind

# Steps that count as "a démarche done" in the statistics.
PROCEDURE_STEPS = frozenset({StepKind.DOSSIER_CREATED, StepKind.DOSSIER_FILED})


@dataclass
class PlaceActivity:
    place_id: int
    place_name: str
    place_kind: str
    sessions: int = 0
    ended_sessions: int = 0
    median_minutes: int | None = None
    total_minutes: int = 0
    steps: dict[str, int] = field(default_factory=dict)
    procedures: dict[str, int] = field(default_factory=dict)

    @property
    def procedures_total(self) -> int:
        return sum(self.procedures.values())


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def assisted_places_of_department(*, department: Department) -> QuerySet[Place]:
    return Place.objects.filter(department=department, assisted_sessions__isnull=False).distinct()


def assisted_activity(*, department: Department, start: date, end: date) -> list[PlaceActivity]:
    """Per place of `department` with sessions opened between `start` and `end` (inclusive): sessions, median
    duration of ended sessions, steps by kind and démarches by procedure. Reads no visitor or helper."""
    since, until = _bounds(start, end)
    sessions = AssistedSession.objects.filter(
        place__department=department, opened_at__gte=since, opened_at__lt=until
    ).select_related("place")
    by_place: dict[int, PlaceActivity] = {}
    durations: dict[int, list[float]] = {}
    for session in sessions.only("place__name", "place__kind", "opened_at", "ended_at", "place_id"):
        activity = by_place.setdefault(
            session.place_id, PlaceActivity(session.place_id, session.place.name, session.place.get_kind_display())
        )
        activity.sessions += 1
        if session.ended_at is not None:
            activity.ended_sessions += 1
            minutes = (session.ended_at - session.opened_at).total_seconds() / 60
            durations.setdefault(session.place_id, []).append(minutes)
            activity.total_minutes += round(minutes)
    for place_id, values in durations.items():
        by_place[place_id].median_minutes = round(median(values))
    steps = AssistedStep.objects.filter(session__in=sessions)
    for row in steps.order_by().values("session__place_id", "kind").annotate(count=Count("pk")):
        activity = by_place[row["session__place_id"]]
        activity.steps[row["kind"]] = row["count"]
    # A démarche counts once per place, whether it was started, filed, or both, in the period.
    done = (
        steps.filter(kind__in=sorted(PROCEDURE_STEPS))
        .exclude(procedure="")
        .order_by()
        .values_list("session__place_id", "procedure", "reference")
        .distinct()
    )
    for place_id, procedure, _reference in done:
        activity = by_place[place_id]
        activity.procedures[procedure] = activity.procedures.get(procedure, 0) + 1
    return sorted(by_place.values(), key=lambda a: (-a.sessions, a.place_name))
