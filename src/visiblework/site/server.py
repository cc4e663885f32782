"""Run the WSGI application under gunicorn from inside the `visiblework` command."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from visiblework.core.logredact import install
from visiblework.wsgi import application

# The access log, when asked for: no client address, no time, no user agent, no referrer
# (which may hold a secret address), and the path without its query string, redacted.
ACCESS_LOG_FORMAT = '"%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class RedactingLogger(Logger):
    """gunicorn's logger, with the redaction filter on its error and access handlers: its
    error log names the request line of a request it could not handle and the address of a
    malformed one."""

    def setup(self, cfg):
        super().setup(cfg)
        install([*self.error_log.handlers, *self.access_log.handlers])


class _Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return application


def options(bind: str, workers: int, threads: int = 4, *, access_log: bool = False) -> dict:
    return {
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-" if access_log else None,
        "access_log_format": ACCESS_LOG_FORMAT,
        "errorlog": "-",
        "loglevel": "warning",
        "logger_class": RedactingLogger,
    }


def serve(bind: str, workers: int, threads: int = 4, *, access_log: bool = False) -> None:
    """Start gunicorn in the foreground. Access logs are off by default; when on, a line
    carries no client address, no time and a redacted path (ACCESS_LOG_FORMAT)."""
    _Server(options(bind, workers, threads, access_log=access_log)).run()
