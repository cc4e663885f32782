"""`visiblework backup` and `visiblework restore`, on SQLite and on PostgreSQL.

The round trips run the real commands in subprocesses against a temporary data folder (and,
for PostgreSQL, a scratch database made for the test and dropped after it): a demo data set,
a backup, changes, a restore, and then every table must hold exactly the rows it held when
the backup was made. PostgreSQL tests fail in CI when the server cannot be reached, and skip
elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import RequestFactory

from visiblework.core import backup, pepper, ratelimit

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
SUBPROCESS_TIMEOUT = 120

# The run on PostgreSQL leaves these out: their commands run on data folders and scratch
# databases of their own, the same whichever database the suite uses.
OWN_DATABASES = pytest.mark.database_independent

# --- Helpers shared with tests/test_durability.py ----------------------------------------------


def visiblework() -> list[str]:
    found = shutil.which("visiblework")
    return [found] if found else [sys.executable, "-m", "visiblework.cli"]


def clean_env(home: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """A fresh machine's environment: none of our variables (nor libpq's) set, except the data
    folder and, for PostgreSQL, the database."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("PG")}
    for name in ("DATABASE_URL", "VISIBLEWORK_HOME", "SECRET_KEY", "DEBUG", "SECURE_COOKIES",
                 "DJANGO_SETTINGS_MODULE", "VISIBLEWORK_RATE_LIMITS"):
        env.pop(name, None)
    env["VISIBLEWORK_HOME"] = str(home)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str], cwd: Path, *, check: bool = True,
        timeout: float = SUBPROCESS_TIMEOUT) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited with {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


def vw(env: dict[str, str], cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return run([*visiblework(), *args], env, cwd, check=check)


def django_python(env: dict[str, str], cwd: Path, code: str, *args: str) -> str:
    """Run `code` in a fresh Python with Django set up against `env`'s database."""
    script = "import django\ndjango.setup()\n" + code
    done = run([sys.executable, "-c", script, *args],
               {**env, "DJANGO_SETTINGS_MODULE": "visiblework.settings"}, cwd)
    return done.stdout


# Every table's rows, in primary-key order (sorted when a table has none), hashed; and on
# PostgreSQL every sequence's position, so that a restore that forgot them would show.
DUMP = """
import hashlib, json
from django.db import connection
out = {}
with connection.cursor() as cur:
    for table in sorted(connection.introspection.table_names(cur)):
        pk = connection.introspection.get_primary_key_column(cur, table)
        sql = f"SELECT * FROM {connection.ops.quote_name(table)}"
        cur.execute(sql + (f" ORDER BY {connection.ops.quote_name(pk)}" if pk else ""))
        rows = [repr(tuple(row)) for row in cur.fetchall()]
        if not pk:
            rows.sort()
        out[table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
    if connection.vendor == "postgresql":
        cur.execute("SELECT sequencename, last_value FROM pg_sequences ORDER BY sequencename")
        out["(sequences)"] = [[name, value] for name, value in cur.fetchall()]
print(json.dumps(out, sort_keys=True))
"""

# Change the data in several ways: delete reports, edit a case, add a user and a report.
MODIFY = """
from visiblework.accounts.models import User
from visiblework.cases.models import Case
from visiblework.reports.models import Report
from visiblework.reports.services import submit_report
ids = list(Report.objects.order_by("pk").values_list("pk", flat=True)[:50])
Report.objects.filter(pk__in=ids).delete()
case = Case.objects.order_by("pk").first()
case.title = case.title + " (changed after the backup)"
case.save()
User.objects.create_user("made-after-the-backup", password="a long enough password")
submit_report({"platform": "Sama", "task_type": "text_annotation", "country": "KE",
               "year": 2023, "quarter": 1, "pay_amount": "100", "currency": "USD",
               "pay_basis": "per_week", "paid_hours": 10}, idempotency_key="after-backup")
print(Report.objects.count())
"""


def dump(env: dict[str, str], cwd: Path) -> dict:
    return json.loads(django_python(env, cwd, DUMP))


def assert_same(before: dict, after: dict) -> None:
    differing = sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
    assert not differing, f"tables that differ: {differing}"


# --- PostgreSQL scratch databases --------------------------------------------------------------


def pg_server_url() -> str:
    """The server of DATABASE_URL when it is PostgreSQL, else the local default."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else PG_DEFAULT


def url_for(database: str) -> str:
    parts = urlsplit(pg_server_url())
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


def pg_admin():
    """An autocommit connection to the server's maintenance database, or skip / fail."""
    import psycopg

    parts = urlsplit(pg_server_url())
    try:
        return psycopg.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
                               user=parts.username or "postgres", password=parts.password,
                               dbname="postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL is not reachable at {parts.hostname}:{parts.port}: {exc}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


class Scratch:
    """Makes databases named vw_<purpose>_<random> and drops them all at the end."""

    def __init__(self, admin, purpose: str):
        self.admin = admin
        self.prefix = f"vw_{purpose}_{secrets.token_hex(4)}"
        self.made: list[str] = []

    def create(self, suffix: str, template: str | None = None) -> str:
        name = f"{self.prefix}_{suffix}"
        sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        self.admin.execute(sql)
        self.made.append(name)
        return name

    def drop_all(self) -> None:
        for name in reversed(self.made):
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.close()


@pytest.fixture(scope="module")
def pg_scratch():
    scratch = Scratch(pg_admin(), "backup_test")
    try:
        yield scratch
    finally:
        scratch.drop_all()


# --- Demo data, made once per module and copied for each test ----------------------------------


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory) -> Path:
    """A data folder after `visiblework demo --no-serve`: seed cases, synthetic reports, a
    published release. Tests copy it."""
    folder = tmp_path_factory.mktemp("sqlite_demo")
    vw(clean_env(folder / "var"), folder, "demo", "--no-serve")
    return folder / "var"


@pytest.fixture
def sqlite_home(sqlite_demo, tmp_path) -> Path:
    home = tmp_path / "var"
    shutil.copytree(sqlite_demo, home)
    return home


@pytest.fixture(scope="module")
def pg_demo(pg_scratch, tmp_path_factory) -> str:
    """A database after `visiblework demo --no-serve`, used as a template."""
    name = pg_scratch.create("template")
    folder = tmp_path_factory.mktemp("pg_demo")
    vw(clean_env(folder / "var", url_for(name)), folder, "demo", "--no-serve")
    return name


# --- Files and messages (in this process, on the suite's database) -----------------------------


def test_it_tells_sqlite_files_from_pg_dump_archives_from_anything_else(tmp_path):
    (tmp_path / "a.sqlite3").write_bytes(b"SQLite format 3\x00" + bytes(100))
    (tmp_path / "b.dump").write_bytes(b"PGDMP\x01\x0f\x00" + bytes(100))
    (tmp_path / "c.txt").write_text("-- a plain SQL dump\nCREATE TABLE x ();\n")
    (tmp_path / "d.empty").write_bytes(b"")
    assert backup.sniff(tmp_path / "a.sqlite3") == "sqlite"
    assert backup.sniff(tmp_path / "b.dump") == "pgdump"
    assert backup.sniff(tmp_path / "c.txt") is None
    assert backup.sniff(tmp_path / "d.empty") is None


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("restore", str(tmp_path / "nothing-here"), interactive=False)


def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    with pytest.raises(CommandError, match="is not a Visible Work backup"):
        call_command("restore", str(junk), interactive=False)


def test_restore_refuses_a_backup_made_for_the_other_kind_of_database(tmp_path):
    other = tmp_path / "other"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0f\x00" + bytes(100))
        expected = "backup of a PostgreSQL .* this instance uses SQLite"
    else:
        other.write_bytes(b"SQLite format 3\x00" + bytes(100))
        expected = "backup of a SQLite database, but this instance uses PostgreSQL"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(other), interactive=False)


