"""Cleaning the text of untrusted cells: line ends, control characters and bidirectional
overrides; one-line values, list cells, slugs, and cell values quoted in messages."""

from __future__ import annotations

import hashlib
import re

from django.utils.text import slugify

SHOWN_VALUE = 60  # characters of a cell quoted in a message


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"\s+")


def clean_text(value: str) -> str:
    """Normalise line ends and drop control characters (and bidirectional overrides, which
    can make text display as something else). HTML is kept as text: pages escape it."""
    if value.isprintable():  # no line end, control character or override: most cells
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def one_line(value: str) -> str:
    if value.isprintable() and "  " not in value:  # nothing to clean or to join
        return value.strip()
    return _SPACES.sub(" ", clean_text(value)).strip()


def shown(value: str, limit: int = SHOWN_VALUE) -> str:
    """A cell value quoted in a message: one line, printable, cut short."""
    text = one_line(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def split_list(value: str, separator: str) -> list[str]:
    """The distinct non-empty items of a list cell, in order."""
    parts = value.split(separator) if separator else [value]
    return list(dict.fromkeys(p for p in (one_line(x) for x in parts) if p))


def make_slug(value: str, max_length: int = 100) -> str:
    slug = slugify(value)[:max_length].strip("-")
    if not slug:  # nothing Latin in it: a stable slug from a hash
        slug = "t-" + hashlib.sha256(value.encode()).hexdigest()[:12]
    return slug
