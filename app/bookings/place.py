"""Where a booking is and how to get in: the home and its district, the address with a map link,
the day's opening hours and the check-in window. Pages, e-mails and calendar files all read this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from flask_babel import get_locale
from flask_babel import gettext as _

from app.homes.opening import opening_interval
from app.models import Booking, Home
from app.timezones import to_local

MAP_SEARCH = "https://uri.amap.com/search?keyword={query}"


def map_url(address: str) -> str:
    """An https link to a map search of the address (no script of a map provider on our pages)."""
    return MAP_SEARCH.format(query=quote(address, safe=""))


def district_label(district: str) -> str:
    return {"liwan": _("Liwan District, Guangzhou"), "nanhai": _("Nanhai District, Foshan")}.get(district, district)


def _english() -> bool:
    return str(get_locale()) == "en"


def home_name(home: Home) -> str:
    return home.name_en if _english() and home.name_en else home.name


def home_address(home: Home) -> str:
    return home.address_en if _english() and home.address_en else home.address


@dataclass(frozen=True)
class Place:
    home: str
    district: str
    address: str
    map_url: str
    hours: str | None  # the home's opening hours on the booking's day, "09:00–21:00"
    check_in_opens: datetime
    check_in_closes: datetime

    def lines(self) -> list[str]:
        """The place as plain text lines, for e-mails and calendar files."""
        opens, closes = to_local(self.check_in_opens), to_local(self.check_in_closes)
        lines = [
            f"{self.home} · {self.district}",
            _("Address: %(address)s", address=self.address),
            _("Map: %(url)s", url=self.map_url),
        ]
        if self.hours:
            lines.append(_("Open that day: %(hours)s", hours=self.hours))
        lines.append(_("Check in between %(opens)s and %(closes)s.", opens=f"{opens:%H:%M}", closes=f"{closes:%H:%M}"))
        return lines


def place_of(booking: Booking) -> Place:
    home = booking.room.home
    interval = opening_interval(home, to_local(booking.starts_at).date())
    hours = f"{to_local(interval[0]):%H:%M}–{to_local(interval[1]):%H:%M}" if interval else None
    opens, closes = booking.check_in_window
    address = home_address(home)
    return Place(home_name(home), district_label(home.district), address, map_url(home.address), hours, opens, closes)
