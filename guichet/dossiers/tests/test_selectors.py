from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.audit.models import AuditEntry
from guichet.core.exceptions import InvalidInput
from guichet.dossiers.models import AccessRole, Dossier
from guichet.dossiers.selectors import (
    InvalidCursor,
    citizen_dashboard,
    citizen_dossier_group,
    dossier_access_log,
    instruction_queue,
    queue_filters_clean,
)
from guichet.dossiers.services import dossier_access_grant, dossier_record_view

pytestmark = pytest.mark.django_db


def test_dashboard_groups_drafts_open_and_finished(citizen, personas, other_citizen, make_dossier):
    draft = make_dossier(citizen, "draft")
    submitted = make_dossier(citizen, "submitted")
    refused = make_dossier(citizen, "refused", instructor=personas["instructor"])
    make_dossier(other_citizen, "draft")
    dashboard = citizen_dashboard(user=citizen)
    assert dashboard.drafts.items == [draft]
    assert dashboard.in_progress.items == [submitted]
    assert dashboard.finished.items == [refused]
    assert (dashboard.drafts.total, dashboard.in_progress.total, dashboard.finished.total) == (1, 1, 1)
    assert citizen_dashboard(user=personas["instructor"]).is_empty


def test_access_log_shows_roles_and_organisations_never_names(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    instructor = personas["instructor"]
    dossier_record_view(dossier=dossier, actor=instructor, role="instructor")
    rows = dossier_access_log(dossier=dossier)
    viewed = next(row for row in rows if row.action == "dossier_viewed")
    assert viewed.role_label == "Instructeur"
    assert viewed.organisation == "CERT titres d'identité de Rennes"
    rendered = repr(rows)
    assert instructor.last_name not in rendered and instructor.email not in rendered
    assert rows[0].created_at >= rows[-1].created_at  # newest first


def _queue_world(citizen, make_dossier, count):
    dossiers = [make_dossier(citizen, "submitted") for _ in range(count)]
    base = timezone.now() - timedelta(days=10)
    for index, dossier in enumerate(dossiers):
        # Two dossiers share each submission instant, so the id breaks the tie.
        Dossier.objects.filter(pk=dossier.pk).update(submitted_at=base + timedelta(minutes=index // 2))
    return [d.pk for d in Dossier.objects.order_by("submitted_at", "id")]


def test_queue_pages_forward_and_back_without_gaps_or_repeats(citizen, personas, make_dossier):
    expected = _queue_world(citizen, make_dossier, 7)
    instructor = personas["instructor"]
    seen: list[int] = []
    page = instruction_queue(user=instructor, page_size=3)
    assert page.previous_cursor is None
    while True:
        seen.extend(d.pk for d in page.items)
        if not page.next_cursor:
            break
        page = instruction_queue(user=instructor, page_size=3, cursor=page.next_cursor)
    assert seen == expected
    assert page.previous_cursor is not None
    back = instruction_queue(user=instructor, page_size=3, cursor=page.previous_cursor)
    assert [d.pk for d in back.items] == expected[3:6]
    first = instruction_queue(user=instructor, page_size=3, cursor=back.previous_cursor)
    assert [d.pk for d in first.items] == expected[:3]
    assert first.previous_cursor is None


def test_dashboard_shows_the_latest_of_each_group_and_counts_the_rest(citizen, personas, other_citizen, make_dossier):
    drafts = [make_dossier(citizen, "draft") for _ in range(4)]
    submitted = make_dossier(citizen, "submitted")
    make_dossier(other_citizen, "draft")
    for age, draft in enumerate(drafts):  # the first made is the most recently changed
        Dossier.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(hours=age))
    dashboard = citizen_dashboard(user=citizen, group_size=3)
    assert dashboard.drafts.items == drafts[:3]
    assert dashboard.drafts.total == 4 and dashboard.drafts.has_more
    assert dashboard.in_progress.items == [submitted] and not dashboard.in_progress.has_more
    assert not dashboard.finished and dashboard.finished.total == 0
    assert list(citizen_dossier_group(user=citizen, group="brouillons")) == drafts
    assert list(citizen_dossier_group(user=citizen, group="terminees")) == []
    with pytest.raises(InvalidInput):
        citizen_dossier_group(user=citizen, group="toutes")


def _selects(captured) -> int:
    # On PostgreSQL the page query is wrapped in planner settings (set_config, savepoint): not reads of a table.
    return sum(
        1 for query in captured if query["sql"].lstrip().upper().startswith("SELECT") and " FROM " in query["sql"]
    )


def test_queue_costs_the_same_number_of_queries_on_every_page(citizen, personas, make_dossier):
    _queue_world(citizen, make_dossier, 9)
    instructor = personas["instructor"]
    instructor = type(instructor).objects.get(pk=instructor.pk)
    with CaptureQueriesContext(connection) as first:
        page = instruction_queue(user=instructor, page_size=3)
        [d.department.name for d in page.items if d.department]
    with CaptureQueriesContext(connection) as second:
        page = instruction_queue(user=instructor, page_size=3, cursor=page.next_cursor)
        [d.department.name for d in page.items if d.department]
    assert _selects(first.captured_queries) == _selects(second.captured_queries) == 1


def test_queue_rows_read_what_the_row_shows_and_nothing_more(citizen, personas, make_dossier):
    _queue_world(citizen, make_dossier, 3)
    with CaptureQueriesContext(connection) as captured:
        page = instruction_queue(user=personas["instructor"], page_size=3)
        shown = [
            (d.reference, d.procedure, d.status, d.submitted_at, d.assigned_to_id, str(d.department))
            for d in page.items
        ]
    assert len(shown) == 3
    assert _selects(captured.captured_queries) == 1  # reading the row's fields loaded nothing more
    page_sql = next(q["sql"] for q in captured.captured_queries if 'FROM "dossiers_dossier"' in q["sql"])
    selected = page_sql.split(" FROM ")[0]
    # Neither the form data (a JSON document per dossier) nor the assignee's account is read for a list row.
    assert '"dossiers_dossier"."reference"' in selected
    assert '"dossiers_dossier"."data"' not in selected
    assert "accounts_user" not in page_sql


def test_queue_hides_drafts_and_other_departments_and_filters(citizen, personas, make_dossier, test_procedure):
    make_dossier(citizen, "draft")
    submitted = make_dossier(citizen, "submitted")
    in_instruction = make_dossier(citizen, "in_instruction", instructor=personas["instructor"])
    instructor = personas["instructor"]
    all_items = instruction_queue(user=instructor).items
    assert {d.pk for d in all_items} == {submitted.pk, in_instruction.pk}
    only = instruction_queue(user=instructor, filters=queue_filters_clean(status="submitted")).items
    assert [d.pk for d in only] == [submitted.pk]
    by_department = queue_filters_clean(department="29", procedure=test_procedure.code)
    assert instruction_queue(user=instructor, filters=by_department).items == []
    assert instruction_queue(user=personas["mairie_agent"]).items == []


def test_queue_refuses_bad_filters_and_forged_cursors(personas):
    for bad in ({"status": "draft"}, {"procedure": "nope"}, {"department": "35; DROP"}):
        with pytest.raises(InvalidInput):
            queue_filters_clean(**bad)
    for cursor in ("garbage", "eyJzIjoiMjAyNi0wMS0wMSIsImkiOjEsImQiOiJuZXh0In0:forged:sig", ""):
        if cursor:
            with pytest.raises(InvalidCursor) as error:
                instruction_queue(user=personas["instructor"], cursor=cursor)
            assert error.value.code == "invalid_cursor"


def test_mediator_grant_does_not_put_a_dossier_in_the_queue(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    dossier_access_grant(dossier=dossier, user=personas["mediator"], role=AccessRole.MEDIATOR, actor=citizen)
    assert instruction_queue(user=personas["mediator"]).items == []
    assert AuditEntry.objects.filter(dossier_id=dossier.pk).exists()


def test_access_log_names_creation_and_assignment_plainly(citizen, personas, make_dossier):
    from guichet.dossiers.services import dossier_assign

    dossier = make_dossier(citizen, "submitted")
    dossier_assign(dossier=dossier, actor=personas["instructor"])
    labels = [row.action_label for row in dossier_access_log(dossier=dossier)]
    assert labels[0] == "Dossier pris en charge par un instructeur"
    assert labels[-1] == "Dossier créé"
