"""gunicorn, as `visiblework serve` runs it: its logs redact secrets and carry no address."""

import datetime

from gunicorn.config import Config

from tests.core.test_logredact import RECEIPT, TRACKING
from visiblework.core import logredact
from visiblework.core.logredact import RedactSecrets
from visiblework.site import server


def test_gunicorn_handlers_redact_and_its_access_lines_carry_no_address(capsys):
    config = Config()
    for key, value in server.options("127.0.0.1:0", 1, access_log=True).items():
        config.set(key, value)
    log = config.logger_class(config)
    assert all(any(isinstance(f, RedactSecrets) for f in h.filters)
               for h in log.error_log.handlers + log.access_log.handlers)
    assert log.error_log.handlers and log.access_log.handlers

    class Response:
        status = "404 Not Found"
        sent = 10
        headers = []
        response_length = 10

    class Request:
        headers = []

    environ = {"REMOTE_ADDR": "203.0.113.9", "PATH_INFO": f"/api/v1/reports/{RECEIPT}",
               "QUERY_STRING": "code=x", "REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1",
               "RAW_URI": f"/api/v1/reports/{RECEIPT}?code=x", "HTTP_USER_AGENT": "Phone 1.0",
               "HTTP_REFERER": f"https://example.org/contribute/track/{TRACKING}/"}

    log.access(Response(), Request(), environ, datetime.timedelta(milliseconds=5))
    log.error_log.warning("Invalid request from ip=203.0.113.9: bad")
    log.error_log.error("Error handling request %s", f"/contribute/track/{TRACKING}/?a=b")
    written = capsys.readouterr()
    text = written.out + written.err
    assert "GET /api/v1/reports/[redacted] HTTP/1.1" in text
    for secret in ("203.0.113.9", RECEIPT, TRACKING, "code=x", "Phone 1.0"):
        assert secret not in text
    assert logredact.REDACTED in text
