"""Bursts: many reports without an account about the same organisation and country in a
short time.

One person can send many anonymous reports (docs/privacy-method.md, "Threat model"). The
differential privacy of releases still protects every real worker, but such a burst can
make up a cohort or drown the words of real workers, so editors are told: every anonymous
report that arrives while more than VISIBLEWORK_BURST_REPORTS anonymous reports about the
same platform (or client) and country came in during the last VISIBLEWORK_BURST_HOURS is
marked `burst`, and so are the other pending anonymous reports about them received this
month. The review queue shows the mark, and an editor must confirm having looked at the
burst before publishing the words of such a report.

The counters live in the shared cache with the window's life: one number per organisation
and country, never an address, a report id or a time.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from .models import Report, ReportStatus


def _keys(report: Report) -> list[str]:
    names = []
    if report.platform_id or report.platform_name:
        names.append(f"p{report.platform_id}" if report.platform_id
                     else f"n{report.platform_name.strip().lower()}")
    if report.client_id:
        names.append(f"c{report.client_id}")
    return [f"burst:{hashlib.sha256(f'{n}|{report.country}'.encode()).hexdigest()[:32]}"
            for n in names]


def _count(key: str, window: int) -> int:
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def count_anonymous(report: Report) -> tuple[bool, bool]:
    """Count a new anonymous report (call before saving it): (in a burst, the burst starts
    with it). When it starts, the reports that made it are marked too (`mark_the_rest`)."""
    limit = settings.VISIBLEWORK_BURST_REPORTS
    if report.worker_id or limit <= 0:
        return False, False
    window = settings.VISIBLEWORK_BURST_HOURS * 3600
    counts = [_count(key, window) for key in _keys(report)]
    return any(c > limit for c in counts), any(c == limit + 1 for c in counts)


def mark_the_rest(report: Report) -> int:
    """Mark the other pending anonymous reports about the same organisations and country
    received this month (the reports that made the burst)."""
    about = Q()
    if report.platform_id:
        about |= Q(platform_id=report.platform_id)
    elif report.platform_name:
        about |= Q(platform_name=report.platform_name)
    if report.client_id:
        about |= Q(client_id=report.client_id)
    if not about:
        return 0
    return (Report.objects.filter(about, worker__isnull=True, country=report.country,
                                  received_month=report.received_month,
                                  status=ReportStatus.PENDING, burst=False)
            .exclude(pk=report.pk).update(burst=True))
