"""Users and roles, and reading the audit log."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app import audit
from app.errors.domain import NotPermitted, ValidationFailed
from app.extensions import db
from app.models import AuditEntry, User
from app.models.user import DISTRICTS, ROLES


def search_users(query: str = "", limit: int = 100) -> list[User]:
    stmt = db.select(User).where(User.active.is_(True)).order_by(User.id).limit(limit)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(db.or_(db.func.lower(User.name).like(like), User.email.like(like)))
    return list(db.session.scalars(stmt))


def change_role(admin: User, user: User, role: str, district: str | None) -> None:
    """Only admins change roles; an organiser always belongs to one district."""
    if not admin.is_admin:
        raise NotPermitted(_("Only administrators may change roles."))
    district = district or None
    errors = {}
    if role not in ROLES:
        errors["role"] = _("Unknown role.")
    if district is not None and district not in DISTRICTS:
        errors["district"] = _("Choose Liwan or Nanhai.")
    if role == "organiser" and district is None:
        errors["district"] = _("An organiser belongs to one district.")
    if user.id == admin.id and role != "admin":
        errors["role"] = _("You cannot remove your own administrator role.")
    if errors:
        raise ValidationFailed(errors)
    before = {"role": user.role, "district": user.district}
    user.role = role
    if district:
        user.district = district
    audit.record(
        admin,
        "role_changed",
        user,
        district=user.district,
        before=before,
        after={"role": user.role, "district": user.district},
    )
    db.session.flush()


def audit_entries(
    viewer: User,
    action: str | None = None,
    actor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
) -> list[AuditEntry]:
    """Admins read everything; organisers read their own district's entries."""
    if not viewer.is_staff:
        raise NotPermitted(_("Only organisers may read the audit log."))
    stmt = db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if not viewer.is_admin:
        stmt = stmt.where(AuditEntry.district == viewer.district)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if actor_id:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    if since:
        stmt = stmt.where(AuditEntry.created_at >= since)
    if until:
        stmt = stmt.where(AuditEntry.created_at < until)
    return list(db.session.scalars(stmt))


def audit_actions() -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
