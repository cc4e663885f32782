"""The public case database: cases of AI harm, the actors involved, and the vocabularies
(taxonomies) that classify them."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from visiblework.core.countries import country_name, is_country_code

from .actornames import name_keys

PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def validate_partial_date(value: str) -> None:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD: sources are often dated only by year or month."""
    if value and not PARTIAL_DATE.match(value):
        raise ValidationError(_("Use a date like 2023, 2023-08 or 2023-08-07."))


def validate_country_code(value: str) -> None:
    if not is_country_code(value):
        raise ValidationError(_("%(code)s is not an ISO 3166 country code."), params={"code": value})


class Taxonomy(models.Model):
    """A namespaced vocabulary. Built in: justice areas, AI impacts, layers of invisible
    labour, regions. Imported vocabularies (MIT risk domains, ...) are more rows here."""

    key = models.SlugField(_("key"), max_length=50, unique=True,
                           help_text=_("Used in URLs and the API, e.g. justice_area."))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_facet = models.BooleanField(_("shown as a facet"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms",
                                 verbose_name=_("taxonomy"))
    slug = models.SlugField(_("slug"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["taxonomy__order", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["taxonomy", "slug"], name="term_unique_slug")]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self) -> str:
        return f"{self.taxonomy.name}: {self.name}"

    def get_absolute_url(self) -> str:
        return f"{reverse('cases:browse')}?{self.taxonomy.key}={self.slug}"


class ActorKind(models.TextChoices):
    COMPANY = "company", _("Company")
    PLATFORM = "platform", _("Platform")
    VENDOR = "vendor", _("Vendor or BPO")
    CLIENT = "client", _("Client")
    PRODUCT = "product", _("Product")
    GOVERNMENT = "government", _("Government body")
    ORGANISATION = "organisation", _("Organisation")
    GROUP = "group", _("Group of people")


class Actor(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ActorKind.choices,
                            default=ActorKind.COMPANY)
    country = models.CharField(_("country"), max_length=2, blank=True,
                               validators=[validate_country_code])
    url = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        # find_actor looks names up case-insensitively as UPPER(name) = UPPER(text): this
        # index lets it seek instead of reading every actor (on SQLite and PostgreSQL).
        indexes = [models.Index(Upper("name"), name="actor_name_upper_idx")]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:120] or "actor"
        adding = self._state.adding
        super().save(*args, **kwargs)
        self.refresh_name_keys(new=adding)

    def get_absolute_url(self) -> str:
        return reverse("cases:actor", args=[self.slug])

    @property
    def country_name(self) -> str:
        return country_name(self.country) if self.country else ""

    def refresh_name_keys(self, *, new: bool = False) -> None:
        """Store the comparison keys of this actor's name and aliases (ActorNameKey), which
        the editors' duplicate suggestions group by. `new`: an actor just created has no
        aliases and no keys yet (one statement instead of three)."""
        names = [self.name]
        if not new:
            names += list(self.aliases.values_list("name", flat=True))
            ActorNameKey.objects.filter(actor=self).delete()
        keys = dict.fromkeys(key[:NAME_KEY_LENGTH] for name in names for key in name_keys(name))
        ActorNameKey.objects.bulk_create([ActorNameKey(actor=self, key=key) for key in keys])


class ActorAlias(models.Model):
    """Another name for an actor ("Open AI" for "OpenAI"): used for de-duplication and search.
    An alias left by a merge keeps the merged actor's slug, so its old URLs redirect."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("former slug"), max_length=120, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["actor", "name"], name="alias_unique")]
        indexes = [models.Index(Upper("name"), name="actoralias_name_upper_idx")]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self.actor.refresh_name_keys()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        result = super().delete(*args, **kwargs)
        self.actor.refresh_name_keys()
        return result


NAME_KEY_LENGTH = 200


class ActorNameKey(models.Model):
    """One comparison key (cases.actornames.name_keys) of an actor's name or of one of its
    aliases, kept in step when an actor or an alias is saved or an alias deleted. Actors that
    share a key are suggested to editors as possible duplicates; the index on the key lets
    that be one grouping query."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=NAME_KEY_LENGTH, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["actor", "key"], name="actornamekey_unique")]

    def __str__(self) -> str:
        return self.key


class ActorDuplicateDismissal(models.Model):
    """Two actors an editor said are not one (first < second by id): the suggested
    duplicates (cases.actor_duplicates) never join them again, whatever names they share.
    Gone with either actor (a merge deletes the merged one)."""

    first = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("dismissed by"))
    dismissed_at = models.DateTimeField(_("dismissed"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="actor_dismissal_unique"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")),
                                   name="actor_dismissal_ordered"),
        ]
        verbose_name = _("dismissed duplicate actors")
        verbose_name_plural = _("dismissed duplicate actors")

    def __str__(self) -> str:
        return f"{self.first_id} ≁ {self.second_id}"


