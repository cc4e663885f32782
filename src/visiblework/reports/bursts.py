"""Bursts: many reports without an account about the same organisation and country in a
short time.

One person can send many anonymous reports (docs/privacy-method.md, "Threat model"). The
differential privacy of releases still protects every real worker, but such a burst can
make up a cohort or drown the words of real workers, so editors are told: an anonymous report
that arrives when more than VISIBLEWORK_BURST_REPORTS anonymous reports about the same
platform (or client) and country came in on the same or the previous UTC day is marked
`burst`, and so are the pending ones among the anonymous reports about them that came just
before it. The review queue shows the mark, and an editor must confirm having looked at the
burst before publishing the words of such a report.

The counts are kept in `BurstCount`: one number per organisation and country (as a hash)
and UTC day, never an address, a report id or a time of day; rows older than yesterday are
deleted. They are written in the report's own transaction: two statements, no write of its
own (on SQLite every separate write waits for the one write lock).
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from .models import BurstCount, Report, ReportStatus

_purged_on: datetime.date | None = None  # the day this process last deleted old counts


def _keys(report: Report) -> list[str]:
    names = []
    if report.platform_id or report.platform_name:
        names.append(f"p{report.platform_id}" if report.platform_id
                     else f"n{report.platform_name.strip().lower()}")
    if report.client_id:
        names.append(f"c{report.client_id}")
    return [hashlib.sha256(f"burst|{n}|{report.country}".encode()).hexdigest() for n in names]


def count_anonymous(report: Report) -> tuple[bool, bool]:
    """Count a new anonymous report, inside the transaction that stores it and before it is
    saved: (in a burst, the burst starts with it). When a burst starts, the reports that
    made it are marked too (`mark_the_rest`)."""
    limit = settings.VISIBLEWORK_BURST_REPORTS
    if report.worker_id or limit <= 0:
        return False, False
    today = timezone.now().date()
    _purge_old_counts(today)
    qn = connection.ops.quote_name
    table, key_, day, count = (qn(BurstCount._meta.db_table), qn("key"), qn("day"), qn("count"))
    upsert = (f"INSERT INTO {table} ({key_}, {day}, {count}) VALUES (%s, %s, 1)"  # noqa: S608
              f" ON CONFLICT ({key_}, {day}) DO UPDATE SET {count} = {table}.{count} + 1")
    total = f"SELECT SUM({count}) FROM {table} WHERE {key_} = %s AND {day} >= %s"  # noqa: S608
    counts = []
    with connection.cursor() as cursor:
        for key in _keys(report):
            cursor.execute(upsert, [key, connection.ops.adapt_datefield_value(today)])
            cursor.execute(total, [key, connection.ops.adapt_datefield_value(
                today - datetime.timedelta(days=1))])
            counts.append(int(cursor.fetchone()[0] or 0))
    return any(c > limit for c in counts), any(c == limit + 1 for c in counts)


def _purge_old_counts(today: datetime.date) -> None:
    """Delete the counts of days before yesterday, once a day per process."""
    global _purged_on
    if _purged_on == today:
        return
    BurstCount.objects.filter(day__lt=today - datetime.timedelta(days=1)).delete()
    _purged_on = today


def mark_the_rest(report: Report) -> int:
    """Mark the reports that made the burst: the VISIBLEWORK_BURST_REPORTS anonymous reports
    about the same organisations and country that came last before this one (the ones the
    day's counts hold; ids are private and only order the rows), if still pending."""
    about = Q()
    if report.platform_id:
        about |= Q(platform_id=report.platform_id)
    elif report.platform_name:
        about |= Q(platform_name=report.platform_name)
    if report.client_id:
        about |= Q(client_id=report.client_id)
    if not about:
        return 0
    earlier = list(Report.objects.filter(about, worker__isnull=True, country=report.country,
                                         pk__lt=report.pk)
                   .order_by("-pk").values_list("pk", flat=True)
                   [:settings.VISIBLEWORK_BURST_REPORTS])
    return Report.objects.filter(pk__in=earlier, status=ReportStatus.PENDING).update(burst=True)
