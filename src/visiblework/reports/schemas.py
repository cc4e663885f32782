"""API schemas for reports: explicit fields in, explicit fields out (only to the author)."""

from datetime import date
from typing import Annotated, Any

import pycountry
from ninja import Schema
from pydantic import ConfigDict, Field, WithJsonSchema

from visiblework.cases.schemas import Out
from visiblework.refdata.services import iso4217_codes

from .bounds import BOUNDS, Bound, year_bound
from .models import ContractType, HarmKind, PayBasis, PaymentProblem, Support, TaskType, UnpaidKind, YesNo
from .services import MAX_FREE_TEXT, MAX_NAME

# What the reference data and the code accept: every current ISO 4217 code of money (and the
# historic codes refdata converts), every ISO 3166 alpha-2 code (core.countries).
CURRENCIES = sorted(iso4217_codes())
COUNTRIES = sorted(country.alpha_2 for country in pycountry.countries)


def _loose(schema: dict[str, Any]) -> Any:
    """Any JSON value in Python (clean_report checks it); `schema` in the OpenAPI document."""
    return Annotated[Any, WithJsonSchema(schema)]


def _number(bound: Bound, description: str, *, nullable: bool = False) -> dict[str, Any]:
    """A number within `bound`: a JSON number, or text (here: plain digits and a point)."""
    places = "" if bound.places == 0 else f"([.][0-9]{{1,{bound.places}}})?"
    digits = len(str(int(bound.maximum))) - 1
    options: list[dict[str, Any]] = [
        {"type": "number", **bound.as_json_schema()},
        {"type": "string", "pattern": f"^[0-9]{{1,{digits}}}{places}$"}]
    if nullable:
        options.append({"type": "null"})
    return {"anyOf": options, "description": description}


def _whole(bound: Bound, description: str, *, nullable: bool = True) -> dict[str, Any]:
    return {"type": ["integer", "null"] if nullable else "integer", **bound.as_json_schema(),
            "description": description}


def _one_of(values, description: str, *, blank: bool = True) -> dict[str, Any]:
    return {"type": "string", "enum": [""] * blank + list(values), "description": description}


def _some_of(values, description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string", "enum": list(values)},
            "uniqueItems": True, "maxItems": len(values), "description": description}


def _text(max_length: int, description: str, *, min_length: int = 0) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length, "maxLength": max_length,
            "description": description}


NUMBER_RULE = ("A JSON number, or text: \"1,234.50\", \"1.234,50\" and \"1 234,50\" are 1234.50, "
               "\"12,50\" is 12.50 (docs/api.md has the rule). Rounded half up to %(places)d "
               "decimal places; above zero, at least the smallest amount they keep.")
MONEY_RULE = NUMBER_RULE % {"places": BOUNDS["pay_amount"].places}
HOURS_RULE = NUMBER_RULE % {"places": BOUNDS["paid_hours"].places}
RATING = _whole(BOUNDS["rating"], "1 (very bad) to 5 (very good).")
YES_NO = YesNo.values
REQUIRED = ["platform", "task_type", "country", "year", "quarter", "pay_amount", "currency",
            "pay_basis", "paid_hours"]