class LinkKind(models.TextChoices):
    VENDOR_OF = "vendor_of", _("vendor of")
    SUBSIDIARY_OF = "subsidiary_of", _("subsidiary of")
    CLIENT_OF = "client_of", _("client of")
    PRODUCT_OF = "product_of", _("product of")
    PARTNER_OF = "partner_of", _("partner of")


class ActorLink(models.Model):
    """A typed relation between two actors: "Sama is a vendor of OpenAI"."""

    source = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="links_out",
                               verbose_name=_("actor"))
    kind = models.CharField(_("relation"), max_length=20, choices=LinkKind.choices)
    target = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="links_in",
                               verbose_name=_("other actor"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "kind", "target"],
                                               name="actorlink_unique")]
        verbose_name = _("link to another actor")
        verbose_name_plural = _("links to other actors")

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETRACTED = "retracted", _("Retracted")


class PublishedCases(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(status=CaseStatus.PUBLISHED)


class Case(models.Model):
    slug = models.SlugField(_("slug"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)])
    year_end = models.PositiveSmallIntegerField(
        _("last year"), null=True, blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("For a case that went on over several years (2019–2021): the last one."))
    date = models.CharField(_("date"), max_length=10, blank=True,
                            validators=[validate_partial_date],
                            help_text=_("When it happened or came to light: 2023, 2023-08 or 2023-08-07."))
    summary = models.TextField(_("summary"), help_text=_("One or two plain sentences."))
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown; HTML is removed."))
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices,
                              default=CaseStatus.DRAFT, db_index=True)
    terms = models.ManyToManyField(Term, blank=True, related_name="cases", verbose_name=_("terms"))
    actors = models.ManyToManyField(Actor, through="CaseActor", related_name="cases", blank=True)
    external_id = models.CharField(
        _("external id"), max_length=120, blank=True,
        help_text=_("Where the case came from, for imports and seed content, e.g. aiid:23."))
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_cases",
        verbose_name=_("merged into"),
        help_text=_("A duplicate folded into another case: its address leads there."))
    # What the last import of this case read (a digest of its row, mapping and vocabulary):
    # while it holds, importing the same row again cannot change the case, and the import
    # skips the row (importers/writing.py). Saving the case forgets it (see save), so after
    # an editor's change the next import compares the row in full.
    import_digest = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)

    objects = models.Manager()
    published = PublishedCases()

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], condition=~models.Q(external_id=""),
                                    name="case_unique_external_id"),
            models.CheckConstraint(
                condition=models.Q(year_end__isnull=True)
                | models.Q(year__isnull=False, year_end__gte=models.F("year")),
                name="case_year_end_after_year"),
        ]
        indexes = [models.Index(fields=["status", "-year", "-id"], name="case_browse_idx")]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_defaults()
        self.import_digest = ""
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk, self.slug])

    def fill_defaults(self) -> None:
        """What saving fills in: the slug, the year of the date, the first publication time.
        Also called for cases written in bulk (which skips save())."""
        if not self.slug:
            self.slug = slugify(self.title)[:120] or "case"
        if self.date and not self.year:
            self.year = int(self.date[:4])
        if self.status == CaseStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    def clean(self) -> None:
        super().clean()
        if self.year_end is not None and (self.year is None or self.year_end < self.year):
            raise ValidationError({"year_end": _("The last year cannot come before the year.")})

    @property
    def years(self) -> str:
        """The year, or the span of years: "2019", "2019–2021"."""
        if self.year is None:
            return ""
        if self.year_end and self.year_end != self.year:
            return f"{self.year}\u2013{self.year_end}"
        return str(self.year)


