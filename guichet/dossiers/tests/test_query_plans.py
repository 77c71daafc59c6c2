"""The plans PostgreSQL can use for the two hottest lists, checked with sequential scans switched off (so that a
tiny test table cannot hide a plan that would read every dossier of a national database)."""

import pytest
from django.db import connection, transaction

from guichet.dossiers.models import AccessRole
from guichet.dossiers.selectors import citizen_dashboard, dossier_list_for_citizen, instruction_queue
from guichet.dossiers.services import dossier_access_grant

from .test_selectors import _queue_world

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("query plans are PostgreSQL's (set DATABASE_URL)")


def test_a_citizens_dossiers_are_found_through_indexes_not_by_reading_every_dossier(
    postgresql, citizen, other_citizen, personas, make_dossier
):
    mine = make_dossier(citizen, "draft")
    represented = make_dossier(other_citizen, "submitted")
    dossier_access_grant(dossier=represented, user=citizen, role=AccessRole.REPRESENTATIVE, actor=other_citizen)
    assert set(dossier_list_for_citizen(user=citizen)) == {mine, represented}
    plan = _plan(dossier_list_for_citizen(user=citizen))
    # The applicant's rows come from an index lookup, not from a filter over every dossier.
    assert "Index Cond: (applicant_id = " in plan or "Index Cond: (u0.applicant_id = " in plan, plan
    assert "Filter: ((applicant_id = " not in plan, plan


def test_the_dashboard_is_one_query(citizen, make_dossier, django_assert_num_queries):
    for status in ("draft", "submitted"):
        make_dossier(citizen, status)
    with django_assert_num_queries(1):
        citizen_dashboard(user=citizen)


def test_queue_pages_walk_the_partial_queue_index_from_the_cursor(postgresql, citizen, personas, make_dossier):
    _queue_world(citizen, make_dossier, 5)
    instructor = personas["instructor"]
    first = instruction_queue(user=instructor, page_size=2)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        instruction_queue(user=instructor, page_size=2, cursor=first.next_cursor)
    page_sql = next(q["sql"] for q in captured.captured_queries if 'FROM "dossiers_dossier"' in q["sql"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + page_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "dossier_queue_by_submission" in plan
    assert "submitted_at >=" in plan  # the scan starts at the cursor instead of the beginning of the queue


def test_queue_pages_are_planned_for_their_own_cursor_even_once_the_statement_is_prepared(
    postgresql, citizen, personas, make_dossier
):
    # Repeated statements are prepared (config/settings/base.py); a generic plan cannot see where the cursor points
    # and read 50 ms of queue instead of 3 on the national dataset. Every page must get a plan of its own.
    if not connection.settings_dict["OPTIONS"].get("server_side_binding"):
        pytest.skip("statements are not prepared (DATABASE_SERVER_SIDE_BINDING=false)")
    _queue_world(citizen, make_dossier, 5)
    instructor = personas["instructor"]
    first = instruction_queue(user=instructor, page_size=1)
    with connection.cursor() as cursor:
        # On a few test rows PostgreSQL would keep custom plans anyway; at national scale it chose the generic one.
        # (The test runs in one transaction: SET LOCAL lasts until its end.)
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
    for _page in range(8):
        instruction_queue(user=instructor, page_size=1, cursor=first.next_cursor)
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"  # the queue put back the setting it found
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s AND statement LIKE %s",
            ['%FROM "dossiers_dossier"%', "%ORDER BY%submitted_at%"],
        )
        plans = cursor.fetchall()
    assert plans, "the queue statement was not prepared: the setting this test guards is off"
    assert all(generic == 0 and custom > 0 for generic, custom in plans), plans
