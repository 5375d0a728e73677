"""A talent's own data (PIPL): everything held about them, as one JSON document."""

from __future__ import annotations

from app.extensions import db
from app.models import Booking, CheckIn, Notification, Registration, User
from app.timezones import iso_local


def export_user_data(user: User) -> dict:
    """The account, its credential, bookings, registrations with the children signed up, check-ins
    and messages — what the system holds about the user."""
    bookings = db.session.scalars(db.select(Booking).where(Booking.user_id == user.id).order_by(Booking.starts_at))
    registrations = list(
        db.session.scalars(
            db.select(Registration).where(Registration.user_id == user.id).order_by(Registration.created_at)
        )
    )
    check_ins = db.session.scalars(
        db.select(CheckIn).where(CheckIn.registration_id.in_([r.id for r in registrations] or [0]))
    )
    messages = db.session.scalars(
        db.select(Notification).where(Notification.user_id == user.id).order_by(Notification.created_at)
    )
    return {
        "account": {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "phone": user.phone,
            "role": user.role,
            "district": user.district,
            "locale": user.locale,
            "created_at": iso_local(user.created_at),
            "consent": {"version": user.consent_version, "given_at": iso_local(user.consent_at)},
            "booking_suspended_until": iso_local(user.booking_suspended_until),
        },
        "credential": {
            "issuer": user.credential_issuer,
            "number": user.credential_number,
            "status": user.talent_status,
            "note": user.credential_note,
            "verified_at": iso_local(user.verified_at),
        },
        "bookings": [
            {
                "id": b.id,
                "room_id": b.room_id,
                "room": b.room.name,
                "start": iso_local(b.starts_at),
                "end": iso_local(b.ends_at),
                "title": b.title,
                "purpose": b.purpose,
                "attendees": b.attendees,
                "status": b.status,
                "checked_in_at": iso_local(b.checked_in_at),
                "created_at": iso_local(b.created_at),
            }
            for b in bookings
        ],
        "registrations": [
            {
                "id": r.id,
                "event_id": r.event_id,
                "event": r.event.title,
                "status": r.status,
                "places": r.places,
                "consent": {"version": r.consent_version, "given_at": iso_local(r.consent_at)},
                "created_at": iso_local(r.created_at),
                "children": [
                    {
                        "name": p.name,
                        "birth_date": p.birth_date.isoformat() if p.birth_date else None,
                        "guardian_relation": p.guardian_relation,
                        "emergency_contact": p.emergency_contact,
                        "health_notes": p.health_notes,
                    }
                    for p in r.participants
                ],
            }
            for r in registrations
        ],
        "check_ins": [
            {"registration_id": c.registration_id, "session_id": c.session_id, "at": iso_local(c.created_at)}
            for c in check_ins
        ],
        "notifications": [
            {"kind": m.kind, "subject": m.subject, "status": m.status, "created_at": iso_local(m.created_at)}
            for m in messages
        ],
    }
