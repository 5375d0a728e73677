"""Registration, automatic and manual verification, tokens."""

from datetime import date

import pytest

from app.auth import credentials, queries, services, tokens
from app.auth.registry import import_registry_csv
from app.errors.domain import Conflict, NotPermitted, RuleViolation, ValidationFailed
from app.extensions import db
from app.models import RegistryEntry, User

GOOD = {
    "name": "陈晓荔",
    "email": "Chen@Example.com",
    "password": "Secret123",
    "district": "liwan",
    "issuer": "liwan_yingcai",
    "number": "LW0001",
    "consent": True,
}


def registry(issuer="liwan_yingcai", number="LW0001", valid_until=date(2030, 1, 1)):
    db.session.add(RegistryEntry(issuer=issuer, number=number, holder_name="陈晓荔", valid_until=valid_until))
    db.session.commit()


def test_credential_in_registry_verifies_at_once():
    registry()
    user = services.register_user(GOOD, "v1")
    assert user.talent_status == "verified"
    assert user.email == "chen@example.com"
    assert user.consent_version == "v1" and user.consent_at is not None


@pytest.mark.parametrize("valid_until", [date(2020, 1, 1)])
def test_expired_registry_entry_leaves_credential_pending(valid_until):
    registry(valid_until=valid_until)
    assert services.register_user(GOOD, "v1").talent_status == "pending"


def test_unknown_credential_waits_for_an_organiser(make_user):
    user = services.register_user(GOOD, "v1")
    assert user.talent_status == "pending"
    organiser = make_user(role="organiser", district="nanhai")
    credentials.verify_credential(organiser, user)
    assert user.talent_status == "verified" and user.verified_by_id == organiser.id


def test_reject_needs_a_reason_and_records_it(make_user):
    user = services.register_user(GOOD, "v1")
    organiser = make_user(role="organiser", district="liwan")
    with pytest.raises(ValidationFailed):
        credentials.reject_credential(organiser, user, "  ")
    credentials.reject_credential(organiser, user, "号码不符")
    assert user.talent_status == "rejected" and user.credential_note == "号码不符"
    with pytest.raises(RuleViolation):
        credentials.verify_credential(organiser, user)


def test_talent_cannot_review_credentials(make_user):
    user = services.register_user(GOOD, "v1")
    with pytest.raises(NotPermitted):
        credentials.verify_credential(make_user(), user)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"issuer": "guangzhou_card"}, "credential.issuer"),
        ({"consent": False}, "consent"),
        ({"consent": "yes"}, "consent"),
        ({"password": "short1"}, "password"),
        ({"password": "lettersonly"}, "password"),
        ({"password": "1234567890"}, "password"),
        ({"email": "not-an-address"}, "email"),
        ({"district": "tianhe"}, "district"),
        ({"name": ""}, "name"),
        ({"number": "!!"}, "credential.number"),
        ({"phone": "call me"}, "phone"),
    ],
)
def test_bad_registration_names_the_field_and_stores_nothing(change, field):
    with pytest.raises(RuleViolation) as caught:
        services.register_user({**GOOD, **change}, "v1")
    assert field in caught.value.fields
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_email_is_unique_regardless_of_case():
    services.register_user(GOOD, "v1")
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        services.register_user({**GOOD, "email": "CHEN@example.COM", "number": "LW0002"}, "v1")
    assert caught.value.code == "email_taken"


def test_one_credential_one_account():
    services.register_user(GOOD, "v1")
    db.session.commit()
    with pytest.raises(ValidationFailed) as caught:
        services.register_user({**GOOD, "email": "other@example.com"}, "v1")
    assert "credential.number" in caught.value.fields


def test_registry_import_verifies_pending_talents_and_reports_bad_rows():
    user = services.register_user({**GOOD, "issuer": "nanhai_kunpeng", "number": "NH77"}, "v1")
    db.session.commit()
    report = import_registry_csv(
        "issuer,number,holder_name,valid_until\n"
        "nanhai_kunpeng,NH77,陈晓荔,2030-12-31\n"
        "unknown,1,x,2030-01-01\n"
        "liwan_yingcai,LW9,李,not-a-date\n"
    )
    assert (report.added, report.verified, len(report.errors)) == (1, 1, 2)
    assert db.session.get(User, user.id).talent_status == "verified"


@pytest.mark.parametrize("holder", ["何志明", "陈晓", ""])
def test_a_registry_entry_under_another_name_waits_for_an_organiser(holder):
    db.session.add(RegistryEntry(issuer="liwan_yingcai", number="LW1", holder_name=holder))
    user = services.register_user({**GOOD, "number": "LW1"}, "v1")
    assert user.talent_status == "pending"
    entries = queries.registry_entries_for([user])
    assert not entries[user.id].holder_is(user.name)


