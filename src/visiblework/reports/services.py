"""Taking, checking, changing and withdrawing worker reports.

One validation path for the web form and the API: `clean_report` returns clean values or
raises ValidationError naming each bad field. The wage comes from reports.wages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from visiblework.cases.editing import find_actor_remembered
from visiblework.core.countries import is_country_code
from visiblework.core.formats import number
from visiblework.refdata.services import Rates, get_rates

from . import bursts, wages
from .models import (
    RATING_FIELDS,
    ContractType,
    HarmKind,
    PayBasis,
    PaymentProblem,
    Report,
    ReportStatus,
    Support,
    TaskType,
    UnpaidKind,
    YesNo,
)

MAX_FREE_TEXT = 10_000
MAX_NAME = 200
MAX_AMOUNT = Decimal("1000000000")


def _hash(value: str) -> str:
    return hashlib.sha256(value.strip().upper().encode()).hexdigest()


def _format_code(raw: bytes) -> str:
    text = base64.b32encode(raw).decode().rstrip("=")[:16]
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


ANONYMOUS_SCOPE = "anon"


class IdempotencyConflict(Exception):
    """The Idempotency-Key was already used, by this client, with another request body."""


def client_scope(worker: Any = None) -> str:
    """Whose keys these are: a worker account's own, or everybody's without an account.
    A key used in an account never finds a report sent without one, and the other way round."""
    pk = getattr(worker, "pk", None)
    return f"u{pk}" if pk else ANONYMOUS_SCOPE


def idempotency_hash(key: str, scope: str = ANONYMOUS_SCOPE) -> str:
    return hashlib.sha256(f"idem|{scope}|{key}".encode()).hexdigest()


def _canonical(value: Any) -> Any:
    """A body in one canonical form: empty values left out, numbers and text as text, keys
    sorted, so that the same report sent as JSON or by the form, with or without defaults,
    hashes alike."""
    if isinstance(value, dict):
        items = {str(k): _canonical(v) for k, v in value.items()}
        return {k: v for k, v in sorted(items.items()) if v not in (None, "", [], {})}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, bool):
        return value
    return str(value).strip()


def request_hash(data: dict[str, Any]) -> str:
    """The hash of a request body in its canonical form (an Idempotency-Key's scope)."""
    canonical = json.dumps(_canonical(data), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(f"body|{canonical}".encode()).hexdigest()


def receipt_for(idempotency_key: str | None, scope: str = ANONYMOUS_SCOPE,
                body_hash: str = "") -> str:
    """A receipt code. With an idempotency key it is derived (keyed with the secret) from the
    key, its client and its request body, so that a retry of the same request gets the same
    receipt without the code ever being stored, and the key alone is never enough."""
    if idempotency_key:
        digest = hmac.new(settings.SECRET_KEY.encode(),
                          f"receipt|{scope}|{idempotency_key}|{body_hash}".encode(),
                          hashlib.sha256).digest()
        return _format_code(digest)
    return _format_code(secrets.token_bytes(16))


# --- Validation --------------------------------------------------------------------------------


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def _decimal(errors: _Errors, data: dict, field: str, *, required: bool = False,
             default: Decimal | None = None) -> Decimal | None:
    raw = data.get(field)
    if raw in (None, ""):
        if required:
            errors.add(field, _("This field is required."))
        return default
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.add(field, _("Enter a number, like 12.50."))
        return default
    if not value.is_finite():
        errors.add(field, _("Enter a number, like 12.50."))
        return default
    if value < 0:
        errors.add(field, _("This cannot be negative."))
        return default
    if value > MAX_AMOUNT:
        errors.add(field, _("This number is too large."))
        return default
    return value


def _choice(errors: _Errors, data: dict, field: str, choices, *, required: bool = False) -> str:
    value = str(data.get(field) or "").strip()
    if not value:
        if required:
            errors.add(field, _("Choose one."))
        return ""
    if value not in choices.values:
        errors.add(field, _("Choose one of the listed answers."))
        return ""
    return value


def _choices(errors: _Errors, data: dict, field: str, choices) -> list[str]:
    values = data.get(field) or []
    if isinstance(values, str):
        values = [values]
    out = []
    for value in list(values)[:20]:
        if value not in choices.values:
            errors.add(field, _("Choose from the listed answers."))
        elif value not in out:
            out.append(value)
    return out


def _actor(errors: _Errors, data: dict, field: str, *, required: bool) -> tuple[Any, str]:
    name = str(data.get(field) or "").strip()
    if not name:
        if required:
            errors.add(field, _("Name the platform you worked on."))
        return None, ""
    if len(name) > MAX_NAME:
        errors.add(field, _("Keep the name under 200 characters."))
        return None, ""
    actor = find_actor_remembered(name)
    return (actor, "") if actor else (None, name)


def clean_report(data: dict[str, Any], *, today=None, rates: Rates | None = None
                 ) -> dict[str, Any]:
    """Check every field of a report; raise ValidationError({field: [messages]})."""
    today = today or timezone.now().date()
    rates = rates or get_rates()  # one reference-data lookup for the whole check
    errors = _Errors()
    out: dict[str, Any] = {}
    out["platform"], out["platform_name"] = _actor(errors, data, "platform", required=True)
    out["client"], out["client_name"] = _actor(errors, data, "client", required=False)
    out["task_type"] = _choice(errors, data, "task_type", TaskType, required=True)
    country = str(data.get("country") or "").strip().upper()
    if not is_country_code(country):
        errors.add("country", _("Choose the country where you did the work."))
    out["country"] = country
    try:
        year = int(data.get("year"))
        quarter = int(data.get("quarter"))
    except (TypeError, ValueError):
        year, quarter = 0, 0
    if not 2000 <= year <= today.year:
        errors.add("year", _("Give a year between 2000 and %(year)d.") % {"year": today.year})
    if quarter not in (1, 2, 3, 4):
        errors.add("quarter", _("Choose a quarter from 1 to 4."))
    elif year == today.year and quarter > (today.month - 1) // 3 + 1:
        errors.add("quarter", _("This quarter has not started yet."))
    out["year"], out["quarter"] = year, quarter

    out["pay_amount"] = _decimal(errors, data, "pay_amount", required=True)
    currency = str(data.get("currency") or "").strip().upper()
    if not rates.currency_known(currency):
        errors.add("currency", _("Give a currency code of three letters, like USD or KES."))
    out["currency"] = currency
    out["pay_basis"] = _choice(errors, data, "pay_basis", PayBasis, required=True)
    units = data.get("units")
    out["units"] = None
    if units not in (None, ""):
        try:
            out["units"] = int(units)
            if out["units"] < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors.add("units", _("Give the number of tasks as a whole number."))
    out["paid_hours"] = _decimal(errors, data, "paid_hours", required=True)
    unpaid_raw = data.get("unpaid_hours") or {}
    if not isinstance(unpaid_raw, dict):
        errors.add("unpaid_hours", _("Give unpaid hours by kind."))
        unpaid_raw = {}
    unpaid = {}
    for kind, hours in unpaid_raw.items():
        if kind not in UnpaidKind.values:
            errors.add("unpaid_hours", _("Unknown kind of unpaid time: %(kind)s")
                       % {"kind": str(kind)[:40]})
            continue
        value = _decimal(errors, {f"unpaid_{kind}": hours}, f"unpaid_{kind}")
        if value:
            unpaid[kind] = value
    out["unpaid_hours"] = unpaid
    out["fees"] = _decimal(errors, data, "fees", default=Decimal(0)) or Decimal(0)
    out["costs"] = _decimal(errors, data, "costs", default=Decimal(0)) or Decimal(0)

    out["payment_problems"] = _choice(errors, data, "payment_problems", PaymentProblem)
    rejected = _decimal(errors, data, "rejected_percent")
    if rejected is not None and rejected > 100:
        errors.add("rejected_percent", _("Give a share from 0 to 100."))
        rejected = None
    out["rejected_percent"] = rejected
    out["harmful_content"] = _choices(errors, data, "harmful_content", HarmKind)
    harmful_hours = _decimal(errors, data, "harmful_hours_per_week")
    if harmful_hours is not None and harmful_hours > 168:
        errors.add("harmful_hours_per_week", _("A week has 168 hours."))
        harmful_hours = None
    out["harmful_hours_per_week"] = harmful_hours
    out["support_offered"] = _choices(errors, data, "support_offered", Support)
    out["contract_type"] = _choice(errors, data, "contract_type", ContractType)
    for field in ("nda", "told_purpose", "could_opt_out"):
        out[field] = _choice(errors, data, field, YesNo)
    for field in RATING_FIELDS:
        raw = data.get(field)
        if raw in (None, ""):
            out[field] = None
            continue
        try:
            out[field] = int(raw)
            if not 1 <= out[field] <= 5:
                raise ValueError
        except (TypeError, ValueError):
            errors.add(field, _("Rate from 1 to 5."))
            out[field] = None
    recommend = data.get("would_recommend")
    out["would_recommend"] = (None if recommend in (None, "")
                              else str(recommend).lower() in ("true", "yes", "1"))
    text = str(data.get("free_text") or "")
    if len(text) > MAX_FREE_TEXT:
        errors.add("free_text", _("Keep your text under %(n)s characters (it has %(m)s).")
                   % {"n": number(MAX_FREE_TEXT), "m": number(len(text))})
    out["free_text"] = text.strip()

    if not errors:
        work = _work(out)
        for field, messages in wages.validate_work(work, rates,
                                                   today_year=today.year).items():
            for message in messages:
                errors.add(field, message)
    if errors:
        raise ValidationError(dict(errors))
    return out


def _work(clean: dict[str, Any]) -> wages.WorkInput:
    return wages.WorkInput(
        pay_amount=clean["pay_amount"], pay_basis=clean["pay_basis"], units=clean["units"],
        paid_hours=clean["paid_hours"], unpaid_hours=clean["unpaid_hours"],
        fees=clean["fees"], costs=clean["costs"], currency=clean["currency"],
        country=clean["country"], year=clean["year"])


def _apply(report: Report, clean: dict[str, Any], rates: Rates | None = None) -> wages.Wage:
    rates = rates or get_rates()
    for field, value in clean.items():
        if field == "unpaid_hours":
            report.unpaid_hours = {k: str(v) for k, v in value.items()}
        else:
            setattr(report, field, value)
    report.unpaid_hours_total = sum(clean["unpaid_hours"].values(), Decimal(0))
    report.region = rates.region_of(clean["country"])
    wage = wages.compute_wage(_work(clean), rates)
    report.effective_hourly = wage.effective_hourly
    report.nominal_hourly = wage.nominal_hourly
    report.unpaid_share = wage.unpaid_share
    report.effective_hourly_usd = wage.usd.effective_hourly if wage.usd else None
    report.effective_hourly_ppp = wage.ppp.effective_hourly if wage.ppp else None
    return wage


# --- Writing -----------------------------------------------------------------------------------


@dataclass
class Submission:
    report: Report
    receipt: str
    wage: wages.Wage
    created: bool


def _existing_id(key_hash: str) -> tuple[int, str] | None:
    """The id and request hash of the report an idempotency key already made, if any: by a
    written-out statement (every report with a key asks)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, request_hash FROM {Report._meta.db_table}"  # noqa: S608
                       " WHERE idempotency_hash = %s LIMIT 1", [key_hash])
        found = cursor.fetchone()
    return (found[0], found[1]) if found else None


def _repeat(found: tuple[int, str], key: str, scope: str, body_hash: str) -> Submission:
    """The first answer again, for the same key, client and body; a conflict otherwise."""
    existing_id, stored_body_hash = found
    if not stored_body_hash or not hmac.compare_digest(stored_body_hash, body_hash):
        raise IdempotencyConflict
    existing = Report.objects.select_related("platform", "client").get(pk=existing_id)
    return Submission(existing, receipt_for(key, scope, body_hash), wage_of(existing),
                      created=False)


def submit_report(data: dict[str, Any], *, worker=None,
                  idempotency_key: str | None = None) -> Submission:
    """Store a new report. With an Idempotency-Key already used by this client: the same
    body answers with the first report; another body raises IdempotencyConflict."""
    key = (idempotency_key or "").strip()[:200] or None
    owner = worker if getattr(worker, "pk", None) else None
    scope = client_scope(owner)
    key_hash = idempotency_hash(key, scope) if key else None
    body_hash = request_hash(data) if key else ""
    if key_hash and (found := _existing_id(key_hash)):
        return _repeat(found, key, scope, body_hash)
    rates = get_rates()  # once per report: checking and computing use the same snapshot
    clean = clean_report(data, rates=rates)
    receipt = receipt_for(key, scope, body_hash)
    report = Report(receipt_hash=_hash(receipt), idempotency_hash=key_hash,
                    request_hash=body_hash, worker=owner,
                    received_month=timezone.now().date().replace(day=1))
    wage = _apply(report, clean, rates)
    report.burst, burst_starts = bursts.count_anonymous(report)
    try:
        with transaction.atomic():
            report.save()
            if burst_starts:
                bursts.mark_the_rest(report)
    except IntegrityError:
        found = _existing_id(key_hash) if key_hash else None
        if found is None:
            raise
        return _repeat(found, key, scope, body_hash)
    return Submission(report, receipt, wage, created=True)


@transaction.atomic
def update_report(report: Report, data: dict[str, Any]) -> wages.Wage:
    if report.status == ReportStatus.WITHDRAWN:
        raise ValidationError({"__all__": [_("This report was withdrawn.")]})
    clean = clean_report(data)
    text_changed = clean["free_text"] != report.free_text
    wage = _apply(report, clean)
    if text_changed:  # new words need moderation again
        report.status = ReportStatus.PENDING
    report.save()
    return wage


@transaction.atomic
def withdraw(report: Report) -> None:
    """Withdraw a report: its text leaves every page and future releases exclude it."""
    report.status = ReportStatus.WITHDRAWN
    report.free_text = ""
    report.save(update_fields=["status", "free_text"])


def find_by_receipt(code: str) -> Report | None:
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    return Report.objects.select_related("platform", "client").filter(
        receipt_hash=_hash(code)).first()


def find_by_public_id(public_id: str) -> Report | None:
    if not public_id or len(public_id) > 32:
        return None
    return Report.objects.select_related("platform", "client").filter(
        public_id=public_id).first()


def as_form_data(report: Report) -> dict[str, Any]:
    """A stored report as the dict clean_report takes (for editing)."""
    data: dict[str, Any] = {
        "platform": report.platform.name if report.platform else report.platform_name,
        "client": report.client.name if report.client else report.client_name,
    }
    for field in ("task_type", "country", "year", "quarter", "pay_amount", "currency",
                  "pay_basis", "units", "paid_hours", "fees", "costs", "payment_problems",
                  "rejected_percent", "harmful_content", "harmful_hours_per_week",
                  "support_offered", "contract_type", "nda", "told_purpose", "could_opt_out",
                  "would_recommend", "free_text", *RATING_FIELDS):
        data[field] = getattr(report, field)
    data["unpaid_hours"] = dict(report.unpaid_hours)
    return data


def wage_of(report: Report) -> wages.Wage:
    return wages.compute_wage(_work(clean_from_report(report)), get_rates())


def clean_from_report(report: Report) -> dict[str, Any]:
    return {
        "pay_amount": report.pay_amount, "pay_basis": report.pay_basis, "units": report.units,
        "paid_hours": report.paid_hours,
        "unpaid_hours": {k: Decimal(v) for k, v in report.unpaid_hours.items()},
        "fees": report.fees, "costs": report.costs, "currency": report.currency,
        "country": report.country, "year": report.year,
    }
