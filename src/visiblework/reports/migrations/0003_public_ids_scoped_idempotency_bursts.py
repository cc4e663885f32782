"""Random public ids for reports (no sequential id of worker data in public), the request
hash that scopes an Idempotency-Key to its body, and the burst mark for editors."""

import secrets

from django.db import migrations, models

import visiblework.reports.models


def fill_public_ids(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    batch = []
    for report in Report.objects.filter(public_id__isnull=True).only("id").iterator(chunk_size=2000):
        report.public_id = secrets.token_urlsafe(12)
        batch.append(report)
        if len(batch) >= 2000:
            Report.objects.bulk_update(batch, ["public_id"])
            batch = []
    if batch:
        Report.objects.bulk_update(batch, ["public_id"])


DERIVED = ("effective_hourly", "nominal_hourly", "unpaid_share", "effective_hourly_usd",
           "effective_hourly_ppp")


def forget_derived_values_that_do_not_fit(apps, schema_editor):
    """Rows stored before reports/bounds.py could hold wages too large for their columns (or
    infinite, on SQLite), which broke every page that read them. Such derived values are
    forgotten (they are recomputed from the raw values when they can be)."""
    table = schema_editor.quote_name("reports_report")
    too_large = " OR ".join(f"ABS({schema_editor.quote_name(c)}) >= 1e12" for c in DERIVED)
    nulls = ", ".join(f"{schema_editor.quote_name(c)} = NULL" for c in DERIVED)
    schema_editor.execute(f"UPDATE {table} SET {nulls} WHERE {too_large}")  # noqa: S608


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_report_synthetic"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="public_id",
            field=models.CharField(editable=False, max_length=16, null=True),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.RunPython(forget_derived_values_that_do_not_fit, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="report",
            name="public_id",
            field=models.CharField(default=visiblework.reports.models.new_public_id,
                                   editable=False, max_length=16, unique=True),
        ),
        migrations.AddField(
            model_name="report",
            name="request_hash",
            field=models.CharField(blank=True, editable=False, max_length=64, default=""),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="BurstCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("key", models.CharField(max_length=64)),
                ("day", models.DateField()),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("key", "day"),
                                                        name="burst_count_unique")],
            },
        ),
        migrations.AddField(
            model_name="report",
            name="burst",
            field=models.BooleanField(default=False, help_text="One of many reports without an account about the same organisation and country in a short time: look at them together before publishing words.", verbose_name="part of a burst"),
        ),
    ]
