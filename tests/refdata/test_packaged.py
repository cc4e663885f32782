"""The snapshot shipped in the package: what it holds, how it is made, and how migrate loads it."""

from __future__ import annotations

import datetime
import hashlib
import io
import tomllib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from visiblework.refdata import loader, packaged
from visiblework.refdata.models import ExchangeRate, Snapshot, SnapshotOrigin
from visiblework.refdata.services import get_rates

from .conftest import REPO, shared_refdata
from .test_small_folders import make_folder


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# --- What it holds -----------------------------------------------------------------------------


def test_the_shipped_snapshot_is_a_few_hundred_kilobytes_at_most():
    files = _files(packaged.SNAPSHOT_DIR)
    assert set(files) == {*packaged.FILE_NAMES.values(), packaged.METADATA_FILE}
    assert sum(len(content) for content in files.values()) <= packaged.MAX_BYTES == 400_000


def test_the_metadata_states_source_licence_version_and_date():
    meta = packaged.metadata()
    assert len(meta.version) == 12 and meta.digest.startswith(meta.version)
    assert isinstance(meta.made_on, datetime.date)
    assert meta.command == "visiblework refdata snapshot ../shared/data/refdata"
    licences = {source["file"]: source["licence"] for source in meta.sources}
    assert licences["wdi_pa.nus.fcrf.csv"] == licences["wdi_pa.nus.ppp.csv"] == "CC BY 4.0"
    assert {licences[name] for name in licences if name.startswith("country-codes")} == {"PDDL 1.0"}
    assert all(source["url"].startswith("https://") and len(source["sha256"]) == 64
               for source in meta.sources)
    assert meta.years["exchange_rates"] == [2000, 2025]


def test_the_metadata_digest_is_the_digest_of_the_shipped_files():
    files = loader.find_files(packaged.SNAPSHOT_DIR)
    assert loader.digest_of(files) == packaged.metadata().digest
    for name, info in packaged.metadata().files.items():
        assert hashlib.sha256((packaged.SNAPSHOT_DIR / name).read_bytes()).hexdigest() == info["sha256"]


def test_the_package_data_includes_the_snapshot():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "refdata/snapshot/*" in pyproject["tool"]["setuptools"]["package-data"]["visiblework"]


def test_the_repository_holds_no_copy_of_the_public_files():
    published = {source["sha256"] for source in packaged.metadata().sources}
    for top in ("src", "tests", "docs", "scripts"):
        for path in (REPO / top).rglob("*.csv"):
            assert hashlib.sha256(path.read_bytes()).hexdigest() not in published, path


# --- How it is made ----------------------------------------------------------------------------


def test_the_shipped_snapshot_is_what_the_command_makes_from_the_public_files(tmp_path):
    meta = packaged.metadata()
    call_command("refdata", "snapshot", str(shared_refdata()), "--out", str(tmp_path),
                 "--date", meta.made_on.isoformat(), stdout=io.StringIO())
    assert _files(tmp_path) == _files(packaged.SNAPSHOT_DIR)


def test_the_snapshot_holds_exactly_the_rows_the_public_files_give():
    stats = loader.LoadStats()
    public = loader.read_tables(loader.find_files(shared_refdata()), stats)
    shipped = loader.read_tables(loader.find_files(packaged.SNAPSHOT_DIR), loader.LoadStats())
    assert shipped == public
    assert stats.skipped  # Zimbabwe and the Channel Islands: left out of the snapshot too


def test_a_bad_date_for_the_snapshot_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("refdata", "snapshot", str(tmp_path), "--date", "4 December")


def test_a_folder_without_the_public_files_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no file matching"):
        call_command("refdata", "snapshot", str(tmp_path), "--out", str(tmp_path / "out"))


# --- How migrate loads it ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migrate_loads_the_packaged_snapshot_into_a_fresh_database():
    call_command("migrate", "refdata", "zero", verbosity=0)
    out = io.StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    snapshot = Snapshot.objects.get()
    assert (snapshot.origin, snapshot.digest, snapshot.made_on) == (
        SnapshotOrigin.PACKAGE, packaged.metadata().digest, packaged.metadata().made_on)
    assert ExchangeRate.objects.count() == packaged.metadata().files["wdi_pa.nus.fcrf.csv"]["rows"]
    assert "Loaded the packaged reference data" in out.getvalue()
    assert get_rates().usd_per_unit("KES", 2023) is not None


@pytest.mark.django_db
def test_migrate_again_writes_nothing_and_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert packaged.load_packaged() is None
    call_command("migrate", verbosity=0)
    assert Snapshot.objects.get().origin == SnapshotOrigin.PACKAGE


@pytest.mark.django_db
def test_a_newer_snapshot_an_administrator_loaded_is_not_overwritten_by_migrate(tmp_path):
    stats = loader.load_refdata(make_folder(tmp_path / "data"), progress=False)
    call_command("migrate", verbosity=0)
    latest = Snapshot.objects.order_by("-loaded_at", "-id").first()
    assert (latest.digest, latest.origin, latest.made_on) == (
        stats.digest, SnapshotOrigin.FOLDER, timezone.localdate())
    assert ExchangeRate.objects.count() == 2


@pytest.mark.django_db
def test_an_administrators_snapshot_older_than_the_packaged_one_is_replaced_by_migrate(tmp_path):
    stats = loader.load_refdata(make_folder(tmp_path / "data"), progress=False)
    made_before = packaged.metadata().made_on - datetime.timedelta(days=1)
    Snapshot.objects.filter(digest=stats.digest).update(made_on=made_before)
    call_command("migrate", verbosity=0)
    assert Snapshot.objects.order_by("-loaded_at", "-id").first().digest == packaged.metadata().digest
    assert ExchangeRate.objects.count() > 5000


def test_a_snapshot_from_an_older_package_gives_way_and_a_newer_one_stays():
    meta = packaged.metadata()
    older = Snapshot(digest="0" * 64, origin=SnapshotOrigin.PACKAGE, loaded_at=timezone.now(),
                     made_on=meta.made_on - datetime.timedelta(days=30))
    newer = Snapshot(digest="1" * 64, origin=SnapshotOrigin.PACKAGE, loaded_at=timezone.now(),
                     made_on=meta.made_on + datetime.timedelta(days=30))
    assert packaged.newer_in_use(older, meta) is False
    assert packaged.newer_in_use(newer, meta) is True
    assert packaged.newer_in_use(None, meta) is False


@pytest.mark.django_db
def test_a_broken_package_is_reported_by_migrate_without_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr(packaged, "SNAPSHOT_DIR", tmp_path)
    Snapshot.objects.all().delete()
    out = io.StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    assert "The packaged reference data was not loaded" in out.getvalue()
