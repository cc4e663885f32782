"""`visiblework bench generate ...` and `visiblework bench run [--quick]`: the benchmark suite.

A thin wrapper: the work is in visiblework.benchmarks (see docs/performance.md).
`visiblework bench measure ...` is the internal step `bench run` starts in child processes.
"""

from __future__ import annotations

import json
import subprocess  # noqa: S404 - re-runs this same command in another data folder
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from visiblework.benchmarks import measure
from visiblework.benchmarks.generate import generate
from visiblework.benchmarks.load import child_env, visiblework_command
from visiblework.benchmarks.run import FULL, GROUPS, QUICK, Options, Runner
from visiblework.benchmarks.table import render
from visiblework.cases.models import Case
from visiblework.core.formats import join, number
from visiblework.reports.models import Report

MEASURES = ("views", "weight", "release", "import-aiid", "import-csv", "writes", "edit-stream",
            "editor-session")


class Command(BaseCommand):
    help = gettext_lazy(
        "Benchmarks. `bench generate --cases N --reports M --seed S [--into DIR]` writes "
        "deterministic synthetic data; `bench run [--quick]` measures the site against its "
        "targets and Datasette and writes bench/results/<date>.md. See docs/performance.md.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{generate,run}",
                                    title=gettext_lazy("what to do"))
        gen = sub.add_parser("generate", help=gettext_lazy("write synthetic cases and reports"))
        gen.add_argument("--cases", type=int, default=2000, help=gettext_lazy(
            "how many cases (default 2,000)"))
        gen.add_argument("--reports", type=int, default=20000, help=gettext_lazy(
            "how many worker reports (default 20,000)"))
        gen.add_argument("--seed", type=int, default=1, help=gettext_lazy(
            "the same seed and sizes give the same data (default 1)"))
        gen.add_argument("--into", help=gettext_lazy(
            "a data folder to create and fill (a new SQLite database there) instead of the "
            "configured database"))
        gen.add_argument("--force", action="store_true", help=gettext_lazy(
            "write even into a database that holds real cases or reports"))
        gen.add_argument("--no-progress", action="store_true",
                         help=gettext_lazy("do not show progress bars"))
        gen.add_argument("--json-out", help="(internal) write the statistics as JSON to this file")

        run = sub.add_parser("run", help=gettext_lazy("measure and print the results table"))
        run.add_argument("--quick", action="store_true", help=gettext_lazy(
            "small sizes, under two minutes: a smoke test for CI"))
        run.add_argument("--workdir", help=gettext_lazy(
            "folder for the generated data and logs (kept; data is reused when the sizes match); "
            "default: a temporary folder, removed afterwards"))
        run.add_argument("--keep", action="store_true",
                         help=gettext_lazy("keep the temporary work folder"))
        run.add_argument("--postgres", metavar="URL", help=gettext_lazy(
            "a PostgreSQL server (postgres://...) on which to create temporary databases for the "
            "intake and two-server benchmarks"))
        run.add_argument("--datasette", help=gettext_lazy(
            "the datasette command to compare with (default: `datasette` on PATH)"))
        run.add_argument("--aiid", help=gettext_lazy(
            "an AI Incident Database snapshot folder (default: ../shared/data/aiid_snapshot)"))
        run.add_argument("--output", help=gettext_lazy(
            "the results file (default: bench/results/<date>.md in the current folder)"))
        run.add_argument("--seed", type=int, default=1)
        run.add_argument("--only", help=gettext_lazy(
            "comma-separated parts to run: views, http, writes, servers, release, weight, intake, "
            "imports"))
        # The sizes in the help come from the run's own tables, so they cannot drift.
        for name, field, help_text in (
            ("cases", "cases", _("cases to generate (full: %(full)s; quick: %(quick)s)")),
            ("reports", "reports", _("reports to generate (full: %(full)s; quick: %(quick)s)")),
            ("csv-rows", "csv_rows",
             _("rows of the CSV import (full: %(full)s; quick: %(quick)s)")),
            ("intake-clients", "intake_clients",
             _("concurrent intake clients (full: %(full)s; quick: %(quick)s)")),
            ("release-reports", "release_reports", _(
                "reports of the release benchmark's own data, in WORKDIR/release-N "
                "(full: %(full)s; quick: %(quick)s)")),
            ("intake-seconds", "intake_seconds",
             _("intake duration in seconds (full: %(full)s; quick: %(quick)s)")),
            ("http-seconds", "http_seconds",
             _("load duration per URL in seconds (full: %(full)s; quick: %(quick)s)")),
        ):
            run.add_argument(f"--{name}", type=float if name.endswith("seconds") else int,
                             help=help_text % {"full": number(getattr(FULL, field)),
                                               "quick": number(getattr(QUICK, field))})

        measure = sub.add_parser("measure", help=gettext_lazy("(internal) one measurement"))
        measure.add_argument("what", choices=MEASURES)
        measure.add_argument("--out", required=True)
        measure.add_argument("--iterations", type=int, default=100)
        measure.add_argument("--seconds", type=float, default=10.0)
        measure.add_argument("--label", default="bench")
        measure.add_argument("--dir")
        measure.add_argument("--limit", type=int)
        measure.add_argument("--csv")
        measure.add_argument("--mapping")

    def handle(self, *args, action, **options):
        if action == "generate":
            self.generate(**options)
        elif action == "run":
            self.run(**options)
        else:
            self.measure(**options)

    # --- generate --------------------------------------------------------------------------

    def generate(self, *, cases, reports, seed, into, force, no_progress, json_out, **options):
        if cases < 0 or reports < 0:
            raise CommandError(_("--cases and --reports cannot be negative"))
        if into:
            self._generate_into(Path(into), cases, reports, seed, no_progress, json_out)
            return
        if "reports_report" not in connection.introspection.table_names():
            raise CommandError(_("The database has no tables yet: run `visiblework migrate` first, "
                                 "or use --into DIR."))
        throwaway = not _holds_real_data()
        if not force and not throwaway:
            raise CommandError(_("This database holds real cases or reports, and synthetic data "
                                 "would mix with them. Use --into DIR for a separate data "
                                 "folder, or --force."))

        if no_progress:
            stats = generate(cases=cases, reports=reports, seed=seed, throwaway=throwaway)
        else:
            stats = self._with_progress(cases, reports, seed, throwaway)
        if json_out:
            Path(json_out).write_text(json.dumps(stats.as_dict()))
        made = [
            ngettext("%(n)s case", "%(n)s cases", stats.cases) % {"n": number(stats.cases)},
            ngettext("%(n)s actor", "%(n)s actors", stats.actors) % {"n": number(stats.actors)},
            ngettext("%(n)s report", "%(n)s reports", stats.reports) % {
                "n": number(stats.reports)},
            ngettext("%(n)s worker account", "%(n)s worker accounts", stats.accounts) % {
                "n": number(stats.accounts)},
        ]
        self.stdout.write(_("Generated %(what)s in %(seconds)s s.") % {
            "what": join(made), "seconds": number(stats.seconds.get("total", 0.0), 1)})

    def _with_progress(self, cases, reports, seed, throwaway):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )


        console = Console(stderr=True)
        totals = {_("cases"): cases, _("search index"): None, _("reports"): reports,
                  _("actors"): None}
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console,
                      disable=not console.is_terminal) as bar:
            tasks: dict[str, int] = {}

            def step(label: str, advance: int, total: int) -> None:
                if label not in tasks:
                    tasks[label] = bar.add_task(label, total=totals.get(label) or total or None)
                bar.advance(tasks[label], advance)

            return generate(cases=cases, reports=reports, seed=seed, progress=step,
                            throwaway=throwaway)

    def _generate_into(self, folder: Path, cases, reports, seed, no_progress, json_out) -> None:

        folder.mkdir(parents=True, exist_ok=True)
        env = child_env(folder.resolve())
        self.stdout.write(_("Data folder: %(path)s") % {"path": folder.resolve()})
        steps = [["migrate", "-v0"],
                 ["bench", "generate", "--cases", str(cases), "--reports", str(reports),
                  "--seed", str(seed), *(["--no-progress"] if no_progress else []),
                  *(["--json-out", json_out] if json_out else [])]]
        for step in steps:
            self.stdout.flush()
            done = subprocess.run(visiblework_command(*step), env=env, check=False)  # noqa: S603
            if done.returncode != 0:
                raise CommandError(_("`visiblework %(step)s` failed in %(path)s") % {
                    "step": " ".join(step[:2]), "path": folder})

    # --- run -------------------------------------------------------------------------------

    def run(self, *, quick, workdir, keep, postgres, datasette, aiid, output, seed, only,
            **options):

        parts = tuple(p.strip() for p in only.split(",")) if only else GROUPS
        unknown = [p for p in parts if p not in GROUPS]
        if unknown:
            raise CommandError(ngettext("Unknown part: %(parts)s. Choose from %(known)s.",
                                        "Unknown parts: %(parts)s. Choose from %(known)s.",
                                        len(unknown)) % {
                "parts": ", ".join(unknown), "known": ", ".join(GROUPS)})
        overrides = {}
        for option, field in (("cases", "cases"), ("reports", "reports"), ("csv_rows", "csv_rows"),
                              ("intake_clients", "intake_clients"),
                              ("release_reports", "release_reports"),
                              ("intake_seconds", "intake_seconds"), ("http_seconds", "http_seconds")):
            if options.get(option) is not None:
                if options[option] < 0:
                    raise CommandError(_("--%(name)s cannot be negative") % {
                        "name": option.replace("_", "-")})
                overrides[field] = options[option]
        runner = Runner(Options(
            quick=quick, workdir=Path(workdir) if workdir else None, keep=keep, postgres=postgres,
            datasette=datasette, aiid=Path(aiid) if aiid else None,
            output=Path(output) if output else None, seed=seed, only=parts, overrides=overrides,
            argv=sys.argv[3:] if sys.argv[1:3] == ["bench", "run"] else []))
        rows, path = runner.run()
        self.stdout.write(render(rows))
        for note in runner.all_notes:
            self.stdout.write(f"- {note}")
        self.stdout.write(_("Results written to %(path)s") % {"path": path})

    # --- measure (internal) ----------------------------------------------------------------

    def measure(self, *, what, out, iterations, seconds, label, dir, limit, csv, mapping, **options):

        if what == "views":
            result = measure.views(iterations, seconds)
        elif what == "weight":
            result = measure.weight()
        elif what == "release":
            result = measure.release(label)
        elif what == "writes":
            result = measure.writes(iterations)
        elif what == "edit-stream":
            result = measure.edit_stream(seconds)
        elif what == "editor-session":
            result = measure.editor_session(iterations)
        elif what == "import-aiid":
            result = measure.import_aiid(dir, limit)
        else:
            result = measure.import_csv(csv, mapping)
        Path(out).write_text(json.dumps(result, default=str))


def _holds_real_data() -> bool:

    return (Case.objects.exclude(external_id__startswith="bench:").exists()
            or Report.objects.filter(synthetic=False).exists())
