"""Subscribe links: a feed's https address and the webcal:// one calendar apps open directly."""

from __future__ import annotations

from app.models import User
from app.urls import public_url


def webcal(url: str | None) -> str | None:
    return "webcal://" + url.split("://", 1)[1] if url else None


def personal_feed(user: User) -> str:
    """The secret address of a user's own bookings and sign-ups."""
    return public_url("feeds.personal_feed", token=user.calendar_token)
