"""Report intake under load: concurrent clients POST reports with Idempotency-Key headers,
some of them retried, then the database is counted to prove that nothing acknowledged was
lost and nothing was stored twice."""

from __future__ import annotations

import http.client
import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from visiblework.reports.services import ANONYMOUS_SCOPE
from visiblework.reports.services import idempotency_hash as stored_hash

from .load import MAX_REQUESTS_PER_SECOND, percentile

RETRY_EVERY = 10  # every tenth request repeats the previous key, as a client retrying would
TASKS = ["image_video_annotation", "text_annotation", "content_moderation", "response_ranking"]


def idempotency_hash(key: str) -> str:
    """As reports.services stores the key of a report sent without an account."""

    return stored_hash(key, ANONYMOUS_SCOPE)


def payload(n: int) -> dict:
    return {
        "platform": ["Remotasks", "Appen", "Clickworker", "Sama"][n % 4],
        "task_type": TASKS[n % len(TASKS)],
        "country": ["KE", "PH", "IN", "US"][n % 4],
        "year": 2025, "quarter": 1 + n % 4,
        "pay_amount": f"{1500 + (n % 700)}.50",
        "currency": ["KES", "PHP", "INR", "USD"][n % 4],
        "pay_basis": "per_week", "paid_hours": 20 + n % 20,
        "unpaid_hours": {"waiting": 1 + n % 6, "training": n % 3},
        "payment_problems": "late" if n % 5 == 0 else "none",
        "rating_fair_pay": 1 + n % 5,
        "free_text": "Synthetic load-test report." if n % 3 == 0 else "",
    }


@dataclass
class IntakeResult:
    seconds: float = 0.0
    requests: int = 0
    created: int = 0  # 201
    replayed: int = 0  # 200: a retried key answered with the first receipt
    errors: int = 0
    receipt_mismatches: int = 0  # a retry answered with another receipt
    latencies: list[float] = field(default_factory=list)
    acknowledged: set[str] = field(default_factory=set)  # keys answered 200/201
    sent: set[str] = field(default_factory=set)
    error_samples: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0

    @property
    def p99(self) -> float | None:
        return percentile(self.latencies, 99)


def run_intake(base_url: str, clients: int, seconds: float, run_id: str) -> IntakeResult:
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    deadline = time.monotonic() + seconds
    limit = int(seconds * MAX_REQUESTS_PER_SECOND)
    lock = threading.Lock()
    result = IntakeResult()

    def client(number: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        receipts: dict[str, str] = {}
        previous: str | None = None
        previous_body = b""
        sequence = 0
        try:
            while time.monotonic() < deadline:
                with lock:
                    if result.requests >= limit:
                        return
                    result.requests += 1
                if previous and sequence % RETRY_EVERY == RETRY_EVERY - 1:
                    key, body = previous, previous_body  # a retry resends the same request
                else:
                    key = f"bench-{run_id}-{number}-{sequence}"
                    body = json.dumps(payload(number * 7919 + sequence)).encode()
                sequence += 1
                started = time.perf_counter()
                status, text = 0, ""
                try:
                    conn.request("POST", "/api/v1/reports", body=body, headers={
                        "Content-Type": "application/json", "Idempotency-Key": key})
                    response = conn.getresponse()
                    status, text = response.status, response.read().decode("utf-8", "replace")
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(host, port, timeout=30)
                    text = repr(exc)
                elapsed = time.perf_counter() - started
                with lock:
                    result.sent.add(key)
                    result.latencies.append(elapsed)
                    if status in (200, 201):
                        receipt = json.loads(text).get("receipt", "")
                        if key in receipts and receipts[key] != receipt:
                            result.receipt_mismatches += 1
                        receipts[key] = receipt
                        result.acknowledged.add(key)
                        if status == 201:
                            result.created += 1
                        else:
                            result.replayed += 1
                    else:
                        result.errors += 1
                        if len(result.error_samples) < 5:
                            result.error_samples.append(f"{status}: {text[:200]}")
                previous, previous_body = key, body
        finally:
            conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    result.seconds = time.monotonic() - started
    return result


@dataclass
class Reconciliation:
    stored: int  # rows in the database
    distinct: int  # distinct idempotency hashes among them
    lost: int  # acknowledged keys with no row
    duplicated: int  # rows beyond one per key, plus receipts that changed on retry
    stored_unacknowledged: int  # sent, not acknowledged (an error), but stored: not a loss


def reconcile(result: IntakeResult, stored_hashes: list[str]) -> Reconciliation:
    stored_set = set(stored_hashes)
    acknowledged = {idempotency_hash(k) for k in result.acknowledged}
    sent = {idempotency_hash(k) for k in result.sent}
    return Reconciliation(
        stored=len(stored_hashes), distinct=len(stored_set),
        lost=len(acknowledged - stored_set),
        duplicated=(len(stored_hashes) - len(stored_set)) + result.receipt_mismatches,
        stored_unacknowledged=len((sent - acknowledged) & stored_set))
