"""Measurements that run inside a child process configured for the benchmark's data folder
(`visiblework bench measure ...`): the views timed in-process, page weights, a release
build with its peak memory, and imports. Each returns a JSON-able dict."""

from __future__ import annotations

import gzip
import random
import re
import resource
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.db.models import F

from visiblework.accounts.models import Role, User
from visiblework.cases import facets
from visiblework.cases.editing import save_case, snapshot
from visiblework.cases.importers import AiidImport, CsvImport, load_mapping
from visiblework.cases.models import Actor, Case
from visiblework.insights import budget, engine, releases
from visiblework.insights.models import Release, ReleaseStatus
from visiblework.reports.models import RATING_FIELDS

from .load import percentile
from .scenarios import scenarios

ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def _client():
    from django.test import Client

    # A real host name: the test client's "testserver" is not in ALLOWED_HOSTS.
    return Client(HTTP_HOST="127.0.0.1")


def case_urls(n: int = 50) -> list[str]:

    ids = list(Case.published.order_by("?").values_list("id", "slug")[:n])
    return [f"/cases/{pk}/{slug}/" for pk, slug in ids]


def views(iterations: int, seconds: float) -> dict[str, Any]:
    """Server-side latency of each scenario through the full Django stack (middleware,
    views, templates), in this process, after a warm-up."""
    client = _client()
    out: dict[str, Any] = {}
    started = time.perf_counter()
    client.get("/cases/")  # builds the facet index
    out["index_build_seconds"] = time.perf_counter() - started
    for scenario in scenarios():
        urls = list(scenario.urls) or case_urls()
        if not urls:
            out[scenario.key] = {"error": "no published case"}
            continue
        for url in urls[:5]:  # warm-up
            client.get(url)
        timings: list[float] = []
        errors = 0
        deadline = time.perf_counter() + seconds
        for i in range(iterations):
            if time.perf_counter() > deadline and len(timings) >= 10:
                break
            url = urls[i % len(urls)]
            t0 = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - t0)
            if response.status_code != 200:
                errors += 1
        out[scenario.key] = {"n": len(timings), "errors": errors,
                             "p50": percentile(timings, 50), "p99": percentile(timings, 99),
                             "url": urls[0]}
    return out


def public_pages() -> list[str]:

    pages = [
        "/", "/cases/",
        "/cases/?justice_area=economic-justice&region=global-south&layer=annotation",
        "/cases/?q=workers", "/cases/?facet=actor", "/contribute/", "/reports/new/",
        "/reports/receipt/", "/about/data-use/", "/accounts/signup/", "/accounts/login/",
        "/insights/", "/insights/worth/", "/no-such-page/",
    ]
    case = Case.published.order_by("id").first()
    if case:
        pages.append(case.get_absolute_url())
    actor = (Actor.objects.filter(case_roles__case__status="published").order_by("id").first()
             or Actor.objects.order_by("id").first())
    if actor:
        pages += [actor.get_absolute_url(), f"/scorecards/{actor.slug}/",
                  f"/disclosures/{actor.slug}/"]
    release = Release.objects.filter(status=ReleaseStatus.PUBLISHED).order_by("-id").first()
    if release:
        pages.append(f"/releases/{release.label}/")
    return pages


def weight() -> dict[str, Any]:
    """Bytes transferred by each public page: gzip of its HTML plus each linked stylesheet
    and script (what a browser downloads on a first visit with compression)."""
    from django.contrib.staticfiles import finders

    client = _client()
    pages = []
    for url in public_pages():
        response = client.get(url)
        body = getattr(response, "content", b"")
        total = len(gzip.compress(body))
        assets = []
        for asset in ASSET.findall(body.decode("utf-8", "replace")):
            path = finders.find(asset.split("?")[0].removeprefix("/static/"))
            if path:
                total += len(gzip.compress(Path(path).read_bytes()))
                assets.append(asset)
        pages.append({"url": url, "status": response.status_code, "bytes": total,
                      "assets": assets})
    return {"pages": pages}


def _peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


DEFAULT_DIMENSION_SETS = [
    ("task_type",), ("region",), ("platform",), ("client",), ("country",), ("period",),
    ("task_type", "region"), ("client", "region"), ("platform", "task_type"),
    ("task_type", "region", "period"),
]


