"""What can go wrong in an import, as messages for the person importing: a file that cannot be
imported at all (ImportFileError), and a row left out or one value left out (Problem), with
the line and the column, never as a traceback."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, no header, bad mapping...)."""


@dataclass(frozen=True)
class Problem:
    """Something wrong with one row: the row was skipped, or (a warning) one value was left out."""

    line: int | None
    column: str
    message: str
    skipped: bool = True

    def __str__(self) -> str:
        where = []
        if self.line:
            where.append(_("line %(line)d") % {"line": self.line})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class RowSkip(Exception):
    """Raised while building a row to leave the whole row out."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def unexpected(line: int, exc: Exception) -> Problem:
    """A row left out because of a fault in the importer itself."""
    return Problem(line, "", _("unexpected error, row left out (%(type)s: %(error)s); please "
                               "report it") % {"type": type(exc).__name__,
                                               "error": first_line(exc)})


def first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else exc.__class__.__name__
