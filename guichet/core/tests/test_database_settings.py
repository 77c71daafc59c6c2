"""Connection settings the application relies on."""

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
