"""Ground-floor tables. The audit log: an append-only record of every editorial action,
written by every app through core/audit.py and shown to editors by the review app. Jobs: long
work (a release build) that runs in its own process, started from a page that shows its
progress (core/jobs.py)."""

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
    MERGE_CASES = "merge_cases", _("merged cases")
    DISMISS = "dismiss", _("dismissed a suggestion")


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


class JobState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("a job's state", "waiting to start")
    RUNNING = "running", pgettext_lazy("a job's state", "running")
    DONE = "done", pgettext_lazy("a job's state", "done")
    FAILED = "failed", pgettext_lazy("a job's state", "failed")


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


class Job(models.Model):
    """One run of a long command in its own process. Its process writes the progress, the
    result and the final state; `pid` and `host` let the pages tell a job whose process is gone
    from one that is still working. Dates only: nobody needs a job's exact time."""

    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    summary = models.CharField(_("summary"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices,
                             default=JobState.QUEUED)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps in all"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.CharField(_("result"), max_length=200, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("started by"))
    created_on = models.DateField(_("created"), auto_now_add=True)
    finished_on = models.DateField(_("finished"), null=True, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    host = models.CharField(max_length=255, blank=True)

    lost = False  # not a column: core.jobs.recent sets it (active, but its process is gone)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [
            # One job of each kind at a time, held by the database, not by a check that two
            # requests could pass together.
            models.UniqueConstraint(fields=["kind"], condition=models.Q(state__in=ACTIVE_STATES),
                                    name="core_job_one_active_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}: {self.summary} ({self.state})"

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES
