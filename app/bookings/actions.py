"""The old path of app.bookings.services.actions, for app/api/bookings.py until it imports that."""

from app.bookings.services.actions import cancel_booking, check_in, decide_booking

__all__ = ["cancel_booking", "check_in", "decide_booking"]
