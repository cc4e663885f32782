"""The data folder is private to the server's account (0700), and so is the secret key it
generates (0600), whatever the umask."""

import os
import stat
import subprocess
import sys

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
