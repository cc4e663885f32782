"""POST /api/v1/reports (with an Idempotency-Key header); the author's own report with its
receipt: GET, and DELETE to withdraw."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Router
from ninja.responses import Status

from visiblework.cases.schemas import ErrorOut, ValidationErrorOut
from visiblework.core.ratelimit import allow

from . import services, wages
from .models import ReportStatus
from .schemas import OwnReportOut, ReportCreatedOut, ReportIn, WageOut

router = Router(tags=["reports"])
CENT = Decimal("0.01")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def wage_out(wage: wages.Wage) -> dict:
    def converted(c):
        return None if c is None else {"currency": c.currency,
                                       "effective_hourly": _money(c.effective_hourly),
                                       "nominal_hourly": _money(c.nominal_hourly),
                                       "rate_year": c.rate_year, "note": c.year_note or None}
    return {"currency": wage.currency, "effective_hourly": _money(wage.effective_hourly),
            "nominal_hourly": _money(wage.nominal_hourly),
            "unpaid_share": _money(wage.unpaid_share), "usd": converted(wage.usd),
            "ppp": converted(wage.ppp)}


def _loc(field: str) -> list[str]:
    """Where in the body a problem is: ["body", "paid_hours"], ["body", "unpaid_hours",
    "training"] (clean_report names one kind's problem `unpaid_<kind>`)."""
    if field.startswith("unpaid_") and field != "unpaid_hours":
        return ["body", "unpaid_hours", field.removeprefix("unpaid_")]
    return ["body", field]


def _errors(exc: ValidationError) -> dict:
    """422: {"detail": [{"loc": [...], "msg": "..."}]}, the messages the web form shows too."""
    return {"detail": [{"loc": _loc(field), "msg": message}
                       for field, messages in exc.message_dict.items() for message in messages]}


@router.post("/reports", response={201: ReportCreatedOut, 200: ReportCreatedOut,
                                   409: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut})
def create_report(request: HttpRequest, payload: ReportIn,
                  idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """Report pay and conditions. Keep the `receipt`: it is the only way to see, change or
    withdraw the report later. Send a new random Idempotency-Key (e.g. a UUID4) with each new
    report: repeating the same request with the same key stores nothing new and answers as
    the first time (200); the same key with another body answers 409 and reveals nothing."""
    if not allow(request, "report", 300):
        return Status(429, {"detail": _("Too many reports from here in the last hour.")})
    try:
        submission = services.submit_report(payload.dict(), worker=request.user,
                                             idempotency_key=idempotency_key)
    except services.IdempotencyConflict:
        return Status(409, {"detail": _(
            "This Idempotency-Key was already used with another report. Send each new report "
            "with a new random key.")})
    except ValidationError as exc:
        return Status(422, _errors(exc))
    body = {"receipt": submission.receipt, "wage": wage_out(submission.wage)}
    return Status(201 if submission.created else 200, body)


@router.get("/reports/{receipt}", response={200: OwnReportOut, 404: ErrorOut})
def own_report(request: HttpRequest, receipt: str):
    """The author's own report, found by its receipt code."""
    if not allow(request, "receipt", 60):
        return Status(404, {"detail": _("No report has this receipt code.")})
    report = services.find_by_receipt(receipt)
    if report is None:
        return Status(404, {"detail": _("No report has this receipt code.")})
    withdrawn = report.status == ReportStatus.WITHDRAWN
    wage = None if withdrawn else services.wage_of(report)
    return {
        "status": report.status, "platform": report.platform_label,
        "client": report.client_label, "task_type": report.task_type,
        "country": report.country, "year": report.year, "quarter": report.quarter,
        "pay_amount": _money(report.pay_amount), "currency": report.currency,
        "pay_basis": report.pay_basis, "paid_hours": str(report.paid_hours),
        "unpaid_hours": dict(report.unpaid_hours), "free_text": report.free_text,
        "wage": None if withdrawn or wage is None else WageOut(**wage_out(wage)),
    }


@router.delete("/reports/{receipt}", response={204: None, 404: ErrorOut})
def withdraw_report(request: HttpRequest, receipt: str):
    """Withdraw the report: its words leave every page; future releases exclude it."""
    report = services.find_by_receipt(receipt)
    if report is None:
        return Status(404, {"detail": _("No report has this receipt code.")})
    services.withdraw(report)
    return Status(204, None)
