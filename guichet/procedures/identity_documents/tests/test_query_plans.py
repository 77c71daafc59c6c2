"""The instructor's checks on a national database: the "same person, other open request" lookup goes through the
birth-date index, checked with sequential scans switched off (a tiny test table cannot hide a full read)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from guichet.procedures.identity_documents.checks import instruction_checks

from .test_checks_and_tracking import _lodged

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def test_the_same_person_check_finds_candidates_through_the_birth_date_index(personas):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are PostgreSQL's (set DATABASE_URL)")
    _, dossier = _lodged(personas["citizen"], personas["mairie_agent"])
    with CaptureQueriesContext(connection) as captured:
        instruction_checks(dossier=dossier)
    lookups = [q["sql"] for q in captured.captured_queries if "birth_date" in q["sql"]]
    assert lookups, "the check no longer looks pré-demandes up by birth date"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + lookups[0])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "predemande_birth_date" in plan, plan


def test_jit_is_off_for_the_applications_connections():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
