"""Releases (immutable, versioned, citable statistics), scorecards and disclosure statements."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from visiblework.cases.models import Actor, Case, Source
from visiblework.reports.models import Report


class ReleaseIsImmutable(Exception):
    pass


class ReleaseStatus(models.TextChoices):
    PREVIEW = "preview", _("Preview (editors only)")
    PUBLISHED = "published", pgettext_lazy("status of a release", "Published")


class Release(models.Model):
    label = models.SlugField(_("label"), max_length=50, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=ReleaseStatus.choices,
                              default=ReleaseStatus.PREVIEW)
    built_on = models.DateField(_("built on"), auto_now_add=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    cutoff = models.DateField(_("data received up to"))
    epsilon = models.FloatField(_("ε (epsilon)"))
    delta = models.FloatField(_("δ (delta)"))
    k = models.PositiveSmallIntegerField(_("k (smallest group published)"))
    method_version = models.CharField(_("method version"), max_length=40)
    budget = models.JSONField(_("how ε was split"), default=dict)
    workers_noisy = models.PositiveIntegerField(_("workers (noisy)"))
    reports_noisy = models.PositiveIntegerField(_("reports (noisy)"))
    refdata = models.CharField(_("reference data"), max_length=200, blank=True)
    synthetic_reports = models.PositiveIntegerField(
        _("synthetic demo reports included"), default=0,
        help_text=_("A release built on a demo installation says so on every page."))
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    # The lifetime budget per worker in force when the release was built, and how many workers
    # it left out because it would have taken them past it (editors only: see
    # docs/privacy-method.md). All three are empty for releases built before budgets were
    # enforced.
    worker_epsilon_budget = models.FloatField(_("lifetime ε per worker"), null=True, blank=True)
    worker_delta_budget = models.FloatField(_("lifetime δ per worker"), null=True, blank=True)
    workers_excluded_budget = models.PositiveIntegerField(
        _("workers left out: lifetime budget used up"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        if self.pk and Release.objects.filter(pk=self.pk,
                                              status=ReleaseStatus.PUBLISHED).exists():
            raise ReleaseIsImmutable(f"release {self.label} is published and cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # A preview counts too: editors saw its numbers, so its ε and δ are part of every
        # worker's running loss, which is computed from the list of releases.
        raise ReleaseIsImmutable(f"release {self.label} counts against the workers' privacy "
                                 "budget and cannot be deleted")

    @property
    def budget_enforced(self) -> bool:
        return self.worker_epsilon_budget is not None


class ReleaseCell(models.Model):
    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="cells")
    dims_key = models.CharField(max_length=200)  # "region,task_type": which dimensions
    dims = models.JSONField()
    suppressed = models.BooleanField()
    workers = models.PositiveIntegerField(null=True)
    stats = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["release", "dims_key"], name="cell_dims_idx")]

    def __str__(self) -> str:
        return f"{self.release_id} {self.dims}"

    def save(self, *args, **kwargs):
        if self.release.status == ReleaseStatus.PUBLISHED:
            raise ReleaseIsImmutable("cells of a published release cannot change")
        super().save(*args, **kwargs)

    @property
    def api_url(self) -> str:
        """This cell's address in the public API (citable)."""
        query = {"dims": self.dims_key, **self.dims}
        return f"/api/v1/releases/{self.release.label}/cells?{urlencode(query)}"

    @property
    def dims_text(self) -> str:
        return ", ".join(str(v) for v in self.dims.values())


class PrivacyLedger(models.Model):
    """Private: the privacy loss each worker has spent, the sum of the ε and δ of every build
    that included them (basic composition). One row per worker: an account (``worker``) or a
    report filed without one (``report``), the engine's keys ``u<id>`` and ``r<id>``. Deleting
    the account or the report deletes its row. Never shown, never in an API answer."""

    worker = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                                  related_name="+")
    report = models.OneToOneField(Report, on_delete=models.CASCADE, null=True, related_name="+")
    epsilon = models.FloatField(default=0.0)
    delta = models.FloatField(default=0.0)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=(models.Q(worker__isnull=False, report__isnull=True)
                       | models.Q(worker__isnull=True, report__isnull=False)),
            name="ledger_one_worker")]

    def __str__(self) -> str:
        return f"u{self.worker_id}" if self.worker_id else f"r{self.report_id}"


FAIRWORK_PRINCIPLES = [
    ("pay", _("Fair pay")),
    ("conditions", _("Fair conditions")),
    ("contracts", _("Fair contracts")),
    ("management", _("Fair management")),
    ("representation", _("Fair representation")),
]


class Scorecard(models.Model):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="scorecards")
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("summary"), blank=True)
    updated_on = models.DateField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["actor", "year"], name="scorecard_unique")]
        verbose_name = _("scorecard")

    def __str__(self) -> str:
        return f"{self.actor} {self.year}"


class ScorecardPoint(models.Model):
    """One of the ten points: a principle at the basic or the advanced level."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="points")
    principle = models.CharField(_("principle"), max_length=20,
                                 choices=[(k, v) for k, v in FAIRWORK_PRINCIPLES])
    level = models.PositiveSmallIntegerField(_("level"), choices=[(1, _("basic")),
                                                                  (2, _("advanced"))])
    awarded = models.BooleanField(_("awarded"), default=False)
    reasoning = models.TextField(_("why"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, verbose_name=_("sources"))
    cases = models.ManyToManyField(Case, blank=True, verbose_name=_("cases"))
    release_cells = models.ManyToManyField(ReleaseCell, blank=True,
                                           verbose_name=_("release cells"))
    evidence_url = models.URLField(_("other evidence"), blank=True)

    class Meta:
        ordering = ["principle", "level"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "principle", "level"],
                                               name="point_unique")]
        verbose_name = _("scorecard point")

    def __str__(self) -> str:
        return f"{self.scorecard} {self.principle} {self.level}"


class DisclosureStatement(models.Model):
    """A company's own answers for its labour disclosure card, by a verified representative."""

    actor = models.OneToOneField(Actor, on_delete=models.CASCADE, related_name="disclosure")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+")
    stated_hourly_usd = models.DecimalField(_("hourly pay you state, in US dollars"),
                                            max_digits=10, decimal_places=2, null=True,
                                            blank=True)
    who = models.TextField(_("who did the work"), blank=True, max_length=3000)
    where = models.TextField(_("where"), blank=True, max_length=3000)
    pay = models.TextField(_("how they were paid"), blank=True, max_length=3000)
    support = models.TextField(_("support offered"), blank=True, max_length=3000)
    purpose = models.TextField(_("what workers were told about the data's purpose"), blank=True,
                               max_length=3000)
    withdrawal = models.TextField(_("how workers can withdraw"), blank=True, max_length=3000)
    updated_on = models.DateField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.actor} disclosure"


class MethodChange(models.Model):
    """The method's change log: what changed in how statistics are made (k, the reference
    wage, which ratings count…), when, why, and a link to what decided it (a consultation)."""

    changed_on = models.DateField(_("changed"))
    title = models.CharField(_("change"), max_length=200)
    reason = models.TextField(_("reason"), max_length=5000)
    # Where the decision was taken, e.g. a consultation's page (insights does not import voice).
    decided_at_url = models.CharField(_("decided at"), max_length=300, blank=True)
    decided_at_title = models.CharField(_("decided by"), max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_on", "-id"]
        verbose_name = _("method change")
        verbose_name_plural = _("method changes")

    def __str__(self) -> str:
        return self.title
