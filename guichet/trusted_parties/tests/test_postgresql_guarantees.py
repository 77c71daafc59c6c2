"""What PostgreSQL guarantees for the registry: the history's trigger; one winner when two admins grant the same number
(or a second approval for the same place) at the same instant; never zero managers when two remove each other."""

import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from guichet.accounts.models import RoleAssignment, User
from guichet.accounts.roles import Role
from guichet.core.exceptions import InvalidInput
from guichet.testing.trusted_parties import ensure_approval, make_manager, siret_with_key
from guichet.trusted_parties.models import Approval, ApprovalEvent
from guichet.trusted_parties.operations import Operation
from guichet.trusted_parties.selectors import staff_assignments
from guichet.trusted_parties.services import approval_grant, approval_suspend, staff_remove

from .conftest import new_place

pytestmark = pytest.mark.postgres_only


def _skip_unless_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("proves a PostgreSQL guarantee: set DATABASE_URL to run it")


def _grant(place, admin, number="H03500042"):
    today = timezone.localdate()
    return approval_grant(
        place=place,
        number=number,
        holder_name="Garage SAS",
        holder_siret=siret_with_key("7328293200007"),
        operations=[Operation.NEW_VEHICLE_REGISTRATION],
        valid_from=today,
        valid_until=today + timedelta(days=365),
        reason="Convention signée",
        actor=admin,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("sql", ["UPDATE {table} SET reason = 'réécrit'", "DELETE FROM {table}"])
def test_the_history_trigger_refuses_raw_update_and_delete(garage, admin, sql):
    _skip_unless_postgresql()
    approval_suspend(approval=_grant(garage, admin), reason="Contrôle en cours", actor=admin)
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql.format(table=ApprovalEvent._meta.db_table))
    assert list(ApprovalEvent.objects.values_list("reason", flat=True)) == ["Convention signée", "Contrôle en cours"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same", ["number", "place"])
def test_parallel_grants_of_one_number_or_one_place_exactly_one_wins(department, admin, same):
    _skip_unless_postgresql()
    places = [new_place(department, "car_professional", f"Garage {index}") for index in range(4)]
    barrier = threading.Barrier(len(places))
    outcomes: list[object] = []
    lock = threading.Lock()

    def attempt(index: int) -> None:
        place = places[0] if same == "place" else places[index]
        number = f"H0350010{index}" if same == "place" else "H03500100"
        try:
            barrier.wait(timeout=10)
            outcome: object = _grant(place, admin, number=number)
        except Exception as error:
            outcome = error
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(index,)) for index in range(len(places))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [outcome for outcome in outcomes if isinstance(outcome, Approval)]
    losers = [outcome for outcome in outcomes if not isinstance(outcome, Approval)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(loser, InvalidInput) for loser in losers), losers
    assert Approval.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_managers_removing_each_other_at_once_leave_one_manager(garage, admin):
    _skip_unless_postgresql()
    ensure_approval(garage)
    managers = []
    for email in ("un@garage.fr", "deux@garage.fr"):
        user = User.objects.create_user(email, "Un-Mot-De-Passe-Solide-2026")
        assignment = RoleAssignment.objects.create(user=user, role=Role.CAR_PROFESSIONAL_STAFF, place=garage)
        make_manager(assignment)
        managers.append((user, assignment))
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def remove(actor, target) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(staff_remove(assignment=target, actor=actor))
        except Exception as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    (first, first_role), (second, second_role) = managers
    threads = [
        threading.Thread(target=remove, args=(first, second_role)),
        threading.Thread(target=remove, args=(second, first_role)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert staff_assignments(place=garage).count() == 1, outcomes
    assert sum(isinstance(outcome, Exception) for outcome in outcomes) == 1, outcomes
