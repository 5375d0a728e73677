"""The old path of availability in app.bookings.queries, for app/api/bookings.py until it imports that."""

from app.bookings.queries import available_rooms, room_day

__all__ = ["available_rooms", "room_day"]
