"""Feed URLs: answered with ETag and Last-Modified, 304 without rendering when nothing changed.
They never redirect to a login page: an unknown token or a hidden object is a plain 404."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from flask_login import current_user

from app.extensions import db
from app.feeds import ics, queries
from app.feeds.cache import cache
from app.models import Booking, Event, Room, User
from app.models.event import KINDS
from app.models.user import DISTRICTS

bp = Blueprint("feeds", __name__)
MIME = "text/calendar; charset=utf-8"


def _answer(key: tuple, validator: queries.Validator, render, filename: str) -> Response:
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
    # The links in a body depend on the configured base, never on the request.
    body = cache.get((*key, validator.etag, current_app.config["PUBLIC_BASE_URL"]), render)
    return Response(body, mimetype="text/calendar", content_type=MIME, headers=headers)


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

    def render() -> str:
        calendar = ics.new_calendar("荔南人才之家 · 活动 Talent Home events")
        for event in queries.public_feed_events(district, kind, now):
            for component in ics.event_components(event, stamp=now):
                calendar.add_component(component)
        return ics.to_text(calendar)

    return _answer(("public", district, kind), queries.public_validator(district, kind, now), render, "talent-home.ics")


@bp.get("/calendar/<token>.ics")
def personal_feed(token: str):
    user = db.session.scalar(db.select(User).where(User.calendar_token == token))
    if user is None or not user.active:
        abort(404)
    now = queries.now()

    def render() -> str:
        calendar = ics.new_calendar(f"荔南人才之家 · {user.name}")
        for booking in queries.personal_bookings(user, now):
            calendar.add_component(ics.booking_component(booking, with_details=True, stamp=now))
        for signups in queries.personal_sign_ups(user).values():
            for component in ics.registration_components(signups, now):
                calendar.add_component(component)
        return ics.to_text(calendar)

    return _answer(("personal", user.id), queries.personal_validator(user), render, "my-talent-home.ics")


@bp.get("/rooms/<int:room_id>/calendar.ics")
def room_feed(room_id: int):
    room = db.session.get(Room, room_id)
    if room is None or not room.active:
        abort(404)
    now = queries.now()

    def render() -> str:
        calendar = ics.new_calendar(f"{room.name} · {room.home.name}")
        for booking, public in queries.room_holds(room):
            calendar.add_component(ics.booking_component(booking, with_details=public, stamp=now))
        return ics.to_text(calendar)

    return _answer(("room", room.id), queries.room_validator(room), render, f"room-{room.id}.ics")


@bp.get("/events/<int:event_id>.ics")
def event_feed(event_id: int):
    event = db.session.get(Event, event_id)
    if event is None or not event.is_public:
        abort(404)
    return _answer(
        ("event", event.id), queries.event_validator(event), lambda: ics.event_ics(event), f"event-{event.id}.ics"
    )


@bp.get("/bookings/<int:booking_id>.ics")
def booking_feed(booking_id: int):
    booking = db.session.get(Booking, booking_id)
    if booking is None or not booking.visible_to(current_user):
        abort(404)
    validator = queries.booking_validator(booking)
    return _answer(("booking", booking.id), validator, lambda: ics.booking_ics(booking), f"booking-{booking.id}.ics")
