"""Shapes of the caller's account, tokens and sign-up."""

from __future__ import annotations

from app.api.schemas import District, Shape, one_of
from app.models.user import ISSUERS, ROLES, TALENT_STATUSES
from app.urls import public_url

# A rejected credential reads as none: the caller simply has no verified credential.
SHOWN_TALENT_STATUSES = tuple(s for s in TALENT_STATUSES if s != "rejected")
Issuer, Role, TalentStatus = one_of(ISSUERS), one_of(ROLES), one_of(TALENT_STATUSES)
ShownTalentStatus = one_of(SHOWN_TALENT_STATUSES)


def calendar_url(user) -> str:
    return public_url("feeds.personal_feed", token=user.calendar_token)


class Credential(Shape):
    issuer: Issuer
    number: str | None
    status: TalentStatus


class User(Shape):
    id: int
    name: str
    email: str
    role: Role
    district: District | None
    talent_status: ShownTalentStatus
    credential: Credential | None
    locale: str
    calendar_url: str

    @classmethod
    def of(cls, user) -> User:
        credential = None
        if user.credential_issuer:
            credential = Credential(
                issuer=user.credential_issuer, number=user.credential_number, status=user.talent_status
            )
        return cls(
            id=user.id,
            name=user.name,
            email=user.email,
            role=user.role,
            district=user.district,
            talent_status=user.talent_status if user.talent_status != "rejected" else "none",
            credential=credential,
            locale=user.locale or "zh",
            calendar_url=calendar_url(user),
        )


class Token(Shape):
    token: str
    token_type: str
    user: User


class Registered(Shape):
    id: int
    talent_status: TalentStatus


class CalendarUrl(Shape):
    calendar_url: str
