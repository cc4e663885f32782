"""Template tags for the catalogue's long lists: the facet values of the browse page and the
case items of every list. They are written in Python because a page repeats them some 70 and
20 times: as template markup they were two thirds of the browse page's rendering time."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from visiblework.core import formats
from visiblework.core.querylinks import QueryLinks

register = template.Library()

_SELECTED = ' aria-current="true" class="on"'
_TICK = '<span aria-hidden="true">✓ </span>'
SUMMARY_WORDS = 40


@lru_cache(maxsize=8192)
def _count(language: str, n: int) -> str:
    """A count in the reader's language ("1,234", "1 234"); Babel takes 25 µs a number and a
    page shows some 70 of them, mostly the same from page to page."""
    return formats.number(n, language=language)


@lru_cache(maxsize=4096)
def _term_name(language: str, name: str) -> str:
    """A term's name in the reader's language, escaped: the same few hundred names come back
    on every list page (some 140 gettext calls a page)."""
    return escape(gettext(name))


@register.simple_tag
def facet_values(values: list[dict]) -> SafeString:
    """The <li> links of one facet: each adds or removes its value; the selected ones are
    marked for sight (a tick) and for screen readers (aria-current). Every value is escaped
    here (hrefs are built from percent-encoded parts, labels are text)."""
    language = get_language() or "en"
    items = []
    for v in values:
        selected, tick = (_SELECTED, _TICK) if v["selected"] else ("", "")
        items.append(f'<li><a href="{escape(v["href"])}"{selected}>{tick}{escape(str(v["label"]))}</a> '
                     f'<span class="count">{_count(language, int(v["count"]))}</span></li>')
    return mark_safe("\n".join(items))  # noqa: S308 - built from escaped values only


@lru_cache(maxsize=4096)
def _when(language: str, day: str) -> str:
    return escape(formats.when(day, language=language))


@register.filter
def case_period(case) -> str:
    """When a case happened, as exactly as the data says: "7 May 2019", "May 2019", "2019",
    "May 2019–2021" (a Case or a cases.rows.CaseRow)."""
    language = get_language() or "en"
    if not case.date:
        if case.year is None:
            return ""
        span = case.year_end and case.year_end != case.year
        return f"{case.year}\u2013{case.year_end}" if span else str(case.year)
    start = _when(language, case.date)
    if case.year_end and case.year_end != case.year:
        return f"{start}\u2013{case.year_end}"
    return start


@register.simple_tag
def case_item(case, snippet: str | None = None) -> SafeString:
    """One case in a list (a cases.rows.CaseRow): title, date and first three actors, the
    search snippet (already escaped, with <mark>) or the first 40 words of the summary, and
    its terms in the reader's language. Every value is escaped here. What users wrote (title,
    summary, actors' names) is isolated with dir="auto": in an Arabic page an English title
    keeps its full stop at its end."""
    period = case_period(case)
    year = f'<time datetime="{escape(case.date)}">{period}</time>' if case.date else (
        f"<span>{period}</span>" if period else "")
    actors = "".join(f' · <span dir="auto">{escape(a.name)}</span>' for a in case.actors[:3])
    if snippet:
        text = f'<p class="snippet" dir="auto">{snippet}</p>'
    else:
        words = case.summary.split()
        summary = " ".join(words[:SUMMARY_WORDS]) + (" …" if len(words) > SUMMARY_WORDS else "")
        text = f'<p dir="auto">{escape(summary)}</p>'
    language = get_language() or "en"
    tags = "".join(f"<li>{_term_name(language, t.name)}</li>" for t in case.terms)
    return mark_safe(  # noqa: S308 - built from escaped values only
        f'<article class="case-item">\n  <h3 dir="auto"><a href="{escape(case.get_absolute_url())}">'
        f"{escape(case.title)}</a></h3>\n  <p class=\"meta\">{year}{actors}</p>\n  {text}\n"
        f'  <ul class="tags">{tags}</ul>\n</article>')


@register.simple_tag(takes_context=True)
def timeline_rows(context, rows: list[tuple[int, int]]) -> SafeString:
    """The rows of the timeline's table: each year links to the same address with that year
    (as `{% query_set 'year' year %}` would: the other parameters kept, in order) and gives its
    count. Written in Python: a timeline has up to a few dozen years, each a link."""
    language = get_language() or "en"
    links = QueryLinks(context["request"].GET, drop=())
    return mark_safe("".join(  # noqa: S308 - built from escaped values only
        f'<tr><th scope="row"><a href="{escape(links.replace("year", str(year)))}">{year}</a>'
        f"</th><td>{_count(language, int(count))}</td></tr>" for year, count in rows))
