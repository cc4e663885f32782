"""Ground-floor tables. The audit log: an append-only record of every editorial action,
written by every app through core/audit.py and shown to editors by the review app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditLogIsAppendOnly(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("audit entries cannot be changed")

    def delete(self):
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")


class AuditAction(models.TextChoices):
    ACCEPT = "accept", _("accepted a contribution")
    REJECT = "reject", _("rejected a contribution")
    SPAM = "spam", _("rejected contributions as spam")
    CLAIM = "claim", _("claimed a contribution")
    EDIT = "edit", _("edited")
    CREATE = "create", pgettext_lazy("audit log: what an editor did", "created")
    DELETE = "delete", _("deleted")
    MERGE = "merge", _("merged actors")
    REVERT = "revert", _("reverted a case")
    RETRACT = "retract", _("retracted a case")
    IMPORT = "import", _("imported")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+",
                             verbose_name=pgettext_lazy("audit entry: the editor's account", "who"))
    user_label = models.CharField(pgettext_lazy("audit entry: a name, when there is no account",
                                                "who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices,
                              db_index=True)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=50, blank=True)
    summary = models.CharField(_("summary"), max_length=500)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.action} {self.summary}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit entries cannot be deleted")
