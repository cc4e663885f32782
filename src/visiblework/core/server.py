"""Run the WSGI application under gunicorn from inside the `visiblework` command."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from visiblework.wsgi import application

        return application


def serve(bind: str, workers: int, threads: int = 4, *, access_log: bool = False) -> None:
    """Start gunicorn in the foreground. Access logs are off by default: request lines
    carry addresses and times that the privacy model keeps out of storage."""
    _Server({
        "bind": bind,
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "warning",
    }).run()
