"""The booking rules that change state, one module each: booking (a booking or a weekly series),
actions (cancel, approve or reject, check in), rules (limits, quotas, opening hours), holds (a
room's lock and the bookings that hold it), noshows (no-shows and suspensions), notices (their mail)."""

from app.bookings.queries import home_bookings, own_bookings, visible_booking
from app.bookings.services.booking import BookingRequest, BookingResult, book_room, settle_no_shows

__all__ = [
    "BookingRequest",
    "BookingResult",
    "book_room",
    "settle_no_shows",
    # Read models, here only for app/api/bookings.py, which still reads them as `services.…`.
    "home_bookings",
    "own_bookings",
    "visible_booking",
]
