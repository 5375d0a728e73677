"""Stored feed entries: each event session's and each booking's VEVENT text, rendered once.

Any flush that touches an event, a session, a booking, or the name or address of a room or home
notes what it touched; the commit (or savepoint release) that ends the work renders those entries
again in the same transaction, so no path can forget it. A feed is then its head, the stored
entries and its closing line (app/feeds/routes.py). An entry a feed finds missing (rows from before
this table, bulk inserts) or built for another PUBLIC_BASE_URL is rendered there and then, and a
missing one is stored for the next time.

Variants: a session's entry is the one the public feed shows; a sign-up restates its STATUS and
SEQUENCE (`ics.restated`). A booking has a `busy` entry (the public room feed, no title) and, unless
it reserves an event's room, its entry with details in the default language; other languages are
rendered when asked for."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from itertools import chain

from flask import current_app, has_app_context
from flask_babel import force_locale, get_locale
from sqlalchemy import bindparam, inspect
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from app.database import run_core
from app.extensions import db
from app.feeds import ics
from app.feeds.queries import shown_in_feeds
from app.models import Booking, Event, EventSession, FeedFragment, Home, Room
from app.timezones import now_utc

SESSION, BOOKING = "session", "booking"
BUSY = "busy"
DEFAULT_LANGUAGE = "zh"
PENDING = "feed_fragments_pending"
NEW_BOOKINGS = "feed_fragments_new_bookings"
FLUSHED_BOOKINGS = "feed_fragments_flushed_bookings"
ROOM_FIELDS = ("name", "home_id")
HOME_FIELDS = ("name", "address", "name_en", "address_en", "district")

table = FeedFragment.__table__
# A session's stored entry, joined to its session (the public feed's variant).
_SESSION_ENTRY = db.and_(table.c.kind == SESSION, table.c.object_id == EventSession.id, table.c.variant == "")


def base() -> str:
    return current_app.config["PUBLIC_BASE_URL"]


def language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


# Rendering -------------------------------------------------------------------------------------


def event_rows(event: Event, stamp: datetime) -> list[dict]:
    texts = ics.event_texts(event, stamp)
    return [
        {
            "kind": SESSION,
            "object_id": session.id,
            "variant": "",
            "event_id": event.id,
            "base": base(),
            "body": text,
        }
        for session, text in zip(event.sessions, texts, strict=True)
    ]


def booking_text(booking: Booking, variant: str, stamp: datetime) -> str:
    if variant == BUSY:
        return ics.booking_text(booking, with_details=False, stamp=stamp)
    with force_locale(variant):
        return ics.booking_text(booking, with_details=True, stamp=stamp)


def booking_rows(booking: Booking, stamp: datetime, variants: Iterable[str] | None = None) -> list[dict]:
    if variants is None:
        variants = (BUSY,) if booking.event_session_id else (BUSY, DEFAULT_LANGUAGE)
    return [
        {
            "kind": BOOKING,
            "object_id": booking.id,
            "variant": variant,
            "event_id": None,
            "base": base(),
            "body": booking_text(booking, variant, stamp),
        }
        for variant in variants
    ]


def store(connection, rows: list[dict], replace: bool) -> None:
    """Write entries: `replace` overwrites (a change), otherwise only absent keys are filled in, so
    an entry rendered from older data never overwrites one a change has stored meanwhile."""
    if rows:
        connection.execute(_store_statement(connection.dialect.name, replace), rows)


@lru_cache(maxsize=8)
def _store_statement(dialect: str, replace: bool):
    """The upsert of entries, built once per database kind (it runs on every change)."""
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    keys = [table.c.kind, table.c.object_id, table.c.variant]
    if replace:
        excluded = statement.excluded
        return statement.on_conflict_do_update(
            index_elements=keys,
            set_={"event_id": excluded.event_id, "base": excluded.base, "body": excluded.body},
        )
    return statement.on_conflict_do_nothing(index_elements=keys)


def store_missing(rows: list[dict]) -> None:
    """Keep entries a feed had to render, in a short transaction of their own (a feed is a GET)."""
    if not rows:
        return
    try:
        with db.engine.begin() as connection:
            store(connection, rows, replace=False)
    except db.exc.OperationalError:  # busy: the next request renders them again
        current_app.logger.warning("feed entries not stored", exc_info=True)


# Keeping entries in step with changes ---------------------------------------------------------


def _changed(instance, fields: tuple[str, ...]) -> bool:
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in fields)


@sa_event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context) -> None:
    pending = session.info.setdefault(PENDING, set())
    rendered = session.info.get(ics.RENDERED, {})
    new = session.info.setdefault(NEW_BOOKINGS, set())
    flushed = session.info.setdefault(FLUSHED_BOOKINGS, {})
    for row in chain(session.new, session.dirty, session.deleted):
        if isinstance(row, Event):
            pending.add((SESSION, row.id))
        elif isinstance(row, EventSession):
            pending.add((SESSION, row.event_id))
        elif isinstance(row, Booking):
            pending.add((BOOKING, row.id))
            for key in [key for key in rendered if key[0] == row.id]:
                del rendered[key]  # rendered before this change
            if row in session.new:
                new.add(row.id)
            if row not in session.deleted:
                flushed[row.id] = row  # held until the commit renders it (the session holds rows weakly)
        elif isinstance(row, Room) and (row in session.deleted or _changed(row, ROOM_FIELDS)):
            pending.add(("room", row.id))
        elif isinstance(row, Home) and _changed(row, HOME_FIELDS):
            pending.add(("home", row.id))


def note_new_booking(booking: Booking) -> None:
    """Note a booking inserted past the session's flush (`database.insert_new`), as `_note_changes`
    notes one the flush inserted: its entries are written with its message or at the commit."""
    info = db.session().info
    info.setdefault(PENDING, set()).add((BOOKING, booking.id))
    info.setdefault(NEW_BOOKINGS, set()).add(booking.id)
    info.setdefault(FLUSHED_BOOKINGS, {})[booking.id] = booking


@sa_event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:
        for key in (PENDING, NEW_BOOKINGS, FLUSHED_BOOKINGS, ics.RENDERED):
            session.info.pop(key, None)


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_rendered(session: Session, _previous) -> None:
    """Text rendered from rows a rollback (a savepoint's too) has undone is not used again."""
    session.info.pop(ics.RENDERED, None)


@sa_event.listens_for(Session, "before_commit")
def _rebuild(session: Session) -> None:
    if not has_app_context():
        return
    for _ in range(100):  # the flush the commit would make, so that its changes are noted too
        if not (session.new or session.dirty or session.deleted):
            break
        session.flush()
    pending = session.info.pop(PENDING, set())
    if pending:
        rebuild(session, pending)


def rebuild(session: Session, pending: set[tuple[str, int]]) -> None:
    """Render the noted entries again and store them, in the session's transaction."""
    event_ids = {object_id for kind, object_id in pending if kind == SESSION and object_id is not None}
    booking_ids = {object_id for kind, object_id in pending if kind == BOOKING and object_id is not None}
    room_ids = {object_id for kind, object_id in pending if kind == "room"}
    home_ids = {object_id for kind, object_id in pending if kind == "home"}
    if home_ids:
        room_ids |= set(session.scalars(db.select(Room.id).where(Room.home_id.in_(home_ids))))
    if room_ids:
        event_ids |= set(session.scalars(db.select(Event.id).where(Event.room_id.in_(room_ids))))
        booking_ids |= set(
            session.scalars(
                db.select(Booking.id).where(
                    Booking.room_id.in_(room_ids),
                    shown_in_feeds(now_utc()),
                )
            )
        )
    connection = session.connection()
    if not _table_exists(connection):  # a database not yet migrated this far
        return
    stamp = now_utc()
    rows: list[dict] = []
    if event_ids:
        connection.execute(table.delete().where(table.c.kind == SESSION, table.c.event_id.in_(event_ids)))
        events = session.scalars(
            db.select(Event)
            .where(Event.id.in_(event_ids))
            .options(selectinload(Event.sessions), selectinload(Event.room).selectinload(Room.home))
        )
        for event in events:
            rows += event_rows(event, stamp)
    if booking_ids:
        # A booking inserted in this transaction has no entries yet: those it gets are written below.
        changed = booking_ids - session.info.pop(NEW_BOOKINGS, set())
        if changed:
            connection.execute(table.delete().where(table.c.kind == BOOKING, table.c.object_id.in_(changed)))
        for booking in _bookings_with_rooms(session, booking_ids):
            rows += booking_rows(booking, stamp)
    store(connection, rows, replace=True)


def booking_entries_now(bookings: list[Booking]) -> tuple | None:
    """The entries of bookings just made, rendered now so that the caller writes them with its own
    INSERT (`database.insert_together`): (the upsert, its rows), or None when they are not waiting
    to be written. They are no longer pending: a later change to them in this transaction notes
    them again, and the commit renders them once more."""
    session = db.session()
    pending = session.info.get(PENDING)
    keys = {(BOOKING, booking.id) for booking in bookings}
    connection = session.connection()
    if not pending or not keys <= pending or not _table_exists(connection):
        return None
    stamp = now_utc()
    rows = [row for booking in bookings for row in booking_rows(booking, stamp)]
    pending -= keys
    return _store_statement(connection.dialect.name, True), rows


def _bookings_with_rooms(session: Session, booking_ids: set[int]) -> list[Booking]:
    """The bookings with their rooms and homes: those flushed in this transaction (a booking just
    made) are used as they are, their room and home found in the session when it holds them; the
    others are read together."""
    flushed = session.info.pop(FLUSHED_BOOKINGS, {})
    held, missing = [], set()
    for booking_id in booking_ids:
        booking = flushed.get(booking_id)
        if booking is not None and booking in session and not inspect(booking).expired:
            held.append(booking)
        else:
            missing.add(booking_id)
    if missing:
        held += session.scalars(
            db.select(Booking)
            .where(Booking.id.in_(missing))
            .options(selectinload(Booking.room).selectinload(Room.home))
        )
    return held


_present: set[str] = set()


def _table_exists(connection) -> bool:
    """Whether this database has the table (remembered once seen: tables are not dropped at run time)."""
    key = str(connection.engine.url)
    if key not in _present and inspect(connection).has_table(table.name):
        _present.add(key)
    return key in _present


def backfill(session: Session) -> int:
    """Render every event's and every showing booking's entries (after a bulk load): the count."""
    event_ids = set(session.scalars(db.select(Event.id)))
    booking_ids = set(session.scalars(db.select(Booking.id).where(shown_in_feeds(now_utc()))))
    pending = {(SESSION, i) for i in event_ids} | {(BOOKING, i) for i in booking_ids}
    rebuild(session, pending)
    return len(pending)


# Reading entries for a feed -------------------------------------------------------------------


def _fresh(body: str | None, stored_base: str | None) -> bool:
    return body is not None and stored_base == base()


def session_entries(event_ids: list[int]) -> list[str]:
    """The stored entries of these events' sessions: events in the given order, each event's
    sessions by start (as `Event.sessions`)."""
    if not event_ids:
        return []
    found = _session_bodies(event_ids)
    return [body for event_id in event_ids for body in found.get(event_id, [])]


def session_entries_by_event(event_ids: list[int]) -> dict[int, list[str]]:
    return _session_bodies(event_ids) if event_ids else {}


def _session_bodies(event_ids: list[int]) -> dict[int, list[str]]:
    wanted = set(event_ids)
    by_event: dict[int, list[str]] = {}
    stale: set[int] = set()
    for chunk in _chunks(event_ids):
        rows = db.session.execute(
            db.select(EventSession.event_id, table.c.body, table.c.base)
            .outerjoin(table, _SESSION_ENTRY)
            .where(EventSession.event_id.in_(chunk))
            .order_by(EventSession.starts_at, EventSession.id)
        )
        for event_id, body, stored_base in rows:
            if _fresh(body, stored_base):
                by_event.setdefault(event_id, []).append(body)
            else:
                stale.add(event_id)
    if stale:
        for event_id in stale:
            by_event.pop(event_id, None)
        by_event.update(_render_events(stale & wanted))
    return by_event


def _render_events(event_ids: set[int]) -> dict[int, list[str]]:
    """Render and keep entries a feed found missing, a few hundred events at a time so that a
    worker's memory stays flat however many there are."""
    stamp = now_utc()
    by_event: dict[int, list[str]] = {}
    for chunk in _chunks(sorted(event_ids), 500):
        rows: list[dict] = []
        events = db.session.scalars(
            db.select(Event)
            .where(Event.id.in_(chunk))
            .options(selectinload(Event.sessions), selectinload(Event.room).selectinload(Room.home))
        ).all()
        for event in events:
            rows += event_rows(event, stamp)
        for event in events:
            for session in event.sessions:
                db.session.expunge(session)
            db.session.expunge(event)
        store_missing(rows)
        for row in rows:
            by_event.setdefault(row["event_id"], []).append(row["body"])
    return by_event


def event_file(event: Event) -> str:
    """An event as one calendar file (downloads, mail attachments): its stored entries, as the
    public feed shows them; rendered afresh when one is missing or the event changed in this
    transaction (its entries are stored again only at the commit)."""
    db.session.flush()  # (a no-op when nothing is pending, as under a sign-up's lock)
    rows = run_core(_EVENT_ENTRIES, {"event_id": event.id}).all()
    changed = (SESSION, event.id) in db.session.info.get(PENDING, set())
    if changed or not rows or not all(_fresh(body, stored_base) for body, stored_base in rows):
        return ics.event_ics(event)
    return ics.calendar_head(event.title) + "".join(body for body, _base in rows) + ics.CLOSING


# Built once: a confirmed sign-up's message attaches its event's file under the event's lock.
_EVENT_ENTRIES = (
    db.select(table.c.body, table.c.base)
    .select_from(EventSession)
    .outerjoin(table, _SESSION_ENTRY)
    .where(EventSession.event_id == bindparam("event_id"))
    .order_by(EventSession.starts_at, EventSession.id)
)


def session_entry_map(session_ids: set[int]) -> dict[int, str]:
    """Stored entries by session id."""
    if not session_ids:
        return {}
    rows = db.session.execute(
        db.select(EventSession.id, EventSession.event_id, table.c.body, table.c.base)
        .outerjoin(table, _SESSION_ENTRY)
        .where(EventSession.id.in_(session_ids))
    ).all()
    found = {session_id: body for session_id, _e, body, stored_base in rows if _fresh(body, stored_base)}
    stale = {event_id for session_id, event_id, _b, _s in rows if session_id not in found}
    if stale:
        stamp = now_utc()
        rendered: list[dict] = []
        for event in db.session.scalars(db.select(Event).where(Event.id.in_(stale))):
            rendered += event_rows(event, stamp)
        store_missing(rendered)
        found.update({row["object_id"]: row["body"] for row in rendered if row["object_id"] in session_ids})
    return found


def booking_entries(booking_ids: list[int], variant: str) -> list[str]:
    """The bookings' entries in the given order, `variant` BUSY or a language."""
    found = booking_entry_map(booking_ids, variant)
    return [found[booking_id] for booking_id in booking_ids if booking_id in found]


def booking_entry_map(booking_ids: list[int], variant: str) -> dict[int, str]:
    found: dict[int, str] = {}
    for chunk in _chunks(booking_ids):
        rows = db.session.execute(
            db.select(table.c.object_id, table.c.body, table.c.base).where(
                table.c.kind == BOOKING, table.c.variant == variant, table.c.object_id.in_(chunk)
            )
        )
        found.update({object_id: body for object_id, body, stored_base in rows if _fresh(body, stored_base)})
    missing = [booking_id for booking_id in booking_ids if booking_id not in found]
    if missing:
        stamp = now_utc()
        rendered: list[dict] = []
        for chunk in _chunks(missing):
            bookings = db.session.scalars(
                db.select(Booking)
                .where(Booking.id.in_(chunk))
                .options(selectinload(Booking.room).selectinload(Room.home))
            )
            for booking in bookings:
                rendered += booking_rows(booking, stamp, (variant,))
        # Only the variants a change keeps up to date are stored.
        kept = {BUSY, DEFAULT_LANGUAGE}
        store_missing([row for row in rendered if row["variant"] in kept])
        found.update({row["object_id"]: row["body"] for row in rendered})
    return found


def _chunks(ids: list[int], size: int = 5000) -> Iterable[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
