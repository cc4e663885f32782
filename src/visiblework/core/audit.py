"""Write to the audit log. Call inside the same transaction as the action it records."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEntry


def entry(user, action: str, obj: models.Model | None, summary: str,
          data: dict[str, Any] | None = None, *, label: str = "") -> AuditEntry:
    """An entry, not yet saved: `record` saves one; bulk writers save many with
    core.bulk.insert_objects (the same fields, one statement per 500)."""
    return AuditEntry(
        user=user if getattr(user, "pk", None) else None,
        user_label=(user.get_username() if getattr(user, "pk", None) else label)[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:500],
        data=data or {},
    )


def record(user, action: str, obj: models.Model | None, summary: str,
           data: dict[str, Any] | None = None, *, label: str = "") -> AuditEntry:
    """Append one entry. `user` may be None for system actions (imports); `label` then says
    who (e.g. "import aiid")."""
    new = entry(user, action, obj, summary, data, label=label)
    new.save()
    return new
