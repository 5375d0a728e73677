"""iCalendar feeds (RFC 5545): public events, a personal feed, a room's bookings, one event."""
