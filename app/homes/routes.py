"""Pages: the homes, a room, and organisers managing rooms, hours and closures."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.errors.domain import DomainError
from app.extensions import db
from app.homes import queries, services
from app.homes.forms import ClosureForm, HoursForm, RoomForm, equipment_labels
from app.models import Closure, Room
from app.models.home import WEEKDAYS
from app.refusals import about, keeps_typed, place_errors, refused_status
from app.timezones import LOCAL_TZ, now_utc, parse_date
from app.unit_of_work import savepoint

bp = Blueprint("homes", __name__)


def _manageable_home(district: str):
    home = queries.home_by_district(district)
    if not current_user.manages_district(home.district):
        abort(403)
    return home


@bp.get("/homes/<district>")
def show(district: str):
    home = queries.home_by_district(district)
    return render_template(
        "homes/show.html",
        home=home,
        rooms=queries.list_rooms(district),
        closures=queries.upcoming_closures(home, now_utc()),
        equipment_labels=equipment_labels(),
        weekdays=WEEKDAYS,
        can_manage=current_user.is_authenticated and current_user.manages_district(district),
    )


@bp.get("/rooms/<int:room_id>")
def room(room_id: int):
    """A room: its week of busy and free time, a link to book it, and its check-in QR code for those it is for."""
    from datetime import timedelta

    from app.bookings import room_code
    from app.bookings.queries import room_week_timeline
    from app.timezones import local_today

    room = queries.get_room(room_id)
    try:
        first = parse_date(request.args["from"]) if request.args.get("from") else local_today()
    except ValueError:
        first = local_today()
    return render_template(
        "homes/room.html",
        room=room,
        equipment_labels=equipment_labels(),
        week=room_week_timeline(room, first, current_user),
        earlier=first - timedelta(days=7),
        later=first + timedelta(days=7),
        qr_svg=room_code.qr_svg(room) if room_code.visible_to(current_user, room) else None,
        can_manage=current_user.is_authenticated and current_user.manages_district(room.home.district),
    )


@bp.route("/homes/<district>/rooms/new", methods=["GET", "POST"])
@login_required
@keeps_typed
def new_room(district: str):
    home = _manageable_home(district)
    form = RoomForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            with savepoint():
                room = services.create_room(current_user, home, _room_data(form))
        except DomainError as error:
            problems = place_errors(form, error)
        else:
            flash(_("Room created."), "success")
            return redirect(url_for("homes.show", district=district, _anchor=f"room-{room.id}"))
    return render_template("homes/room_form.html", form=form, home=home, room=None, problems=problems), refused_status(
        form
    )


@bp.route("/rooms/<int:room_id>/edit", methods=["GET", "POST"])
@login_required
@keeps_typed
def edit_room(room_id: int):
    room = queries.get_room(room_id, include_inactive=True)
    home = _manageable_home(room.home.district)
    form = RoomForm(obj=room)
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            with savepoint():
                services.update_room(current_user, room, _room_data(form))
        except DomainError as error:
            problems = place_errors(form, error)
        else:
            flash(_("Room saved."), "success")
            return redirect(url_for("homes.show", district=home.district))
    return render_template("homes/room_form.html", form=form, home=home, room=room, problems=problems), refused_status(
        form
    )


def _room_data(form: RoomForm) -> dict:
    return {
        name: form[name].data
        for name in ("name", "name_en", "capacity", "equipment", "requires_approval", "active", "description")
    }


@bp.route("/homes/<district>/hours", methods=["GET", "POST"])
@login_required
@keeps_typed
def hours(district: str):
    home = _manageable_home(district)
    form = HoursForm()
    names = day_names()
    for day in WEEKDAYS:
        form[f"{day}_open"].label.text = _("%(day)s: opens", day=names[day])
        form[f"{day}_close"].label.text = _("%(day)s: closes", day=names[day])
    if request.method == "GET":
        for day in WEEKDAYS:
            value = (home.opening_hours or {}).get(day) or ["", ""]
            form[f"{day}_open"].data, form[f"{day}_close"].data = value
    elif form.validate_on_submit():
        submitted = {
            day: [form[f"{day}_open"].data, form[f"{day}_close"].data]
            if form[f"{day}_open"].data or form[f"{day}_close"].data
            else None
            for day in WEEKDAYS
        }
        try:
            with savepoint():
                services.update_opening_hours(current_user, home, submitted)
        except DomainError as error:
            for day, message in error.fields.items():
                form[f"{day}_open"].errors = [about(names.get(day, day), message)]
        else:
            flash(_("Opening hours saved."), "success")
            return redirect(url_for("homes.show", district=district))
    return render_template("homes/hours.html", form=form, home=home, weekdays=WEEKDAYS), refused_status(form)


def day_names() -> dict[str, str]:
    return {
        "mon": _("Monday"),
        "tue": _("Tuesday"),
        "wed": _("Wednesday"),
        "thu": _("Thursday"),
        "fri": _("Friday"),
        "sat": _("Saturday"),
        "sun": _("Sunday"),
    }


@bp.route("/homes/<district>/closures", methods=["GET", "POST"])
@login_required
@keeps_typed
def closures(district: str):
    home = _manageable_home(district)
    form = ClosureForm()
    problems: list[str] = []
    form.room_id.choices = [(0, _("The whole home"))] + [(r.id, r.name) for r in home.rooms if r.active]
    if form.validate_on_submit():
        room = db.session.get(Room, form.room_id.data) if form.room_id.data else None
        start = form.start.data.replace(tzinfo=LOCAL_TZ)
        end = form.end.data.replace(tzinfo=LOCAL_TZ)
        try:
            with savepoint():
                services.add_closure(current_user, home, start, end, form.reason.data, room)
        except DomainError as error:
            problems = place_errors(form, error)
        else:
            flash(_("Closure added."), "success")
            return redirect(url_for("homes.closures", district=district))
    return render_template(
        "homes/closures.html",
        form=form,
        home=home,
        closures=queries.upcoming_closures(home, now_utc()),
        problems=problems,
    ), refused_status(form)


@bp.post("/closures/<int:closure_id>/delete")
@login_required
def delete_closure(closure_id: int):
    closure = db.get_or_404(Closure, closure_id)
    district = closure.home.district
    _manageable_home(district)
    services.delete_closure(current_user, closure)
    flash(_("Closure removed."), "info")
    return redirect(url_for("homes.closures", district=district))
