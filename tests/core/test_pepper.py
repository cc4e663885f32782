"""The daily pepper of rate-limit keys: random, private, shared by the machine's processes
through one file per UTC day, replaced every day with the old file deleted."""

import os
import stat

import pytest

from visiblework.core import pepper


@pytest.fixture
def pepper_dir(settings, tmp_path):
    settings.VISIBLEWORK_RATE_LIMIT_PEPPER_DIR = tmp_path / "pepper"
    pepper.forget()
    yield tmp_path / "pepper"
    pepper.forget()


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_pepper_is_32_random_bytes_in_a_private_file_named_after_the_day(pepper_dir):
    value = pepper.pepper()
    assert len(value) == 32
    assert (pepper_dir / pepper.today()).read_bytes() == value
    assert _mode(pepper_dir) == 0o700
    assert _mode(pepper_dir / pepper.today()) == 0o600
    assert sorted(p.name for p in pepper_dir.iterdir()) == [pepper.today()]  # no temporary file


def test_another_process_on_the_machine_gets_the_same_pepper(pepper_dir):
    first = pepper.pepper()
    pepper.forget()  # as a process that starts later would
    assert pepper.pepper() == first


def test_a_process_uses_the_pepper_another_process_wrote_first(pepper_dir):
    pepper_dir.mkdir(mode=0o700)
    (pepper_dir / pepper.today()).write_bytes(b"x" * 32)
    assert pepper.pepper() == b"x" * 32


def test_a_new_day_brings_a_new_pepper_and_deletes_the_old_days_file(pepper_dir, monkeypatch):
    monkeypatch.setattr(pepper, "today", lambda: "2026-03-01")
    old = pepper.pepper()
    monkeypatch.setattr(pepper, "today", lambda: "2026-03-02")
    new = pepper.pepper()
    assert new != old
    assert sorted(p.name for p in pepper_dir.iterdir()) == ["2026-03-02"]


def test_a_damaged_pepper_file_fails_loudly(pepper_dir):
    pepper_dir.mkdir(mode=0o700)
    (pepper_dir / pepper.today()).write_bytes(b"short")
    with pytest.raises(RuntimeError, match="not a rate-limit pepper"):
        pepper.pepper()
