"""What survives a crash: every report the server acknowledged is stored, exactly once.

The real production server (`visiblework serve`, gunicorn, two workers) takes reports from
eight concurrent clients, each report with its own Idempotency-Key. Part way through, the
server's whole process group is killed with SIGKILL (no clean shutdown, requests in flight).
The server is started again, and each client retries every request that did not get a 201 or
200 answer, with the same key, until it does. Then: one stored report per key, no more, no
less, and every receipt a client was given finds its report.

Runs on SQLite and on a scratch PostgreSQL database (failing in CI when PostgreSQL cannot be
reached, skipping elsewhere). Only 127.0.0.1 traffic; every loop is bounded in count and time.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.core.test_backup import Scratch, clean_env, django_python, pg_admin, url_for, visiblework, vw

# The run on PostgreSQL leaves these out: their servers run on a data folder and a scratch
# database of their own, the same whichever database the suite uses.
pytestmark = pytest.mark.database_independent

CLIENTS = 8
REPORTS_PER_CLIENT = 40
KILL_AFTER = 80  # acknowledged reports before the crash
DEADLINE = 45.0  # seconds for all the traffic, crash and restart included
REQUEST_TIMEOUT = 10.0
MAX_ATTEMPTS = 400  # per report; attempts while the server is down are 50 ms apart
ABANDON_EVERY = 10  # every tenth report's first answer is lost: the client hangs up

# No proxy, whatever the environment says: this traffic stays on 127.0.0.1.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def report(client: int, index: int) -> dict:
    return {"platform": f"Durability Platform {client}", "task_type": "text_annotation",
            "country": "KE", "year": 2023, "quarter": 2,
            "pay_amount": f"{100 + index}.{client:02d}", "currency": "USD",
            "pay_basis": "per_week", "paid_hours": 30, "unpaid_hours": {"waiting": 5},
            "free_text": f"client {client}, report {index}"}


class Server:
    """`visiblework serve` in its own session, so that the crash takes every process."""

    def __init__(self, env: dict[str, str], cwd: Path, port: int):
        self.env, self.cwd, self.port = env, cwd, port
        self.log = cwd / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self, deadline: float) -> None:
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [*visiblework(), "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "2"],
                env=self.env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        while time.monotonic() < deadline:
            try:
                with OPENER.open(f"http://127.0.0.1:{self.port}/api/v1/cases", timeout=2) as r:
                    if r.status == 200:
                        return
            except (OSError, http.client.HTTPException):
                if self.process.poll() is not None:
                    pytest.fail(f"the server exited:\n{self.tail()}")
                time.sleep(0.1)
        pytest.fail(f"the server did not answer in time:\n{self.tail()}")

    def crash(self) -> None:
        """SIGKILL to the master and every worker at once: no chance to finish anything."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def tail(self) -> str:
        return self.log.read_text()[-3000:] if self.log.exists() else ""


class Traffic:
    """Eight clients; each sends its reports in turn and retries one until it is answered."""

    def __init__(self, port: int, deadline: float):
        self.port, self.deadline = port, deadline
        self.lock = threading.Lock()
        self.acks: dict[str, dict] = {}  # key -> {"status", "receipt", "client", "index", "era"}
        self.failures = 0  # attempts without an answer (refused, reset, timed out, 5xx)
        self.abandoned = 0  # requests whose answer the client did not wait for
        self.refusals: list[str] = []  # answers that no retry can mend (4xx): a bug
        self.era = 0  # 0 before the crash, 1 after it
        self.token = os.urandom(4).hex()

    def post(self, key: str, body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/v1/reports", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": key}, method="POST")
        try:
            with OPENER.open(request, timeout=REQUEST_TIMEOUT) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, {}

    def abandon(self, key: str, body: dict) -> None:
        """Send the request, then hang up without reading the answer, like a phone that
        loses its connection: the report may well be stored, but the client cannot know."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request("POST", "/api/v1/reports", json.dumps(body),
                         {"Content-Type": "application/json", "Idempotency-Key": key})
        except OSError:
            pass
        finally:
            conn.close()
        with self.lock:
            self.abandoned += 1
        time.sleep(0.3)

    def client(self, number: int) -> None:
        for index in range(REPORTS_PER_CLIENT):
            key = f"durability-{self.token}-{number}-{index}"
            body = report(number, index)
            if index % ABANDON_EVERY == ABANDON_EVERY // 2:
                self.abandon(key, body)
            for _attempt in range(MAX_ATTEMPTS):
                if time.monotonic() > self.deadline:
                    return
                try:
                    status, answer = self.post(key, body)
                except (OSError, http.client.HTTPException):
                    status, answer = 0, {}
                if status in (200, 201):
                    with self.lock:
                        self.acks[key] = {"status": status, "receipt": answer["receipt"],
                                          "client": number, "index": index, "era": self.era}
                    break
                if 400 <= status < 500:
                    with self.lock:
                        self.refusals.append(f"{key}: {status}")
                    return
                with self.lock:
                    self.failures += 1
                time.sleep(0.05)

    def acknowledged(self) -> int:
        with self.lock:
            return len(self.acks)


CHECK = """
import json, sys
from visiblework.reports.models import Report
from visiblework.reports.services import find_by_receipt, idempotency_hash, receipt_for
acks = json.load(open(sys.argv[1]))
problems = []
for key, ack in acks.items():
    key_hash = idempotency_hash(key)
    stored = Report.objects.filter(idempotency_hash=key_hash).count()
    if stored != 1:
        problems.append(f"{key}: stored {stored} times")
    found = find_by_receipt(ack["receipt"])
    if found is None or found.idempotency_hash != key_hash:
        problems.append(f"{key}: its receipt finds {'nothing' if found is None else 'another report'}")
    if found is not None and ack["receipt"] != receipt_for(key, "anon", found.request_hash):
        problems.append(f"{key}: answered another receipt than the key's")
