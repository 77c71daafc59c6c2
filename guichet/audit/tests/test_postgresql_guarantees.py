"""What PostgreSQL guarantees beyond the application: the trigger, and a valid chain under concurrency."""

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from guichet.audit.models import AuditAction, AuditEntry
from guichet.audit.services import Actor, audit_record
from guichet.audit.verification import audit_chain_problems

from .conftest import TABLE, skip_unless_postgresql

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
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def writer(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            for step in range(per_thread):
                audit_record(
                    action=AuditAction.DOSSIER_VIEWED,
                    actor=Actor(user_id=index, role="instructor"),
                    dossier_id=index,
                    data={"step": step},
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, threads_count * per_thread + 1))
    assert list(audit_chain_problems()) == []
