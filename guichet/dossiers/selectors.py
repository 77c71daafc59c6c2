"""Reads for pages and the API. Nothing here writes."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.db import connection, transaction
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.roles import Role
from guichet.audit.models import AuditAction, AuditEntry
from guichet.core.exceptions import InvalidInput

from . import registry, timeline
from .models import Document, Dossier, DossierEvent
from .policy import CITIZEN_CAPACITIES, INSTRUCTION_CAPACITIES, DossierPolicy
from .workflow import OPEN_STATUSES, QUEUE_STATUSES, Actor, Status

# --- citizen ------------------------------------------------------------------------------------------------------


# What a dossier card of "Mes démarches" shows (citizen/includes/dossier_list.html): not the form data, whose JSON
# would be read and decoded for every card, nor the département.
CITIZEN_CARD_FIELDS = ("reference", "procedure", "status", "updated_at")


def dossier_list_for_citizen(*, user: Any) -> QuerySet[Dossier]:
    """The dossiers a person follows as applicant or representative, most recently changed first, as cards."""
    return (
        DossierPolicy.visible_to(user, capacities=CITIZEN_CAPACITIES)
        .only(*CITIZEN_CARD_FIELDS)
        .order_by("-updated_at", "-id")
    )


class DossierGroup:
    """The three groups of "Mes démarches", as they appear in its URLs."""

    DRAFTS = "brouillons"
    IN_PROGRESS = "en-cours"
    FINISHED = "terminees"
    ALL = (DRAFTS, IN_PROGRESS, FINISHED)


# Cards shown per group on the dashboard; the rest is one link away (citizen_dossier_group). A person who made
# hundreds of requests over the years still gets a page of the same size.
DASHBOARD_GROUP_SIZE = 6


def _group_filter(group: str) -> Q:
    """Which dossiers belong to `group`: the one statement of the rule, for the dashboard and the group pages."""
    if group == DossierGroup.DRAFTS:
        return Q(status=Status.DRAFT)
    if group == DossierGroup.IN_PROGRESS:
        return Q(status__in=sorted(OPEN_STATUSES - {Status.DRAFT}))
    return ~Q(status__in=sorted(OPEN_STATUSES))


def _group_of_status() -> Case:
    return Case(
        *(When(_group_filter(group), then=Value(group)) for group in (DossierGroup.DRAFTS, DossierGroup.IN_PROGRESS)),
        default=Value(DossierGroup.FINISHED),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class DashboardGroup:
    items: Sequence[Dossier]  # the most recently changed, at most DASHBOARD_GROUP_SIZE
    total: int

    @property
    def has_more(self) -> bool:
        return self.total > len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True)
class Dashboard:
    drafts: DashboardGroup
    in_progress: DashboardGroup
    finished: DashboardGroup

    @property
    def is_empty(self) -> bool:
        return not (self.drafts or self.in_progress or self.finished)


def citizen_dashboard(*, user: Any, group_size: int = DASHBOARD_GROUP_SIZE) -> Dashboard:
    """The latest dossiers of each group and each group's size, in one query whatever the number of dossiers."""
    order = [F("updated_at").desc(), F("id").desc()]
    rows = list(
        dossier_list_for_citizen(user=user)
        .annotate(group=_group_of_status())
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("group")], order_by=order),
            group_total=Window(Count("id"), partition_by=[F("group")]),
        )
        .filter(rank__lte=group_size)
        .order_by("-updated_at", "-id")
    )

    def group(name: str) -> DashboardGroup:
        items = [row for row in rows if row.group == name]
        return DashboardGroup(items=items, total=items[0].group_total if items else 0)

    return Dashboard(
        drafts=group(DossierGroup.DRAFTS),
        in_progress=group(DossierGroup.IN_PROGRESS),
        finished=group(DossierGroup.FINISHED),
    )


def citizen_dossier_group(*, user: Any, group: str) -> QuerySet[Dossier]:
    """Every dossier of one dashboard group, most recently changed first (the page behind "Voir tout")."""
    if group not in DossierGroup.ALL:
        raise InvalidInput(_("Cette liste de démarches n'existe pas."), code="unknown_dossier_group")
    return dossier_list_for_citizen(user=user).filter(_group_filter(group))


