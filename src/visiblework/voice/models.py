"""Voice: the step after visibility (DESIGN.md, "Voice").

- Who can help: an organisation's help profile (on an actor) and its facets.
- Collective demands held in escrow: a demand, its supports (never listed, day only) and the
  published noisy count.
- Consultations: a question about the method, its fixed options, one vote per worker.
- Data rights: a company's privacy contact, and optional pseudonymous follow-ups. The letters
  themselves are never stored.

Worker data here (supports, votes, follow-ups) is never addressed in public by a sequential id
(DESIGN.md, rule 7) and carries no time finer than a day (supports, votes) or a month
(follow-ups).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from visiblework.cases.models import Actor

PUBLIC_ID_LENGTH = 16  # characters of URL-safe base64: 96 random bits


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


# --- Who can help ------------------------------------------------------------------------

class HelpKind(models.TextChoices):
    ORGANISING = "organising", _("Organising and collective action")
    LEGAL = "legal", _("Legal advice and aid")
    MENTAL_HEALTH = "mental_health", _("Mental-health support")
    RESEARCH = "research", _("Research")
    FUNDING = "funding", _("Funding")
    JOURNALISM = "journalism", _("Journalism and tip lines")
    DATA_RIGHTS = "data_rights", _("Data rights")


class ContactKind(models.TextChoices):
    WEBSITE = "website", _("Website")
    EMAIL = "email", _("E-mail")
    FORM = "form", _("Contact form")
    PHONE = "phone", _("Telephone")
    SOCIAL = "social", _("Social media")
    SECURE = "secure", _("Secure tip line")


class HelpProfile(models.Model):
    """What an organisation (an actor) offers to data workers and users. Every fact has a
    source in `sources`; contact channels are public ones only."""

    actor = models.OneToOneField(Actor, on_delete=models.CASCADE, related_name="help_profile",
                                 verbose_name=_("organisation"))
    summary = models.TextField(_("what they do"), max_length=2000)
    worldwide = models.BooleanField(_("serves every country"), default=False)
    # Lists of codes: ISO 3166 alpha-2 countries, language codes (settings.LANGUAGES or ISO
    # 639-1), reports.TaskType values (empty: every kind of work), HelpKind values, justice
    # area term slugs.
    countries = models.JSONField(_("countries served"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    task_types = models.JSONField(_("kinds of work"), default=list, blank=True)
    help_kinds = models.JSONField(_("kinds of help"), default=list, blank=True)
    justice_areas = models.JSONField(_("justice areas"), default=list, blank=True)
    # [{"kind": ContactKind, "value": "...", "label": "..."}]
    contacts = models.JSONField(_("public contact channels"), default=list, blank=True)
    # [{"url": "...", "title": "...", "publisher": "...", "accessed": "YYYY-MM-DD"}]
    sources = models.JSONField(_("sources"), default=list, blank=True)
    published = models.BooleanField(_("published"), default=True, db_index=True)
    updated_on = models.DateField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("help profile")
        verbose_name_plural = _("help profiles")

    def __str__(self) -> str:
        return str(self.actor)


class HelpFacet(models.Model):
    """One (key, value) of a help profile, so the directory filters with an index instead of
    reading JSON: key is country, language, task_type or help."""

    profile = models.ForeignKey(HelpProfile, on_delete=models.CASCADE, related_name="facets")
    key = models.CharField(max_length=12)
    value = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["key", "value"], name="help_facet_idx")]
        constraints = [models.UniqueConstraint(fields=["profile", "key", "value"],
                                               name="help_facet_unique")]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


# --- Collective demands -------------------------------------------------------------------

class DemandStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an editor")
    GATHERING = "gathering", _("Gathering support")
    PUBLIC = "public", _("Public")
    ANSWERED = "answered", _("Answered")
    MET = "met", _("Met")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not accepted")


class Demand(models.Model):
    """A collective demand addressed to an actor. Until the published (noisy) count passes
    the threshold, nothing says how many support it."""

    public_id = models.CharField(max_length=PUBLIC_ID_LENGTH, unique=True, default=new_public_id,
                                 editable=False)
    title = models.CharField(_("demand"), max_length=200)
    text = models.TextField(_("what we ask and why"), max_length=5000)
    addressed = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="demands",
                                  verbose_name=_("addressed to"))
    # Never shown to anyone; kept so the proposer can see their own demand's review.
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=DemandStatus.choices,
                              default=DemandStatus.PENDING, db_index=True)
    threshold = models.PositiveIntegerField(_("supporters needed before a count is shown"))
    editor_reason = models.TextField(_("editor's reason"), blank=True)
    proposed_on = models.DateField(_("proposed"), auto_now_add=True)
    approved_on = models.DateField(_("approved"), null=True, blank=True)
    status_changed_on = models.DateField(_("status changed"), null=True, blank=True)
    # The published count: noisy (OpenDP), refreshed at most once a day; None until it passes
    # the threshold. Its ε per refresh and the running total are public.
    published_count = models.PositiveIntegerField(_("supporters (noisy)"), null=True, blank=True)
    count_published_on = models.DateField(null=True, blank=True)
    count_refreshed_on = models.DateField(null=True, blank=True)
    count_epsilon = models.FloatField(default=0.0)
    count_epsilon_total = models.FloatField(default=0.0)

    class Meta:
        ordering = ["-approved_on", "-id"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")

    def __str__(self) -> str:
        return self.title


class DemandSupport(models.Model):
    """One worker account's support for a demand: the day only, no address. Never listed."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="supports")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["demand", "worker"],
                                               name="demand_support_unique")]

    def __str__(self) -> str:
        return f"support {self.pk}"  # never the worker