def test_backup_refuses_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "missing" / "backup.file"))


def test_pg_tools_get_the_password_in_the_environment_never_on_the_command_line(
        tmp_path, monkeypatch):
    seen = {}

    def fake_run(command, env, **kwargs):
        seen["command"], seen["env"] = command, env
        Path(command[-1].removeprefix("--file=")).write_bytes(b"PGDMP\x01\x0f\x00")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    monkeypatch.setattr(backup, "pg_tool", lambda name: f"/usr/bin/{name}")
    settings_dict = {"ENGINE": "django.db.backends.postgresql", "NAME": "vw", "USER": "alice",
                     "PASSWORD": "s3cret-pw", "HOST": "db.internal", "PORT": 5433,
                     "OPTIONS": {"sslmode": "require"}}
    backup.backup_postgres(settings_dict, tmp_path / "x.dump")
    assert not any("s3cret-pw" in part for part in seen["command"])
    assert "--format=custom" in seen["command"]
    assert {k: seen["env"][k] for k in ("PGPASSWORD", "PGUSER", "PGHOST", "PGPORT", "PGDATABASE",
                                        "PGSSLMODE")} == {
        "PGPASSWORD": "s3cret-pw", "PGUSER": "alice", "PGHOST": "db.internal", "PGPORT": "5433",
        "PGDATABASE": "vw", "PGSSLMODE": "require"}
    assert (tmp_path / "x.dump").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["x.dump"]  # no temporary file left


