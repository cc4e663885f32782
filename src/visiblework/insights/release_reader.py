"""A process that reads ranges of reports from a SQLite file as CSV text, for
:mod:`.release_rows`, which runs this file as a script (``python -I -S release_reader.py``).
It imports nothing but the standard library: it starts in a few tens of milliseconds and
shares nothing (no lock, no connection, no thread, no ``__main__``) with the process that
started it. Two threads in one process were slower than one: SQLite's allocator takes one lock
for the whole process, and making text allocates at every value.

Protocol, one line each unless said: the parent writes the job as one JSON line (``uri``,
``timeout``, ``statement``, ``params``, ``ranges``), then ``begin``. This process answers
``connected`` once the database is open; on ``begin`` it starts a read transaction (its
snapshot is fixed at that first read) and answers ``ready``; then, for every range in order,
``rows COUNT NBYTES`` followed by NBYTES of CSV; then ``done``. An error is ``error NBYTES``
followed by the traceback. ``statement`` takes the three late-pay values, the range, then the
rest of ``params``. The process stops when the parent is gone (its pipes close)."""

from __future__ import annotations

import json
import sqlite3
import sys
import traceback
from typing import BinaryIO

SNAPSHOT = "SELECT count(*) FROM sqlite_master"  # a read, which fixes a WAL snapshot


def serve(source: BinaryIO, out: BinaryIO) -> None:
    db = None
    try:
        job = json.loads(source.readline())
        params = job["params"]
        db = sqlite3.connect(job["uri"], uri=True, timeout=job["timeout"], isolation_level=None)
        out.write(b"connected\n")
        out.flush()
        if source.readline().strip() != b"begin":
            return
        db.execute("BEGIN")
        db.execute(SNAPSHOT).fetchone()
        out.write(b"ready\n")
        out.flush()
        for start, end in job["ranges"]:
            count, text = db.execute(job["statement"],
                                     [*params[:3], start, end, *params[3:]]).fetchone()
            data = (text or "").encode()
            out.write(b"rows %d %d\n" % (count, len(data)))
            out.write(data)
            out.flush()
        out.write(b"done\n")
        out.flush()
    except (BrokenPipeError, ConnectionResetError):
        return  # the parent is gone
    except Exception:  # noqa: BLE001 - sent to the parent, which raises it
        message = traceback.format_exc().encode()
        try:
            out.write(b"error %d\n" % len(message))
            out.write(message)
            out.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
    finally:
        if db is not None:
            db.close()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
