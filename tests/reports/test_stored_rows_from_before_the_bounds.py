"""Rows stored before the bounds (reports/bounds.py) could hold no hours, or (on SQLite,
which does not enforce a decimal column's size) wages too large for their columns: migration
0003 forgets such wages, and pages that read the rows answer."""

import importlib

import pytest
from django.db import connection

from visiblework.reports import services
from visiblework.reports.models import Report

from .test_reports import REPORT, post

MIGRATION = importlib.import_module(
    "visiblework.reports.migrations.0003_public_ids_scoped_idempotency_bursts")


class _Editor:
    """What the migration function uses of a schema editor, on the test's connection."""

    quote_name = staticmethod(connection.ops.quote_name)

    @staticmethod
    def execute(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _row_without_hours(anonymous) -> tuple[Report, str]:
    receipt = post(anonymous, REPORT).json()["receipt"]
    report = Report.objects.get()
    Report.objects.filter(pk=report.pk).update(paid_hours=0, unpaid_hours={},
                                               unpaid_hours_total=0, effective_hourly=None,
                                               nominal_hourly=None)
    report.refresh_from_db()
    return report, receipt


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite",
                    reason="PostgreSQL refuses such values when they are written")
def test_the_migration_forgets_derived_wages_that_do_not_fit_their_columns(catalogue,
                                                                          anonymous):
    report, _receipt = _row_without_hours(anonymous)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reports_report SET effective_hourly = 1e17, "
                       "nominal_hourly = -1e17")
    MIGRATION.forget_derived_values_that_do_not_fit(None, _Editor())
    report.refresh_from_db()
    assert report.effective_hourly is None and report.nominal_hourly is None


@pytest.mark.django_db
def test_a_stored_report_without_hours_has_no_wage_instead_of_an_error(catalogue, anonymous,
                                                                       editor):
    report, receipt = _row_without_hours(anonymous)
    assert services.wage_of(report) is None
    answer = anonymous.get(f"/api/v1/reports/{receipt}")
    assert answer.status_code == 200 and answer.json()["wage"] is None
    assert editor.get("/admin/reports/report/").status_code == 200
    assert editor.get(f"/admin/reports/report/{report.pk}/change/").status_code == 200
