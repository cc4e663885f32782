"""`visiblework bench`'s options (site/management/commands/bench.py)."""

import re

import pytest

from visiblework.benchmarks.run import FULL, QUICK
from visiblework.site.management.commands.bench import Command

# The command's parser builds no database connection: nothing here needs the test database.
pytestmark = pytest.mark.database_independent


def run_help(capsys) -> str:
    with pytest.raises(SystemExit):
        Command().run_from_argv(["visiblework", "bench", "run", "--help"])
    return " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize("option, field", [
    ("--cases", "cases"), ("--reports", "reports"), ("--csv-rows", "csv_rows"),
    ("--intake-clients", "intake_clients"), ("--release-reports", "release_reports"),
    ("--intake-seconds", "intake_seconds"), ("--http-seconds", "http_seconds")])
def test_each_size_option_gives_the_full_and_quick_sizes_the_run_uses(capsys, option, field):
    found = re.search(rf"{option} \S+ [^(]*\(full: ([\d,.]+); quick: ([\d,.]+)\)",
                      run_help(capsys))
    assert found, option
    assert found.groups() == (f"{getattr(FULL, field):,}", f"{getattr(QUICK, field):,}")