print(json.dumps({"reports": Report.objects.count(),
                  "distinct_keys": Report.objects.exclude(idempotency_hash=None)
                  .values("idempotency_hash").distinct().count(),
                  "problems": problems[:20]}))
"""


def crash_and_recover(env: dict[str, str], cwd: Path) -> None:
    vw(env, cwd, "migrate", "--no-input")
    started = time.monotonic()
    deadline = started + DEADLINE
    server = Server(env, cwd, free_port())
    traffic = Traffic(server.port, deadline)
    clients = [threading.Thread(target=traffic.client, args=(n,), daemon=True)
               for n in range(CLIENTS)]
    try:
        server.start(deadline)
        for thread in clients:
            thread.start()
        while traffic.acknowledged() < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.005)
        assert traffic.acknowledged() >= KILL_AFTER, f"too slow before the crash:\n{server.tail()}"
        server.crash()  # mid-stream: the clients are still sending
        with traffic.lock:
            traffic.era = 1
            at_crash = len(traffic.acks)
        server.start(deadline)
        for thread in clients:
            thread.join(timeout=max(0.1, deadline - time.monotonic()))
        assert not any(thread.is_alive() for thread in clients), "clients did not finish in time"

        assert traffic.refusals == []
        total = CLIENTS * REPORTS_PER_CLIENT
        assert len(traffic.acks) == total, (
            f"{total - len(traffic.acks)} reports never acknowledged:\n{server.tail()}")
        assert at_crash < total, "the crash came after the last report"
        assert traffic.failures > 0  # requests did go unanswered, and were retried
        # Retries of requests whose answer was lost found the stored report: 200, same receipt.
        assert any(ack["status"] == 200 for ack in traffic.acks.values())

        # In the database: each key stored once, nothing else stored, every receipt works.
        acks_file = cwd / "acks.json"
        acks_file.write_text(json.dumps(traffic.acks))
        found = json.loads(django_python(env, cwd, CHECK, str(acks_file)))
        assert found["problems"] == []
        assert found["reports"] == found["distinct_keys"] == total

        # And through the API of the restarted server: each receipt shows its own report.
        for ack in traffic.acks.values():
            with OPENER.open(f"http://127.0.0.1:{server.port}/api/v1/reports/{ack['receipt']}",
                             timeout=REQUEST_TIMEOUT) as response:
                own = json.loads(response.read())
            assert own["pay_amount"] == report(ack["client"], ack["index"])["pay_amount"]
            assert own["platform"] == f"Durability Platform {ack['client']}"
    finally:
        server.stop()
    repeats = sum(1 for ack in traffic.acks.values() if ack["status"] == 200)
    print(f"durability: {len(traffic.acks)} acknowledged ({at_crash} before the crash, "
          f"{repeats} answered as repeats of a stored report), {traffic.failures} attempts "
          f"unanswered, {traffic.abandoned} abandoned, {time.monotonic() - started:.1f} s")
    assert time.monotonic() - started < 60


def server_env(home: Path, database_url: str | None = None) -> dict[str, str]:
    # 320 reports from one address would pass the per-address hourly limit (300).
    return clean_env(home, database_url, VISIBLEWORK_RATE_LIMITS="false")


def test_every_acknowledged_report_survives_a_crash_exactly_once_on_sqlite(tmp_path):
    crash_and_recover(server_env(tmp_path / "var"), tmp_path)


def test_every_acknowledged_report_survives_a_crash_exactly_once_on_postgres(tmp_path):
    scratch = Scratch(pg_admin(), "durability_test")
    try:
        name = scratch.create("db")
        crash_and_recover(server_env(tmp_path / "var", url_for(name)), tmp_path)
    finally:
        scratch.drop_all()

