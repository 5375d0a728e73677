"""Organisers' pages: a home's schedule (day or week), the approvals queue, suspended users."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.bookings import actions, availability, noshows, services
from app.bookings.forms import ReasonForm
from app.bookings.routes import bp
from app.errors.domain import NotFound
from app.extensions import db
from app.homes.services import home_by_district
from app.models import User
from app.timezones import local_day_bounds, local_today, parse_date
from app.unit_of_work import attempt


def _staff_only() -> None:
    if not current_user.is_staff:
        abort(403)


@bp.get("/homes/<district>/schedule")
@login_required
def schedule(district: str):
    """A home's bookings with their bookers, for a day (with the grid) or a week."""
    home = home_by_district(district)
    if not current_user.manages_district(home.district):
        abort(403)
    try:
        day = parse_date(request.args["date"]) if request.args.get("date") else local_today()
    except ValueError:
        day = local_today()
    view = "week" if request.args.get("view") == "week" else "day"
    first = day - timedelta(days=day.weekday()) if view == "week" else day
    days = 7 if view == "week" else 1
    start = local_day_bounds(first)[0]
    end = local_day_bounds(first + timedelta(days=days - 1))[1]
    bookings = services.home_bookings(current_user, district, start, end)
    rooms = [r for r in home.rooms if r.active]
    columns, cells = availability.day_grid(rooms, day) if view == "day" else ([], {})
    return render_template(
        "bookings/schedule.html",
        home=home,
        view=view,
        day=day,
        first=first,
        days=[first + timedelta(days=n) for n in range(days)],
        bookings=bookings,
        by_id={b.id: b for b in bookings},
        rooms=rooms,
        columns=columns,
        cells=cells,
        step=timedelta(days=days),
    )


@bp.get("/bookings/approvals")
@login_required
def approvals():
    _staff_only()
    return render_template("bookings/approvals.html", bookings=services.pending_for(current_user), form=ReasonForm())


@bp.post("/bookings/<int:booking_id>/approve")
@login_required
def approve(booking_id: int):
    form = ReasonForm()
    attempt(lambda: actions.decide_booking(current_user, booking_id, True, form.reason.data), _("Approved."))
    return redirect(url_for("bookings.approvals"))


@bp.post("/bookings/<int:booking_id>/reject")
@login_required
def reject(booking_id: int):
    form = ReasonForm()
    attempt(lambda: actions.decide_booking(current_user, booking_id, False, form.reason.data), _("Rejected."))
    return redirect(url_for("bookings.approvals"))


@bp.get("/bookings/suspensions")
@login_required
def suspensions():
    _staff_only()
    return render_template("bookings/suspensions.html", users=noshows.suspended_users())


@bp.post("/bookings/suspensions/<int:user_id>/lift")
@login_required
def lift(user_id: int):
    _staff_only()
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    attempt(lambda: noshows.lift_suspension(current_user, user), _("Suspension lifted."))
    return redirect(url_for("bookings.suspensions"))
