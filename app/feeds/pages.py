"""The calendar pages' blueprint, where app/web.py still imports it from.

It lives in app/calendars/. Once web.py no longer registers it from here (its lines
`from app.feeds.pages import bp as calendar_pages_bp` and `app.register_blueprint(calendar_pages_bp)`),
app/calendars/pages.py becomes app/calendars/routes.py, which web.py's feature list registers, and
this module goes."""

from app.calendars.pages import bp

__all__ = ["bp"]