def test_a_later_import_does_not_verify_under_another_name():
    user = services.register_user({**GOOD, "issuer": "nanhai_kunpeng", "number": "NH78"}, "v1")
    report = import_registry_csv("issuer,number,holder_name,valid_until\nnanhai_kunpeng,NH78,梁海鹏,2030-12-31\n")
    assert report.verified == 0 and user.talent_status == "pending"


@pytest.mark.parametrize("given", ["陈晓荔", " 陈 晓荔 ", "陈·晓荔"])
def test_a_registry_name_matches_despite_spaces_and_dots(given):
    db.session.add(RegistryEntry(issuer="liwan_yingcai", number="LW2", holder_name="陈晓荔"))
    assert services.register_user({**GOOD, "name": given, "number": "LW2"}, "v1").talent_status == "verified"


def test_api_token_round_trip_and_inactive_user(make_user):
    user = make_user()
    token = tokens.issue_api_token(user, days=1)
    assert tokens.user_for_api_token(token) == user
    assert tokens.user_for_api_token(token + "x") is None
    user.active = False
    assert tokens.user_for_api_token(token) is None


def test_create_user_cli_service_rejects_bad_role_and_district():
    with pytest.raises(ValidationFailed):
        services.create_user("a@example.com", "pw123456", "A", "superuser")
    with pytest.raises(ValidationFailed):
        services.create_user("a@example.com", "pw123456", "A", "organiser", None)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("a@example.com", "short1", "A", "admin"), "password"),
        (("a@example.com", "onlyletters", "A", "admin"), "password"),
        (("a@example.com", "Secret123", "  ", "admin"), "name"),
        (("a@example.com", "Secret123", "A", "talent", None), "district"),
        (("a@example.com", "Secret123", "A", "organiser", "liwan", "liwan_yingcai:LW5"), "credential"),
        (("a@example.com", "Secret123", "A", "talent", "liwan", "nobody:LW5"), "credential"),
        (("not-an-address", "Secret123", "A", "admin"), "email"),
    ],
)
def test_create_user_applies_the_registration_rules(args, field):
    with pytest.raises(ValidationFailed) as caught:
        services.create_user(*args)
    assert field in caught.value.fields
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_create_user_refuses_a_credential_linked_to_another_account(runner):
    services.create_user("a@example.com", "Secret123", "A", "talent", "liwan", "liwan_yingcai:LW5")
    db.session.commit()
    result = runner.invoke(
        args=[
            "create-user", "--email", "b@example.com", "--password", "Secret123", "--name", "B",
            "--district", "liwan", "--credential", "liwan_yingcai:lw5",
        ]
    )  # fmt: skip
    assert result.exit_code == 1 and "error:" in result.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


def test_authenticate_checks_one_hash_whether_or_not_the_account_exists(make_user, monkeypatch):
    """Equal work, so the time of the answer does not tell which addresses have accounts."""
    user, deleted = make_user(), make_user(active=False)
    checked = []
    real_check = services.check_password_hash

    def counting_check(stored, password):
        checked.append(stored.split("$")[0])  # the method and its cost
        return real_check(stored, password)

    monkeypatch.setattr(services, "check_password_hash", counting_check)
    attempts = [
        ("nobody@example.com", "Passw0rd123", None),
        (deleted.email, "Passw0rd123", None),
        (user.email, "Wrong12345", None),
        (user.email, "Passw0rd123", user),
    ]
    for email, password, expected in attempts:
        assert services.authenticate(email, password) == expected
    assert checked == [user.password_hash.split("$")[0]] * len(attempts)


def test_import_credentials_command_keeps_verifications_when_every_row_is_bad(runner, tmp_path):
    user_id = services.register_user({**GOOD, "number": "LW9"}, "v1").id
    registry(number="LW9")  # in the registry now, but nobody has looked again yet
    bad = tmp_path / "bad.csv"
    bad.write_text("issuer,number,holder_name,valid_until\nnobody,LW10,某人,2030-12-31\n", encoding="utf-8")
    result = runner.invoke(args=["import-credentials", "--lang", "en", str(bad)])
    assert result.exit_code == 1 and "1 talents verified" in result.output and "Nothing was imported" in result.output
    db.session.expire_all()
    assert db.session.get(User, user_id).talent_status == "verified"


def test_import_credentials_command_loads_the_file(runner, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("issuer,number,holder_name,valid_until\nliwan_yingcai,LW11,某人,2030-12-31\n", encoding="utf-8")
    result = runner.invoke(args=["import-credentials", str(good)])
    assert result.exit_code == 0 and "新增 1 条，更新 0 条" in result.output
    db.session.remove()
    assert db.session.scalar(db.select(RegistryEntry.holder_name).where(RegistryEntry.number == "LW11")) == "某人"
