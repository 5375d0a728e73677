"""All models, imported so that metadata and migrations see every table."""

from app.models.booking import Booking
from app.models.event import Event, EventSession
from app.models.feed_state import FeedFragment, FeedState
from app.models.holiday import HolidayOverride
from app.models.home import Closure, Home, Room
from app.models.notification import AuditEntry, Notification
from app.models.question import Answer, Question
from app.models.registration import CheckIn, Participant, Registration
from app.models.user import ApiToken, RegistryEntry, User

__all__ = [
    "Answer",
    "ApiToken",
    "AuditEntry",
    "Booking",
    "CheckIn",
    "Closure",
    "Event",
    "EventSession",
    "FeedFragment",
    "FeedState",
    "HolidayOverride",
    "Home",
    "Notification",
    "Participant",
    "Question",
    "Registration",
    "RegistryEntry",
    "Room",
    "User",
]