class DemandAnswer(models.Model):
    """The addressed actor's answer, by a verified representative."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    text = models.TextField(_("answer"), max_length=5000)
    updated_on = models.DateField(_("updated"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["demand", "author"],
                                               name="demand_answer_unique")]

    def __str__(self) -> str:
        return f"answer to {self.demand_id}"


# --- Consultations ------------------------------------------------------------------------

class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Consultation(models.Model):
    """A question about the method put to the workers, with fixed options and a closing day.
    Results are published once, after closing, with at least k voters, as noisy shares."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    question = models.CharField(_("question"), max_length=300)
    explanation = models.TextField(_("explanation"), max_length=5000, blank=True)
    # [{"key": "...", "label": "..."}]: fixed when the consultation opens.
    options = models.JSONField(_("options"))
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    status = models.CharField(_("status"), max_length=8, choices=ConsultationStatus.choices,
                              default=ConsultationStatus.DRAFT, db_index=True)
    # Published after closing: {"shares": {key: float}, "voters": int (noisy), "epsilon": ε,
    # "suppressed": bool}
    results = models.JSONField(_("results"), null=True, blank=True)
    results_published_on = models.DateField(null=True, blank=True)
    decision = models.TextField(_("decision taken"), blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-closes_on", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.question


class Vote(models.Model):
    """One worker account's vote; may change until the consultation closes. Never listed."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE,
                                     related_name="votes")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    option = models.CharField(max_length=40)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consultation", "worker"],
                                               name="vote_unique")]

    def __str__(self) -> str:
        return f"vote {self.pk}"  # never the worker


# --- Data rights --------------------------------------------------------------------------

class PrivacyContact(models.Model):
    """Where a company takes data-protection requests: public channels with a cited source."""

    actor = models.OneToOneField(Actor, on_delete=models.CASCADE, related_name="privacy_contact",
                                 verbose_name=_("company"))
    email = models.EmailField(_("privacy e-mail"), blank=True)
    web_form = models.URLField(_("request form"), blank=True)
    postal = models.TextField(_("postal address"), blank=True, max_length=500)
    source_url = models.URLField(_("source"))
    source_title = models.CharField(_("source title"), max_length=300, blank=True)
    checked_on = models.DateField(_("checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("privacy contact")
        verbose_name_plural = _("privacy contacts")

    def __str__(self) -> str:
        return str(self.actor)


class FollowUpOutcome(models.TextChoices):
    IN_TIME = "in_time", _("They answered in time")
    LATE = "late", _("They answered late")
    NONE = "none", _("They did not answer")
    REFUSED = "refused", _("They refused")


class RightsFollowUp(models.Model):
    """Pseudonymous: what happened to a letter. Month only; no name, no address, no letter.
    Answer rates per company and law are published only through releases."""

    public_id = models.CharField(max_length=PUBLIC_ID_LENGTH, unique=True, default=new_public_id,
                                 editable=False)
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    law = models.CharField(_("law"), max_length=12)
    request = models.CharField(_("request"), max_length=14)
    month_sent = models.DateField(_("month sent"))  # the first day of the month
    outcome = models.CharField(_("outcome"), max_length=8, choices=FollowUpOutcome.choices)
    # Optional: a worker account, so a release can bound each person's contribution.
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+")

    class Meta:
        verbose_name = _("rights follow-up")
        verbose_name_plural = _("rights follow-ups")

    def __str__(self) -> str:
        return f"follow-up {self.public_id}"
