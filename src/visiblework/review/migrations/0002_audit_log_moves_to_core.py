"""The audit log moves to the ground floor (core), keeping every row: the table is renamed
here and the model leaves this app's state; core's migration 0001 takes it over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("review", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="AuditEntry", table="core_auditentry"),
            ],
            state_operations=[
                migrations.DeleteModel(name="AuditEntry"),
            ],
        ),
    ]
