"""Room bookings in both homes."""
