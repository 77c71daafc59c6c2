"""What PostgreSQL guarantees beyond the application: the trigger, and a valid chain under concurrency."""

import itertools

import pytest
from django.db import DatabaseError, connection, transaction

from guichet.audit.models import AuditAction, AuditEntry
from guichet.audit.services import Actor, audit_record
from guichet.audit.verification import audit_chain_problems
from guichet.testing.concurrency import run_together, skip_unless_postgresql

from .conftest import TABLE

pytestmark = pytest.mark.postgres_only

AGENT = Actor(user_id=3, role="mairie_agent", organisation="Mairie de Pau")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql", ["UPDATE {table} SET dossier_id = 1", "DELETE FROM {table}", "DELETE FROM {table} WHERE sequence = 1"]
)
def test_trigger_refuses_raw_update_and_delete(sql):
    skip_unless_postgresql()
    audit_record(action=AuditAction.LOGIN, actor=AGENT, dossier_id=7)
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql.format(table=TABLE))
    assert AuditEntry.objects.get().dossier_id == 7


@pytest.mark.django_db(transaction=True)
def test_concurrent_records_from_several_threads_keep_a_valid_chain():
    skip_unless_postgresql()
    threads_count, per_thread = 4, 15
    indexes = itertools.count()

    def writer() -> None:
        index = next(indexes)
        for step in range(per_thread):
            audit_record(
                action=AuditAction.DOSSIER_VIEWED,
                actor=Actor(user_id=index, role="instructor"),
                dossier_id=index,
                data={"step": step},
            )

    assert run_together(threads_count, writer) == [None] * threads_count
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, threads_count * per_thread + 1))
    assert list(audit_chain_problems()) == []


@pytest.mark.django_db(transaction=True)
def test_a_journaled_read_outside_a_transaction_is_one_statement_that_commits_at_once():
    """The chain's lock (the head row) is held for this statement and its commit only: no BEGIN, no savepoint,
    no round trip while it is held."""
    skip_unless_postgresql()
    from django.test.utils import CaptureQueriesContext

    audit_record(action=AuditAction.LOGIN, actor=AGENT)  # creates the head row
    with CaptureQueriesContext(connection) as captured:
        entry = audit_record(action=AuditAction.DOSSIER_VIEWED, actor=AGENT, dossier_id=4)
    assert len(captured) == 1 and captured[0]["sql"].lstrip().startswith("WITH head AS")
    assert connection.get_autocommit() and entry.sequence == 2
    assert list(audit_chain_problems()) == []


@pytest.mark.django_db
def test_inside_a_transaction_the_entry_joins_it_without_a_savepoint(django_assert_num_queries):
    skip_unless_postgresql()
    audit_record(action=AuditAction.LOGIN, actor=AGENT)
    with django_assert_num_queries(1):
        audit_record(action=AuditAction.DOSSIER_CHANGED, actor=AGENT, dossier_id=4)
    assert list(audit_chain_problems()) == []


@pytest.mark.django_db(transaction=True)
def test_writers_inside_and_outside_transactions_keep_a_valid_chain_from_an_empty_journal():
    """Journaled reads (autocommit) and state changes (entries inside a longer transaction) at once, starting
    without a head row: the first writers race to create it."""
    skip_unless_postgresql()
    threads_count, per_thread = 6, 10
    indexes = itertools.count()

    def writer() -> None:
        index = next(indexes)
        for step in range(per_thread):
            if index % 2:
                with transaction.atomic():
                    audit_record(action=AuditAction.DOSSIER_CHANGED, actor=AGENT, dossier_id=index)
                    AuditEntry.objects.filter(dossier_id=index).count()  # more work while the chain is held
                    audit_record(action=AuditAction.DOSSIER_TRANSITION, actor=AGENT, data={"step": step})
            else:
                audit_record(
                    action=AuditAction.DOSSIER_VIEWED,
                    actor=Actor(user_id=index, role="instructor", organisation="CERT « Île »"),
                    dossier_id=index,
                    data={"step": step, "text": 'é\\"😀'},
                )

    assert run_together(threads_count, writer) == [None] * threads_count
    expected = (threads_count // 2) * per_thread * 2 + (threads_count - threads_count // 2) * per_thread
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, expected + 1))
    assert list(audit_chain_problems()) == []


@pytest.mark.django_db
def test_a_failed_append_inside_a_transaction_fails_that_transaction():
    skip_unless_postgresql()
    audit_record(action=AuditAction.LOGIN, actor=AGENT)
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:  # a head behind the journal: the next sequence number is taken
            cursor.execute("UPDATE audit_audithead SET sequence = 0")
        audit_record(action=AuditAction.LOGOUT, actor=AGENT)
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [AuditAction.LOGIN]
