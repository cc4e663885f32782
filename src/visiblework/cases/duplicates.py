"""Possible duplicate cases (the same incident imported from two sources, or already among
the seed cases), and merging a duplicate into the case that is kept.

Finding them (`find_duplicates`, run by `visiblework findduplicates`) never compares every
case with every other: it works in bounded steps and stores what it finds as
DuplicateSuggestion rows, which the editors' page (/review/duplicates/) reads.

1. **The same source address.** Source links are grouped in SQL; a link cited by 2 to
   MAX_CASES_PER_LINK cases pairs them (a link cited more widely is a general page, not an
   incident's). Links are read SQL_CHUNK at a time.
2. **Similar titles, a year or less apart.** Cases are read one year at a time together with
   the next year. Each title becomes a set of words (lower case, accents and a plural "s"
   removed, short and common words dropped). A word shared by more than MAX_CASES_PER_WORD
   cases of those two years proposes no pair (so the work per case is bounded); two cases
   are a pair when they share at least MIN_SHARED_WORDS words and those are at least
   MIN_LIKENESS of the shorter title's words. Cases without a year are compared among
   themselves.

Only published and draft cases take part. A pair is stored once: a pair editors dismissed
or merged is never suggested again, whatever a later run finds.

After an import, `find_duplicates_of` looks for the pairs of the cases it wrote only: the
cases citing their source addresses, and the cases of their year and the years either side
(cases without a year among themselves). An import that wrote more than MAX_TARGETED cases
runs the whole search instead: reading every year once is cheaper than reading each three.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from visiblework.core import jobs
from visiblework.core.audit import record
from visiblework.core.models import AuditAction, Job

from .editing import MAX_LIST, save_case, snapshot
from .models import (
    Case,
    CaseExternalId,
    CaseStatus,
    DuplicateReason,
    DuplicateStatus,
    DuplicateSuggestion,
    Source,
)

if TYPE_CHECKING:
    from visiblework.accounts.models import User

LIVE = (CaseStatus.PUBLISHED, CaseStatus.DRAFT)
MAX_CASES_PER_LINK = 5
MAX_CASES_PER_WORD = 30
MIN_SHARED_WORDS = 3
MIN_LIKENESS = 0.75
SQL_CHUNK = 500
WRITE_CHUNK = 500
STOP_WORDS = frozenset("""
a an and are as at be been but by for from had has have how in into is it its not of on or
over than that the their them then there these they this to under was were what when where
which who why will with after about against among between during more most new use used
using via while amid says said report reports
""".split())  # noqa: SIM905 - a list of words reads best as text
_WORD = re.compile(r"[^\W_]+")


@dataclass
class FindStats:
    same_source: int = 0
    similar_title: int = 0
    new: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"same_source": self.same_source, "similar_title": self.similar_title,
                "new": self.new}


def title_words(title: str) -> frozenset[str]:
    """The words that tell titles apart: lower case, without accents or a plural "s",
    at least three letters, common words dropped."""
    text = unicodedata.normalize("NFKD", title.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = set()
    for word in _WORD.findall(text):
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if len(word) >= 3 and word not in STOP_WORDS:
            words.add(word)
    return frozenset(words)


def likeness(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the shorter title's words that the other title has too (0 when fewer
    than MIN_SHARED_WORDS are shared)."""
    shared = len(a & b)
    if shared < MIN_SHARED_WORDS:
        return 0.0
    return shared / min(len(a), len(b))


# --- Finding -----------------------------------------------------------------------------------


def _live_cases() -> QuerySet[Case]:
    return Case.objects.filter(status__in=LIVE)


def _same_source_pairs() -> Iterator[tuple[int, int, float]]:
    links = (Source.objects.filter(case__status__in=LIVE).exclude(url="")
             .values("url").annotate(n=Count("case_id", distinct=True))
             .filter(n__gte=2, n__lte=MAX_CASES_PER_LINK).order_by("url")
             .values_list("url", flat=True))
    batch: list[str] = []
    for url in links.iterator(chunk_size=SQL_CHUNK):
        batch.append(url)
        if len(batch) >= SQL_CHUNK:
            yield from _pairs_citing(batch)
            batch = []
    if batch:
        yield from _pairs_citing(batch)


def _pairs_citing(urls: list[str]) -> Iterator[tuple[int, int, float]]:
    cases: dict[str, set[int]] = defaultdict(set)
    for url, case_id in (Source.objects.filter(url__in=urls, case__status__in=LIVE)
                         .values_list("url", "case_id")):
        cases[url].add(case_id)
    for ids in cases.values():
        ordered = sorted(ids)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1:]:
                yield first, second, 1.0


