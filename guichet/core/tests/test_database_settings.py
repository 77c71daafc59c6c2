"""Connection settings the application relies on."""

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_jit_is_off_for_the_applications_postgresql_connections():
    # Short index lookups on tables of millions of rows crossed the JIT threshold: 50 ms compiling a 5 ms query.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_a_statement_run_again_and_again_is_prepared_and_no_longer_planned_each_time():
    # Server-side binding (config/settings/base.py): psycopg prepares a statement from its fifth run on a connection.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL setting")
    if not connection.settings_dict["OPTIONS"].get("server_side_binding"):
        # Only DATABASE_SERVER_SIDE_BINDING=false turns it off: on by default, whatever else is configured.
        assert os.environ.get("DATABASE_SERVER_SIDE_BINDING", "").lower() in ("0", "false", "no")
        pytest.skip("turned off by DATABASE_SERVER_SIDE_BINDING")
    from django.contrib.contenttypes.models import ContentType  # core may not import Guichet's own apps

    for _run in range(6):
        list(ContentType.objects.filter(app_label="no-such-app"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "django_content_type"' in statement and "$1" in statement for statement in prepared), prepared
