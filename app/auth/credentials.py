"""A talent's credential: verified from the mutual-recognition registry, or reviewed by an organiser."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app import audit
from app.auth.queries import registry_entry
from app.errors.domain import NotPermitted, RuleViolation, ValidationFailed
from app.extensions import db
from app.models import RegistryEntry, User
from app.notifications import notices
from app.text import checked_reason
from app.timezones import local_today, now_utc


def verify_from_registry(user: User, now: datetime) -> bool:
    """Verify a pending talent automatically when the registry holds their credential, valid
    today, under their own name. Anything else waits for an organiser (who sees why)."""
    entry = registry_entry(user.credential_issuer, user.credential_number)
    if user.talent_status != "pending" or entry is None:
        return False
    if not entry.is_valid_on(local_today(now)) or not entry.holder_is(user.name):
        return False
    user.talent_status, user.verified_at = "verified", now
    return True


def expire_lapsed_credentials(now: datetime | None = None) -> int:
    """Verified talents whose registry entry has expired wait for a review again, and are told so.
    Credentials an organiser verified without a registry entry are left as they are."""
    today = local_today(now or now_utc())
    lapsed = db.session.execute(
        db.select(User, RegistryEntry)
        .join(
            RegistryEntry,
            (RegistryEntry.issuer == User.credential_issuer) & (RegistryEntry.number == User.credential_number),
        )
        .where(User.talent_status == "verified", User.active.is_(True), RegistryEntry.valid_until < today)
    ).all()
    for talent, entry in lapsed:
        talent.talent_status, talent.verified_at, talent.verified_by_id = "pending", None, None
        audit.record(None, "credential_expired", talent, district=talent.district, valid_until=entry.valid_until)
        notices.credential_expired(talent, entry.valid_until)
    db.session.flush()
    return len(lapsed)


def verify_credential(staff: User, talent: User, now: datetime | None = None) -> None:
    """An organiser of either district, or an admin, confirms a pending credential."""
    _check_can_review(staff, talent)
    talent.talent_status = "verified"
    talent.verified_at = now or now_utc()
    talent.verified_by_id = staff.id
    talent.credential_note = None
    audit.record(staff, "credential_verified", talent, district=talent.district)
    notices.credential_verified(talent)
    db.session.flush()


def reject_credential(staff: User, talent: User, reason: str) -> None:
    _check_can_review(staff, talent)
    reason = checked_reason(reason)
    if not reason:
        raise ValidationFailed({"reason": _("Give a reason for the rejection.")})
    talent.talent_status = "rejected"
    talent.credential_note = reason
    talent.verified_by_id = staff.id
    audit.record(staff, "credential_rejected", talent, district=talent.district, reason=talent.credential_note)
    notices.credential_rejected(talent, talent.credential_note)
    db.session.flush()


def _check_can_review(staff: User, talent: User) -> None:
    if not staff.is_staff:
        raise NotPermitted(_("Only organisers can review credentials."))
    if talent.talent_status != "pending":
        raise RuleViolation(_("This credential is not waiting for review."), code="not_pending")
