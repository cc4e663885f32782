"""Worker reports: pay, unpaid time and conditions at a platform or client.

Privacy (DESIGN.md): no IP address, user agent or exact time is stored with a report: only
the quarter of the work and the month it was received. Receipt codes and idempotency keys
are stored as SHA-256 hashes. Raw values reach only the author and editors.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from visiblework.cases.indexing import bump_catalogue_version
from visiblework.cases.models import Actor


class TaskType(models.TextChoices):
    IMAGE_VIDEO_ANNOTATION = "image_video_annotation", _("Image or video annotation")
    TEXT_ANNOTATION = "text_annotation", _("Text annotation")
    AUDIO_TRANSCRIPTION = "audio_transcription", _("Audio transcription")
    CONTENT_MODERATION = "content_moderation", _("Content moderation")
    DATA_GENERATION = "data_generation", _("Data generation (recording your voice, selfies, photos)")
    SEARCH_ADS_RATING = "search_ads_rating", _("Search and ads rating")
    RESPONSE_RANKING = "response_ranking", _("Ranking chatbot answers")
    POSING_AS_AI = "posing_as_ai", _("Posing as an AI system")
    MONITORING_FEEDS = "monitoring_feeds", _("Watching camera or sensor feeds")
    OTHER = "other", _("Other")


class PayBasis(models.TextChoices):
    PER_TASK = "per_task", _("per task")
    PER_HOUR = "per_hour", _("per hour")
    PER_DAY = "per_day", _("per day")
    PER_WEEK = "per_week", _("per week")
    PER_MONTH = "per_month", _("per month")
    PER_PROJECT = "per_project", _("per project")


class UnpaidKind(models.TextChoices):
    TRAINING = "training", _("Training")
    QUALIFICATION = "qualification", _("Qualification tests")
    WAITING = "waiting", _("Searching or waiting for tasks")
    REJECTED = "rejected", _("Rejected or unpaid tasks")
    RETURNED = "returned", _("Screened-out or returned tasks")
    PAYMENTS = "payments", _("Managing payments")
    HOMEWORK = "homework", _("Off-the-clock homework")


class PaymentProblem(models.TextChoices):
    NONE = "none", _("Always paid on time")
    LATE = "late", _("Sometimes paid late")
    MISSING = "missing", _("Some pay never came")
    BOTH = "both", _("Both late and missing pay")


class HarmKind(models.TextChoices):
    VIOLENCE = "violence", _("Violence or gore")
    SEXUAL = "sexual", _("Sexual content or abuse")
    SELF_HARM = "self_harm", _("Suicide or self-harm")
    HATE = "hate", _("Hate or harassment")
    OTHER = "other", _("Other disturbing content")


class Support(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling or a therapist")
    BREAKS = "breaks", _("Paid breaks")
    ROTATION = "rotation", _("Rotation away from harmful content")
    TRAINING = "training", _("Paid training")
    OTHER = "other", _("Other support")


class ContractType(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    FIXED_TERM = "fixed_term", _("Fixed-term contract")
    FREELANCE = "freelance", _("Freelancer or contractor on a platform")
    AGENCY = "agency", _("Through an agency or vendor")
    NONE = "none", _("No written contract")
    UNSURE = "unsure", _("I don't know")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    UNSURE = "unsure", _("I don't know")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Review text published")
    HIDDEN = "hidden", _("Review text hidden")
    WITHDRAWN = "withdrawn", _("Withdrawn")


RATING = [MinValueValidator(1), MaxValueValidator(5)]
RATING_FIELDS = (
    "rating_fair_pay", "rating_fair_conditions", "rating_fair_contracts",
    "rating_fair_management", "rating_fair_representation", "rating_communication",
    "rating_payment_promptness", "rating_rejection_fairness",
)
MONEY = {"max_digits": 16, "decimal_places": 4}
PUBLIC_ID_LENGTH = 16  # characters of URL-safe base64: 96 random bits
HOURS = {"max_digits": 8, "decimal_places": 2}


def new_public_id() -> str:
    """A random public identifier (96 bits). Worker data is never addressed in public by its
    sequential primary key, which would place submissions in time (DESIGN.md, rule 7)."""
    return secrets.token_urlsafe(12)


class Report(models.Model):
    public_id = models.CharField(max_length=PUBLIC_ID_LENGTH, unique=True, default=new_public_id,
                                 editable=False)
    receipt_hash = models.CharField(max_length=64, unique=True)
    # An Idempotency-Key is scoped to its client (hashed with it) and to its request body
    # (`request_hash`, the hash of the canonical body): a key alone never finds a report.
    idempotency_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                               blank=True, related_name="reports")
    platform = models.ForeignKey(Actor, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="platform_reports", verbose_name=_("platform"))
    platform_name = models.CharField(_("platform (new, for review)"), max_length=200, blank=True)
    client = models.ForeignKey(Actor, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="client_reports", verbose_name=_("client"))
    client_name = models.CharField(_("client (new, for review)"), max_length=200, blank=True)
    task_type = models.CharField(_("task type"), max_length=30, choices=TaskType.choices)
    country = models.CharField(_("country of work"), max_length=2)
    region = models.CharField(_("region"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1),
                                                                        MaxValueValidator(4)])
    received_month = models.DateField(_("received (month)"),
                                      help_text=_("The first day of the month it was received."))
    pay_amount = models.DecimalField(_("pay"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    pay_basis = models.CharField(_("pay basis"), max_length=12, choices=PayBasis.choices)
    units = models.PositiveIntegerField(_("tasks done"), null=True, blank=True)
    paid_hours = models.DecimalField(_("paid hours"), **HOURS)
    unpaid_hours = models.JSONField(_("unpaid hours by kind"), default=dict)
    unpaid_hours_total = models.DecimalField(_("unpaid hours"), **HOURS)
    fees = models.DecimalField(_("fees"), default=0, **MONEY)
    costs = models.DecimalField(_("costs"), default=0, **MONEY)
    payment_problems = models.CharField(_("late or missing pay"), max_length=10,
                                        choices=PaymentProblem.choices, blank=True)
    rejected_percent = models.DecimalField(_("share of work rejected (%)"), max_digits=5,
                                           decimal_places=2, null=True, blank=True,
                                           validators=[MinValueValidator(0),
                                                       MaxValueValidator(100)])
    harmful_content = models.JSONField(_("harmful content seen"), default=list, blank=True)
    harmful_hours_per_week = models.DecimalField(_("hours a week with harmful content"),
                                                 null=True, blank=True, **HOURS)
    support_offered = models.JSONField(_("support offered"), default=list, blank=True)
    contract_type = models.CharField(_("contract"), max_length=12, choices=ContractType.choices,
                                     blank=True)
    nda = models.CharField(_("non-disclosure agreement"), max_length=8, choices=YesNo.choices,
                           blank=True)
    told_purpose = models.CharField(_("told what the data is for"), max_length=8,
                                    choices=YesNo.choices, blank=True)
    could_opt_out = models.CharField(_("could opt out"), max_length=8, choices=YesNo.choices,
                                     blank=True)
    rating_fair_pay = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    rating_fair_conditions = models.PositiveSmallIntegerField(null=True, blank=True,
                                                              validators=RATING)
    rating_fair_contracts = models.PositiveSmallIntegerField(null=True, blank=True,
                                                             validators=RATING)
    rating_fair_management = models.PositiveSmallIntegerField(null=True, blank=True,
                                                              validators=RATING)
    rating_fair_representation = models.PositiveSmallIntegerField(null=True, blank=True,
                                                                  validators=RATING)
    rating_communication = models.PositiveSmallIntegerField(null=True, blank=True,
                                                            validators=RATING)
    rating_payment_promptness = models.PositiveSmallIntegerField(null=True, blank=True,
                                                                 validators=RATING)
    rating_rejection_fairness = models.PositiveSmallIntegerField(null=True, blank=True,
                                                                 validators=RATING)
    would_recommend = models.BooleanField(_("would recommend"), null=True, blank=True)
    free_text = models.TextField(_("your words"), blank=True)
    synthetic = models.BooleanField(_("synthetic demo data"), default=False, db_index=True,
                                    help_text=_("Made up by `visiblework demo`, never real."))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.PENDING, db_index=True)
    burst = models.BooleanField(
        _("part of a burst"), default=False,
        help_text=_("One of many reports without an account about the same organisation and "
                    "country in a short time: look at them together before publishing words."))
    # Derived by reports.wages at every save; private like the raw values.
    effective_hourly = models.DecimalField(null=True, blank=True, **MONEY)
    nominal_hourly = models.DecimalField(null=True, blank=True, **MONEY)
    unpaid_share = models.DecimalField(null=True, blank=True, max_digits=6, decimal_places=4)
    effective_hourly_usd = models.DecimalField(null=True, blank=True, **MONEY)
    effective_hourly_ppp = models.DecimalField(null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["platform", "status"], name="report_platform_idx"),
            models.Index(fields=["client", "status"], name="report_client_idx"),
        ]
        verbose_name = _("worker report")
        verbose_name_plural = _("worker reports")

    def __str__(self) -> str:
        return f"{self.public_id} {self.get_task_type_display()} {self.year} Q{self.quarter}"

    @property
    def platform_label(self) -> str:
        return self.platform.name if self.platform else self.platform_name

    @property
    def client_label(self) -> str:
        return self.client.name if self.client else self.client_name


class BurstCount(models.Model):
    """How many anonymous reports about one organisation and country (a hash) came in on one
    UTC day (reports/bursts.py). Rows older than yesterday are deleted."""

    key = models.CharField(max_length=64)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="burst_count_unique")]

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.day}: {self.count}"


class FlagReason(models.TextChoices):
    IDENTIFIES = "identifies", _("It identifies a person")
    NOT_FIRST_HAND = "not_first_hand", _("It is not first-hand")
    ABUSIVE = "abusive", _("It is abusive")
    SPAM = "spam", _("It is spam")
    CONFLICT = "conflict", _("Conflict of interest")
    OTHER = "other", _("Other")


class Flag(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_on = models.DateField(_("flagged on"), auto_now_add=True)
    resolved = models.BooleanField(_("resolved"), default=False, db_index=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["id"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on #{self.report_id}"


class RepresentationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an editor")
    VERIFIED = "verified", _("verified")
    REFUSED = "refused", _("refused")
    REVOKED = "revoked", _("withdrawn by an editor")


class Representation(models.Model):
    """A person who speaks for an actor: asked for from the site by a company account
    (reports/replies.py), verified by an editor before they may reply. `verified` is what
    grants the right of reply; `status` tells the requester where their request stands. What
    they send to prove who they are is seen only by them and by editors."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="representations",
                             limit_choices_to={"role": "representative"})
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="representatives")
    verified = models.BooleanField(_("verified by an editor"), default=False)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=RepresentationStatus.choices,
                              default=RepresentationStatus.PENDING, db_index=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    job_title = models.CharField(_("role at the organisation"), max_length=200, blank=True)
    work_email = models.EmailField(_("work e-mail address"), max_length=254, blank=True)
    evidence_url = models.URLField(_("public page that shows the role"), max_length=500,
                                   blank=True)
    note = models.TextField(_("note to the editors"), max_length=2000, blank=True)
    requested_on = models.DateField(_("asked on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reason = models.TextField(_("the editor's reason"), max_length=2000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "actor"],
                                               name="representation_unique")]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")

    def __str__(self) -> str:
        return f"{self.user} for {self.actor}"

    def save(self, *args, **kwargs) -> None:
        # The status follows `verified`, however the row is written (the site's services,
        # the back office, a test): verified means verified; unverifying withdraws.
        if self.verified:
            self.status = RepresentationStatus.VERIFIED
        elif self.status == RepresentationStatus.VERIFIED:
            self.status = RepresentationStatus.REVOKED
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "verified" in update_fields:
            kwargs["update_fields"] = {*update_fields, "status"}
        super().save(*args, **kwargs)


class Reply(models.Model):
    """The right of reply: one answer per representative per actor, shown on the actor page."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="replies")
    text = models.TextField(_("reply"), max_length=5000)
    updated_on = models.DateField(_("updated"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["actor", "author"], name="reply_unique")]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.author} on {self.actor}"


@receiver([post_save, post_delete], sender=Reply)
@receiver([post_save, post_delete], sender=Representation)
def _replies_changed(sender, instance, **kwargs) -> None:
    """Anonymous case pages are cached until the catalogue version moves (cases/pages.py) and
    show the replies (reports/replies.py): a reply written, changed or deleted, or a
    representation verified or withdrawn, however it happens (the site, the back office, an
    account deleted), moves it. A request that changes nothing shown does not."""
    if sender is Reply or instance.status in (RepresentationStatus.VERIFIED,
                                              RepresentationStatus.REVOKED):
        bump_catalogue_version([])  # no case changed: processes follow without a rebuild
