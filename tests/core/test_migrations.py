"""The audit log moved from the review app to core with every row and its permissions."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("review", "0001_initial"), ("core", None)]


@pytest.mark.django_db(transaction=True)
def test_moving_the_audit_log_to_core_keeps_every_row_and_its_content_type():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state([("review", "0001_initial"),
                                         ("contenttypes", "0002_remove_content_type_name")]).apps
    old.get_model("review", "AuditEntry").objects.create(
        user_label="an editor", action="edit", object_type="cases.case", object_id="1",
        summary="an entry from before the move")
    content_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="review", model="auditentry")[0]

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)

    from django.contrib.contenttypes.models import ContentType

    from visiblework.core.models import AuditEntry

    assert AuditEntry.objects.get().summary == "an entry from before the move"
    moved = ContentType.objects.get(pk=content_type.pk)
    assert (moved.app_label, moved.model) == ("core", "auditentry")
