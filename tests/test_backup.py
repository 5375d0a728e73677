"""`backup` while the app writes gives a consistent copy; `restore` loads it into an empty database
with the same rows in every table."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import insert, text

from app import create_app
from app.demo import seed_demo
from app.extensions import db
from app.models import AuditEntry
from app.timezones import now_utc
from config import TestConfig


def table_digests(engine) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of its rows in primary-key order."""
    digests = {}
    with engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(table.select().order_by(*table.primary_key.columns)).all()
            digests[table.name] = (len(rows), hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest())
    return digests


def _write_pairs(engine, stop: threading.Event, written: list[int]) -> None:
    """Append audit entries two at a time, each pair in one transaction, until told to stop."""
    n = 0
    while not stop.is_set() or n < 20:
        with engine.begin() as connection:
            for half in ("a", "b"):
                connection.execute(
                    insert(AuditEntry.__table__).values(
                        action="backup_test", object_type=half, object_id=n, detail="", created_at=now_utc()
                    )
                )
        n += 1
    written.append(n)


def _empty_database(kind: str) -> tuple[str, callable]:
    if kind == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='talent-home-restore-')}/restored.sqlite", lambda: None
    name = f"th_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    return f"postgresql+psycopg://postgres@127.0.0.1/{name}", lambda: subprocess.run(
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", name], check=False
    )


def test_backup_during_writes_then_restore_gives_the_same_tables(app, runner, tmp_path):
    kind = db.engine.dialect.name
    if kind == "postgresql" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    seed_demo()
    db.session.commit()
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_write_pairs, args=(db.engine, stop, written))
    writer.start()
    try:
        result = runner.invoke(args=["backup", str(tmp_path / "talent-home.backup")])
    finally:
        stop.set()
        writer.join(60)
    assert result.exit_code == 0, result.output
    assert written and written[0] >= 20

    url, drop = _empty_database(kind)
    try:

        class Restored(TestConfig):
            SQLALCHEMY_DATABASE_URI = url

        other = create_app(Restored)
        with other.app_context():
            restored = other.test_cli_runner().invoke(args=["restore", str(tmp_path / "talent-home.backup")])
            assert restored.exit_code == 0, restored.output
            digests = table_digests(db.engine)
            with db.engine.connect() as connection:
                halves = connection.execute(
                    text("SELECT object_type, COUNT(*) FROM audit_log WHERE action = 'backup_test' GROUP BY 1")
                ).all()
            again = other.test_cli_runner().invoke(args=["restore", str(tmp_path / "talent-home.backup")])
            db.engine.dispose()
    finally:
        drop()
    # Only whole transactions are in the copy: as many first halves as second halves.
    assert dict(halves).get("a", 0) == dict(halves).get("b", 0)
    source = table_digests(db.engine)
    for table, (count, checksum) in digests.items():
        if table != "audit_log":  # the writer went on appending after the copy was taken
            assert (count, checksum) == source[table], table
    assert digests["users"][0] > 0 and digests["homes"][0] == 2
    assert again.exit_code == 1 and "not empty" in again.output


def test_backup_of_postgresql_says_when_pg_dump_is_missing(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": "postgresql://postgres@127.0.0.1/postgres",
        "PATH": str(tmp_path),  # no pg_dump on it
    }
    root = Path(__file__).resolve().parent.parent
    run = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "backup", str(tmp_path / "x.dump")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1 and "pg_dump was not found" in run.stderr and "Traceback" not in run.stderr
