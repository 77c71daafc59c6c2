"""Two people acting on the same dossier at the same instant: exactly one wins (PostgreSQL only)."""

import threading

import pytest
from django.db import connection, connections

from guichet.dossiers.models import Dossier, DossierEvent, EventKind
from guichet.dossiers.services import StaleDossier, dossier_transition
from guichet.dossiers.workflow import Status

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_concurrent_transitions_on_one_dossier_let_exactly_one_win(citizen, personas, make_dossier):
    dossier = make_dossier(citizen, "submitted")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(name: str, actor) -> None:
        seen = Dossier.objects.get(pk=dossier.pk)
        barrier.wait()
        try:
            dossier_transition(dossier=seen, name=name, actor=actor)
            outcomes[name] = "done"
        except StaleDossier:
            outcomes[name] = "stale"
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=act, args=("start_instruction", personas["instructor"])),
        threading.Thread(target=act, args=("withdraw", citizen)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["done", "stale"]
    dossier.refresh_from_db()
    winner = next(name for name, outcome in outcomes.items() if outcome == "done")
    assert dossier.status == {"start_instruction": Status.IN_INSTRUCTION, "withdraw": Status.WITHDRAWN}[winner]
    assert dossier.version == 3
    assert DossierEvent.objects.filter(dossier=dossier, kind=EventKind.TRANSITION).count() == 2
