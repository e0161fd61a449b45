"""The database connection as the settings make it."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.postgres
def test_postgresql_plans_the_queries_without_jit_compilation(db):
    """JIT compiling made the report previews' counts slower (docs/benchmarks.md): every
    connection is opened with it off, unless KY_PG_JIT=1."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        (jit,) = cursor.fetchone()
    assert jit == "off"
