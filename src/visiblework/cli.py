"""The `visiblework` console script: a thin wrapper over Django's management commands.

`visiblework demo`, `visiblework serve`, `visiblework migrate`, `visiblework createeditor`…
are the management commands of the same name; anything Django's `manage.py` accepts works.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visiblework.settings")
    if args[:1] == ["demo"]:
        # The demo serves plain HTTP on this machine, so its cookies cannot be HTTPS-only.
        os.environ.setdefault("SECURE_COOKIES", "false")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["visiblework", *args])


if __name__ == "__main__":
    main()
