"""Two counters consuming the same stamp at the same instant: exactly one wins (PostgreSQL only)."""

import threading

import pytest
from django.db import connection, connections

from guichet.dossiers.services import dossier_create
from guichet.payments import services
from guichet.payments.errors import StampRefused
from guichet.payments.models import FiscalStamp, StampStatus

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_concurrent_consumption_of_one_stamp_lets_exactly_one_dossier_use_it(
    regulated_values, citizen, other_citizen, test_procedure
):
    dossiers = [
        dossier_create(procedure=test_procedure.code, applicant=person, actor=person)
        for person in (citizen, other_citizen)
    ]
    stamp = services.stamp_purchase(amount_cents=8600, actor=citizen)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def consume(dossier) -> None:
        barrier.wait()
        try:
            services.stamp_consume(number=stamp.number, dossier=dossier, actor=None, amount_cents=8600)
            outcomes.append("used")
        except StampRefused as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=consume, args=(dossier,)) for dossier in dossiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["stamp_already_used", "used"]
    stamp = FiscalStamp.objects.get(pk=stamp.pk)
    assert stamp.status == StampStatus.CONSUMED
    assert stamp.consumed_for_dossier_id in {d.pk for d in dossiers}
