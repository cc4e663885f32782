"""Suggested citations of a case: a sentence in the reader's language, BibTeX (with the
case's own date and the day it was read, `urldate`), CSL-JSON and RIS; and the BibTeX and RIS
files of one case or of a list of cases (the browse page's matches, bounded)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol

from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from visiblework.core import formats

MAX_CITED = 1000  # cases in one citation file of a list
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class Citable(Protocol):
    """A Case or a cases.rows.CaseRow."""

    @property
    def pk(self) -> int: ...
    title: str
    summary: str
    year: int | None
    date: str
    updated_at: datetime | None


def _bibtex_escape(text: str) -> str:
    out = []
    for char in text:
        if char in "{}\\":
            out.append("\\" + char if char != "\\" else "\\textbackslash{}")
        elif char in "&%$#_":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _parts(case: Citable) -> list[int]:
    """The case's date as [year, month, day], as precise as the data is ([] if unknown)."""
    if case.date:
        try:
            return [int(p) for p in case.date.split("-")]
        except ValueError:
            pass
    return [case.year] if case.year else []


def _updated(case: Citable, accessed: date) -> date:
    return case.updated_at.date() if case.updated_at else accessed


def _sentence(case: Citable, url: str, accessed: date, *, html: bool) -> str:
    when = formats.when(case.date) if case.date else (str(case.year) if case.year else gettext("n.d."))
    pattern = gettext("%(site)s. “%(title)s.” Case %(id)s, %(when)s. Last updated %(updated)s. "
                      "%(url)s (accessed %(accessed)s).")
    values = {"site": settings.VISIBLEWORK_SITE_NAME, "title": case.title, "id": case.pk,
              "when": when, "updated": formats.when(_updated(case, accessed)), "url": url,
              "accessed": formats.when(accessed)}
    if not html:
        return pattern % values
    # Names in another script keep their own direction inside the sentence (right to left).
    isolated = {key: format_html("<bdi>{}</bdi>", value) if key in ("site", "title", "url")
                else conditional_escape(value) for key, value in values.items()}
    return mark_safe(conditional_escape(pattern) % isolated)  # noqa: S308  (every part escaped)


def plain(case: Citable, url: str, accessed: date) -> str:
    """The citation as a sentence, in the reader's language."""
    return _sentence(case, url, accessed, html=False)


def plain_html(case: Citable, url: str, accessed: date) -> str:
    """The same sentence for a page: escaped, with the site's name, the title and the address
    isolated, so that on an Arabic page an English title keeps its quotation marks."""
    return _sentence(case, url, accessed, html=True)


def bibtex(case: Citable, url: str, accessed: date) -> str:
    """A biblatex/BibTeX @misc entry: `year` (and `month`, `date`) are the case's own; `urldate`
    is the day it was read; the last update goes in the note."""
    site = settings.VISIBLEWORK_SITE_NAME
    parts = _parts(case)
    lines = [f"@misc{{visiblework-case-{case.pk},",
             f"  title = {{{_bibtex_escape(_one_line(case.title))}}},",
             f"  author = {{{{{_bibtex_escape(site)}}}}},"]
    if parts:
        lines.append(f"  year = {{{parts[0]}}},")
        if len(parts) > 1:
            lines.append(f"  month = {BIBTEX_MONTHS[parts[1] - 1]},")
        lines.append(f"  date = {{{case.date or parts[0]}}},")
    lines += [f"  howpublished = {{\\url{{{url}}}}},",
              f"  url = {{{url}}},",
              f"  urldate = {{{accessed.isoformat()}}},",
              f"  note = {{Case {case.pk}; last updated {_updated(case, accessed).isoformat()}}}",
              "}"]
    return "\n".join(lines)


def csl(case: Citable, url: str, accessed: date) -> str:
    """CSL-JSON: issued is the case's own date, accessed the day it was read."""
    site = settings.VISIBLEWORK_SITE_NAME
    data: dict[str, object] = {
        "id": f"visiblework-case-{case.pk}",
        "type": "webpage",
        "title": case.title,
        "container-title": site,
        "author": [{"literal": site}],
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "URL": url,
        "number": str(case.pk),
    }
    parts = _parts(case)
    if parts:
        data["issued"] = {"date-parts": [parts]}
    return json.dumps(data, ensure_ascii=False, indent=2)


def ris(case: Citable, url: str, accessed: date) -> str:
    """An RIS record (Zotero, EndNote, Mendeley): ELEC, with the case's date (DA), the year
    (PY) and the access date (Y2)."""
    site = settings.VISIBLEWORK_SITE_NAME
    parts = _parts(case)
    lines = ["TY  - ELEC", f"ID  - visiblework-case-{case.pk}", f"TI  - {_one_line(case.title)}",
             f"AU  - {site}", f"PB  - {site}"]
    if parts:
        lines.append(f"PY  - {parts[0]}")
        padded = [f"{parts[0]:04d}"] + [f"{p:02d}" for p in parts[1:]] + [""] * (3 - len(parts))
        lines.append(f"DA  - {'/'.join(padded)}/")
    if case.summary:
        lines.append(f"AB  - {_one_line(case.summary)}")
    lines += [f"UR  - {url}", f"Y2  - {accessed.strftime('%Y/%m/%d')}",
              f"N1  - Case {case.pk}; last updated {_updated(case, accessed).isoformat()}",
              "ER  - "]
    return "\r\n".join(lines) + "\r\n"


def all_formats(case: Citable, url: str, accessed: date) -> dict[str, str]:
    """The citations the case page shows."""
    return {"plain": plain_html(case, url, accessed), "bibtex": bibtex(case, url, accessed),
            "csl": csl(case, url, accessed), "ris": ris(case, url, accessed)}


def bibtex_file(cases: Iterable[tuple[Citable, str]], accessed: date) -> str:
    return "\n\n".join(bibtex(case, url, accessed) for case, url in cases) + "\n"


def ris_file(cases: Iterable[tuple[Citable, str]], accessed: date) -> str:
    return "\r\n".join(ris(case, url, accessed) for case, url in cases)
