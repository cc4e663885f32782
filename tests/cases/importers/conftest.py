"""Fixtures of the importer tests: the hand-made files beside this module, and the shared AI
Incident Database snapshot (read in place from ../shared/data, never copied)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
# The folder `shared` beside the repository root (/work/main → /work/shared/data).
SHARED_DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


@pytest.fixture
def aiid_snapshot() -> Path:
    path = (SHARED_DATA / "aiid_snapshot").resolve()
    if not (path / "incidents.csv").is_file():
        reason = (f"the AI Incident Database snapshot is missing: expected {path}/incidents.csv "
                  "(the shared data folder beside the repository)")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture
def data() -> Path:
    return DATA
