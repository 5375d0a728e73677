"""Feed URLs: answered with ETag and Last-Modified, 304 without rendering when nothing changed.
They never redirect to a login page: an unknown token or a hidden object is a plain 404."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from flask_login import current_user

from app.extensions import db
from app.feeds import fragments, ics, queries
from app.feeds.cache import cache
from app.models import Booking, Event, Room, User
from app.models.event import KINDS
from app.models.user import DISTRICTS

bp = Blueprint("feeds", __name__)
MIME = "text/calendar; charset=utf-8"


def _answer(key: tuple, validator: queries.Validator, render, filename: str) -> Response:
    """`render` gives the body as a list of parts (or one string); the answer streams them."""
    headers = {
        "ETag": validator.etag,
        "Last-Modified": validator.last_modified.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        "Cache-Control": "no-cache",
        "Content-Disposition": f'inline; filename="{filename}"',
    }
    if_none = request.headers.get("If-None-Match")
    if if_none is not None:
        if validator.etag in [tag.strip() for tag in if_none.split(",")] or if_none.strip() == "*":
            return Response(status=304, headers=headers)
    elif request.if_modified_since is not None and validator.last_modified <= request.if_modified_since:
        return Response(status=304, headers=headers)
    # The links in a body depend on the configured base, never on the request; the details of
    # bookings on the language. The body is kept as encoded pieces, streamed out one at a time.
    key = (*key, validator.etag, current_app.config["PUBLIC_BASE_URL"], fragments.language())
    pieces = cache.get(key, lambda: _pieces(render()))
    headers["Content-Length"] = str(sum(len(piece) for piece in pieces))
    return Response((piece for piece in pieces), mimetype="text/calendar", content_type=MIME, headers=headers)


def _pieces(parts: list[str] | str, size: int = 64 * 1024) -> list[bytes]:
    """The parts joined into UTF-8 pieces of about `size` characters."""
    if isinstance(parts, str):
        parts = [parts]
    pieces: list[bytes] = []
    piece: list[str] = []
    length = 0
    for part in parts:
        piece.append(part)
        length += len(part)
        if length >= size:
            pieces.append("".join(piece).encode("utf-8"))
            piece, length = [], 0
    if piece:
        pieces.append("".join(piece).encode("utf-8"))
    return pieces


def _feed(name: str, entries: list[str]) -> list[str]:
    return [ics.calendar_head(name), *entries, ics.CLOSING]


@bp.get("/calendar.ics")
def public_feed():
    district, kind = request.args.get("district") or None, request.args.get("kind") or None
    if district not in (None, *DISTRICTS) or kind not in (None, *KINDS):
        return Response(
            "district must be liwan or nanhai; kind exchange, study_tour or youth_camp\n",
            status=400,
            mimetype="text/plain",
        )
    now = queries.now()

    def render() -> list[str]:
        entries = fragments.session_entries(queries.public_feed_event_ids(district, kind, now))
        return _feed("荔南人才之家 · 活动 Talent Home events", entries)

    return _answer(("public", district, kind), queries.public_validator(district, kind, now), render, "talent-home.ics")


@bp.get("/calendar/<token>.ics")
def personal_feed(token: str):
    user = db.session.scalar(db.select(User).where(User.calendar_token == token))
    if user is None or not user.active:
        abort(404)
    now = queries.now()

    def render() -> list[str]:
        entries = fragments.booking_entries(queries.personal_booking_ids(user, now), fragments.language())
        sign_ups = queries.personal_sign_up_statuses(user)
        by_event = fragments.session_entries_by_event(list(sign_ups))
        for event_id, statuses in sign_ups.items():
            status, bump = ics.sign_up_state(statuses)
            entries += [ics.restated(entry, status, bump) for entry in by_event.get(event_id, [])]
        return _feed(f"荔南人才之家 · {user.name}", entries)

    return _answer(("personal", user.id), queries.personal_validator(user), render, "my-talent-home.ics")


@bp.get("/rooms/<int:room_id>/calendar.ics")
def room_feed(room_id: int):
    room = db.session.get(Room, room_id)
    if room is None or not room.active:
        abort(404)

    def render() -> list[str]:
        """A public event's reservation is the event's own entry (its UID, title and SEQUENCE);
        any other booking shows only that the room is taken."""
        holds = queries.room_hold_rows(room)
        shown = {session_id for _b, session_id, public in holds if public}
        events = fragments.session_entry_map(shown)
        busy_ids = [booking_id for booking_id, session_id, public in holds if session_id not in events]
        busy = fragments.booking_entry_map(busy_ids, fragments.BUSY)
        entries = [
            events[session_id] if session_id in events else busy[booking_id]
            for booking_id, session_id, _p in holds
            if session_id in events or booking_id in busy
        ]
        return _feed(f"{room.name} · {room.home.name}", entries)

    return _answer(("room", room.id), queries.room_validator(room), render, f"room-{room.id}.ics")


@bp.get("/events/<int:event_id>.ics")
def event_feed(event_id: int):
    event = db.session.get(Event, event_id)
    if event is None or not event.is_public:
        abort(404)
    validator = queries.event_validator(event)
    return _answer(("event", event.id), validator, lambda: fragments.event_file(event), f"event-{event.id}.ics")


@bp.get("/bookings/<int:booking_id>.ics")
def booking_feed(booking_id: int):
    booking = db.session.get(Booking, booking_id)
    if booking is None or not booking.visible_to(current_user):
        abort(404)
    validator = queries.booking_validator(booking)
    return _answer(("booking", booking.id), validator, lambda: ics.booking_ics(booking), f"booking-{booking.id}.ics")