def _similar_pairs_among(cases: list[tuple[int, frozenset[str]]],
                         counts_for: Callable[[int], bool]) -> Iterator[tuple[int, int, float]]:
    """Pairs of these cases with like titles, at least one of them chosen by `counts_for`."""
    postings: dict[str, list[int]] = defaultdict(list)
    words_of = dict(cases)
    for case_id, words in cases:
        for word in words:
            postings[word].append(case_id)
    for case_id, words in cases:
        if not counts_for(case_id):
            continue
        shared: Counter[int] = Counter()
        for word in words:
            posting = postings[word]
            if len(posting) <= MAX_CASES_PER_WORD:
                shared.update(other for other in posting if other != case_id)
        for other, n in shared.items():
            if n < MIN_SHARED_WORDS or (counts_for(other) and other < case_id):
                continue  # too little in common, or found from the other side
            score = likeness(words, words_of[other])
            if score >= MIN_LIKENESS:
                yield min(case_id, other), max(case_id, other), round(score, 3)


def _titles(cases: QuerySet[Case]) -> list[tuple[int, frozenset[str]]]:
    return [(case_id, title_words(title))
            for case_id, title in cases.values_list("id", "title").iterator(chunk_size=2000)]


def _similar_title_pairs() -> Iterator[tuple[int, int, float]]:
    years = sorted({year for year in _live_cases().exclude(year=None).order_by()
                    .values_list("year", flat=True).distinct() if year is not None})
    for year in years:
        window = _live_cases().filter(year__in=[year, year + 1])
        in_year = set(_live_cases().filter(year=year).values_list("id", flat=True))
        yield from _similar_pairs_among(_titles(window), in_year.__contains__)
    yield from _similar_pairs_among(_titles(_live_cases().filter(year=None)), lambda _id: True)


def _store(pairs: Iterable[tuple[int, int, float]], reason: str) -> tuple[int, int]:
    """Store new pairs (a pair already stored, in any state, is left alone). Returns how many
    pairs were found and how many of them were new."""
    found = new = 0
    batch: dict[tuple[int, int], float] = {}

    def flush() -> int:
        known = set(DuplicateSuggestion.objects.filter(
            first_id__in={a for a, _b in batch}, second_id__in={b for _a, b in batch})
            .values_list("first_id", "second_id"))
        fresh = [DuplicateSuggestion(first_id=a, second_id=b, reason=reason, score=score)
                 for (a, b), score in batch.items() if (a, b) not in known]
        DuplicateSuggestion.objects.bulk_create(fresh, ignore_conflicts=True)
        batch.clear()
        return len(fresh)

    for first, second, score in pairs:
        found += 1
        batch[(first, second)] = max(score, batch.get((first, second), 0.0))
        if len(batch) >= WRITE_CHUNK:
            new += flush()
    if batch:
        new += flush()
    return found, new


def find_duplicates() -> FindStats:
    """Look through every published and draft case for possible duplicates; store the new
    pairs. Bounded work (see the module's notes); meant for a command, not a request."""
    stats = FindStats()
    stats.same_source, new_same = _store(_same_source_pairs(), DuplicateReason.SAME_SOURCE)
    stats.similar_title, new_similar = _store(_similar_title_pairs(),
                                              DuplicateReason.SIMILAR_TITLE)
    stats.new = new_same + new_similar
    return stats


MAX_TARGETED = 20_000


def _pairs_citing_sources_of(case_ids: list[int]) -> Iterator[tuple[int, int, float]]:
    for start in range(0, len(case_ids), SQL_CHUNK):
        chunk = case_ids[start:start + SQL_CHUNK]
        urls = sorted(set(Source.objects.filter(case_id__in=chunk, case__status__in=LIVE)
                          .exclude(url="").values_list("url", flat=True)))
        for first in range(0, len(urls), SQL_CHUNK):
            cited = list(Source.objects.filter(url__in=urls[first:first + SQL_CHUNK],
                                               case__status__in=LIVE).order_by()
                         .values("url").annotate(n=Count("case_id", distinct=True))
                         .filter(n__gte=2, n__lte=MAX_CASES_PER_LINK)
                         .values_list("url", flat=True))
            if cited:
                yield from _pairs_citing(cited)