def test_pg_tools_are_found_under_the_versioned_folders_when_not_on_path(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setattr(backup.glob, "glob", lambda pattern: [
        "/usr/lib/postgresql/9.6/bin/pg_dump", "/usr/lib/postgresql/16/bin/pg_dump",
        "/usr/lib/postgresql/15/bin/pg_dump"])
    monkeypatch.setattr(backup.os, "access", lambda path, mode: True)
    assert backup.pg_tool("pg_dump") == "/usr/lib/postgresql/16/bin/pg_dump"
    monkeypatch.setattr(backup.glob, "glob", lambda pattern: [])
    with pytest.raises(backup.BackupError, match="postgresql-client"):
        backup.pg_tool("pg_dump")


# --- What a backup leaves out, and file modes ---------------------------------------------------


@pytest.fixture
def loose_umask():
    """The usual umask (022), under which files are made readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _small_database(path: Path, cache_keys: list[str] = ()) -> None:
    """A database with a migrations table and a cache table holding `cache_keys`."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT)")
        conn.execute("INSERT INTO django_migrations (app) VALUES ('core')")
        conn.execute("CREATE TABLE visiblework_cache (cache_key varchar(255) NOT NULL PRIMARY "
                     "KEY, value text NOT NULL, expires datetime NOT NULL)")
        conn.executemany("INSERT INTO visiblework_cache VALUES (?, 'gAJLAS4=', "
                         "'2099-01-01 00:00:00')", [(key,) for key in cache_keys])
        conn.commit()


def _rate_limit_keys(count: int) -> list[str]:
    return [":1:" + ratelimit._client_key(RequestFactory().post("/", REMOTE_ADDR=f"10.0.{n // 250}."
                                                                   f"{n % 250}"), "report", 3600)
            for n in range(count)]


def test_a_sqlite_backup_holds_no_rate_limit_row_and_no_pepper(tmp_path, settings):
    settings.VISIBLEWORK_RATE_LIMIT_PEPPER_DIR = tmp_path / "pepper"
    pepper.forget()
    live = tmp_path / "live.sqlite3"
    _small_database(live, _rate_limit_keys(2000) + [":1:axes-0123abcd"])
    target = tmp_path / "backup.sqlite3"
    backup.backup_sqlite(live, target)
    with contextlib.closing(sqlite3.connect(target)) as copy:
        assert copy.execute("SELECT count(*) FROM visiblework_cache").fetchone()[0] == 0
        assert copy.execute("SELECT count(*) FROM django_migrations").fetchone()[0] == 1
    data = target.read_bytes()  # not even in the file's free pages
    assert b"rl:report:" not in data and b"axes-" not in data
    assert pepper.pepper() not in data and pepper.pepper().hex().encode() not in data
    with contextlib.closing(sqlite3.connect(live)) as conn:  # the live rows are left alone
        assert conn.execute("SELECT count(*) FROM visiblework_cache").fetchone()[0] == 2001
    pepper.forget()


def test_a_postgres_backup_leaves_out_the_cache_tables_data(tmp_path, monkeypatch):
    seen = {}

    def fake_run(command, env, **kwargs):
        seen["command"] = command
        Path(command[-1].removeprefix("--file=")).write_bytes(b"PGDMP\x01\x0f\x00")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    monkeypatch.setattr(backup, "pg_tool", lambda name: f"/usr/bin/{name}")
    backup.backup_postgres({"NAME": "vw"}, tmp_path / "x.dump")
    assert "--exclude-table-data=visiblework_cache" in seen["command"]