class ReportIn(Schema):
    """A worker's report. Every field takes any JSON value in Python: services.clean_report
    checks them all, for the API and the web form alike, and answers 422 with its message by
    each field. The JSON schema declares what is valid (enums, bounds: reports.bounds, also
    in docs/wages-and-reference-data.md), so that clients and fuzzers can send valid reports."""

    model_config = ConfigDict(json_schema_extra={"required": REQUIRED})

    platform: _loose(_text(MAX_NAME, "The platform or company worked through; a new name is "
                           "kept for an editor to check.", min_length=1)) = None
    client: _loose(_text(MAX_NAME, "The client the work was for, if known.")) = None
    task_type: _loose(_one_of(TaskType.values, "The kind of work.", blank=False)) = None
    country: _loose(_one_of(COUNTRIES, "Where the work was done: ISO 3166 alpha-2.",
                            blank=False)) = None
    year: _loose(_whole(year_bound(date.today().year), "The year of the work, 2000 to this "
                        "year.", nullable=False)) = None
    quarter: _loose(_whole(BOUNDS["quarter"], "The quarter of the work, 1 to 4 (one that has "
                           "started).", nullable=False)) = None
    pay_amount: _loose(_number(BOUNDS["pay_amount"], "The pay for the work described (per "
                               "task: for one task), before fees. " + MONEY_RULE)) = None
    currency: _loose(_one_of(CURRENCIES, "The pay's currency: ISO 4217.", blank=False)) = None
    pay_basis: _loose(_one_of(PayBasis.values, "What the pay is for.", blank=False)) = None
    units: _loose(_whole(BOUNDS["units"], "The number of tasks: at least 1 for per_task.")) = None
    paid_hours: _loose(_number(BOUNDS["paid_hours"], "Paid hours; with the unpaid hours at "
                               "most 24 (per_day), 168 (per_week), 744 (per_month) or 2184 (a "
                               "quarter: the other bases). " + HOURS_RULE)) = None
    unpaid_hours: _loose({
        "type": "object", "additionalProperties": False,
        "propertyNames": {"enum": list(UnpaidKind.values)},
        "properties": {kind: _number(BOUNDS["unpaid_hours"], f"Unpaid hours: {kind}.")
                       for kind in UnpaidKind.values},
        "description": "Unpaid hours of this same work, by kind. " + HOURS_RULE}) = None
    # "0" as before: a body that spells these defaults out is the same request (idempotency).
    fees: _loose(_number(BOUNDS["fees"], "Fees taken from the pay, in its currency (default "
                         "0). " + MONEY_RULE)) = "0"
    costs: _loose(_number(BOUNDS["costs"], "The worker's own costs for this work, in the pay's "
                          "currency (default 0). " + MONEY_RULE)) = "0"
    payment_problems: _loose(_one_of(PaymentProblem.values, "Late or missing pay.")) = None
    rejected_percent: _loose(_number(BOUNDS["rejected_percent"], "The share of the work "
                                     "rejected, 0 to 100.", nullable=True)) = None
    harmful_content: _loose(_some_of(HarmKind.values, "Kinds of harmful content seen.")) = None
    harmful_hours_per_week: _loose(_number(BOUNDS["harmful_hours_per_week"], "Hours a week "
                                           "with harmful content.", nullable=True)) = None
    support_offered: _loose(_some_of(Support.values, "Support offered.")) = None
    contract_type: _loose(_one_of(ContractType.values, "The contract.")) = None
    nda: _loose(_one_of(YES_NO, "Signed a non-disclosure agreement.")) = None
    told_purpose: _loose(_one_of(YES_NO, "Told what the data is for.")) = None
    could_opt_out: _loose(_one_of(YES_NO, "Could say no to some uses or tasks.")) = None
    rating_fair_pay: _loose(RATING) = None
    rating_fair_conditions: _loose(RATING) = None
    rating_fair_contracts: _loose(RATING) = None
    rating_fair_management: _loose(RATING) = None
    rating_fair_representation: _loose(RATING) = None
    rating_communication: _loose(RATING) = None
    rating_payment_promptness: _loose(RATING) = None
    rating_rejection_fairness: _loose(RATING) = None
    would_recommend: _loose({"type": ["boolean", "null"]}) = None
    free_text: _loose(_text(MAX_FREE_TEXT, "In the worker's own words; an editor reads it "
                            "before it is shown.")) = None


class ConvertedOut(Out):
    currency: str
    effective_hourly: str
    nominal_hourly: str | None
    rate_year: int = Field(description=(
        "The year of the exchange rate (or PPP factor) used: the report's year, or the last "
        "published year when the report's year has none yet."))
    note: str | None = Field(description=(
        'Null when the report\'s own year was used; otherwise says so, e.g. "at the 2025 rate '
        '(the 2026 rate is not published yet)".'))


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
