"""Pages: the web calendar (month, week and list of published events, with filters) and the subscribe page."""

from __future__ import annotations

import calendar as monthcal
from datetime import date, timedelta

import segno
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.tokens import reset_calendar_token
from app.calendars import links, queries
from app.events import places
from app.models.event import KINDS, THEMES
from app.models.user import DISTRICTS
from app.timezones import local_today, parse_date
from app.urls import public_url

bp = Blueprint("calendar_pages", __name__)


def _filters() -> dict:
    args = request.args
    return {
        "district": args.get("district") if args.get("district") in DISTRICTS else "",
        "kind": args.get("kind") if args.get("kind") in KINDS else "",
        "theme": args.get("theme") if args.get("theme") in THEMES else "",
    }


def _month_arg() -> date:
    today = local_today()
    try:
        year, month = int(request.args.get("year", today.year)), int(request.args.get("month", today.month))
        return date(year, month, 1) if 2000 <= year <= 2100 else today.replace(day=1)
    except (TypeError, ValueError):
        return today.replace(day=1)


@bp.get("/calendar")
def month():
    first = _month_arg()
    filters = _filters()
    weeks = monthcal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    by_day = queries.sessions_by_day(queries.events_between(weeks[0][0], weeks[-1][-1], filters))
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return render_template(
        "calendars/month.html",
        first=first,
        weeks=weeks,
        by_day=by_day,
        today=local_today(),
        filters=filters,
        previous=previous,
        following=following,
        view="month",
    )


def _week_arg() -> date:
    """The Monday of the week holding ?date= (YYYY-MM-DD), or of this week."""
    try:
        day = parse_date(request.args.get("date", ""))
    except ValueError:
        day = local_today()
    return day - timedelta(days=day.weekday())


@bp.get("/calendar/week")
def week():
    monday = _week_arg()
    filters = _filters()
    days = [monday + timedelta(days=n) for n in range(7)]
    by_day = queries.sessions_by_day(queries.events_between(days[0], days[-1], filters))
    return render_template(
        "calendars/week.html",
        days=days,
        by_day=by_day,
        today=local_today(),
        filters=filters,
        previous=monday - timedelta(days=7),
        following=monday + timedelta(days=7),
        view="week",
    )


@bp.get("/calendar/list")
def listing():
    filters = _filters()
    today = local_today()
    events = queries.events_between(today, today + timedelta(days=120), filters)
    return render_template(
        "calendars/list.html",
        events=events,
        counts=places.counts([e.id for e in events]),
        filters=filters,
        today=today,
        view="list",
    )


def _qr_svg(text: str) -> str:
    return segno.make(text, error="m").svg_inline(scale=4, dark="#1c2430")


@bp.get("/calendar/subscribe")
def subscribe():
    chosen = {k: v for k, v in _filters().items() if v and k in ("district", "kind")}
    public_feed = public_url("feeds.public_feed", **chosen)
    personal_feed = links.personal_feed(current_user) if current_user.is_authenticated else None
    webcal = links.webcal
    return render_template(
        "calendars/subscribe.html",
        public_url=public_feed,
        personal_url=personal_feed,
        public_webcal=webcal(public_feed),
        personal_webcal=webcal(personal_feed),
        public_qr=_qr_svg(webcal(public_feed)),
        chosen=chosen,
        personal_qr=_qr_svg(webcal(personal_feed)) if personal_feed else None,
    )


@bp.post("/calendar/token")
@login_required
def new_token():
    reset_calendar_token(current_user)
    flash(_("Your personal calendar has a new address; the old one no longer works."), "success")
    return redirect(url_for("calendar_pages.subscribe"))