@OWN_DATABASES
def test_a_real_pg_dump_holds_the_cache_table_but_none_of_its_rows(pg_scratch, tmp_path):
    import psycopg

    name = pg_scratch.create("cache")
    parts = urlsplit(url_for(name))
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                         password=parts.password, dbname=name, autocommit=True) as conn:
        conn.execute("CREATE TABLE django_migrations (id serial PRIMARY KEY, app text)")
        conn.execute("CREATE TABLE visiblework_cache (cache_key varchar(255) PRIMARY KEY, "
                     "value text NOT NULL, expires timestamptz NOT NULL)")
        conn.execute("INSERT INTO visiblework_cache VALUES (':1:rl:report:0123abcd', 'x', now())")
    settings_dict = {"NAME": name, "HOST": parts.hostname, "PORT": parts.port,
                     "USER": parts.username, "PASSWORD": parts.password}
    target = tmp_path / "cache.dump"
    backup.backup_postgres(settings_dict, target)
    listing = "\n".join(backup.pg_contents(target))
    assert "TABLE public visiblework_cache" in listing
    assert "TABLE DATA public visiblework_cache" not in listing
    data = run([backup.pg_tool("pg_restore"), "--data-only", "--file=-", str(target)],
               dict(os.environ), tmp_path).stdout
    assert "rl:report:" not in data


def test_sqlite_backups_and_restored_databases_are_private_files(tmp_path, loose_umask):
    source = tmp_path / "source.sqlite3"
    _small_database(source)
    copy = tmp_path / "copy.sqlite3"
    backup.backup_sqlite(source, copy)
    assert _mode(copy) == 0o600

    new = tmp_path / "new-machine" / "visiblework.sqlite3"
    new.parent.mkdir()
    backup.restore_sqlite(copy, new)
    old = tmp_path / "old.sqlite3"
    _small_database(old)
    old.chmod(0o644)
    backup.restore_sqlite(copy, old)
    written = [Path(f"{db}{suffix}") for db in (new, old) for suffix in ("", "-wal", "-shm")]
    assert {path: _mode(path) for path in written if path.exists()} == {
        path: 0o600 for path in written if path.exists()}
    assert new.exists() and old.exists()


# --- SQLite, with the real commands ------------------------------------------------------------


@OWN_DATABASES
def test_sqlite_backup_then_restore_brings_back_every_row_of_every_table(sqlite_home, tmp_path):
    env = clean_env(sqlite_home)
    before = dump(env, tmp_path)
    assert before["reports_report"][0] >= 6000 and before["cases_case"][0] >= 15
    assert before["insights_release"][0] >= 1

    target = tmp_path / "backups" / "visiblework.sqlite3"
    target.parent.mkdir()
    out = vw(env, tmp_path, "backup", str(target))
    assert "Backed up the SQLite database" in out.stdout
    assert "100%" in out.stderr  # progress, as plain lines when not on a terminal
    assert backup.sniff(target) == "sqlite"
    assert target.stat().st_mode & 0o077 == 0  # raw reports: private to the owner
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary file left
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file

    django_python(env, tmp_path, MODIFY)
    changed = dump(env, tmp_path)
    assert changed["reports_report"] != before["reports_report"]
    assert changed["cases_case"] != before["cases_case"]
    assert changed["accounts_user"] != before["accounts_user"]

    out = vw(env, tmp_path, "restore", str(target), "--no-input")
    assert "Restored the SQLite database" in out.stdout
    assert_same(before, dump(env, tmp_path))
    with sqlite3.connect(sqlite_home / "visiblework.sqlite3") as live:
        assert live.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    leftovers = [p.name for p in sqlite_home.iterdir() if p.name.startswith(".")]
    assert leftovers == []

    # The restored database takes new reports as before.
    count = django_python(env, tmp_path, MODIFY)
    assert int(count) == before["reports_report"][0] - 50 + 1


@OWN_DATABASES
def test_sqlite_restore_into_a_new_data_folder_recreates_the_database(sqlite_home, tmp_path):
    env = clean_env(sqlite_home)
    before = dump(env, tmp_path)
    target = tmp_path / "b.sqlite3"
    vw(env, tmp_path, "backup", str(target))
    new_home = tmp_path / "new-machine"
    new_env = clean_env(new_home)
    vw(new_env, tmp_path, "restore", str(target), "--no-input")
    assert_same(before, dump(new_env, tmp_path))


