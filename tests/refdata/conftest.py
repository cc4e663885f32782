"""Fixtures for the reference data: the real files beside the repository, loaded once per
module inside a transaction that is rolled back afterwards."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.db import transaction

from visiblework.refdata.loader import load_refdata

REPO = Path(__file__).resolve().parents[2]  # /work/main
SHARED_REFDATA = (REPO / ".." / "shared" / "data" / "refdata").resolve()
IN_CI = os.environ.get("CI", "").lower() == "true"


def shared_refdata() -> Path:
    """../shared/data/refdata beside the repository: skipped when missing, but in CI a
    missing folder is a failure."""
    if not SHARED_REFDATA.is_dir():
        if IN_CI:
            pytest.fail(f"CI needs the reference data at {SHARED_REFDATA}")
        pytest.skip(f"the reference data is not at {SHARED_REFDATA}")
    return SHARED_REFDATA


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The real files loaded once for the module; everything is rolled back at its end."""
    folder = shared_refdata()
    with django_db_blocker.unblock(), transaction.atomic():
        started = time.monotonic()
        stats = load_refdata(folder, progress=False)
        stats.seconds = time.monotonic() - started
        yield stats
        transaction.set_rollback(True)
