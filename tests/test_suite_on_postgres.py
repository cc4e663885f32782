"""The suite's second run, on PostgreSQL, leaves out only the tests marked
`database_independent`, and refuses such a mark on a test that uses the database."""

from dataclasses import dataclass, field

import pytest

from .conftest import split_database_independent


@dataclass
class Item:
    nodeid: str
    markers: tuple[str, ...] = ()
    fixturenames: list[str] = field(default_factory=list)

    def get_closest_marker(self, name: str):
        return name if name in self.markers else None


def test_only_the_tests_marked_database_independent_are_left_out():
    plain, marked = Item("a"), Item("b", ("database_independent",))
    uses_db = Item("c", ("django_db",), ["db"])
    assert split_database_independent([plain, marked, uses_db]) == ([plain, uses_db], [marked])


@pytest.mark.parametrize("item", [
    Item("marked-db", ("database_independent", "django_db")),
    Item("fixture-db", ("database_independent",), ["transactional_db"]),
    Item("live", ("database_independent",), ["live_server"]),
])
def test_a_test_marked_database_independent_that_uses_the_database_stops_the_run(item):
    with pytest.raises(pytest.UsageError, match=item.nodeid):
        split_database_independent([item])
