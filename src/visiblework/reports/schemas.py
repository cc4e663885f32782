"""API schemas for reports: explicit fields in, explicit fields out (only to the author)."""

from __future__ import annotations

from ninja import Schema

from visiblework.cases.schemas import Out


class ReportIn(Schema):
    platform: str
    client: str | None = None
    task_type: str
    country: str
    year: int
    quarter: int
    pay_amount: str
    currency: str
    pay_basis: str
    units: int | None = None
    paid_hours: float | str
    unpaid_hours: dict[str, float | str] = {}
    fees: str = "0"
    costs: str = "0"
    payment_problems: str = ""
    rejected_percent: float | str | None = None
    harmful_content: list[str] = []
    harmful_hours_per_week: float | str | None = None
    support_offered: list[str] = []
    contract_type: str = ""
    nda: str = ""
    told_purpose: str = ""
    could_opt_out: str = ""
    rating_fair_pay: int | None = None
    rating_fair_conditions: int | None = None
    rating_fair_contracts: int | None = None
    rating_fair_management: int | None = None
    rating_fair_representation: int | None = None
    rating_communication: int | None = None
    rating_payment_promptness: int | None = None
    rating_rejection_fairness: int | None = None
    would_recommend: bool | None = None
    free_text: str = ""


class ConvertedOut(Out):
    currency: str
    effective_hourly: str
    nominal_hourly: str | None


class WageOut(Out):
    currency: str
    effective_hourly: str
    nominal_hourly: str | None
    unpaid_share: str
    usd: ConvertedOut | None
    ppp: ConvertedOut | None


class ReportCreatedOut(Out):
    receipt: str
    wage: WageOut


class OwnReportOut(Out):
    status: str
    platform: str
    client: str
    task_type: str
    country: str
    year: int
    quarter: int
    pay_amount: str
    currency: str
    pay_basis: str
    paid_hours: str
    unpaid_hours: dict[str, str]
    free_text: str
    wage: WageOut | None