@OWN_DATABASES
def test_sqlite_restore_of_a_damaged_or_foreign_file_changes_nothing(sqlite_home, tmp_path):
    env = clean_env(sqlite_home)
    good = tmp_path / "good.sqlite3"
    vw(env, tmp_path, "backup", str(good))
    django_python(env, tmp_path, MODIFY)
    current = dump(env, tmp_path)

    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    flipped = bytearray(good.read_bytes())
    for offset in range(4096 * 5, len(flipped), 4096 * 7):  # scribble over some pages
        flipped[offset + 100 : offset + 300] = os.urandom(200)
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(bytes(flipped))
    pg_archive = tmp_path / "pg.dump"
    pg_archive.write_bytes(b"PGDMP\x01\x0f\x00" + bytes(200))

    # Through the command once (a clear message, no traceback), then the rest directly.
    done = vw(env, tmp_path, "restore", str(truncated), "--no-input", check=False)
    assert done.returncode != 0
    assert "CommandError" in done.stderr and "Traceback" not in done.stderr
    assert re.search("cannot be read as a database|is damaged", done.stderr), done.stderr
    db = sqlite_home / "visiblework.sqlite3"
    for bad, message in [(corrupt, "cannot be read as a database|is damaged"),
                         (foreign, "not a Visible Work one"),
                         (pg_archive, "PostgreSQL"),
                         (tmp_path / "missing.sqlite3", "There is no file")]:
        with pytest.raises(backup.BackupError, match=message):
            backup.restore_sqlite(bad, db)
    assert not [p.name for p in sqlite_home.iterdir() if p.name.startswith(".")]
    assert_same(current, dump(env, tmp_path))


