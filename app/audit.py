"""The audit log of staff actions: append-only, written in the transaction of the action."""

from __future__ import annotations

import json

from app.extensions import db
from app.models import AuditEntry, User


def record(actor: User | None, action: str, obj=None, district: str | None = None, **change) -> AuditEntry:
    """Append one entry: who did what to which object, and the change as JSON."""
    # current_user is a proxy: record the account it stands for, not "localproxy".
    obj = obj._get_current_object() if hasattr(obj, "_get_current_object") else obj
    actor = actor._get_current_object() if hasattr(actor, "_get_current_object") else actor
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "id", None),
        district=district,
        detail=json.dumps(change, ensure_ascii=False, default=str) if change else "",
    )
    db.session.add(entry)
    return entry
