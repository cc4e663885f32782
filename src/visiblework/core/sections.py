"""Pages that apps on higher floors add to: an app shows, on a page it owns, the sections
that the site's settings list for that page, in order (like MIDDLEWARE). The actor page
(cases) shows what workers say (insights, reports); a worker's own page (accounts) shows
their reports (reports). So every URL keeps one owner and no app imports a floor above it:
the settings, on the top floor, wire the sections in.

A section function takes the page's arguments and returns a `Section` (a template and its
context) or None when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@cache
def _function(path: str) -> Callable[..., Section | None]:
    return import_string(path)


def sections(page: str, *args: Any) -> list[Section]:
    """The sections of `page` (a key of settings.VISIBLEWORK_PAGE_SECTIONS), in order."""
    out = []
    for path in settings.VISIBLEWORK_PAGE_SECTIONS.get(page, ()):
        section = _function(path)(*args)
        if section is not None:
            out.append(section)
    return out