def _similar_title_pairs_of(case_ids: list[int]) -> Iterator[tuple[int, int, float]]:
    targets: dict[int | None, set[int]] = defaultdict(set)
    for start in range(0, len(case_ids), SQL_CHUNK):
        for case_id, year in (_live_cases().filter(pk__in=case_ids[start:start + SQL_CHUNK])
                              .values_list("id", "year")):
            targets[year].add(case_id)
    for year in sorted(targets, key=lambda y: (y is None, y or 0)):
        ids = targets[year]
        window = (_live_cases().filter(year=None) if year is None
                  else _live_cases().filter(year__in=[year - 1, year, year + 1]))
        yield from _similar_pairs_among(_titles(window), ids.__contains__)


def _once(pairs: Iterable[tuple[int, int, float]]) -> Iterator[tuple[int, int, float]]:
    """Each pair once (two of the cases may find it, from their own years or sources)."""
    seen: set[tuple[int, int]] = set()
    for first, second, score in pairs:
        if (first, second) not in seen:
            seen.add((first, second))
            yield first, second, score


def find_duplicates_of(case_ids: Iterable[int]) -> FindStats:
    """Possible duplicates of these cases (the ones an import wrote) among all published and
    draft cases; the new pairs are stored as find_duplicates stores them."""
    ids = sorted(set(case_ids))
    if not ids:
        return FindStats()
    if len(ids) > MAX_TARGETED:
        return find_duplicates()
    stats = FindStats()
    stats.same_source, new_same = _store(_once(_pairs_citing_sources_of(ids)),
                                         DuplicateReason.SAME_SOURCE)
    stats.similar_title, new_similar = _store(_once(_similar_title_pairs_of(ids)),
                                              DuplicateReason.SIMILAR_TITLE)
    stats.new = new_same + new_similar
    return stats


def find_duplicates_since(moment: datetime) -> FindStats:
    """Possible duplicates of the cases written (created or changed) since `moment`: what an
    import runs when it is done."""
    ids = list(Case.objects.filter(updated_at__gte=moment).order_by()
               .values_list("id", flat=True)[:MAX_TARGETED + 1])
    return find_duplicates_of(ids)


JOB_KIND = "duplicates"


def start_search(user: User) -> Job:
    """Start `find_duplicates` as a job, outside the request (the editors' page shows it).
    JobBusy if one is already running."""
    with transaction.atomic():
        job = jobs.create(JOB_KIND, _("Looking for duplicate cases"), user)
        record(user, AuditAction.CREATE, job, "search for duplicate cases started")
    # The process reads the job's row: start it once the row is committed.
    transaction.on_commit(lambda: jobs.launch(job, ["findduplicates"]))
    return job


def recent_searches(limit: int = 3) -> list[Job]:
    return jobs.recent(JOB_KIND, limit)


# --- The editors' list -------------------------------------------------------------------------


def open_suggestions() -> QuerySet[DuplicateSuggestion]:
    """Suggestions waiting for an editor, most alike first; pairs in which a case has since
    been retracted or merged are left out."""
    return (DuplicateSuggestion.objects.filter(status=DuplicateStatus.OPEN,
                                               first__status__in=LIVE, second__status__in=LIVE)
            .select_related("first", "second").order_by("-score", "id"))


def _decide(suggestion: DuplicateSuggestion, user: User, status: str) -> None:
    suggestion.status = status
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def dismiss(suggestion: DuplicateSuggestion, user: User) -> None:
    """These two cases are not duplicates: the pair is never suggested again."""
    locked = DuplicateSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != DuplicateStatus.OPEN:
        raise ValidationError(_("This suggestion was already decided."))
    _decide(locked, user, DuplicateStatus.DISMISSED)
    record(user, AuditAction.DISMISS, locked,
           _("Not duplicates: cases %(a)d and %(b)d") % {"a": locked.first_id,
                                                         "b": locked.second_id},
           {"first": locked.first_id, "second": locked.second_id})


# --- Merging -----------------------------------------------------------------------------------


def _union(kept: list[Any], added: list[Any], key: Callable[[Any], Any]) -> list[Any]:
    seen = {key(item) for item in kept}
    out = list(kept)
    for item in added:
        if key(item) not in seen:
            seen.add(key(item))
            out.append(item)
    return out[:MAX_LIST]


