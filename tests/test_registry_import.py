"""The registry takes the files administrators have: GBK, UTF-16, BOM, Chinese headers, XLSX; and expiry."""

from __future__ import annotations

import codecs
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from app.auth import services
from app.auth.credentials import expire_lapsed_credentials
from app.extensions import db
from app.models import AuditEntry, Notification, RegistryEntry, User

ZH_TEXT = (
    "发证单位,编号,持有人,有效期至\n"
    "南海鲲鹏人才码,nh2026999,梁海鹏,2030/1/5\n"
    "Liwan Yingcai card,LW1,陈晓荔,2030-12-31\n"
)
EN_TEXT = (
    "issuer,number,holder_name,valid_until\nnanhai_kunpeng,NH2026999,梁海鹏,2030-01-05\nliwan_yingcai,LW1,陈晓荔,\n"
)

ENCODINGS = {
    "gbk": lambda text: text.encode("gbk"),
    "gb18030": lambda text: text.encode("gb18030"),
    "utf-16": lambda text: text.encode("utf-16"),  # with its BOM, as Excel's "Unicode text"
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-8": lambda text: text.encode("utf-8"),
}


def _entries() -> dict[str, RegistryEntry]:
    return {e.number: e for e in db.session.scalars(db.select(RegistryEntry))}


