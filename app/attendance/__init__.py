"""Attendance: check-in codes and the desk, no-shows, published records, exports and statistics."""
