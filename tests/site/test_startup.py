"""A process that loads the site (each server worker, each command) imports OpenDP's own
modules, not its prelude: the prelude imports every extra, scikit-learn and SciPy among them
where they are installed, which cost each process about a second."""

import os
import subprocess
import sys

LOAD_EVERYTHING = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # imports every view
import visiblework.insights.dp_mechanisms  # the release engine
heavy = ("opendp.prelude", "opendp.extras.sklearn", "opendp.extras.numpy", "sklearn")
print(sorted(name for name in sys.modules if name.startswith(heavy)))
"""


def test_loading_every_page_and_the_release_engine_imports_no_opendp_prelude(tmp_path):
    env = {**os.environ, "VISIBLEWORK_HOME": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "visiblework.settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", LOAD_EVERYTHING], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
