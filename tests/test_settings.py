"""The data folder is private to the server's account (0700), and so is the secret key it
generates (0600), whatever the umask. The typed settings helpers read numbers strictly, and
the lifetime privacy budget has its documented defaults."""

import os
import stat
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from visiblework import settings as vw_settings

from .core.test_backup import clean_env


def _start(home, tmp_path) -> None:
    """Load the settings in a fresh Python, as a server start would, under umask 022."""
    code = "import os; os.umask(0o022); import visiblework.settings"
    done = subprocess.run([sys.executable, "-c", code], env=clean_env(home), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_data_folder_and_its_secret_key_are_private(tmp_path):
    home = tmp_path / "var"
    _start(home, tmp_path)
    assert _mode(home) == 0o700
    assert _mode(home / "secret_key") == 0o600


def test_an_existing_data_folder_open_to_others_is_made_private(tmp_path):
    home = tmp_path / "var"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    _start(home, tmp_path)
    assert _mode(home) == 0o700


@pytest.mark.parametrize("value", ["ten", "1e-5e", "nan", "inf", "-inf"])
def test_a_budget_that_cannot_be_read_as_a_finite_number_fails_loudly(monkeypatch, value):
    monkeypatch.setenv("VISIBLEWORK_WORKER_DELTA_BUDGET", value)
    with pytest.raises(ImproperlyConfigured, match="VISIBLEWORK_WORKER_DELTA_BUDGET"):
        vw_settings.env_float("VISIBLEWORK_WORKER_DELTA_BUDGET", 1e-5)


def test_a_number_setting_reads_decimals_and_exponents(monkeypatch):
    monkeypatch.setenv("VISIBLEWORK_WORKER_EPSILON_BUDGET", " 4.5 ")
    assert vw_settings.env_float("VISIBLEWORK_WORKER_EPSILON_BUDGET", 10.0) == 4.5
    monkeypatch.setenv("VISIBLEWORK_WORKER_EPSILON_BUDGET", "2e-6")
    assert vw_settings.env_float("VISIBLEWORK_WORKER_EPSILON_BUDGET", 10.0) == 2e-6
    monkeypatch.delenv("VISIBLEWORK_WORKER_EPSILON_BUDGET")
    assert vw_settings.env_float("VISIBLEWORK_WORKER_EPSILON_BUDGET", 10.0) == 10.0


def test_the_lifetime_budget_defaults_to_epsilon_10_and_delta_1e_5():
    assert vw_settings.VISIBLEWORK_WORKER_EPSILON_BUDGET == 10.0
    assert vw_settings.VISIBLEWORK_WORKER_DELTA_BUDGET == 1e-5
