"""How many queries the instruction pages cost (issue 5): pinned, so that a change that adds some is a choice.

The first request of a client refreshes the session (at most once a minute): each count is taken on a later one.
The counts include the session, the user, the second factor and the user's roles (4 queries), and the journal
entry of each dossier opening (one statement on PostgreSQL, its transaction on SQLite)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.accounts.models import VerifiedIdentity
from guichet.audit.models import AuditAction, AuditEntry
from guichet.dossiers.services import dossier_transition
from guichet.dossiers.workflow import Status
from guichet.instruction.services import complement_request
from guichet.procedures.identity_documents.tests.counter_factories import (
    ALL_ORIGINALS,
    stamps_for,
    validated_predemande,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructor_client(verified_client, personas):
    client = verified_client(personas["instructor"])
    client.get(reverse("instruction:home"))  # the session refresh
    return client


def _vendor(*, sqlite: int, postgresql: int) -> int:
    return postgresql if connection.vendor == "postgresql" else sqlite


def _count(client, url: str, *, data=None, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code == status
    return len(captured)


@pytest.fixture
def lodged_cni(personas):
    """A CNI dossier from a pré-demande lodged at the counter, in instruction, with a verified identity."""
    from guichet.procedures.identity_documents.counter import (
        counter_capture,
        counter_lodge,
        counter_place_of,
        counter_session_open,
    )

    citizen, agent = personas["citizen"], personas["mairie_agent"]
    predemande = validated_predemande(applicant=citizen)
    place = counter_place_of(agent=agent)
    assert place is not None
    session = counter_capture(
        session=counter_session_open(predemande=predemande, agent=agent, place=place), agent=agent
    )
    result = counter_lodge(session=session, agent=agent, checked_originals=ALL_ORIGINALS, stamps=stamps_for(predemande))
    VerifiedIdentity.objects.get_or_create(
        user=citizen,
        defaults={"family_name": "Martin", "given_name": "Camille", "source": VerifiedIdentity.Source.FRANCECONNECT},
    )
    return dossier_transition(dossier=result.dossiers[0], name="start_instruction", actor=personas["instructor"])


def test_dossier_view_of_a_generic_dossier(instructor_client, citizen, make_dossier):
    dossier = make_dossier(citizen, "in_instruction")
    url = reverse("instruction:dossier_detail", args=[dossier.reference])
    # 4 (session, user, device, roles) + dossier with its applicant and the roles' facts + journal + documents +
    # timeline. The organisation the journal names comes from the roles already read.
    assert _count(instructor_client, url) == _vendor(sqlite=12, postgresql=8)
    assert AuditEntry.objects.filter(action=AuditAction.DOSSIER_VIEWED, dossier_id=dossier.pk).count() == 1


def test_dossier_view_of_an_identity_dossier_with_its_checks(instructor_client, lodged_cni, personas):
    url = reverse("instruction:dossier_detail", args=[lodged_cni.reference])
    expected = _vendor(sqlite=15, postgresql=11)  # + the link (pré-demande, identity, open request) + 2 checks
    assert _count(instructor_client, url) == expected
    complement_request(dossier=lodged_cni, actor=personas["instructor"], reason="Photo floue")
    page = instructor_client.get(url).content.decode()
    assert "Photo floue" in page
    assert _count(instructor_client, url) == expected


def test_identity_decision_get_and_post(instructor_client, lodged_cni):
    url = reverse("instruction:identity_decide", args=[lodged_cni.reference, "accept"])
    # 4 + dossier with the roles' facts + the motives.
    assert _count(instructor_client, url) == 6
    posted = _count(instructor_client, url, data={"motive": "conditions_met", "comment": ""}, status=302)
    assert posted == _vendor(sqlite=29, postgresql=25)
    lodged_cni.refresh_from_db()
    assert lodged_cni.status == Status.ACCEPTED


def test_queue_page(instructor_client, citizen, make_dossier):
    for _ in range(3):
        make_dossier(citizen, "submitted")
    assert _count(instructor_client, reverse("instruction:home")) == _vendor(sqlite=5, postgresql=9)


def test_the_decision_journal_entry_is_the_last_statement_before_commit(instructor_client, lodged_cni):
    """The journal entry locks the audit chain until the transaction ends: every other read and write of the
    decision (e-mail queued, event, dossier row) comes before it."""
    if connection.vendor != "postgresql":
        pytest.skip("the journal's one-statement append is PostgreSQL's (set DATABASE_URL)")
    url = reverse("instruction:identity_decide", args=[lodged_cni.reference, "accept"])
    with CaptureQueriesContext(connection) as captured:
        response = instructor_client.post(url, {"motive": "conditions_met", "comment": ""})
    assert response.status_code == 302
    statements = [query["sql"].lstrip() for query in captured.captured_queries]
    journal = [i for i, sql in enumerate(statements) if sql.startswith("WITH head AS")]
    assert len(journal) == 1
    after = statements[journal[0] + 1 :]
    # In a request: only the releases of the nested blocks, then COMMIT (here the test's own transaction).
    assert all(sql.startswith("RELEASE SAVEPOINT") for sql in after), after