def _assert_stored_right():
    entries = _entries()
    assert set(entries) == {"NH2026999", "LW1"}
    assert entries["NH2026999"].issuer == "nanhai_kunpeng" and entries["NH2026999"].holder_name == "梁海鹏"
    assert entries["NH2026999"].valid_until == date(2030, 1, 5)
    assert entries["LW1"].issuer == "liwan_yingcai" and entries["LW1"].holder_name == "陈晓荔"


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("text", [ZH_TEXT, EN_TEXT], ids=["zh-header", "en-header"])
def test_the_cli_reads_every_encoding_and_header(runner, tmp_path, encoding, text):
    path = tmp_path / "registry.csv"
    path.write_bytes(ENCODINGS[encoding](text))
    result = runner.invoke(args=["import-credentials", str(path)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    _assert_stored_right()


def _admin_client(app, make_user, login):
    admin = make_user(role="admin", district=None)
    return login(admin), admin


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-bom"])
def test_the_page_reads_gbk_utf16_and_bom_under_a_chinese_header(app, make_user, login, encoding):
    client, admin = _admin_client(app, make_user, login)
    data = {"file": (io.BytesIO(ENCODINGS[encoding](ZH_TEXT)), "registry.csv")}
    response = client.post("/admin/registry", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "新增 2 条" in page
    _assert_stored_right()
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "registry_imported"))
    assert entry is not None and entry.actor_id == admin.id


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_upload_with_date_cells(app, make_user, login):
    client, _ = _admin_client(app, make_user, login)
    rows = [
        ("发证单位", "编号", "持有人", "有效期至"),
        ("南海鲲鹏人才码", "NH2026999", "梁海鹏", datetime(2030, 1, 5)),
        ("荔湾英才卡", "LW1", "陈晓荔", "2030/12/31"),
    ]
    data = {"file": (io.BytesIO(_xlsx(rows)), "registry.xlsx")}
    response = client.post("/admin/registry", data=data, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    _assert_stored_right()


def test_nothing_imported_is_said_plainly_in_the_page_language(app, make_user, login):
    client, _ = _admin_client(app, make_user, login)
    text = "发证单位,编号,持有人,有效期至\n不存在的卡,X1,某人,2030-01-01\n"
    data = {"file": (io.BytesIO(text.encode("gbk")), "registry.csv")}
    page = client.post("/admin/registry", data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "没有导入任何记录" in page and "第 2 行" in page and "不存在的卡" in page
    assert "unknown issuer" not in page and "flash success" not in page
    assert _entries() == {}


def test_the_page_shows_the_headers_and_issuers_the_import_accepts(app, make_user, login):
    from app.auth.registry_files import HEADER_EN, HEADER_ZH
    from app.labels import label
    from app.models.user import ISSUERS

    client, _ = _admin_client(app, make_user, login)
    page = client.get("/admin/registry").get_data(as_text=True)
    assert f"<li><code>{','.join(HEADER_ZH)}</code></li>" in page
    assert f"<li><code>{','.join(HEADER_EN)}</code></li>" in page
    with app.test_request_context("/"):
        for code in ISSUERS:
            assert f"<li>{label(code, 'issuer')} (<code>{code}</code>)</li>" in page


def test_a_bad_header_names_both_accepted_headers(runner, tmp_path):
    path = tmp_path / "registry.csv"
    path.write_text("card,no,name\nliwan_yingcai,LW1,陈晓荔\n", encoding="utf-8")
    result = runner.invoke(args=["import-credentials", "--lang", "en", str(path)])
    assert result.exit_code == 1
    assert "发证单位,编号,持有人,有效期至" in result.output and "issuer,number,holder_name,valid_until" in result.output
    assert "skipped header" not in result.output


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_downloads_and_imports_as_it_is(app, make_user, login, fmt):
    client, _ = _admin_client(app, make_user, login)
    template = client.get(f"/admin/registry/template.{fmt}")
    assert template.status_code == 200 and "attachment" in template.headers["Content-Disposition"]
    if fmt == "xlsx":
        assert load_workbook(io.BytesIO(template.data)).active["A1"].value == "发证单位"
    data = {"file": (io.BytesIO(template.data), f"template.{fmt}")}
    client.post("/admin/registry", data=data, content_type="multipart/form-data")
    assert set(_entries()) == {"LW2026001", "NH2026001"}


def test_the_registry_page_searches_pages_and_shows_expiry(app, make_user, login):
    client, _ = _admin_client(app, make_user, login)
    db.session.add_all(
        RegistryEntry(
            issuer="liwan_yingcai", number=f"LW{n:04d}", holder_name=f"持有人{n}", valid_until=date(2030, 1, 1)
        )
        for n in range(60)
    )
    db.session.add(
        RegistryEntry(issuer="nanhai_kunpeng", number="NH1", holder_name="梁海鹏", valid_until=date(2020, 1, 1))
    )
    db.session.commit()
    first = client.get("/admin/registry/entries").get_data(as_text=True)
    assert "61" in first and "第 1 页，共 2 页" in first and "LW0000" in first and "liwan_yingcai" not in first
    found = client.get("/admin/registry/entries?q=梁海").get_data(as_text=True)
    assert "NH1" in found and "LW0000" not in found and "已过期" in found and "南海鲲鹏人才码" in found


GOOD = {"name": "陈晓荔", "email": "chen@example.com", "password": "Passw0rd123", "district": "liwan"}


def test_an_expired_credential_turns_its_talent_back_to_pending_with_a_notice(runner):
    entry = RegistryEntry(issuer="liwan_yingcai", number="LW5", holder_name="陈晓荔", valid_until=date(2030, 6, 30))
    db.session.add(entry)
    talent = services.register_user({**GOOD, "issuer": "liwan_yingcai", "number": "LW5", "consent": True}, "v1")
    db.session.commit()
    assert talent.talent_status == "verified"
    assert expire_lapsed_credentials(datetime(2030, 6, 30, 12, tzinfo=UTC)) == 0  # its last day
    entry.valid_until = date(2020, 1, 1)
    db.session.commit()
    result = runner.invoke(args=["expire-credentials"])
    assert result.exit_code == 0 and "expired 1" in result.output
    user = db.session.get(User, talent.id)
    assert user.talent_status == "pending" and user.verified_at is None
    assert db.session.scalar(db.select(Notification).where(Notification.kind == "credential_expired")) is not None
    audit = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "credential_expired"))
    assert audit is not None and audit.object_id == talent.id


def test_an_import_renewing_the_credential_verifies_again_and_one_lapsing_expires(runner, tmp_path):
    db.session.add(
        RegistryEntry(issuer="liwan_yingcai", number="LW6", holder_name="陈晓荔", valid_until=date(2030, 1, 1))
    )
    talent = services.register_user({**GOOD, "issuer": "liwan_yingcai", "number": "LW6", "consent": True}, "v1")
    db.session.commit()
    path = tmp_path / "r.csv"
    path.write_text("issuer,number,holder_name,valid_until\nliwan_yingcai,LW6,陈晓荔,2020-01-01\n", encoding="utf-8")
    assert runner.invoke(args=["import-credentials", str(path)]).exit_code == 0
    assert db.session.get(User, talent.id).talent_status == "pending"
    path.write_text("issuer,number,holder_name,valid_until\nliwan_yingcai,LW6,陈晓荔,2031-01-01\n", encoding="utf-8")
    assert runner.invoke(args=["import-credentials", str(path)]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(User, talent.id).talent_status == "verified"
