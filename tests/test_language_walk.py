"""One language per screen: every page reachable by a visitor, a talent, an organiser and an
administrator over the demo data shows no internal code and no text of the other language, apart
from proper names, e-mail addresses, links, and what people typed (names, titles, addresses)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import JSON, String, Text

from app.demo import seed_demo
from app.extensions import db
from app.labels import LABELS
from app.models import Event, Home, Room, User
from app.models.base import Base

ACCOUNTS = {
    "talent": ("talent.liwan@example.com", "Talent12345"),
    "organiser": ("organiser.liwan@example.com", "Organiser123"),
    "admin": ("admin@example.com", "Admin12345"),
}
# Names that stay as they are in either language.
PROPER_NAMES_ZH = (
    *("Google", "Outlook", "iPhone", "iPad", "Android", "Apple", "http", "English", "Excel", "iCalendar"),
    *("CSV", "XLSX", "JSON", "UTF-8", "UTF-16", "GBK", "GB18030", "YYYY"),
)
PROPER_NAMES_EN = ("中文",)
SKIPPED_ENDPOINTS = {"main.set_language", "account.reset_password", "static"}
CODES = sorted({code for kind in LABELS.values() for code in kind if "_" in code}, key=len, reverse=True)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
LATIN_RUN = re.compile(r"[A-Za-z]{4,}")
STRIPPED = (
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),
    re.compile(r"(https?|webcal)://\S+"),
    re.compile(r"\b[A-Z]{2}\d{4,}\b"),
)


HIDDEN = ("script", "style", "head", "code")


class VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes and the labelling attributes, not scripts, styles
    or <code> (literal input, such as a file's header or an issuer's code shown for typing)."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self._hidden += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "placeholder", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def typed_content() -> list[str]:
    """Everything people typed into the database (names, titles, addresses …), longest first."""
    found = set()
    for mapper in Base.registry.mappers:
        columns = [c for c in mapper.columns if isinstance(c.type, String | Text | JSON)]
        for row in db.session.execute(db.select(*columns)) if columns else ():
            found.update(value for value in _strings(list(row)) if len(value) > 1)
    return sorted(found, key=len, reverse=True)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def problems(text: str, language: str, content: list[str]) -> list[str]:
    found = [f"internal code {code!r}" for code in CODES if re.search(rf"(?<![\w-]){code}(?![\w-])", text)]
    for value in content:
        text = text.replace(value, " ")
    for pattern in STRIPPED:
        text = pattern.sub(" ", text)
    if language == "zh":
        for name in PROPER_NAMES_ZH:
            text = text.replace(name, " ")
        found += [f"English {run!r}" for run in LATIN_RUN.findall(text)]
    else:
        for name in PROPER_NAMES_EN:
            text = text.replace(name, " ")
        found += [f"Chinese {run!r}" for run in CJK.findall(text)]
    return found


def page_urls(app) -> list[str]:
    """Every GET page with its arguments filled from the demo data (files and feeds left out)."""
    homes = list(db.session.scalars(db.select(Home)))
    values = {
        "district": [h.district for h in homes],
        "room_id": [db.session.scalars(db.select(Room.id).order_by(Room.id)).first()],
        # one event of each kind (a tour's itinerary, a camp's sessions …)
        "event_id": list(db.session.scalars(db.select(db.func.min(Event.id)).group_by(Event.kind))),
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS or rule.rule.startswith("/api"):
            continue
        if rule.rule.endswith((".ics", ".csv", ".xlsx", ".json", ".svg")) or "<fmt>" in rule.rule:
            continue
        if not set(rule.arguments) <= set(values):
            continue
        if not rule.arguments:
            urls.append(rule.rule)
            continue
        (name,) = rule.arguments  # every page here takes one argument
        urls += [re.sub(r"<[^>]+>", str(value), rule.rule) for value in values[name]]
    return urls


@pytest.fixture
def demo():
    seed_demo()
    db.session.add(
        User(
            name="黄思远",
            email="pending@example.com",
            password_hash="x",
            calendar_token="pending-token",
            credential_issuer="nanhai_kunpeng",
            credential_number="NH2026999",
            talent_status="pending",
            district="nanhai",
        )
    )
    db.session.commit()


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("who", ["anon", "talent", "organiser", "admin"])
def test_every_page_speaks_one_language(app, demo, who, language):
    client = app.test_client()
    client.set_cookie("lang", language)
    if who != "anon":
        email, password = ACCOUNTS[who]
        assert client.post("/login", data={"email": email, "password": password}).status_code == 302
    content = typed_content()
    report, seen = {}, 0
    for url in page_urls(app):
        response = client.get(url)
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        seen += 1
        found = problems(visible_text(response.get_data(as_text=True)), language, content)
        if found:
            report[url] = sorted(set(found))
    assert report == {}
    assert seen >= {"anon": 10, "talent": 20, "organiser": 25, "admin": 30}[who]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("nanhai_kunpeng · NH2026999", "zh"),
        ("凭证：verified", "zh"),
        ("人才之家 2027-01-01 闭馆（New Year's Day）。", "zh"),
        ("Day (第1天)", "en"),
        ("liwan_yingcai LW2026001", "en"),
    ],
)
def test_the_walk_sees_codes_and_the_other_language(text, language):
    assert problems(text, language, []) != []


def test_typed_names_and_addresses_are_left_alone():
    assert problems("陈晓荔 · xiaoli@example.com · LW2026001", "en", ["陈晓荔"]) == []
