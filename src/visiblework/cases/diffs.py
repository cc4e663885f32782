"""Side-by-side, word-level differences between two versions of a case (as case data)."""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

FIELDS = [
    ("title", _("Title")), ("year", _("Year")), ("year_end", _("Last year")),
    ("date", _("Date")), ("status", _("Status")),
    ("summary", _("Summary")), ("body", _("Text")), ("terms", _("Terms")),
    ("countries", _("Countries")), ("actors", _("Actors")), ("sources", _("Sources")),
]
_TOKEN = re.compile(r"\s+|[^\s]+")
MAX_DIFF_CHARS = 200_000


@dataclass
class FieldDiff:
    field: str
    label: str
    before: SafeString
    after: SafeString
    changed: bool


def as_text(data: dict[str, Any] | None, field: str) -> str:
    if not data:
        return ""
    value = data.get(field)
    if field == "terms":
        return "\n".join(f"{key}: {', '.join(slugs)}" for key, slugs in sorted((value or {}).items()))
    if field == "countries":
        return ", ".join(value or [])
    if field == "actors":
        return "\n".join(f"{a['name']} ({a['role']})" for a in value or [])
    if field == "sources":
        return "\n".join(" · ".join(filter(None, [s.get("title"), s.get("publisher"),
                                                  s.get("date"), s.get("url")]))
                         for s in value or [])
    return "" if value is None else str(value)


def _word_diff(before: str, after: str) -> tuple[str, str]:
    a, b = _TOKEN.findall(before[:MAX_DIFF_CHARS]), _TOKEN.findall(after[:MAX_DIFF_CHARS])
    left, right = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = html.escape("".join(a[i1:i2])), html.escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old)
            right.append(new)
        else:
            if old:
                left.append(f"<del>{old}</del>")
            if new:
                right.append(f"<ins>{new}</ins>")
    return "".join(left), "".join(right)


def diff_case_data(before: dict[str, Any] | None, after: dict[str, Any]) -> list[FieldDiff]:
    return diff_texts([(field, str(label), as_text(before, field), as_text(after, field))
                       for field, label in FIELDS])


def diff_texts(rows: list[tuple[str, str, str, str]]) -> list[FieldDiff]:
    """Word-level differences of (field, label, before, after) texts: any record's fields."""
    out = []
    for field, label, old, new in rows:
        left, right = _word_diff(old, new)
        out.append(FieldDiff(field, label, mark_safe(left), mark_safe(right),  # noqa: S308
                             old != new))
    return out
