"""The search documents written before labels and stems existed are filled by the migration
that adds them, and found by the rebuilt full-text index."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("cases", "0005_actor_name_upper_indexes")]


@pytest.mark.django_db(transaction=True)
def test_documents_from_before_get_their_labels_and_stems_and_are_found_by_them():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    case = old.get_model("cases", "Case").objects.create(
        slug="old", title="Moderators organised", summary="s", status="published")
    old.get_model("cases", "CaseCountry").objects.create(case=case, code="KE")
    old.get_model("cases", "SearchDocument").objects.create(
        case=case, title=case.title, summary="s", body="", actors="", sources="")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)

    from visiblework.cases.search import get_backend
    from visiblework.core.search import parse_query

    for q in ["كينيا", "organize", "moderation"]:
        assert list(get_backend().search(parse_query(q), 10, 10)) == [case.pk]