@OWN_DATABASES
def test_sqlite_restore_asks_before_replacing_the_database(sqlite_home, tmp_path):
    env = clean_env(sqlite_home)
    target = tmp_path / "b.sqlite3"
    vw(env, tmp_path, "backup", str(target))
    done = subprocess.run([*visiblework(), "restore", str(target)], env=env, cwd=tmp_path,
                          input="no\n", capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    assert "Stop the server first" in done.stdout
    assert "Restore cancelled; nothing was changed." in done.stderr


KILL_MID_RESTORE = """
import os, sys
from pathlib import Path
from visiblework.core import backup
steps = []
def progress(done, total):
    steps.append(done)
    if len(steps) == 20:
        os._exit(9)  # the power goes out in the middle of the copy into the live database
backup.restore_sqlite(Path(sys.argv[1]), Path(sys.argv[2]), progress=progress, pages=2)
"""


@OWN_DATABASES
def test_a_sqlite_restore_killed_half_way_leaves_the_old_database_whole(sqlite_home, tmp_path):
    env = clean_env(sqlite_home)
    target = tmp_path / "b.sqlite3"
    vw(env, tmp_path, "backup", str(target))
    django_python(env, tmp_path, MODIFY)
    current = dump(env, tmp_path)
    db = sqlite_home / "visiblework.sqlite3"
    done = subprocess.run([sys.executable, "-c", KILL_MID_RESTORE, str(target), str(db)],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 9, done.stderr
    with sqlite3.connect(db) as live:
        assert live.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert_same(current, dump(env, tmp_path))


WRITER = """
import sys, time
from visiblework.reports.services import submit_report
deadline = time.monotonic() + float(sys.argv[1])
for i in range(int(sys.argv[2])):
    if time.monotonic() > deadline:
        break
    submit_report({"platform": "Remotasks", "task_type": "image_video_annotation",
                   "country": "PH", "year": 2023, "quarter": 3, "pay_amount": "2.5",
                   "currency": "USD", "pay_basis": "per_hour", "paid_hours": 20},
                  idempotency_key=f"writer-{i}")
    if i == 0:
        print(i, flush=True)  # the first report is stored
"""


def writer_hashes(count: int) -> list[str]:
    """The stored idempotency hashes of the writer's first `count` reports."""
    from visiblework.reports.services import idempotency_hash

    return [idempotency_hash(f"writer-{i}") for i in range(count)]


@OWN_DATABASES
def test_a_sqlite_backup_taken_while_reports_arrive_is_whole_and_consistent(sqlite_home, tmp_path):
    """A writer process stores reports as fast as it can while backups run; each backup
    opens, passes the integrity and foreign-key checks, and holds the database as it was
    at one moment: no report that arrived during the copy, none missing from before it."""
    env = clean_env(sqlite_home, DJANGO_SETTINGS_MODULE="visiblework.settings")
    db = sqlite_home / "visiblework.sqlite3"

    def live_count() -> int:
        with sqlite3.connect(db, timeout=20) as live:
            return live.execute("SELECT count(*) FROM reports_report").fetchone()[0]

    writer = subprocess.Popen([sys.executable, "-c", "import django\ndjango.setup()\n" + WRITER,
                               "180", "100000"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        first = writer.stdout.readline()  # the writer has stored its first report
        assert first.strip() == "0", writer.stderr.read()
        for attempt in range(3):
            start_count = live_count()
            seen_during = []

            def progress(done, total, seen=seen_during):
                time.sleep(0.005)  # a slow disk: let the writer work during the copy
                if done % 64 == 0:
                    seen.append(live_count())

            target = tmp_path / f"during-{attempt}.sqlite3"
            result = backup.backup_sqlite(db, target, progress, pages=4)
            assert result.pages > 100 and len(seen_during) > 1
            with sqlite3.connect(target) as copy:
                assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
                in_copy = copy.execute("SELECT count(*) FROM reports_report").fetchone()[0]
                keys = {row[0] for row in copy.execute(
                    "SELECT idempotency_hash FROM reports_report WHERE idempotency_hash IS NOT NULL")}
            assert start_count <= in_copy
            # Reports kept arriving during the copy and the copy does not hold them.
            assert max(seen_during) > in_copy
            # The writer stores its reports one after another: a copy of one moment holds
            # the first n of them, each once, and no later one.
            assert keys == set(writer_hashes(len(keys)))
            assert writer.poll() is None, "the writer stopped before the backups were done"
    finally:
        writer.terminate()
        writer.communicate(timeout=30)


@OWN_DATABASES
def test_backup_shows_progress_as_a_bar_on_a_terminal(sqlite_home, tmp_path):
    """On a terminal the progress is a rich bar; a scheduled job's log gets short lines."""
    lines: list[str] = []

    class Terminal:
        def __init__(self):
            self.chunks = []

        def isatty(self):
            return True

        def write(self, text):
            self.chunks.append(text)

        def flush(self):
            pass

    class Log(Terminal):
        def isatty(self):
            return False

        def write(self, text):
            lines.append(text)

    terminal = Terminal()
    with backup.ProgressDisplay(terminal) as display:
        backup.backup_sqlite(sqlite_home / "visiblework.sqlite3", tmp_path / "a.sqlite3",
                             display.task("Backing up"), pages=64)
    assert "Backing up" in "".join(terminal.chunks) and "100%" in "".join(terminal.chunks)
    with backup.ProgressDisplay(Log()) as display:
        backup.backup_sqlite(sqlite_home / "visiblework.sqlite3", tmp_path / "b.sqlite3",
                             display.task("Backing up"), pages=64)
    assert [line.split(":")[1].split("%")[0].strip() for line in lines] == ["0", "25", "50",
                                                                             "75", "100"]


# --- PostgreSQL, with the real commands --------------------------------------------------------


@OWN_DATABASES
def test_postgres_backup_then_restore_brings_back_every_row_of_every_table(
        pg_scratch, pg_demo, tmp_path):
    name = pg_scratch.create("roundtrip", template=pg_demo)
    env = clean_env(tmp_path / "var", url_for(name))
    before = dump(env, tmp_path)
    assert before["reports_report"][0] >= 6000 and before["cases_case"][0] >= 15

    target = tmp_path / "visiblework.dump"
    out = vw(env, tmp_path, "backup", str(target))
    assert "Backed up the PostgreSQL database" in out.stdout
    assert backup.sniff(target) == "pgdump"
    assert target.stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["var", "visiblework.dump"]

    django_python(env, tmp_path, MODIFY)
    changed = dump(env, tmp_path)
    assert changed["reports_report"] != before["reports_report"]
    assert changed["(sequences)"] != before["(sequences)"]

    out = vw(env, tmp_path, "restore", str(target), "--no-input")
    assert "Restored the PostgreSQL database" in out.stdout
    assert_same(before, dump(env, tmp_path))
    count = django_python(env, tmp_path, MODIFY)  # new rows get new ids after the restore
    assert int(count) == before["reports_report"][0] - 50 + 1

    # Disaster recovery: the same backup into an empty database on another server.
    fresh = pg_scratch.create("fresh")
    fresh_env = clean_env(tmp_path / "var2", url_for(fresh))
    vw(fresh_env, tmp_path, "restore", str(target), "--no-input")
    assert_same(before, dump(fresh_env, tmp_path))


@OWN_DATABASES
def test_postgres_restore_of_a_damaged_or_foreign_file_changes_nothing(
        pg_scratch, pg_demo, tmp_path):
    name = pg_scratch.create("damaged", template=pg_demo)
    env = clean_env(tmp_path / "var", url_for(name))
    good = tmp_path / "good.dump"
    vw(env, tmp_path, "backup", str(good))
    django_python(env, tmp_path, MODIFY)
    current = dump(env, tmp_path)

    data = good.read_bytes()
    short_toc = tmp_path / "short-toc.dump"
    short_toc.write_bytes(data[:2000])
    short_data = tmp_path / "short-data.dump"  # the table of contents reads; the data ends
    short_data.write_bytes(data[: len(data) * 3 // 4])
    sqlite_file = tmp_path / "b.sqlite3"
    with sqlite3.connect(sqlite_file) as db:
        db.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY)")
    other = pg_scratch.create("other")
    import psycopg

    parts = urlsplit(url_for(other))
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                         password=parts.password, dbname=other, autocommit=True) as conn:
        conn.execute("CREATE TABLE notes (body text)")
    foreign = tmp_path / "foreign.dump"
    run([backup.pg_tool("pg_dump"), "--format=custom", f"--file={foreign}"],
        {**backup.pg_env({"HOST": parts.hostname, "PORT": parts.port, "USER": parts.username,
                          "PASSWORD": parts.password, "NAME": other})}, tmp_path)

    done = vw(env, tmp_path, "restore", str(short_data), "--no-input", check=False)
    assert done.returncode != 0
    assert "The restore failed; nothing was changed" in done.stderr
    assert "Traceback" not in done.stderr
    parts = urlsplit(url_for(name))
    settings_dict = {"ENGINE": "django.db.backends.postgresql", "NAME": name,
                     "HOST": parts.hostname, "PORT": parts.port, "USER": parts.username,
                     "PASSWORD": parts.password}
    for bad, message in [(short_toc, "cannot be read"),
                         (sqlite_file, "SQLite database, but this instance uses PostgreSQL"),
                         (foreign, "not of a Visible Work database")]:
        with pytest.raises(backup.BackupError, match=message):
            backup.restore_postgres(settings_dict, bad)
    assert_same(current, dump(env, tmp_path))


@OWN_DATABASES
def test_a_postgres_backup_taken_while_reports_arrive_restores_whole(
        pg_scratch, pg_demo, tmp_path):
    name = pg_scratch.create("writes", template=pg_demo)
    env = clean_env(tmp_path / "var", url_for(name), DJANGO_SETTINGS_MODULE="visiblework.settings")
    writer = subprocess.Popen([sys.executable, "-c", "import django\ndjango.setup()\n" + WRITER,
                               "180", "100000"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "0", writer.stderr.read()
        target = tmp_path / "during.dump"
        vw(env, tmp_path, "backup", str(target))
        assert writer.poll() is None, "the writer stopped before the backup was done"
    finally:
        writer.terminate()
        writer.communicate(timeout=30)
    fresh = pg_scratch.create("writes_restored")
    fresh_env = clean_env(tmp_path / "var2", url_for(fresh))
    vw(fresh_env, tmp_path, "restore", str(target), "--no-input")
    keys = set(json.loads(django_python(fresh_env, tmp_path, """
import json
from visiblework.reports.models import Report
print(json.dumps(list(Report.objects.exclude(idempotency_hash=None)
                      .values_list("idempotency_hash", flat=True))))
""")))
    assert len(keys) >= 1
    assert keys == set(writer_hashes(len(keys)))  # one moment: the first n reports, each once