def merged_data(kept: dict[str, Any], duplicate: dict[str, Any]) -> dict[str, Any]:
    """The kept case's data with the duplicate's terms, countries, actors and sources added
    (each list at most MAX_LIST long); its own title, summary, text and date stay, and the
    duplicate's fill them only where the kept case has none."""
    data = dict(kept)
    if not data.get("body"):
        data["body"] = duplicate.get("body") or ""
    if not data.get("date") and not data.get("year"):
        data["date"], data["year"] = duplicate.get("date") or "", duplicate.get("year")
    terms = {key: list(slugs) for key, slugs in kept["terms"].items()}
    for key, slugs in duplicate["terms"].items():
        terms[key] = _union(terms.get(key, []), slugs, lambda s: s)
    data["terms"] = terms
    data["countries"] = sorted(set(kept["countries"]) | set(duplicate["countries"]))[:MAX_LIST]
    data["actors"] = _union(kept["actors"], duplicate["actors"],
                            lambda a: (a["slug"] or a["name"], a["role"]))
    data["sources"] = _union(kept["sources"], duplicate["sources"],
                             lambda s: s["url"] or s["title"])
    return data


@transaction.atomic
def merge_cases(duplicate: Case, kept: Case, user: User) -> Case:
    """Fold `duplicate` into `kept`: its terms, countries, actors, sources and external ids
    move over (a revision of the kept case says so); the duplicate is retracted and its
    address leads to the kept case. Both are audited; the suggestion about the pair, if
    any, is marked merged."""
    if duplicate.pk == kept.pk:
        raise ValidationError(_("A case cannot be merged into itself."))
    locked = {c.pk: c for c in Case.objects.select_for_update().filter(
        pk__in=[duplicate.pk, kept.pk])}
    if len(locked) != 2 or any(c.status not in LIVE for c in locked.values()):
        raise ValidationError(_("Both cases must be published or drafts: one of them was "
                                "retracted or merged already."))
    duplicate, kept = locked[duplicate.pk], locked[kept.pk]

    moved = [e for e in (duplicate.external_id,
                         *duplicate.merged_ids.values_list("external_id", flat=True)) if e]
    data = merged_data(snapshot(kept), snapshot(duplicate))
    CaseExternalId.objects.filter(case=duplicate).update(case=kept)
    if duplicate.external_id:
        external_id, duplicate.external_id = duplicate.external_id, ""
        duplicate.save(update_fields=["external_id"])
        CaseExternalId.objects.create(case=kept, external_id=external_id)
    Case.objects.filter(merged_into=duplicate).update(merged_into=kept)
    duplicate.merged_into = kept
    duplicate.save(update_fields=["merged_into"])

    save_case(data, case=kept, user=user, action=AuditAction.EDIT,
              summary=_("Merged case %(id)d into this one (%(title)s)")
              % {"id": duplicate.pk, "title": duplicate.title})
    save_case({**snapshot(duplicate), "status": CaseStatus.RETRACTED}, case=duplicate, user=user,
              action=AuditAction.RETRACT,
              summary=_("Merged into case %(id)d as a duplicate") % {"id": kept.pk})
    pair = (min(duplicate.pk, kept.pk), max(duplicate.pk, kept.pk))
    for suggestion in DuplicateSuggestion.objects.filter(first_id=pair[0], second_id=pair[1],
                                                         status=DuplicateStatus.OPEN):
        _decide(suggestion, user, DuplicateStatus.MERGED)
    record(user, AuditAction.MERGE_CASES, kept,
           _("Case %(duplicate)d merged into case %(kept)d")
           % {"duplicate": duplicate.pk, "kept": kept.pk},
           {"duplicate": duplicate.pk, "kept": kept.pk, "external_ids": moved})
    return kept


def merge_suggestion(suggestion: DuplicateSuggestion, keep_id: int, user: User) -> Case:
    """Merge the pair of a suggestion, keeping the case `keep_id` (one of the two)."""
    if keep_id not in (suggestion.first_id, suggestion.second_id):
        raise ValidationError(_("Choose one of the two cases to keep."))
    if suggestion.status != DuplicateStatus.OPEN:
        raise ValidationError(_("This suggestion was already decided."))
    kept, duplicate = ((suggestion.first, suggestion.second) if keep_id == suggestion.first_id
                       else (suggestion.second, suggestion.first))
    return merge_cases(duplicate, kept, user)


def redirect_target(case: Case) -> Case | None:
    """Where a merged (retracted) duplicate's address leads: the kept case, if it is public."""
    if case.status != CaseStatus.RETRACTED or case.merged_into_id is None:
        return None
    return Case.objects.filter(pk=case.merged_into_id, status=CaseStatus.PUBLISHED).first()
