"""Pages of a weekly series (its dates with their states, cancelling the remaining ones), and the
template helpers that say where a booking is (app.bookings.place)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.bookings.place import district_label, home_address, map_url, place_of
from app.bookings.routes import bp
from app.bookings.services import actions
from app.timezones import now_utc
from app.unit_of_work import attempt
from app.urls import safe_next


@bp.app_template_global("booking_place")
def booking_place(booking):
    return place_of(booking)


bp.add_app_template_global(district_label, "district_label")
bp.add_app_template_global(home_address, "home_address")
bp.add_app_template_global(map_url, "map_url")


@bp.get("/bookings/series/<series_id>")
@login_required
def series(series_id: str):
    bookings = actions.series_bookings(current_user, series_id)
    now = now_utc()
    return render_template(
        "bookings/series.html",
        series_id=series_id,
        bookings=bookings,
        first=bookings[0],
        remaining=[b for b in bookings if b.starts_at > now and b.can_cancel(current_user, now)],
        now=now,
    )


@bp.post("/bookings/series/<series_id>/cancel")
@login_required
def cancel_series(series_id: str):
    attempt(lambda: actions.cancel_series(current_user, series_id), _("The remaining dates are cancelled."))
    return redirect(safe_next(request.form.get("next"), url_for("bookings.series", series_id=series_id)))
