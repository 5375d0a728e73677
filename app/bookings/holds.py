"""The old path of app.bookings.services.holds, for app/events/reservations.py until it imports that."""

from app.bookings.services.holds import hold_room, lock_room, touch_room

__all__ = ["hold_room", "lock_room", "touch_room"]