def polars_baseline(frame, dimension_sets) -> tuple[float, int]:
    """A plain, non-private group-by with quantiles over the same rows: for each dimension
    set, distinct workers, p25 / median / p75 of the US$ wage, median PPP wage, unpaid share,
    the shares of late pay and harmful content, and the mean of each rating."""
    import polars as pl


    started = time.perf_counter()
    cells = 0
    for dims in dimension_sets:
        result = frame.group_by(list(dims)).agg(
            pl.col("worker").n_unique().alias("workers"),
            pl.col("effective_hourly_usd").quantile(0.25).alias("p25"),
            pl.col("effective_hourly_usd").median().alias("median"),
            pl.col("effective_hourly_usd").quantile(0.75).alias("p75"),
            pl.col("effective_hourly_ppp").median().alias("median_ppp"),
            (pl.col("unpaid_hours").sum() / pl.col("hours").sum()).alias("unpaid_share"),
            pl.col("late_or_missing").mean(), pl.col("harmful").mean(),
            *[pl.col(name).mean() for name in RATING_FIELDS])
        cells += result.height
    return time.perf_counter() - started, cells


def release(label: str) -> dict[str, Any]:
    """Build (and publish) a release end to end from the reports in the database, timing
    its parts; then, in the same process and on the same rows (read again, so that the
    build's peak memory is its own), the Polars baseline."""

    out: dict[str, Any] = {"available": True}
    timings: dict[str, float] = {}
    captured: dict[str, Any] = {}
    original_frame = releases.report_frame

    def timed_frame(cutoff, *args, **kwargs):
        t0 = time.perf_counter()
        frame = original_frame(cutoff, *args, **kwargs)
        timings["frame"] = time.perf_counter() - t0
        captured["frame_args"] = (cutoff, args, kwargs)
        return frame

    releases.report_frame = timed_frame

    original_ledger = {"leave_out_spent": budget.leave_out_spent, "charge": budget.charge}
    timings["ledger"] = 0.0

    def timed_ledger(name):
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original_ledger[name](*args, **kwargs)
            finally:
                timings["ledger"] += time.perf_counter() - t0
        return timed

    for name in original_ledger:
        setattr(budget, name, timed_ledger(name))
    try:
        if engine is not None:
            original_build = engine.compute_release
            original_prepare = engine.prepare_release
            timings["engine"] = 0.0

            def timed_prepare(frame, params):
                t0 = time.perf_counter()
                prepared = original_prepare(frame, params)
                timings["engine"] += time.perf_counter() - t0
                return prepared

            def timed_build(frame, params, progress=None):
                t0 = time.perf_counter()
                result = original_build(frame, params, progress=progress)
                timings["engine"] += time.perf_counter() - t0
                captured["dimension_sets"] = getattr(params, "dimension_sets", None)
                return result

            engine.compute_release = timed_build
            engine.prepare_release = timed_prepare
            try:
                t0 = time.perf_counter()
                built = releases.build_release(label, epsilon=1.0, delta=1e-6, k=5)
                timings["total"] = time.perf_counter() - t0
                releases.publish(built)
                out["cells"] = built.cells.count()
            except Exception as exc:
                out.update(available=False, reason=f"{type(exc).__name__}: {exc}")
            finally:
                engine.compute_release = original_build
                engine.prepare_release = original_prepare
        out["peak_rss"] = _peak_rss()
        if "frame_args" in captured:  # the build's own rows, read again
            cutoff, args, kwargs = captured["frame_args"]
            frame = original_frame(cutoff, *args, **kwargs)
        else:
            from django.utils import timezone

            t0 = time.perf_counter()
            frame = original_frame(timezone.now().date())
            timings["frame"] = time.perf_counter() - t0
    finally:
        releases.report_frame = original_frame
        for name, function in original_ledger.items():
            setattr(budget, name, function)
    out["rows"] = frame.height
    dimension_sets = captured.get("dimension_sets") or getattr(engine, "DIMENSION_SETS", None) \
        or DEFAULT_DIMENSION_SETS
    dimension_sets = [tuple(d) if not isinstance(d, str) else (d,) for d in dimension_sets]
    dimension_sets = [d for d in dimension_sets if all(c in frame.columns for c in d)]
    baseline, cells = polars_baseline(frame, dimension_sets)
    out.update(timings={**timings, "baseline": baseline}, baseline_cells=cells,
               dimension_sets=[list(d) for d in dimension_sets])
    return out


