"""The booking rules that change state, one module each: booking (a booking or a weekly series),
actions (cancel, approve or reject, check in), rules (limits, quotas, opening hours), holds (a
room's lock and the bookings that hold it), noshows (no-shows and suspensions), notices (their mail)."""
