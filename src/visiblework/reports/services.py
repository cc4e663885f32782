"""Taking, checking, changing and withdrawing worker reports.

One validation path for the web form and the API: `clean_report` returns clean values or
raises ValidationError naming each bad field. The wage comes from reports.wages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast, overload

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _

from visiblework.cases.editing import find_actor_remembered
from visiblework.core.countries import is_country_code
from visiblework.core.formats import number
from visiblework.refdata.services import Rates, get_rates

from . import bounds, bursts, wages
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

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from visiblework.accounts.models import User

MAX_FREE_TEXT = 10_000
MAX_NAME = 200
ZERO = Decimal(0)


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
    # surrogatepass: a lone surrogate (valid JSON, "\\ud800") must reach clean_report, which
    # refuses it with a message; every other body hashes as before.
    return hashlib.sha256(f"body|{canonical}".encode("utf-8", "surrogatepass")).hexdigest()


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

# The fields wages.validate_work checks together (hours against the pay basis, the wage).
WORK_FIELDS = ("pay_amount", "pay_basis", "units", "paid_hours", "unpaid_hours", "fees", "costs",
               "currency", "country", "year")
# Text with these is refused: C0 controls but tab and line ends (NUL above all: PostgreSQL
# cannot keep it), DEL, and lone surrogates (not UTF-8: nothing can store or show them).
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


Message = Callable[[], str]  # a message, made (translated) only when it is needed


class _Errors(dict[str, list[str]]):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


@lru_cache(maxsize=32)
def _allowed(choices: type[TextChoices]) -> frozenset[str]:
    """The values of a TextChoices class, as a set (its `.values` is rebuilt at each call)."""
    return frozenset(choices.values)


def _blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _number(errors: _Errors, data: dict[str, Any], field: str, bound: bounds.Bound, *,
            required: bool = False, default: Decimal | None = None,
            missing: Message | None = None) -> Decimal | None:
    """A number within its bound, rounded to its column's places (reports.bounds); `missing`
    says what to give when a required one is not given."""
    raw = data.get(field)
    if _blank(raw):
        if required:
            errors.add(field, missing() if missing else _("This field is required."))
        return default
    try:
        return bounds.read_number(raw, bound)
    except bounds.NumberError as exc:
        errors.add(field, str(exc))
        return default


def _whole(errors: _Errors, data: dict[str, Any], field: str, bound: bounds.Bound, *,
           unreadable: Message, out_of_bounds: Message | None = None, required: bool = False,
           missing: Message | None = None) -> int | None:
    """A whole number within its bound. `unreadable` says what to give instead of something
    that is not a whole number; `out_of_bounds` (default: the bound's own words) when it is
    one outside the bound; `missing` (default: `unreadable`) when a required one is not
    given. Messages are made only when needed."""
    raw = data.get(field)
    if _blank(raw):
        if required:
            errors.add(field, (missing or unreadable)())
        return None
    try:
        return bounds.read_whole(raw, bound)
    except bounds.NumberError as exc:
        if exc.kind != "range":
            errors.add(field, unreadable())
        else:
            errors.add(field, out_of_bounds() if out_of_bounds else str(exc))
        return None


def _text(errors: _Errors, data: dict[str, Any], field: str) -> str:
    raw = data.get(field)
    if raw is None:
        return ""
    if not isinstance(raw, str):
        errors.add(field, _("Enter text."))
        return ""
    if _UNSAFE_TEXT.search(raw):
        errors.add(field, _("This text has invisible control characters or a broken character: "
                            "type it again without them."))
        return ""
    return raw.strip()


def _choice(errors: _Errors, data: dict[str, Any], field: str, choices: type[TextChoices], *,
            required: bool = False, unknown: Message | None = None,
            missing: Message | None = None) -> str:
    raw = data.get(field)
    if _blank(raw):
        if required:
            errors.add(field, missing() if missing else _("Choose one."))
        return ""
    value = raw.strip() if isinstance(raw, str) else ""
    if value not in _allowed(choices):
        errors.add(field, unknown() if unknown else _("Choose one of the listed answers."))
        return ""
    return value


def _choices(errors: _Errors, data: dict[str, Any], field: str, choices: type[TextChoices]
             ) -> list[str]:
    values = data.get(field)
    if _blank(values):
        return []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        errors.add(field, _("Choose from the listed answers."))
        return []
    out: list[str] = []
    for value in values:
        if not isinstance(value, str) or value not in _allowed(choices):
            errors.add(field, _("Choose from the listed answers."))
            return []
        if value not in out:
            out.append(value)
    return out


def _code(errors: _Errors, data: dict[str, Any], field: str, known: Callable[[str], bool],
          message: Message) -> str:
    """A currency or country code: letters, any case."""
    raw = data.get(field)
    code = raw.strip().upper() if isinstance(raw, str) else ""
    if not known(code):
        errors.add(field, message())
        return ""
    return code


def _actor(errors: _Errors, data: dict[str, Any], field: str, *, required: bool) -> tuple[Any, str]:
    name = _text(errors, data, field)
    if field in errors:
        return None, ""
    if not name:
        if required:
            errors.add(field, _("Name the platform you worked on."))
        return None, ""
    if len(name) > MAX_NAME:
        errors.add(field, _("Keep the name under 200 characters."))
        return None, ""
    actor = find_actor_remembered(name)
    return (actor, "") if actor else (None, name)


def _yes_no(errors: _Errors, data: dict[str, Any], field: str) -> bool | None:
    raw = data.get(field)
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower() if isinstance(raw, str | int) else ""
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    errors.add(field, _("Choose yes or no."))
    return None


def _unpaid(errors: _Errors, data: dict[str, Any]) -> dict[str, Decimal]:
    """Unpaid hours by kind: {kind: hours above zero}; a kind's problem is on `unpaid_<kind>`."""
    raw = data.get("unpaid_hours")
    if _blank(raw):
        return {}
    if not isinstance(raw, dict):
        errors.add("unpaid_hours", bounds.unpaid_not_by_kind())
        return {}
    unknown = [kind for kind in raw if kind not in _allowed(UnpaidKind)]
    if unknown:
        errors.add("unpaid_hours", bounds.unknown_unpaid_kind(unknown[0]))
    unpaid = {}
    for kind in UnpaidKind.values:
        if kind in raw:
            value = _number(errors, {f"unpaid_{kind}": raw[kind]}, f"unpaid_{kind}",
                            bounds.BOUNDS["unpaid_hours"])
            if value:
                unpaid[kind] = value
    return unpaid


def clean_report(data: dict[str, Any], *, today: date | None = None, rates: Rates | None = None
                 ) -> dict[str, Any]:
    """Check every field of a report; raise ValidationError({field: [messages]}).

    The one check for the web form and the API, with one set of words (reports.bounds has
    the numbers' bounds and the reading rule): any JSON value or typed text may come in.
    A number is rounded to its column's places; a problem with the unpaid hours of one kind
    is on `unpaid_<kind>`."""
    today = today or timezone.now().date()
    rates = rates or get_rates()  # one reference-data lookup for the whole check
    errors = _Errors()
    out: dict[str, Any] = {}
    out["platform"], out["platform_name"] = _actor(errors, data, "platform", required=True)
    out["client"], out["client_name"] = _actor(errors, data, "client", required=False)
    out["task_type"] = _choice(errors, data, "task_type", TaskType, required=True,
                               missing=bounds.missing_task_type)
    out["country"] = _code(errors, data, "country", is_country_code, bounds.unknown_country)

    def bad_year() -> str:
        return bounds.bad_year(today.year)

    year = _whole(errors, data, "year", bounds.year_bound(today.year), unreadable=bad_year,
                  out_of_bounds=bad_year, required=True, missing=bounds.missing_year)
    quarter = _whole(errors, data, "quarter", bounds.BOUNDS["quarter"],
                     unreadable=bounds.bad_quarter, out_of_bounds=bounds.bad_quarter,
                     required=True)
    if year == today.year and quarter and quarter > (today.month - 1) // 3 + 1:
        errors.add("quarter", _("This quarter has not started yet."))
    out["year"], out["quarter"] = year or 0, quarter or 0

    out["pay_amount"] = _number(errors, data, "pay_amount", bounds.BOUNDS["pay_amount"],
                                required=True, missing=bounds.missing_pay)
    out["currency"] = _code(errors, data, "currency", rates.currency_known,
                            bounds.unknown_currency)
    out["pay_basis"] = _choice(errors, data, "pay_basis", PayBasis, required=True,
                               unknown=bounds.unknown_pay_basis, missing=bounds.unknown_pay_basis)
    out["units"] = _whole(errors, data, "units", bounds.BOUNDS["units"],
                          unreadable=bounds.bad_units)
    out["paid_hours"] = _number(errors, data, "paid_hours", bounds.BOUNDS["paid_hours"],
                                required=True, missing=bounds.missing_paid_hours)
    out["unpaid_hours"] = _unpaid(errors, data)
    out["fees"] = _number(errors, data, "fees", bounds.BOUNDS["fees"], default=ZERO) or ZERO
    out["costs"] = _number(errors, data, "costs", bounds.BOUNDS["costs"], default=ZERO) or ZERO

    out["payment_problems"] = _choice(errors, data, "payment_problems", PaymentProblem)
    out["rejected_percent"] = _number(errors, data, "rejected_percent",
                                      bounds.BOUNDS["rejected_percent"])
    out["harmful_content"] = _choices(errors, data, "harmful_content", HarmKind)
    out["harmful_hours_per_week"] = _number(errors, data, "harmful_hours_per_week",
                                            bounds.BOUNDS["harmful_hours_per_week"])
    out["support_offered"] = _choices(errors, data, "support_offered", Support)
    out["contract_type"] = _choice(errors, data, "contract_type", ContractType)
    for field in ("nda", "told_purpose", "could_opt_out"):
        out[field] = _choice(errors, data, field, YesNo)
    for field in RATING_FIELDS:
        out[field] = _whole(errors, data, field, bounds.BOUNDS["rating"],
                            unreadable=bounds.bad_rating, out_of_bounds=bounds.bad_rating)
    out["would_recommend"] = _yes_no(errors, data, "would_recommend")
    text = _text(errors, data, "free_text")
    if len(text) > MAX_FREE_TEXT:
        errors.add("free_text", _("Keep your text under %(n)s characters (it has %(m)s).")
                   % {"n": number(MAX_FREE_TEXT), "m": number(len(text))})
    out["free_text"] = text

    if not any(field in WORK_FIELDS or field.startswith("unpaid_") for field in errors):
        for field, messages in wages.validate_work(_work(out), rates,
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


@overload
def _kept(value: Decimal, places: int = ...) -> Decimal: ...
@overload
def _kept(value: Decimal | None, places: int = ...) -> Decimal | None: ...
def _kept(value: Decimal | None, places: int = bounds.MONEY_PLACES) -> Decimal | None:
    """A derived value as its column keeps it: rounded half up (validate_work checked it fits)."""
    return None if value is None else value.quantize(Decimal(1).scaleb(-places),
                                                     rounding=ROUND_HALF_UP)


def _apply(report: Report, clean: dict[str, Any], rates: Rates | None = None) -> wages.Wage:
    rates = rates or get_rates()
    for field, value in clean.items():
        if field == "unpaid_hours":
            report.unpaid_hours = {k: str(v) for k, v in value.items()}
        else:
            setattr(report, field, value)
    report.unpaid_hours_total = _kept(sum(clean["unpaid_hours"].values(), ZERO),
                                      bounds.HOURS_PLACES)
    report.region = rates.region_of(clean["country"])
    wage = wages.compute_wage(_work(clean), rates)
    report.effective_hourly = _kept(wage.effective_hourly)
    report.nominal_hourly = _kept(wage.nominal_hourly)
    report.unpaid_share = _kept(wage.unpaid_share, bounds.SHARE_PLACES)
    report.effective_hourly_usd = _kept(wage.usd.effective_hourly) if wage.usd else None
    report.effective_hourly_ppp = _kept(wage.ppp.effective_hourly) if wage.ppp else None
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


def _repeat(found: tuple[int, str], key: str | None, scope: str, body_hash: str) -> Submission:
    """The first answer again, for the same key, client and body; a conflict otherwise."""
    existing_id, stored_body_hash = found
    if not stored_body_hash or not hmac.compare_digest(stored_body_hash, body_hash):
        raise IdempotencyConflict
    existing = Report.objects.select_related("platform", "client").get(pk=existing_id)
    wage = wage_of(existing)
    if wage is None:  # only rows kept from before the bounds; they have no body hash either
        raise IdempotencyConflict
    return Submission(existing, receipt_for(key, scope, body_hash), wage, created=False)


def submit_report(data: dict[str, Any], *, worker: User | AnonymousUser | None = None,
                  idempotency_key: str | None = None) -> Submission:
    """Store a new report. With an Idempotency-Key already used by this client: the same
    body answers with the first report; another body raises IdempotencyConflict."""
    key = (idempotency_key or "").strip()[:200] or None
    owner = cast("User | None", worker if getattr(worker, "pk", None) else None)
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
    try:
        with transaction.atomic():
            report.burst, burst_starts = bursts.count_anonymous(report)
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


# What may separate or surround a receipt code's characters when it is typed or pasted: spaces
# (any), dashes (any) and dots.
_RECEIPT_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.]+")


def normal_receipt(code: str) -> str:
    """A receipt code as it was given out ("ABCD-EFGH-IJKL-MNOP"), from what someone typed:
    any case, with or without dashes, with spaces; "0" read as "O" (codes have no zero).
    Text that is not a code's sixteen characters comes back stripped, as it was."""
    compact = _RECEIPT_SEPARATORS.sub("", code or "").upper().replace("0", "O")
    if len(compact) != 16 or not compact.isalnum() or not compact.isascii():
        return (code or "").strip()
    return "-".join(compact[i : i + 4] for i in range(0, 16, 4))


def find_by_receipt(code: str) -> Report | None:
    if not code or len(code) > 64:
        return None
    code = normal_receipt(code)
    if not code:
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


def wage_of(report: Report) -> wages.Wage | None:
    """The wage of a stored report, or None when its stored values cannot give one (a row
    kept from before the bounds of reports/bounds.py, with no hours)."""
    try:
        return wages.compute_wage(_work(clean_from_report(report)), get_rates())
    except (ValueError, ArithmeticError):
        return None


def clean_from_report(report: Report) -> dict[str, Any]:
    return {
        "pay_amount": report.pay_amount, "pay_basis": report.pay_basis, "units": report.units,
        "paid_hours": report.paid_hours,
        "unpaid_hours": {k: Decimal(v) for k, v in report.unpaid_hours.items()},
        "fees": report.fees, "costs": report.costs, "currency": report.currency,
        "country": report.country, "year": report.year,
    }
