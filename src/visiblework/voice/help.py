"""Who can help: the directory of organisations that support data workers and users.

Each organisation is an actor (so cases can name it) with a help profile (voice.models). This
module holds the rules: the one check of an organisation's facts (`clean_organisation`, used
by the suggestion form, the editors' acceptance and the seed), saving a profile with its
facets kept in step (`save_organisation`), the directory's filters (`parse_filters`,
`directory`) and matching organisations to a country and a kind of work
(`organisations_for`).

Suggestions and corrections go through the contribution queue of cases (kinds
"organisation" and "org_update"), with the same tracking codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from babel import Locale, UnknownLocaleError
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from visiblework.cases import contributions
from visiblework.cases.diffs import FieldDiff, diff_texts
from visiblework.cases.editing import find_actor
from visiblework.cases.indexing import bump_catalogue_version
from visiblework.cases.models import Actor, ActorKind, Contribution, ContributionKind, Term
from visiblework.core.audit import record
from visiblework.core.countries import country_name, is_country_code
from visiblework.core.models import AuditAction
from visiblework.core.text import strip_markup
from visiblework.reports.models import TaskType

from .models import ContactKind, HelpFacet, HelpKind, HelpProfile

if TYPE_CHECKING:
    from visiblework.accounts.models import User

ORGANISATION_KINDS = (ContributionKind.NEW_ORGANISATION, ContributionKind.ORGANISATION_UPDATE)
ACTOR_KINDS = (ActorKind.ORGANISATION, ActorKind.GROUP)
EVERY = "*"  # the facet value of "every country" (worldwide) and "every kind of work"
JUSTICE_AREA = "justice_area"
MAX_ROWS = 10  # contact channels, sources
MAX_LIST = 300  # countries, languages served
MATCHES = 5  # organisations shown beside a report, an actor or a country


# --- Languages ------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _language_names(language: str) -> dict[str, str]:
    try:
        names = dict(Locale.parse(language.replace("-", "_")).languages)
    except (UnknownLocaleError, ValueError):
        names = dict(Locale("en").languages)
    return {code: name for code, name in names.items() if re.fullmatch(r"[a-z]{2,3}", code)}


def is_language_code(code: str) -> bool:
    """An ISO 639 code CLDR names (sw, ar, fil, ...)."""
    return isinstance(code, str) and code in _language_names("en")


def language_name(code: str, language: str | None = None) -> str:
    """The language's name in `language` (default: the page's), else the code."""
    return _language_names(language or get_language() or "en").get(code, code)


def language_codes(raw: str) -> list[str]:
    """Language names (in the page's language or English) or codes, separated by commas, as
    codes. Raises ValidationError naming the ones not known."""
    by_name: dict[str, str] = {}
    for language in ("en", get_language() or "en"):
        for known, name in _language_names(language).items():
            by_name.setdefault(name.casefold(), known)
    codes: list[str] = []
    unknown: list[str] = []
    for text in (t.strip() for t in re.split(r"[,;\n\u060c]", raw)):
        code: str | None = text.lower() if is_language_code(text.lower()) else by_name.get(text.casefold())
        if code and code not in codes:
            codes.append(code)
        elif text and not code:
            unknown.append(text[:60])
    if unknown:
        raise ValidationError(_("We do not know these languages: %(names)s. Check the "
                                "spelling, or choose from the list that opens as you type.")
                              % {"names": ", ".join(unknown[:5])})
    return codes


def languages_by_name(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of every two-letter language, in the order of their names."""
    names = _language_names(language or get_language() or "en")
    return sorted(((c, n) for c, n in names.items() if len(c) == 2), key=lambda i: i[1].casefold())


# --- Checking an organisation's facts ---------------------------------------------------------


_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()
_PHONE = re.compile(r"^\+?[0-9][0-9 ().\-]{4,29}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str):
        return ""
    return strip_markup(value.replace("\x00", "")).strip()[:limit]


def _codes(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(v.strip() for v in value if isinstance(v, str) and v.strip()))


def _check_url(value: str) -> bool:
    try:
        _url(value)
    except ValidationError:
        return False
    return True


def _contact(row: dict[str, Any], errors: list[str]) -> dict[str, str] | None:
    kind = row.get("kind", "")
    value = _text(row.get("value"), 500)
    label = _text(row.get("label"), 100)
    if not value:
        return None
    if kind not in ContactKind.values:
        errors.append(_("Choose what kind of contact “%(value)s” is.") % {"value": value[:60]})
        return None
    if kind == ContactKind.EMAIL:
        try:
            _email(value)
        except ValidationError:
            errors.append(_("“%(value)s” is not an e-mail address.") % {"value": value[:60]})
            return None
    elif kind == ContactKind.PHONE:
        if not _PHONE.match(value):
            errors.append(_("“%(value)s” is not a telephone number.") % {"value": value[:60]})
            return None
    elif not _check_url(value):
        errors.append(_("“%(value)s” is not a web address (https://…).") % {"value": value[:60]})
        return None
    return {"kind": kind, "value": value, "label": label}


def _source(row: dict[str, Any], errors: list[str], today: str) -> dict[str, str] | None:
    url = _text(row.get("url"), 1000)
    title = _text(row.get("title"), 300)
    if not url and not title:
        return None
    if not url or not _check_url(url):
        errors.append(_("Each source needs its web address (https://…)."))
        return None
    accessed = row.get("accessed") or today
    if not isinstance(accessed, str) or not _DAY.match(accessed):
        errors.append(_("Give the day a source was read as 2025-03-31."))
        return None
    return {"url": url, "title": title or url, "publisher": _text(row.get("publisher"), 200),
            "accessed": accessed}


def clean_organisation(data: dict[str, Any]) -> dict[str, Any]:
    """An organisation's facts, checked and without markup: the one check for the suggestion
    form, the editors' acceptance and the seed. Raises ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}
    name = _text(data.get("name"), 200)
    if not name:
        errors["name"] = [_("Give the organisation's name.")]
    kind = data.get("kind") or ActorKind.ORGANISATION
    if kind not in ACTOR_KINDS:
        errors["kind"] = [_("Choose an organisation or a group of people.")]
    url = _text(data.get("url"), 200)
    if url and not _check_url(url):
        errors["url"] = [_("Enter the website's address, starting with https://.")]
    summary = _text(data.get("summary"), 2000)
    if not summary:
        errors["summary"] = [_("Say in a sentence or two how they help.")]
    countries = [c.upper() for c in _codes(data.get("countries"))][:MAX_LIST]
    bad = [c for c in countries if not is_country_code(c)]
    if bad:
        errors["countries"] = [_("These are not country codes: %(codes)s.")
                               % {"codes": ", ".join(bad[:5])}]
    worldwide = bool(data.get("worldwide"))
    if not worldwide and not countries and "countries" not in errors:
        errors["countries"] = [_("Name the countries they serve, or tick “every country”.")]
    languages = [c.lower() for c in _codes(data.get("languages"))][:MAX_LIST]
    bad = [c for c in languages if not is_language_code(c)]
    if bad:
        errors["languages"] = [_("These are not language codes: %(codes)s.")
                               % {"codes": ", ".join(bad[:5])}]
    task_types = _codes(data.get("task_types"))
    if any(t not in TaskType.values for t in task_types):
        errors["task_types"] = [_("Choose kinds of work from the list.")]
    help_kinds = _codes(data.get("help_kinds"))
    if not help_kinds:
        errors["help_kinds"] = [_("Choose at least one kind of help.")]
    elif any(h not in HelpKind.values for h in help_kinds):
        errors["help_kinds"] = [_("Choose kinds of help from the list.")]
    justice_areas = _codes(data.get("justice_areas"))
    known = set(Term.objects.filter(taxonomy__key=JUSTICE_AREA, slug__in=justice_areas)
                .values_list("slug", flat=True)) if justice_areas else set()
    if set(justice_areas) - known:
        errors["justice_areas"] = [_("Choose justice areas from the list.")]
    row_errors: list[str] = []
    contacts = [c for c in (_contact(row, row_errors) for row in _rows(data.get("contacts")))
                if c]
    if row_errors:
        errors["contacts"] = row_errors
    row_errors = []
    today = timezone.localdate().isoformat()
    sources = [s for s in (_source(row, row_errors, today) for row in _rows(data.get("sources")))
               if s]
    if row_errors:
        errors["sources"] = row_errors
    elif not sources:
        errors["sources"] = [_("Give at least one public source where readers can check this.")]
    if errors:
        raise ValidationError(errors)
    return {"name": name, "kind": kind, "url": url, "summary": summary, "worldwide": worldwide,
            "countries": countries, "languages": languages, "task_types": task_types,
            "help_kinds": help_kinds, "justice_areas": justice_areas, "contacts": contacts,
            "sources": sources}


def _rows(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [row for row in value if isinstance(row, dict)][:MAX_ROWS]


def organisation_data(profile: HelpProfile) -> dict[str, Any]:
    """A profile as the facts `clean_organisation` takes (to correct it)."""
    actor = profile.actor
    return {"name": actor.name, "kind": actor.kind, "url": actor.url, "summary": profile.summary,
            "worldwide": profile.worldwide, "countries": list(profile.countries),
            "languages": list(profile.languages), "task_types": list(profile.task_types),
            "help_kinds": list(profile.help_kinds), "justice_areas": list(profile.justice_areas),
            "contacts": list(profile.contacts), "sources": list(profile.sources)}


# --- Saving -----------------------------------------------------------------------------------


def facet_rows(profile: HelpProfile) -> list[tuple[str, str]]:
    """The (key, value) pairs the directory filters by: every country ("*" when it serves every
    country), language, kind of work ("*" when it covers every kind) and kind of help."""
    rows = [("country", EVERY)] if profile.worldwide else []
    rows += [("country", c) for c in profile.countries]
    rows += [("language", c) for c in profile.languages]
    rows += [("task_type", t) for t in profile.task_types] or [("task_type", EVERY)]
    rows += [("help", h) for h in profile.help_kinds]
    return list(dict.fromkeys(rows))


def sync_facets(profile: HelpProfile) -> None:
    """Make the profile's HelpFacet rows what its lists say (after every save)."""
    wanted = set(facet_rows(profile))
    have = {(f.key, f.value): f.pk for f in HelpFacet.objects.filter(profile=profile)}
    gone = [pk for pair, pk in have.items() if pair not in wanted]
    if gone:
        HelpFacet.objects.filter(pk__in=gone).delete()
    HelpFacet.objects.bulk_create([HelpFacet(profile=profile, key=k, value=v)
                                   for k, v in sorted(wanted - set(have))])


@transaction.atomic
def save_profile(profile: HelpProfile) -> HelpProfile:
    """Save a profile and keep its facets in step; the one way profiles are written (the
    catalogue's pages that show organisations are kept until its version changes)."""
    profile.save()
    sync_facets(profile)
    bump_catalogue_version([])  # no case changed: processes follow without a rebuild
    return profile


def _new_slug(name: str) -> str:
    base = slugify(name)[:110] or "organisation"
    candidate, n = base, 2
    while Actor.objects.filter(slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


@transaction.atomic
def save_organisation(data: dict[str, Any], *, actor: Actor | None = None,
                      slug: str = "", user: User | None = None, action: str = AuditAction.EDIT,
                      summary: str = "", label: str = "") -> HelpProfile:
    """Create or update an organisation (its actor and help profile) from checked facts.
    `actor`: the organisation corrected; else the actor with `slug`, or the one of that
    name without a profile yet, or a new one. Writes an audit entry."""
    facts = clean_organisation(data)
    if actor is None:
        actor = Actor.objects.filter(slug=slug).first() if slug else None
    if actor is None:
        actor = find_actor(facts["name"])
        if actor is not None and HelpProfile.objects.filter(actor=actor).exists():
            raise ValidationError({"name": [
                _("%(name)s is already in the directory: correct it instead.")
                % {"name": actor.name}]})
    if actor is None:
        actor = Actor(slug=slug or _new_slug(facts["name"]))
    actor.name = facts["name"]
    actor.kind = facts["kind"]
    actor.url = facts["url"] or actor.url
    if not actor.description:
        actor.description = facts["summary"]
    actor.save()
    profile = HelpProfile.objects.filter(actor=actor).first() or HelpProfile(actor=actor)
    for field in ("summary", "worldwide", "countries", "languages", "task_types", "help_kinds",
                  "justice_areas", "contacts", "sources"):
        setattr(profile, field, facts[field])
    save_profile(profile)
    record(user, action, profile, summary or _("Organisation %(name)s saved")
           % {"name": actor.name}, label=label)
    return profile


# --- Suggestions and corrections (the contribution queue) --------------------------------------


def published_profile(slug: str) -> HelpProfile | None:
    return (HelpProfile.objects.select_related("actor")
            .filter(actor__slug=slug, published=True).first())


@transaction.atomic
def suggest(data: dict[str, Any], *, organisation: Actor | None = None, note: str = "",
            honeypot: str = "") -> contributions.Submitted:
    """Check and store a suggested organisation, or a correction to `organisation`, in the
    editors' queue with a private tracking code. Raises ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}
    facts: dict[str, Any] = {}
    try:
        facts = clean_organisation(data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        note = contributions.clean_note(note)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    kind = (ContributionKind.ORGANISATION_UPDATE if organisation is not None
            else ContributionKind.NEW_ORGANISATION)
    return contributions.store(facts, kind=kind, organisation=organisation, note=note,
                               honeypot=honeypot)


@transaction.atomic
def accept_suggestion(contribution: Contribution, user: User, data: dict[str, Any],
                      reason: str = "") -> HelpProfile:
    """An editor accepts a suggested organisation or correction (as they edited it): the
    actor and its help profile are created or updated, the contributor can read the outcome."""
    contribution = contributions.lock_pending(contribution)
    if contribution.kind not in ORGANISATION_KINDS:
        raise ValidationError(_("This contribution is not about an organisation."))
    if (contribution.kind == ContributionKind.ORGANISATION_UPDATE
            and contribution.organisation is None):
        raise ValidationError(_("The organisation this correction was for no longer exists."))
    profile = save_organisation(
        data, actor=contribution.organisation, user=user, action=AuditAction.ACCEPT,
        summary=_("Accepted contribution #%(number)d") % {"number": contribution.pk})
    contributions.mark_accepted(contribution, user, reason, organisation=profile.actor)
    return profile


# --- The directory ----------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpFilters:
    country: str = ""
    language: str = ""
    task_type: str = ""
    help: str = ""

    def pairs(self) -> list[tuple[str, str]]:
        return [(key, value) for key, value in (
            ("country", self.country), ("language", self.language),
            ("task_type", self.task_type), ("help", self.help)) if value]


class BadFilters(ValueError):
    """Filters that cannot be used: `messages` says why, one per filter."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def parse_filters(params: QueryDict) -> HelpFilters:
    """?country=KE&language=sw&task_type=content_moderation&help=legal, each at most once.
    Raises BadFilters with a message for each value that is not known."""
    messages: list[str] = []
    values: dict[str, str] = {}
    for key in ("country", "language", "task_type", "help"):
        given = [v.strip() for v in params.getlist(key) if v.strip()]
        if len(given) > 1:
            messages.append(_("Choose one value for “%(name)s”.") % {"name": key})
            continue
        values[key] = given[0][:40] if given else ""
    country = values.get("country", "").upper()
    if country and not is_country_code(country):
        messages.append(_("“%(value)s” is not a country code: use two letters, like KE.")
                        % {"value": values["country"]})
    language = values.get("language", "").lower()
    if language and not is_language_code(language):
        messages.append(_("“%(value)s” is not a language code: use one like sw or ar.")
                        % {"value": values["language"]})
    task_type = values.get("task_type", "")
    if task_type and task_type not in TaskType.values:
        messages.append(_("“%(value)s” is not one of the kinds of work listed here.")
                        % {"value": task_type})
    help_kind = values.get("help", "")
    if help_kind and help_kind not in HelpKind.values:
        messages.append(_("“%(value)s” is not one of the kinds of help listed here.")
                        % {"value": help_kind})
    if messages:
        raise BadFilters(messages)
    return HelpFilters(country=country, language=language, task_type=task_type, help=help_kind)


def _matching(key: str, values: list[str]) -> QuerySet[HelpFacet, Any]:
    return HelpFacet.objects.filter(key=key, value__in=values).values("profile_id")


def directory(filters: HelpFilters) -> QuerySet[HelpProfile]:
    """Published profiles matching every filter, by name. A country matches the organisations
    serving it or every country; a kind of work, those covering it or every kind."""
    profiles = HelpProfile.objects.filter(published=True).select_related("actor")
    if filters.country:
        profiles = profiles.filter(pk__in=_matching("country", [filters.country, EVERY]))
    if filters.language:
        profiles = profiles.filter(pk__in=_matching("language", [filters.language]))
    if filters.task_type:
        profiles = profiles.filter(pk__in=_matching("task_type", [filters.task_type, EVERY]))
    if filters.help:
        profiles = profiles.filter(pk__in=_matching("help", [filters.help]))
    return profiles.order_by("actor__name", "pk")


def organisations_for(country: str, task_type: str = "", *, limit: int = MATCHES,
                      exclude: Actor | None = None) -> list[HelpProfile]:
    """The organisations serving `country` and covering `task_type` (either may be empty),
    those serving that country by name first, then those serving every country."""
    filters = HelpFilters(country=country.upper() if is_country_code(country) else "",
                          task_type=task_type if task_type in TaskType.values else "")
    if not filters.country and not filters.task_type:
        return []
    profiles = directory(filters)
    if exclude is not None:
        profiles = profiles.exclude(actor=exclude)
    if filters.country:
        named = HelpFacet.objects.filter(profile=OuterRef("pk"), key="country",
                                         value=filters.country)
        profiles = profiles.annotate(named=Exists(named)).order_by("-named", "actor__name", "pk")
    return list(profiles[:limit])


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """What the directory's filters offer: the countries and languages some published
    organisation serves (by name, in the page's language), every kind of work and help."""
    values: dict[str, set[str]] = {"country": set(), "language": set()}
    for key, value in (HelpFacet.objects.filter(key__in=values, profile__published=True)
                       .exclude(value=EVERY).values_list("key", "value").distinct()[:1000]):
        values[key].add(value)
    return {
        "country": sorted(((c, country_name(c)) for c in values["country"]),
                          key=lambda i: i[1].casefold()),
        "language": sorted(((c, language_name(c)) for c in values["language"]),
                           key=lambda i: i[1].casefold()),
        "task_type": [(str(v), str(label)) for v, label in TaskType.choices],
        "help": [(str(v), str(label)) for v, label in HelpKind.choices],
    }


# --- As pages show it ---------------------------------------------------------------------------


def _contact_href(contact: dict[str, str]) -> str:
    if contact["kind"] == ContactKind.EMAIL:
        return f"mailto:{contact['value']}"
    if contact["kind"] == ContactKind.PHONE:
        return "tel:" + re.sub(r"[^0-9+]", "", contact["value"])
    return contact["value"]


def describe(profile: HelpProfile, *, full: bool = True) -> dict[str, Any]:
    """A profile with every code as a name in the page's language, for templates."""
    help_labels = dict(HelpKind.choices)
    out: dict[str, Any] = {
        "profile": profile, "actor": profile.actor, "name": profile.actor.name,
        "slug": profile.actor.slug, "summary": profile.summary,
        "worldwide": profile.worldwide,
        "countries": sorted((country_name(c) for c in profile.countries), key=str.casefold),
        "help_kinds": [help_labels.get(h, h) for h in profile.help_kinds],
    }
    if full:
        task_labels = dict(TaskType.choices)
        kinds = dict(ContactKind.choices)
        terms = {t.slug: _(t.name) for t in Term.objects.filter(
            taxonomy__key=JUSTICE_AREA, slug__in=profile.justice_areas)}
        out.update({
            "languages": [language_name(c) for c in profile.languages],
            "task_types": [task_labels.get(t, t) for t in profile.task_types],
            "justice_areas": [(slug, terms[slug]) for slug in profile.justice_areas
                              if slug in terms],
            "contacts": [{**c, "kind_label": kinds.get(c["kind"], c["kind"]),
                          "href": _contact_href(c)} for c in profile.contacts],
            "sources": [{**s, "accessed_on": _day(s.get("accessed", ""))}
                        for s in profile.sources],
        })
    return out


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def diff_organisation(before: dict[str, Any] | None, after: dict[str, Any]
                      ) -> list[FieldDiff]:
    """Field by field, what a suggestion changes in an organisation's facts (for editors)."""
    def text(facts: dict[str, Any] | None, field: str) -> str:
        value = (facts or {}).get(field)
        if field == "contacts":
            return "\n".join(f"{c.get('kind')}: {c.get('value')} {c.get('label', '')}".strip()
                             for c in value or [])
        if field == "sources":
            return "\n".join(" · ".join(filter(None, [s.get("title"), s.get("publisher"),
                                                      s.get("url")])) for s in value or [])
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return "" if value is None or not facts else str(value)

    labels = [("name", _("Name")), ("kind", _("Kind")), ("url", _("Website")),
              ("summary", _("How they help")), ("help_kinds", _("Kinds of help")),
              ("worldwide", _("Every country")), ("countries", _("Countries")),
              ("languages", _("Languages")), ("task_types", _("Kinds of work")),
              ("justice_areas", _("Justice areas")), ("contacts", _("Contact channels")),
              ("sources", _("Sources"))]
    return diff_texts([(field, str(label), text(before, field), text(after, field))
                       for field, label in labels])
