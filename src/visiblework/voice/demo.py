"""The demo's voice content: organisations that help, two demands (one past its threshold,
one below it), one closed consultation, privacy contacts for every law's letters. Each part's
seed lives in its own module; this runs them in order. Idempotent."""

from __future__ import annotations

from collections.abc import Callable

from visiblework.reports import demo_replies

PARTS: list[Callable[[], str | None]] = [demo_replies.seed]


def seed_voice() -> list[str]:
    """Run every part's seed; return one line per part that did something."""
    lines = []
    for part in PARTS:
        line = part()
        if line:
            lines.append(line)
    return lines
