"""A scripted session of a worker, a contributor and a guesser, with every logger at DEBUG
level (SQL included) and everything the configured log handlers write captured: no receipt,
tracking code, recovery code, idempotency key, password or client address is in it, not
even in the tracebacks of requests that failed on secret-bearing paths."""

from __future__ import annotations

import io
import logging

import pytest
from django.db import connection
from django.test import Client

from visiblework.core.logredact import RedactSecrets

from .cases.test_contributions import form_data as contribution_form
from .reports.test_reports import REPORT

ADDRESS = "198.51.100.23"
PASSWORD = "a long and private passphrase"
KEY = "my-own-idempotency-key-01"
FORM_KEY = "form key chosen by someone"
WRONG_RECEIPT = "ZZZZ-YYYY-XXXX-WWWW"
WRONG_RECEIPT_FREE = "not-my-receipt-but-a-guess"
WRONG_TRACKING = "GuessedTrackingCode_12345"
WRONG_RECOVERY = "abcdef-123456"


@pytest.fixture
def written():
    """What every configured log handler writes, from every logger at DEBUG level."""
    stream = io.StringIO()
    handlers = [h for name in ("", "django.server") for h in logging.getLogger(name).handlers
                if any(isinstance(f, RedactSecrets) for f in h.filters)]
    assert handlers
    # Swapped by hand: setStream() flushes the old stream, which pytest may have closed.
    streams = [h.stream for h in handlers]
    for handler in handlers:
        handler.stream = stream
    levels = {name: logging.getLogger(name).level for name in ("", "django", "axes")}
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    connection.force_debug_cursor = True  # SQL statements are logged too
    try:
        yield stream
    finally:
        connection.force_debug_cursor = False
        for handler, old in zip(handlers, streams, strict=True):
            handler.stream = old
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def _session(monkeypatch) -> list[str]:
    """Run the session; return the secrets it met."""
    client = Client(REMOTE_ADDR=ADDRESS, raise_request_exception=False)
    found: list[str] = []

    # A report through the API, with an Idempotency-Key, then read with its receipt.
    created = client.post("/api/v1/reports", REPORT, content_type="application/json",
                          HTTP_IDEMPOTENCY_KEY=KEY)
    assert created.status_code == 201
    receipt = created.json()["receipt"]
    found += [KEY, receipt]
    assert client.get(f"/api/v1/reports/{receipt}").status_code == 200
    assert client.get(f"/api/v1/reports/{WRONG_RECEIPT}").status_code == 404
    assert client.get(f"/api/v1/reports/{WRONG_RECEIPT_FREE}").status_code == 404
    found += [WRONG_RECEIPT, WRONG_RECEIPT_FREE]

    # The web form with its hidden key: an invalid post is logged as a bad request.
    bad = client.post("/reports/new/", {"idempotency_key": FORM_KEY, "platform": ""})
    assert bad.status_code == 400
    found.append(FORM_KEY)

    # A contribution, its tracking page, and a guessed tracking code.
    done = client.post("/contribute/", contribution_form())
    assert done.status_code == 201
    tracking = done.context["tracking_url"].rstrip("/").rsplit("/", 1)[1]
    found += [tracking, WRONG_TRACKING]
    assert client.get(f"/contribute/track/{tracking}/").status_code == 200
    assert client.get(f"/contribute/track/{WRONG_TRACKING}/").status_code == 404

    # A worker account (its recovery codes), a wrong recovery code, failed and good sign-ins.
    signed = client.post("/accounts/signup/", {"password": PASSWORD, "password2": PASSWORD})
    assert signed.status_code == 201
    handle, codes = signed.context["handle"], list(signed.context["codes"])
    found += [*codes, PASSWORD]
    client.post("/accounts/logout/")
    recovered = client.post("/accounts/recover/", {"handle": handle, "code": WRONG_RECOVERY,
                                                   "password": "another long passphrase"})
    assert recovered.status_code == 400
    found.append(WRONG_RECOVERY)
    for _ in range(3):
        client.post("/accounts/login/", {"username": handle, "password": f"{PASSWORD}!"})
    assert client.post("/accounts/login/", {"username": handle,
                                            "password": PASSWORD}).status_code == 302

    # Failures on secret-bearing paths, with the secrets in the exception's message.
    def broken_receipt_lookup(code):
        raise RuntimeError(f"lookup failed for {code} sent with key {KEY}")

    def broken_tracking_lookup(code):
        raise RuntimeError(f"lookup failed for {code}")

    monkeypatch.setattr("visiblework.reports.services.find_by_receipt", broken_receipt_lookup)
    monkeypatch.setattr("visiblework.cases.contributions.by_tracking_code",
                        broken_tracking_lookup)
    assert client.get(f"/api/v1/reports/{receipt}",
                      HTTP_IDEMPOTENCY_KEY=KEY).status_code == 500
    assert client.get(f"/contribute/track/{tracking}/").status_code == 500
    return found


@pytest.mark.django_db
def test_a_scripted_session_writes_no_secret_and_no_address_to_the_logs(catalogue, written,
                                                                        monkeypatch):
    secrets = _session(monkeypatch)
    text = written.getvalue()
    # The capture saw the session: 404s, 400s, the tracebacks of the 500s, SQL.
    assert "Not Found: /api/v1/reports/[redacted]" in text
    assert "Not Found: /contribute/track/[redacted]/" in text
    assert "Internal Server Error: /api/v1/reports/[redacted]" in text
    assert "Internal Server Error: /contribute/track/[redacted]/" in text
    assert text.count("RuntimeError: lookup failed for [redacted]") == 2
    assert "SELECT" in text
    assert len(secrets) >= 15
    leaked = [secret for secret in secrets if secret in text]
    assert leaked == []
    assert ADDRESS not in text