def import_aiid(directory: str, limit: int | None) -> dict[str, Any]:

    job = AiidImport(directory, limit=limit)
    t0 = time.perf_counter()
    stats = job.run()
    seconds = time.perf_counter() - t0
    return {"rows": stats.rows, "created": stats.created, "skipped": stats.skipped,
            "seconds": seconds, "rows_per_second": stats.rows / seconds if seconds else 0.0}


def import_csv(path: str, mapping_path: str) -> dict[str, Any]:

    job = CsvImport(path, load_mapping(mapping_path))
    t0 = time.perf_counter()
    stats = job.run()
    seconds = time.perf_counter() - t0
    return {"rows": stats.rows, "created": stats.created, "skipped": stats.skipped,
            "seconds": seconds, "rows_per_second": stats.rows / seconds if seconds else 0.0}


def _timed_get(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def writes(iterations: int) -> dict[str, Any]:
    """The browse page in this process, first views (run with the page cache off): unchanged,
    then right after each of `iterations` writes to one case (an edit of its text; a change of
    its year, which moves it in browse order), and the time of a full index rebuild."""
    client = _client()
    url = "/cases/"
    client.get(url)  # builds the facet index
    rng = random.Random(1)
    ids = list(Case.published.order_by("id").values_list("id", flat=True)[:5000])
    # A first write: a data folder made before change rows existed makes its first follow a
    # rebuild.
    Case.objects.get(pk=ids[0]).save()
    client.get(url)
    unchanged = [_timed_get(client, url) for _i in range(iterations)]
    edited: list[float] = []
    moved: list[float] = []
    for _i in range(iterations):
        case = Case.objects.get(pk=rng.choice(ids))
        case.summary = f"{case.summary} "
        case.save()
        edited.append(_timed_get(client, url))
        case = Case.objects.get(pk=rng.choice(ids))
        # always another year: the data folder is reused, and a year set by an earlier
        # run would make the write an edit in place
        case.year = rng.choice([year for year in (2001, 2011, 2021) if year != case.year])
        case.save()
        moved.append(_timed_get(client, url))
    started = time.perf_counter()
    facets._build(facets.current_version())
    rebuild = time.perf_counter() - started
    return {"unchanged_p50": percentile(unchanged, 50), "edited_p50": percentile(edited, 50),
            "edited_max": max(edited), "moved_p50": percentile(moved, 50),
            "moved_max": max(moved), "rebuild_seconds": rebuild, "iterations": iterations}


def edit_stream(seconds: float) -> dict[str, Any]:
    """Edit one published case a second for `seconds` (the writer beside a load test), as an
    editor's form does: the case's record, its summary changed, saved with a revision and an
    audit entry in one transaction. A save that fails ("database is locked" when SQLite's
    write lock stayed taken past the timeout) is counted, not fatal; each save's time
    includes its wait for the lock."""
    rng = random.Random(2)
    ids = list(Case.published.order_by("id").values_list("id", flat=True)[:5000])
    deadline = time.monotonic() + seconds
    saves: list[float] = []
    failed = 0
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            case = Case.objects.get(pk=rng.choice(ids))
            data = snapshot(case)
            data["summary"] = f"{data['summary'].removesuffix(' (edited)')} (edited)" \
                if rng.random() < 0.5 else data["summary"].removesuffix(" (edited)")
            save_case(data, case=case, user=None, label="benchmark", summary="benchmark edit")
        except OperationalError:
            failed += 1
        else:
            saves.append(time.perf_counter() - started)
        time.sleep(max(0.0, 1.0 - (time.monotonic() % 1.0)))
    return {"edits": len(saves), "failed": failed,
            "save_max": max(saves) if saves else None}


def editor_session(n: int) -> dict[str, Any]:
    """A signed-in editor for the two-server benchmark (a session row, as signing in makes),
    and the `n` newest published cases, which it retracts one by one through a server."""

    user, created = User.objects.get_or_create(username="bench-editor",
                                               defaults={"role": Role.EDITOR})
    if created:
        user.set_unusable_password()
        user.save()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cases = list(Case.published.order_by(F("year").desc(nulls_last=True), "-id")
                 .values_list("id", "slug")[:n])
    return {"cookie": settings.SESSION_COOKIE_NAME, "session": session.session_key,
            "cases": cases}
