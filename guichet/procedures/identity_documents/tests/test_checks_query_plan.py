"""The instructor's "another open request for the same person" check must not read every pré-demande: at national
scale (millions of pré-demandes) each instruction dossier view would take seconds."""

from datetime import date

import pytest
from django.db import connection, transaction

from guichet.procedures.identity_documents.checks import same_person_candidates

from .counter_factories import validated_predemande

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]


def test_same_person_candidates_are_found_through_the_birth_date_index(personas):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are PostgreSQL's (set DATABASE_URL)")
    predemande = validated_predemande(applicant=personas["citizen"])
    dossier = predemande.titles.get().dossier
    queryset = same_person_candidates(birth_date=date(1990, 5, 17), dossier=dossier, title="cni")
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "predemande_birth_date" in plan, plan