def dossier_timeline(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return DossierEvent.objects.filter(dossier=dossier).order_by("created_at", "id")


def dossier_documents(*, dossier: Dossier) -> QuerySet[Document]:
    return Document.objects.filter(dossier=dossier).order_by("uploaded_at", "id")


_ROLE_LABELS: dict[str, Any] = {
    **{value: label for value, label in Actor.choices},
    **{value: label for value, label in Role.choices if value != Role.CITIZEN},
    "": gettext_lazy("Non précisé"),
}


# The `change` recorded with DOSSIER_CHANGED entries, in words the applicant understands.
_CHANGE_LABELS: dict[str, Any] = {
    "created": gettext_lazy("Dossier créé"),
    "assigned": gettext_lazy("Dossier pris en charge par un instructeur"),
}


@dataclass(frozen=True)
class AccessLogRow:
    created_at: datetime
    action: str
    action_label: str
    role_label: str
    organisation: str


def dossier_access_log(*, dossier: Dossier) -> list[AccessLogRow]:
    """Who viewed or changed the dossier: a role, an organisation, an action and a date — never a name."""
    action_labels = dict(AuditAction.choices)
    procedure = registry.get_or_generic(dossier.procedure)

    def label(action: str, data: dict[str, Any] | None) -> str:
        if action != AuditAction.DOSSIER_CHANGED:
            return str(action_labels.get(action, action))
        change = str((data or {}).get("change", ""))
        specific = timeline.change_label(change=change, procedure=procedure) or _CHANGE_LABELS.get(change)
        return str(specific or action_labels.get(action, action))

    rows = (
        AuditEntry.objects.filter(dossier_id=dossier.pk)
        .order_by("-sequence")
        .values_list("created_at", "action", "actor_role", "actor_organisation", "data")
    )
    return [
        AccessLogRow(
            created_at=created_at,
            action=action,
            action_label=label(action, data),
            role_label=str(_ROLE_LABELS.get(role, role)),
            # A relative has no organisation to show; a trusted party shows its establishment, as agents do.
            organisation=organisation if role not in (Actor.APPLICANT, Actor.REPRESENTATIVE) else "",
        )
        for created_at, action, role, organisation, data in rows
    ]


# --- instruction queue --------------------------------------------------------------------------------------------

_CURSOR_SALT = "guichet.dossiers.queue-cursor"
QUEUE_PAGE_SIZE = 25
QUEUE_ROW_FIELDS = (
    "reference",
    "procedure",
    "status",
    "submitted_at",
    "assigned_to_id",
    "department__code",
    "department__name",
)


class InvalidCursor(InvalidInput):
    code = "invalid_cursor"
    default_message = gettext_lazy(
        "Le lien de pagination n'est plus valide. Revenez à la première page de la liste des dossiers."
    )


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    procedure: str = ""
    department: str = ""


@dataclass(frozen=True)
class QueuePage:
    items: list[Dossier]
    next_cursor: str | None
    previous_cursor: str | None
    filters: QueueFilters


def _encode_cursor(dossier: Dossier, direction: str) -> str:
    assert dossier.submitted_at is not None
    return signing.dumps({"s": dossier.submitted_at.isoformat(), "i": dossier.pk, "d": direction}, salt=_CURSOR_SALT)


def _decode_cursor(cursor: str) -> tuple[datetime, int, str]:
    try:
        payload = signing.loads(cursor, salt=_CURSOR_SALT)
        submitted_at = parse_datetime(payload["s"])
        pk = int(payload["i"])
        direction = payload["d"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidCursor() from None
    if submitted_at is None or direction not in ("next", "previous"):
        raise InvalidCursor()
    return submitted_at, pk, direction


def queue_filters_clean(*, status: str = "", procedure: str = "", department: str = "") -> QueueFilters:
    status, procedure, department = (status or "").strip(), (procedure or "").strip(), (department or "").strip()
    if status and status not in QUEUE_STATUSES:
        raise InvalidInput(_("Ce statut ne peut pas être filtré dans la file d'instruction."), code="invalid_status")
    if procedure and procedure not in {p.code for p in registry.all_procedures()}:
        raise InvalidInput(_("Cette démarche n'existe pas."), code="unknown_procedure")
    if department and (len(department) > 3 or not department.isalnum()):
        raise InvalidInput(_("Ce code de département n'est pas valide."), code="invalid_department")
    return QueueFilters(status=status, procedure=procedure, department=department.upper())


@contextmanager
def _index_order_preferred() -> Iterator[None]:
    """On PostgreSQL, asks the planner to read the queue index in order rather than fetch every later row and
    sort them: it underestimates how many rows follow a cursor (queue rows are all recent) and would otherwise
    sort thousands of rows for a 25-row page deep in a national queue. Scoped to this query's statement.

    The page query is also planned for its own cursor every time, never with a plan prepared for any cursor
    (config/settings/base.py prepares repeated statements): a generic plan cannot tell how far into the queue the
    cursor points, and took 50 ms instead of 3 on the national dataset."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        # One statement each way; the settings in force before are put back (PostgreSQL evaluates the select list
        # from left to right, so current_setting reads them before set_config changes them).
        cursor.execute(
            "SELECT current_setting('enable_sort'), current_setting('plan_cache_mode'),"
            " set_config('enable_sort', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)"
        )
        enable_sort, plan_cache_mode, _sort, _plans = cursor.fetchone()
        try:
            yield
        finally:
            cursor.execute(
                "SELECT set_config('enable_sort', %s, true), set_config('plan_cache_mode', %s, true)",
                [enable_sort, plan_cache_mode],
            )


def instruction_queue(
    *, user: Any, filters: QueueFilters | None = None, cursor: str | None = None, page_size: int = QUEUE_PAGE_SIZE
) -> QueuePage:
    """The dossiers waiting for `user`'s instruction centre, oldest submission first, one page at a time.

    Keyset pagination on (submitted_at, id): every page costs the same, however deep, and the cursor is
    signed so that it cannot be forged. Always two queries: the page and nothing else.
    """
    filters = filters or QueueFilters()
    queryset = (
        DossierPolicy.visible_to(user, capacities=INSTRUCTION_CAPACITIES)
        .filter(status__in=sorted(QUEUE_STATUSES), submitted_at__isnull=False)
        .select_related("department")
        # Only what a queue row shows: not the dossier's form data (a JSON document per row) nor the assignee.
        .only(*QUEUE_ROW_FIELDS)
    )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.procedure:
        queryset = queryset.filter(procedure=filters.procedure)
    if filters.department:
        queryset = queryset.filter(department_id=filters.department)

    direction = "next"
    if cursor:
        submitted_at, pk, direction = _decode_cursor(cursor)
        # The first condition is implied by the second; it lets the database start its index scan at the cursor
        # instead of reading (and discarding) every earlier row: each page then costs the same at any depth.
        if direction == "next":
            queryset = queryset.filter(
                Q(submitted_at__gte=submitted_at),
                Q(submitted_at__gt=submitted_at) | Q(submitted_at=submitted_at, id__gt=pk),
            )
        else:
            queryset = queryset.filter(
                Q(submitted_at__lte=submitted_at),
                Q(submitted_at__lt=submitted_at) | Q(submitted_at=submitted_at, id__lt=pk),
            )
    ordering = ("submitted_at", "id") if direction == "next" else ("-submitted_at", "-id")
    with _index_order_preferred():
        rows = list(queryset.order_by(*ordering)[: page_size + 1])
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    if direction == "previous":
        rows.reverse()
        has_next, has_previous = bool(rows), has_more
    else:
        has_next, has_previous = has_more, bool(cursor) and bool(rows)
    return QueuePage(
        items=rows,
        next_cursor=_encode_cursor(rows[-1], "next") if rows and has_next else None,
        previous_cursor=_encode_cursor(rows[0], "previous") if rows and has_previous else None,
        filters=filters,
    )
