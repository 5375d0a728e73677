"""Attendance pages on one blueprint: the check-in desk, the record, exports and ticket, statistics
and a talent's own record."""

from app.attendance.routes import desk, record, reports  # noqa: F401  (their views join the blueprint)
from app.attendance.routes.blueprint import bp

__all__ = ["bp"]