class CaseExternalId(models.Model):
    """Another source's id of a case, kept when a duplicate was merged into it (the case's own
    id is Case.external_id): imports of that source find the case by it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="merged_ids")
    external_id = models.CharField(_("external id"), max_length=120, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("merged external id")
        verbose_name_plural = _("merged external ids")

    def __str__(self) -> str:
        return self.external_id


class DuplicateReason(models.TextChoices):
    SAME_SOURCE = "same_source", _("They cite the same source address")
    SIMILAR_TITLE = "similar_title", _("Their titles share most words, a year or less apart")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("a suggestion that is not decided yet", "Open")
    DISMISSED = "dismissed", _("Not duplicates")
    MERGED = "merged", _("Merged")


class DuplicateSuggestion(models.Model):
    """Two cases that may tell the same incident, found by cases.duplicates (first < second
    by id). Editors merge them or dismiss the suggestion; a dismissed pair is never
    suggested again."""

    first = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("why"), max_length=20, choices=DuplicateReason.choices)
    score = models.FloatField(_("likeness"), default=0.0,
                              help_text=_("1 for the same source; the share of title words "
                                          "in common otherwise."))
    status = models.CharField(_("status"), max_length=12, choices=DuplicateStatus.choices,
                              default=DuplicateStatus.OPEN)
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_unique_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")),
                                   name="duplicate_ordered_pair"),
        ]
        indexes = [models.Index(fields=["status", "-score", "id"], name="duplicate_queue_idx")]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id}"


class CaseCountry(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="countries")
    code = models.CharField(_("country"), max_length=2, validators=[validate_country_code],
                            help_text=_("ISO 3166 two-letter code, e.g. KE"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="casecountry_unique")]
        indexes = [models.Index(fields=["code"], name="casecountry_code_idx")]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.code = self.code.upper()
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        return country_name(self.code)


class Role(models.TextChoices):
    DEVELOPER = "developer", _("Developer")
    DEPLOYER = "deployer", _("Deployer")
    PLATFORM = "platform", _("Platform")
    VENDOR = "vendor", _("Vendor")
    CLIENT = "client", _("Client")
    HARMED_PARTY = "harmed_party", _("Harmed party")


class CaseActor(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_actors")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="case_roles",
                              verbose_name=_("actor"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "actor", "role"],
                                               name="caseactor_unique")]
        verbose_name = _("actor in this case")
        verbose_name_plural = _("actors in this case")

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"


class Source(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sources")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=500)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    date = models.CharField(_("date"), max_length=10, blank=True, validators=[validate_partial_date])
    archived_url = models.URLField(_("archived copy"), max_length=1000, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title


class SearchDocument(models.Model):
    """The searchable text of one published case, kept in step with writes by
    cases.indexing: each part as written (summary and body give the snippets) and as the
    engines index it (`*_stems`: core.search.index_text). SQLite mirrors the stems into an
    FTS5 table by triggers; PostgreSQL keeps a weighted tsvector column of them beside it
    (see migrations)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True,
                                related_name="search_document")
    title = models.TextField()
    summary = models.TextField()
    body = models.TextField()
    actors = models.TextField()  # names and aliases
    sources = models.TextField()
    # Term names and country names in every language of the site, and ISO country codes.
    labels = models.TextField(default="")
    title_stems = models.TextField(default="")
    summary_stems = models.TextField(default="")
    labels_stems = models.TextField(default="")
    actors_stems = models.TextField(default="")
    sources_stems = models.TextField(default="")
    body_stems = models.TextField(default="")

    def __str__(self) -> str:
        return self.title


class CatalogueVersion(models.Model):
    """One row that every write to the catalogue bumps, so each process knows when its
    in-memory facet index is stale."""

    key = models.CharField(max_length=20, primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.version}"


class CatalogueChange(models.Model):
    """One write to the catalogue: the version it made and the cases it touched, so that a
    process holding an older facet index follows the change (reads those cases again)
    instead of rebuilding. `case_ids` None: a change the index cannot follow case by case
    (a term, a taxonomy, a whole reindex): processes rebuild. Written in the transaction
    that moves the version (cases.indexing.bump_catalogue_version); old rows are pruned."""

    id = models.BigAutoField(primary_key=True)
    version = models.BigIntegerField(db_index=True)
    case_ids = models.JSONField(null=True)

    def __str__(self) -> str:
        return f"{self.version}: {'all' if self.case_ids is None else len(self.case_ids)}"


class Revision(models.Model):
    """A snapshot of a case after a change: who, when, why, and the whole public record."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+",
                               verbose_name=pgettext_lazy("revision field: the account", "by"))
    author_label = models.CharField(pgettext_lazy("revision field: a name when no account", "by"),
                                    max_length=150, blank=True,
                                    help_text=_("Who, when there is no account: an import, a contributor."))
    summary = models.CharField(_("summary of the change"), max_length=300)
    data = models.JSONField(_("snapshot"))

    class Meta:
        ordering = ["case", "-number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="revision_unique")]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.case_id}#{self.number}"

    @property
    def by(self) -> str:
        return self.author.username if self.author else self.author_label


class ContributionKind(models.TextChoices):
    NEW_CASE = "new_case", _("New case")
    UPDATE = "update", _("Update to a case")
    # Who can help (voice): a new organisation, or a correction to one (contact details too).
    # cases stores and tracks them like any contribution; voice checks and applies them.
    NEW_ORGANISATION = "organisation", _("New organisation that helps")
    ORGANISATION_UPDATE = "org_update", _("Correction to an organisation")


CASE_KINDS = (ContributionKind.NEW_CASE, ContributionKind.UPDATE)


class ContributionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Rejected as spam")


class Contribution(models.Model):
    """A proposed new case or change, from anyone, waiting for an editor's decision."""

    kind = models.CharField(_("kind"), max_length=12, choices=ContributionKind.choices)
    case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="contributions", verbose_name=_("case"))
    status = models.CharField(_("status"), max_length=12, choices=ContributionStatus.choices,
                              default=ContributionStatus.PENDING, db_index=True)
    payload = models.JSONField(_("proposal"))
    note = models.TextField(_("note to the editors"), blank=True)
    tracking_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("claimed by"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("editor's reason"), blank=True)
    result_case = models.ForeignKey(Case, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    # For an organisation's kinds: the organisation corrected, or the one an accepted
    # suggestion created.
    organisation = models.ForeignKey(Actor, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("organisation"))

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="contribution_queue_idx")]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def title(self) -> str:
        """What the queue lists: a case's title, an organisation's name."""
        return str(self.payload.get("title") or self.payload.get("name") or "")
