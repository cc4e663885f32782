"""The demo's voice content: organisations that help, two demands (one past its threshold,
one below it), one closed consultation, privacy contacts for every law's letters. Each part's
seed lives in its own module; this runs them in order. Idempotent."""

from __future__ import annotations

from collections.abc import Callable

from visiblework.reports import demo_replies

from . import demo_consultations, demo_demands, demo_help, demo_rights

PARTS: list[Callable[[], str | None]] = [
    demo_help.seed,
    demo_rights.seed,
    demo_replies.seed,
    demo_demands.seed,
    demo_consultations.seed,
]


def seed_voice() -> list[str]:
    """Run every part's seed; return one line per part that did something."""
    lines = []
    for part in PARTS:
        line = part()
        if line:
            lines.append(line)
    return lines
