"""The log filter: secret-bearing paths, secret-shaped values, a request's secrets and client
addresses never reach a log line; every configured handler runs the filter."""

import logging
import sys

import pytest
from django.test import RequestFactory

from visiblework.core.logredact import REDACTED, RedactSecrets, redact

RECEIPT = "K7QF-M2ZD-XW4A-PL3B"
TRACKING = "a8Zk-3_pQ0xLr7TuVbN2wYc9"  # secrets.token_urlsafe(18)
RECOVERY = "9f2c4e-0ab1d7"


def _record(msg, *args, exc_info=None, request=None):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, exc_info)
    if request is not None:
        record.request = request
    return record


def _written(record) -> str:
    RedactSecrets().filter(record)
    return logging.Formatter("%(message)s").format(record)


@pytest.mark.parametrize("path", [
    f"/api/v1/reports/{RECEIPT}", f"/api/v1/reports/{RECEIPT.lower()}", "/api/v1/reports/whatever",
    f"/contribute/track/{TRACKING}/", "/contribute/track/not-a-real-code/",
    "/reports/receipt/SOMETHING", f"api/v1/reports/{RECEIPT}",
])
def test_it_redacts_the_tail_of_a_secret_bearing_path(path):
    line = _written(_record("Not Found: %s", path))
    tail = path.rstrip("/").rsplit("/", 1)[1]
    assert tail not in line
    assert REDACTED in line


def test_it_keeps_ordinary_paths_and_drops_every_query_string():
    line = _written(_record('"GET /cases/12/kenya/?q=my+secret+search HTTP/1.1" 200'))
    assert "/cases/12/kenya/" in line
    assert "my+secret+search" not in line


@pytest.mark.parametrize("secret", [RECEIPT, TRACKING, RECOVERY, RECOVERY.upper(),
                                    "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                                    "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"])
def test_it_redacts_secret_shaped_values_anywhere_in_a_message(secret):
    line = _written(_record("lookup of %s failed (%r)", secret, {"code": secret}))
    assert secret not in line
    assert "lookup of" in line


def test_it_keeps_words_times_and_names_of_code():
    text = "at 12:30:45 in _start_transaction_under_auto (x.py), AXES_USERNAME_FORM_FIELD, 3.2 ms"
    assert _written(_record(text)) == text


def test_it_redacts_client_addresses_but_not_loopback():
    line = _written(_record("Invalid request from ip=203.0.113.9 and 2001:db8::7, via 127.0.0.1"))
    assert "203.0.113.9" not in line and "2001:db8::7" not in line
    assert "127.0.0.1" in line


def test_it_redacts_the_idempotency_key_and_secret_fields_the_request_carried():
    request = RequestFactory().post("/reports/new/", {"idempotency_key": "my own chosen key",
                                                      "receipt": "typed receipt code"},
                                    HTTP_IDEMPOTENCY_KEY="api key of the client")
    request.POST  # the view read the form  # noqa: B018
    line = _written(_record("failed: my own chosen key / api key of the client / "
                            "typed receipt code", request=request))
    for secret in ("my own chosen key", "api key of the client", "typed receipt code"):
        assert secret not in line


def test_it_redacts_the_traceback_and_leaves_no_raw_exception_to_other_handlers():
    try:
        raise ValueError(f"no report for /api/v1/reports/{RECEIPT} ({TRACKING})")
    except ValueError:
        record = _record("Internal Server Error: %s", f"/api/v1/reports/{RECEIPT}",
                         exc_info=sys.exc_info())
    line = _written(record)
    assert "Traceback" in line and "ValueError" in line
    assert RECEIPT not in line and TRACKING not in line
    assert record.exc_info is None


def test_redacting_twice_changes_nothing():
    once = redact(f"Not Found: /api/v1/reports/{RECEIPT}?x=1")
    assert redact(once) == once


def _configured_handlers():
    loggers = [logging.getLogger()] + [logging.getLogger(name)
                                       for name in list(logging.root.manager.loggerDict)]
    for logger in loggers:
        for handler in logger.handlers:
            if type(handler).__module__.startswith("_pytest") or isinstance(
                    handler, logging.NullHandler):
                continue  # pytest's own capture; libraries' handlers that write nothing
            yield logger.name, handler


def test_every_configured_handler_redacts():
    handlers = list(_configured_handlers())
    assert any(name == "root" for name, _ in handlers)
    missing = [(name, handler) for name, handler in handlers
               if not any(isinstance(f, RedactSecrets) for f in handler.filters)]
    assert missing == []


def test_djangos_unredacted_default_handlers_are_gone():
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django").propagate


@pytest.mark.parametrize("code", ["psiz-kiha-ckbw-3wu4-jfkq-s6ji", "PSIZ KIHA CKBW 3WU4 JFKQ S6JI"])
def test_it_redacts_a_tracking_code_of_the_new_shape_as_shown_or_as_typed(code):
    assert redact(f"lookup failed for {code} today") == f"lookup failed for {REDACTED} today"
