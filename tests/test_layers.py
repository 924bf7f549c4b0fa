"""The engine and the models' base know nothing of Flask: what an engine must know of the work
it serves, a Scope tells it (service/engine.py); the HTTP side answers for requests."""

import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import text

from service.engine import Scope, make_engine

pytestmark = pytest.mark.pure


def test_the_engine_and_the_models_base_import_no_flask():
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, service.engine, service.orm; print('flask' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == "False"


@pytest.mark.parametrize(("writes", "other_writer_waits"), [(False, False), (True, True)])
def test_a_scope_that_writes_takes_sqlites_write_lock_when_its_transaction_begins(
    tmp_path, writes, other_writer_waits
):
    """Outside requests a transaction begins deferred; one that the scope says writes takes
    the write lock first, so that a read-then-write never fails on a lock taken meanwhile."""
    path = tmp_path / "locks.sqlite3"
    engine = make_engine(f"sqlite:///{path}", scope=Scope(writes=lambda: writes))
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    other = sqlite3.connect(path, timeout=0)
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT 1"))  # begins the transaction
            try:
                other.execute("INSERT INTO t VALUES (1)")
                other.commit()
                waited = False
            except sqlite3.OperationalError as error:
                assert "locked" in str(error)
                waited = True
    finally:
        other.close()
        engine.dispose()

    assert waited is other_writer_waits
