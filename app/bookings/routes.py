"""Pages: find a room, book it, my bookings, check in (button or the room's QR code); for organisers
a home's schedule (day or week), the approvals queue and suspended users."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.bookings import queries, room_code
from app.bookings.forms import BookingForm, FindForm, ReasonForm
from app.bookings.services import actions, booking, noshows
from app.errors.domain import DomainError, NotFound
from app.extensions import db
from app.homes.forms import equipment_labels
from app.homes.queries import get_room, home_by_district, list_rooms
from app.labels import LABELS, booking_tone, label
from app.models import Booking, User
from app.models.user import DISTRICTS
from app.refusals import about, keeps_typed, place_errors, refused_status
from app.timezones import local_day_bounds, local_today, now_utc, parse_date, to_local
from app.unit_of_work import attempt, savepoint
from app.urls import safe_next, urls_by_id
from app.web import format_local, local_name

bp = Blueprint("bookings", __name__)


@bp.get("/bookings/find")
def find():
    """Rooms free for the chosen time, and a timeline per home (rooms × time), the searched time in view."""
    form = FindForm(request.args)
    form.validate()
    day, district = form.day(), form.home.data or None
    capacity = form.min_capacity.data if not form.min_capacity.errors else None
    rooms = list_rooms(district, capacity, form.equipment.data)
    interval = form.interval(day)
    free = None
    if interval:
        free = queries.free_rooms(rooms, *interval)
    # What the search asked goes on to the booking form, under the search's own names.
    carry = {"min_capacity": capacity, "equipment": form.equipment.data or None}
    return render_template(
        "bookings/find.html",
        form=form,
        day=day,
        free=free,
        timelines=queries.find_timelines(rooms, day, current_user, interval),
        carry=carry,
        prev_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
        equipment_labels=equipment_labels(),
    )


@bp.route("/rooms/<int:room_id>/book", methods=["GET", "POST"])
@login_required
@keeps_typed
def new(room_id: int):
    room = get_room(room_id)
    form = BookingForm(room, current_user)
    if request.method == "GET":
        form.fill_from(request.args)
    elif form.validate_on_submit():
        try:
            result = booking.book(current_user, form.request_for(room.id))
        except DomainError as error:
            return _refused(form, room, error)
        return _booked(result)
    page = render_template(
        "bookings/new.html", form=form, room=room, refusal=None, problems=[], equipment_labels=equipment_labels()
    )
    return page, refused_status(form)


# Where a rule's refusal is shown in the booking form, by its code (API.md error codes).
REFUSAL_FIELDS = {
    "conflict": "start",
    "outside_opening_hours": "start",
    "in_the_past": "start",
    "too_short": "end",
    "too_long": "end",
    "too_far_ahead": "date",
    "closed": "date",
    "quota_exceeded": "date",
    "over_capacity": "attendees",
}
# The service's names for the fields the form calls otherwise.
SERVICE_FIELDS = {"repeat": "weekly"}


def _subject(form: BookingForm, room) -> str:
    """What a refusal is about: "Room A, 2026-12-03 10:00–11:00"."""
    when = f"{form.date.data.isoformat() if form.date.data else ''} {form.start.data}–{form.end.data}".strip()
    return _("%(room)s, %(when)s", room=local_name(room), when=when)


def _refused(form: BookingForm, room, error: DomainError):
    """The refusal beside its field (the rule's message naming the room and time) and in the summary;
    a series' clashing dates or the alternatives (Plan B) follow as one report with a way back to the search."""
    if error.fields:
        error.fields = {SERVICE_FIELDS.get(k, k): v for k, v in error.fields.items()}
    has_report = getattr(error, "alternatives", None) is not None or bool(error.details.get("clashes"))
    subject = "" if error.details.get("clashes") else _subject(form, room)
    code_fields = REFUSAL_FIELDS if not error.details.get("clashes") else {"conflict": "date"}
    problems = place_errors(form, error, code_fields, subject)
    refusal = None
    if has_report and not error.fields:
        refusal = {
            "message": error.message,
            "clashes": error.details.get("clashes"),
            "alternatives": getattr(error, "alternatives", None),
        }
    page = render_template(
        "bookings/new.html",
        form=form,
        room=room,
        refusal=refusal,
        problems=problems,
        equipment_labels=equipment_labels(),
    )
    return page, error.status


def _booked(result):
    first = result.bookings[0]
    flash(
        _("Booking requested: it waits for an organiser's approval.") if first.status == "pending" else _("Booked."),
        "success",
    )
    for skipped in result.skipped:
        flash(_("Not booked on %(date)s: %(reason)s", date=skipped["date"], reason=skipped["message"]), "info")
    if first.series_id:
        return redirect(url_for("bookings.series", series_id=first.series_id))
    return redirect(url_for("bookings.mine"))


@bp.get("/bookings/mine")
@login_required
def mine():
    now = now_utc()
    return render_template(
        "bookings/mine.html",
        upcoming=queries.own_bookings(current_user, upcoming=True, now=now),
        past=queries.own_bookings(current_user, upcoming=False, now=now)[:50],
        now=now,
        has_ics="feeds.booking_feed" in current_app.view_functions,
    )


@bp.get("/bookings/<int:booking_id>")
@login_required
def show(booking_id: int):
    shown = queries.visible_booking(current_user, booking_id)
    return render_template(
        "bookings/show.html",
        booking=shown,
        form=ReasonForm(),
        manages=current_user.manages_district(shown.room.home.district),
        now=now_utc(),
    )


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel(booking_id: int):
    form = ReasonForm()
    attempt(lambda: actions.cancel_booking(current_user, booking_id, form.reason.data), _("Booking cancelled."))
    return redirect(safe_next(request.form.get("next"), url_for("bookings.mine")))


@bp.post("/bookings/<int:booking_id>/check-in")
@login_required
def check_in(booking_id: int):
    attempt(lambda: actions.check_in(current_user, booking_id), _("Checked in. Enjoy the room."))
    return redirect(safe_next(request.form.get("next"), url_for("bookings.mine")))


@bp.get("/rooms/<int:room_id>/check-in")
@login_required
def room_check_in(room_id: int):
    """Where the room's QR code leads: the caller's booking of this room open for check-in, if any."""
    room = get_room(room_id)
    bookings = room_code.candidates(current_user, room.id)
    return render_template("bookings/room_check_in.html", room=room, bookings=bookings)


@bp.get("/rooms/<int:room_id>/qr.svg")
@login_required
def room_qr(room_id: int):
    """The room's check-in code as a file to print: for those `room_code.visible_to` allows."""
    room = get_room(room_id)
    if not room_code.visible_to(current_user, room):
        abort(404)
    buffer = io.BytesIO()
    room_code.qr(room).save(buffer, kind="svg", scale=4, title=room.name)
    return Response(buffer.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


def _staff_only() -> None:
    if not current_user.is_staff:
        abort(403)


@dataclass(frozen=True)
class ScheduleRow:
    """A booking as a home's schedule lists it, each text as shown (written here once for each of
    the day's many rows, not by the template)."""

    url: str
    when: str  # "14:30–16:00", local
    room: str  # in the page's language
    title: str
    weekly: bool  # one of a weekly series
    booker: str
    status: str  # in the page's language
    tone: str  # the status tag's colour: ok | warn | bad
    checked_in: bool


@bp.get("/homes/<district>/schedule")
@login_required
def schedule(district: str):
    """A home's bookings with their bookers and a timeline of its rooms, for a day or each day of a week."""
    home = home_by_district(district, with_rooms=True)
    if not current_user.manages_district(home.district):
        abort(403)
    try:
        day = parse_date(request.args["date"]) if request.args.get("date") else local_today()
    except ValueError:
        day = local_today()
    view = "week" if request.args.get("view") == "week" else "day"
    first = day - timedelta(days=day.weekday()) if view == "week" else day
    days = 7 if view == "week" else 1
    start, end = local_day_bounds(first)[0], local_day_bounds(first + timedelta(days=days - 1))[1]
    shown_days = [first + timedelta(days=n) for n in range(days)]
    by_day: dict[date, list[ScheduleRow]] = {d: [] for d in shown_days}
    room_names = {room.id: local_name(room) for room in home.rooms}
    statuses = {code: label(code, "booking_status") for code in LABELS["booking_status"]}
    show = urls_by_id("bookings.show", "booking_id")
    for b in queries.home_schedule(current_user, home, start, end):
        when = f"{format_local(b.starts_at, '%H:%M')}–{format_local(b.ends_at, '%H:%M')}"
        row = ScheduleRow(
            show(b.id),
            when,
            room_names[b.room_id],
            b.title,
            b.series_id is not None,
            b.booker,
            statuses.get(b.status, b.status),
            booking_tone(b.status),
            b.checked_in_at is not None,
        )
        by_day.setdefault(to_local(b.starts_at).date(), []).append(row)
    rooms = [r for r in home.rooms if r.active]
    return render_template(
        "bookings/schedule.html",
        home=home,
        view=view,
        day=day,
        first=first,
        days=shown_days,
        bookings=by_day,
        timelines=queries.schedule_timelines(rooms, shown_days, current_user),
        step=timedelta(days=days),
    )


@bp.get("/bookings/approvals")
@login_required
def approvals():
    _staff_only()
    return _approvals_page()


def _approvals_page(refused: dict | None = None, problems: list[str] | None = None):
    return render_template(
        "bookings/approvals.html",
        bookings=queries.pending_for(current_user),
        form=ReasonForm(),
        districts=DISTRICTS,
        refused=refused,
        problems=problems or [],
    )


@bp.post("/bookings/<int:booking_id>/approve")
@login_required
def approve(booking_id: int):
    form = ReasonForm()
    attempt(lambda: actions.decide_booking(current_user, booking_id, True, form.reason.data), _("Approved."))
    return redirect(url_for("bookings.approvals"))


@bp.post("/bookings/<int:booking_id>/reject")
@login_required
def reject(booking_id: int):
    """A refused rejection (its reason refused, the booking no longer pending) is shown again in the
    queue with the reason typed, the problem beside it."""
    form = ReasonForm()
    try:
        with savepoint():
            actions.decide_booking(current_user, booking_id, False, form.reason.data)
    except DomainError as error:
        shown = db.session.get(Booking, booking_id)
        subject = f"{shown.title} · {local_name(shown.room)}" if shown is not None else ""
        message = (error.fields or {}).get("reason") or error.message
        refused = {"booking_id": booking_id, "reason": form.reason.data or "", "error": about(subject, message)}
        _staff_only()
        return _approvals_page(refused, [] if (error.fields or {}).get("reason") else [refused["error"]]), error.status
    flash(_("Rejected."), "info")
    return redirect(url_for("bookings.approvals"))


@bp.get("/bookings/suspensions")
@login_required
def suspensions():
    _staff_only()
    return render_template("bookings/suspensions.html", users=queries.suspended_users())


@bp.post("/bookings/suspensions/<int:user_id>/lift")
@login_required
def lift(user_id: int):
    _staff_only()
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    try:
        with savepoint():
            noshows.lift_suspension(current_user, user)
    except DomainError as error:
        flash(about(user.name or user.email, error.message), "error")  # the refusal names whom it is about
    else:
        flash(_("Suspension lifted."), "success")
    return redirect(url_for("bookings.suspensions"))


from app.bookings import series_routes  # noqa: E402,F401  (the series pages, on this blueprint)
