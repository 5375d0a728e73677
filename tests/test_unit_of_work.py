"""One unit of work per request and per CLI command: commit on success, roll back on any error, in one place."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
import pytest
from flask import get_flashed_messages

from app import create_app
from app.database import _wants_write_lock
from app.errors.domain import RuleViolation, ValidationFailed
from app.extensions import db
from app.models import RegistryEntry
from app.unit_of_work import attempt, keep_work, one_transaction, savepoint, writes
from config import TestConfig

ROOT = Path(__file__).resolve().parent.parent


def _add(number: str) -> None:
    db.session.add(RegistryEntry(issuer="liwan_yingcai", number=number, holder_name="测试"))
    db.session.flush()


def _stored() -> list[str]:
    db.session.rollback()  # what is not committed by now is lost
    return sorted(db.session.scalars(db.select(RegistryEntry.number)))


@pytest.fixture(scope="module")
def uow_app(app):
    """An app of its own on the suite's database, with routes that exercise each way a request can end."""

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]

    application = create_app(Config)

    @application.post("/t/ok")
    def ok():
        _add("OK")
        return {"done": True}

    @application.post("/t/refused")
    def refused():
        _add("REFUSED")
        raise ValidationFailed({"title": "bad"})

    @application.post("/t/kept")
    def kept():
        _add("KEPT")
        keep_work()
        with savepoint():
            _add("UNDONE")
            raise RuleViolation("no", code="quota_exceeded")

    @application.post("/t/attempt")
    def attempted():
        def fail():
            _add("ATTEMPTED")
            raise RuleViolation("不行", code="closed")

        _add("BEFORE")
        assert attempt(fail, "done") is False
        assert attempt(lambda: _add("AFTER") or "好了") is True
        return {"flashed": get_flashed_messages(with_categories=True)}

    @application.post("/t/crash")
    def crash():
        _add("CRASH")
        raise RuntimeError("boom")

    @application.get("/t/lock")
    def lock():
        return {"write_lock": _wants_write_lock()}

    @application.get("/t/writes")
    @writes
    def writing():
        return {"write_lock": _wants_write_lock()}

    @application.cli.command("t-cli")
    @click.option("--fail", is_flag=True)
    @one_transaction
    def cli_command(fail):
        _add("CLI-FAIL" if fail else "CLI")
        if fail:
            sys.exit(1)

    return application


@pytest.fixture
def uow(uow_app):
    with uow_app.app_context():
        db.session.execute(db.delete(RegistryEntry))
        db.session.commit()
        yield uow_app
        db.session.execute(db.delete(RegistryEntry))
        db.session.commit()


def test_a_successful_request_commits(uow):
    assert uow.test_client().post("/t/ok").status_code == 200
    assert _stored() == ["OK"]


@pytest.mark.parametrize(("path", "status"), [("/t/refused", 422), ("/t/crash", 500)])
def test_a_refused_or_failed_request_changes_nothing(uow, path, status):
    assert uow.test_client().post(path).status_code == status
    assert _stored() == []


def test_keep_work_keeps_what_came_before_the_refusal_and_the_savepoint_undoes_the_rest(uow):
    assert uow.test_client().post("/t/kept").status_code == 422
    assert _stored() == ["KEPT"]


def test_attempt_undoes_only_the_refused_action_and_tells_both_outcomes(uow):
    response = uow.test_client().post("/t/attempt")
    assert response.get_json()["flashed"] == [["error", "不行"], ["success", "好了"]]
    assert _stored() == ["AFTER", "BEFORE"]


def test_a_get_marked_writes_takes_the_write_lock(uow):
    client = uow.test_client()
    assert client.get("/t/lock").get_json() == {"write_lock": False}
    assert client.get("/t/writes").get_json() == {"write_lock": True}


def test_a_cli_command_commits_on_success_and_rolls_back_on_a_non_zero_exit(uow):
    runner = uow.test_cli_runner()
    assert runner.invoke(args=["t-cli", "--fail"]).exit_code == 1
    assert _stored() == []
    assert runner.invoke(args=["t-cli"]).exit_code == 0
    assert _stored() == ["CLI"]


# The outbox's senders commit each claim and outcome themselves (see app/notifications/delivery.py).
ALLOWED = {"app/unit_of_work.py", "app/notifications/delivery.py"}


def test_only_the_unit_of_work_and_the_outbox_commit():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "app").rglob("*.py"))
        if str(path.relative_to(ROOT)) not in ALLOWED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"session\.(commit|rollback)\(", line)
    ]
    assert offenders == []
