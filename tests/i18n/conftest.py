import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    """A request with ?lang= leaves its language active in this thread: switch back after each
    test, so that later tests (which read English messages) are not run in Arabic."""
    yield
    translation.deactivate()
