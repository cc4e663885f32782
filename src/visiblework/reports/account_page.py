"""What the reports floor adds to a worker's own page, /accounts/me/
(settings.VISIBLEWORK_PAGE_SECTIONS): their reports and their true hourly wage over time."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from visiblework.accounts.models import Role
from visiblework.core.charts import line_chart
from visiblework.core.formats import quarter
from visiblework.core.sections import Section

from .models import Report, ReportStatus
from .services import wage_of

MAX_LISTED = 200


def my_reports(request: HttpRequest) -> Section | None:
    reports = list(Report.objects.filter(worker=request.user)
                   .select_related("platform", "client")
                   .order_by("year", "quarter", "id")[:MAX_LISTED])
    if not reports and request.user.role == Role.REPRESENTATIVE:
        return None  # a company account (reports/replies.py) that has filed no report
    rows, points = [], []
    for report in reports:
        wage = wage_of(report) if report.status != ReportStatus.WITHDRAWN else None
        rows.append((report, wage))
        if wage and wage.usd:
            points.append((quarter(report.year, report.quarter), wage.usd.effective_hourly))
    chart = line_chart(points[-12:], title=_("Your true hourly wage in US dollars, by quarter"),
                       unit="USD")
    return Section("reports/_my_reports.html", {"rows": rows, "chart": chart, "points": points})
