"""The wage engine (reports/wages.py): the worked example, properties, validation."""

from __future__ import annotations

import dataclasses
from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from visiblework.refdata.packaged import packaged_rates
from visiblework.reports.wages import (
    MAX_HOURS,
    PAY_BASES,
    UNPAID_KINDS,
    Converted,
    Wage,
    WorkInput,
    aggregate_per_worker,
    compute_wage,
    money,
    share,
    total_pay,
    validate_work,
    worker_effective_hourly,
)

# The packaged snapshot read straight from its files: these tests need no database.
RATES = packaged_rates()
TODAY = 2025
TINY = Decimal("1e-18")
PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def make(**changes) -> WorkInput:
    """The hand-worked example, with changes."""
    base = {"pay_amount": Decimal("7391.37"), "pay_basis": "per_week", "units": None,
            "paid_hours": Decimal(40), "unpaid_hours": {"training": Decimal(6), "waiting": Decimal(4)},
            "fees": Decimal(0), "costs": Decimal(0), "currency": "KES", "country": "KE",
            "year": 2023}
    base.update(changes)
    return WorkInput(**base)


# --- The worked example ------------------------------------------------------------------------


def test_the_hand_worked_kenyan_example_holds_exactly():
    wage = compute_wage(make(), RATES)
    assert validate_work(make(), RATES, today_year=TODAY) == {}
    assert money(wage.effective_hourly) == Decimal("147.83")
    assert str(money(wage.effective_hourly)) == "147.83"
    assert str(money(wage.nominal_hourly)) == "184.78"
    assert str(share(wage.unpaid_share)) == "0.20"
    assert wage.effective_hourly == Decimal("147.8274")  # full precision inside
    assert (wage.total_pay, wage.paid_hours, wage.unpaid_hours, wage.currency) == (
        Decimal("7391.37"), Decimal(40), Decimal(10), "KES")


def test_the_example_converts_at_the_2023_rates():
    wage = compute_wage(make(), RATES)
    assert wage.usd.currency == "USD"
    assert money(wage.usd.effective_hourly) == Decimal("1.06")  # 147.8274 / 139.846383759617
    assert money(wage.ppp.effective_hourly) == Decimal("3.44")  # 147.8274 / 42.969527633291
    assert "KES" in wage.usd.rate_note and "2023" in wage.usd.rate_note
    assert (wage.usd.rate_year, wage.usd.year_note, wage.ppp.year_note) == (2023, "", "")


def test_a_year_after_the_last_published_year_converts_at_the_latest_rate_and_says_so():
    wage = compute_wage(make(year=2026), RATES)
    # 147.8274 KES an hour at the 2025 averages: 129.302572099377 KES per US$, 43.5471478663385
    # KES per international $ (wdi_pa.nus.fcrf.csv and wdi_pa.nus.ppp.csv, Kenya, 2025).
    assert money(wage.usd.effective_hourly) == Decimal("1.14")
    assert money(wage.ppp.effective_hourly) == Decimal("3.39")
    assert (wage.usd.rate_year, wage.ppp.rate_year) == (2025, 2025)
    assert wage.usd.year_note.startswith("at the 2025 rate")
    assert "2026" in wage.usd.year_note and "2025" in wage.usd.rate_note


def test_a_series_published_a_year_behind_converts_at_its_own_last_year():
    # Tanzania's exchange rate is published up to 2024.
    wage = compute_wage(make(currency="TZS", country="TZ", year=2025), RATES)
    assert wage.usd.rate_year == 2024 and wage.usd.year_note.startswith("at the 2024 rate")
    assert wage.ppp.rate_year == 2025 and wage.ppp.year_note == ""


def test_a_series_that_stopped_earlier_is_not_carried_forward():
    # Syria's rate stops in 2022 (a known gap): not converted in 2023 nor after the data.
    for year in (2023, 2026):
        wage = compute_wage(make(currency="SYP", country="SY", year=year), RATES)
        assert wage.usd is None and wage.ppp is None


@pytest.mark.parametrize(("basis", "amount", "units", "paid", "expected"), [
    ("per_task", "0.50", 300, "20", "150.00"),
    ("per_hour", "2.25", None, "40", "90.00"),
    ("per_day", "800", None, "8", "800"),
    ("per_week", "7391.37", None, "40", "7391.37"),
    ("per_month", "30000", None, "160", "30000"),
    ("per_project", "1200", None, "30", "1200"),
])
def test_each_pay_basis_gives_the_pay_for_the_work_described(basis, amount, units, paid, expected):
    work = make(pay_basis=basis, pay_amount=Decimal(amount), units=units,
                paid_hours=Decimal(paid), unpaid_hours={})
    assert total_pay(work) == Decimal(expected)
    assert compute_wage(work, RATES).nominal_hourly == Decimal(expected) / Decimal(paid)


def test_pay_in_another_currency_reaches_ppp_through_the_dollar():
    wage = compute_wage(make(pay_amount=Decimal(100), currency="USD"), RATES)
    kes_per_usd, kes_per_intl = Decimal("139.846383759617"), Decimal("42.969527633291")
    expected = Decimal(100) / 50 * kes_per_usd / kes_per_intl
    assert abs(wage.ppp.effective_hourly - expected) < TINY
    assert wage.usd.effective_hourly == 2


def test_fees_above_pay_give_a_negative_wage_that_is_flagged():
    work = make(pay_amount=Decimal(100), fees=Decimal(80), costs=Decimal(70))
    assert validate_work(work, RATES, today_year=TODAY) == {}
    wage = compute_wage(work, RATES)
    assert wage.effective_hourly == Decimal(-1) and wage.below_zero


def test_only_unpaid_time_has_no_nominal_rate():
    work = make(pay_amount=Decimal(0), paid_hours=Decimal(0), fees=Decimal(5))
    assert validate_work(work, RATES, today_year=TODAY) == {}
    wage = compute_wage(work, RATES)
    assert wage.nominal_hourly is None and wage.effective_hourly == Decimal("-0.5")
    assert wage.unpaid_share == 1


def test_a_currency_without_a_rate_cannot_be_converted():
    wage = compute_wage(make(currency="VES", country="VE", year=2021), RATES)
    assert wage.usd is None and wage.ppp is None
    assert money(wage.effective_hourly) == Decimal("147.83")


def test_a_worker_rate_is_weighted_by_hours():
    # 10 h at US$1 and 30 h at US$3: (10 + 90) / 40 = 2.50, not the mean of rates (2.00).
    assert aggregate_per_worker([(Decimal(10), Decimal(10), Decimal(0)),
                                 (Decimal(90), Decimal(20), Decimal(10))]).effective_hourly == Decimal(
        "2.5")
    assert aggregate_per_worker([]).effective_hourly is None
    kenya = compute_wage(make(), RATES)
    india = compute_wage(make(currency="INR", country="IN", pay_amount=Decimal(5000),
                              unpaid_hours={}), RATES)
    expected = (kenya.net_pay_usd + india.net_pay_usd) / (kenya.total_hours + india.total_hours)
    assert worker_effective_hourly([kenya, india]) == expected
    lost = compute_wage(make(currency="VES", country="VE", year=2021), RATES)
    assert abs(worker_effective_hourly([kenya, lost]) - kenya.usd.effective_hourly) < TINY
    assert worker_effective_hourly([lost]) is None


# --- Properties --------------------------------------------------------------------------------

CURRENCIES = [("KES", "KE"), ("INR", "IN"), ("PHP", "PH"), ("NGN", "NG"), ("MGA", "MG"),
              ("EUR", "DE"), ("GBP", "GB"), ("BRL", "BR"), ("USD", "US"), ("USD", "KE")]


def amounts(max_value: int = 100_000) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=0, max_value=max_value, places=2, allow_nan=False,
                       allow_infinity=False)


def _capped(value: Decimal, cap: Decimal) -> Decimal:
    return min(value, cap.quantize(Decimal("0.01"), rounding=ROUND_DOWN))


@st.composite
def valid_work(draw, *, net_not_negative: bool = False) -> WorkInput:
    basis = draw(st.sampled_from(PAY_BASES))
    limit = MAX_HOURS[basis]
    paid = draw(st.decimals(min_value=Decimal("0.25"), max_value=limit / 2, places=2))
    kinds = draw(st.lists(st.sampled_from(UNPAID_KINDS), unique=True, max_size=4))
    unpaid = {k: draw(st.decimals(min_value=0, max_value=(limit / 2) / 4, places=2)) for k in kinds}
    currency, country = draw(st.sampled_from(CURRENCIES))
    year = draw(st.integers(min_value=2019, max_value=2025))
    units = draw(st.integers(min_value=1, max_value=10_000)) if basis == "per_task" else None
    # Plausible: at most US$5,000 an hour paid, and fees and costs at most as much.
    most = Decimal(5000) / RATES.usd_per_unit(currency, year)
    per_paid_hour = {"per_task": paid / units if units else 0, "per_hour": Decimal(1)}
    work = WorkInput(
        pay_amount=_capped(draw(amounts()), most * per_paid_hour.get(basis, paid)),
        pay_basis=basis, units=units, paid_hours=paid, unpaid_hours=unpaid,
        fees=_capped(draw(amounts(1000)), most * paid / 2),
        costs=_capped(draw(amounts(1000)), most * paid / 2),
        currency=currency, country=country, year=year)
    if net_not_negative:
        assume(work.fees + work.costs <= total_pay(work))
    return work


@PROPERTY
@given(valid_work())
def test_generated_work_is_valid(work):
    assert validate_work(work, RATES, today_year=TODAY) == {}


@PROPERTY
@given(valid_work())
def test_the_effective_rate_never_exceeds_the_nominal_rate(work):
    wage = compute_wage(work, RATES)
    assert wage.nominal_hourly is not None
    assert wage.effective_hourly <= wage.nominal_hourly


@PROPERTY
@given(valid_work(net_not_negative=True), st.sampled_from(UNPAID_KINDS),
       st.decimals(min_value=Decimal("0.01"), max_value=100, places=2))
def test_adding_unpaid_time_never_raises_the_effective_rate(work, kind, extra):
    more = dict(work.unpaid_hours)
    more[kind] = more.get(kind, Decimal(0)) + extra
    before = compute_wage(work, RATES)
    after = compute_wage(dataclasses.replace(work, unpaid_hours=more), RATES)
    assert after.effective_hourly <= before.effective_hourly
    assert after.unpaid_share >= before.unpaid_share


@PROPERTY
@given(valid_work())
def test_converting_to_usd_and_back_is_consistent(work):
    wage = compute_wage(work, RATES)
    rate = RATES.usd_per_unit(work.currency, work.year)
    assert wage.usd is not None and rate is not None
    back = wage.usd.effective_hourly / rate
    assert abs(back - wage.effective_hourly) <= TINY * max(abs(wage.effective_hourly), 1)
    amount = work.pay_amount
    there_and_back = RATES.convert(RATES.convert(amount, work.currency, "USD", work.year), "USD",
                                   work.currency, work.year)
    assert abs(there_and_back - amount) <= TINY * max(amount, 1)


def _decimal_fields(obj) -> list:
    values = []
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, Converted):
            values.extend(_decimal_fields(value))
        elif not isinstance(value, str | int) and value is not None:  # rate_year is an int
            values.append(value)
    return values


@PROPERTY
@given(valid_work())
def test_amounts_are_decimals_never_floats(work):
    wage = compute_wage(work, RATES)
    assert isinstance(wage, Wage)
    values = _decimal_fields(wage)
    assert values and all(isinstance(v, Decimal) for v in values)
    assert not any(isinstance(v, float) for v in values)


# --- Validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "field"), [
    ({"pay_amount": Decimal(-1)}, "pay_amount"),
    ({"pay_amount": 12.5}, "pay_amount"),  # a float is refused, not rounded
    ({"pay_amount": Decimal("NaN")}, "pay_amount"),
    ({"paid_hours": Decimal(-1)}, "paid_hours"),
    ({"unpaid_hours": {"training": Decimal(-2)}}, "unpaid_hours"),
    ({"unpaid_hours": {"napping": Decimal(2)}}, "unpaid_hours"),
    ({"fees": Decimal("-0.01")}, "fees"),
    ({"costs": Decimal(-5)}, "costs"),
    ({"paid_hours": Decimal(0), "unpaid_hours": {}}, "paid_hours"),  # zero hours with pay
    ({"paid_hours": Decimal(0)}, "paid_hours"),  # pay for no paid hours
    ({"pay_basis": "per_day", "paid_hours": Decimal(25), "unpaid_hours": {}}, "paid_hours"),
    ({"pay_basis": "per_day", "paid_hours": Decimal(20)}, "unpaid_hours"),  # 30 h in a day
    ({"paid_hours": Decimal(169), "unpaid_hours": {}}, "paid_hours"),
    ({"paid_hours": Decimal(160)}, "unpaid_hours"),  # 170 h in a week
    ({"pay_basis": "per_month", "paid_hours": Decimal(745), "unpaid_hours": {}}, "paid_hours"),
    ({"pay_basis": "per_hour", "paid_hours": Decimal(2185), "unpaid_hours": {}}, "paid_hours"),
    ({"pay_basis": "per_project", "paid_hours": Decimal(2180)}, "unpaid_hours"),
    ({"pay_basis": "per_task", "units": None}, "units"),
    ({"pay_basis": "per_task", "units": 0}, "units"),
    ({"pay_basis": "per_piece"}, "pay_basis"),
    ({"currency": "ABC"}, "currency"),
    ({"currency": "kes"}, "currency"),
    ({"country": "XX"}, "country"),
    ({"year": 1999}, "year"),
    ({"year": TODAY + 1}, "year"),
])
def test_validation_names_the_field_for_each_impossible_input(changes, field):
    errors = validate_work(make(**changes), RATES, today_year=TODAY)
    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field])


@given(st.sampled_from(PAY_BASES), st.integers(min_value=1, max_value=500))
def test_validation_refuses_more_hours_than_the_basis_allows(basis, over):
    limit = MAX_HOURS[basis]
    work = make(pay_basis=basis, units=5, paid_hours=limit, unpaid_hours={"waiting": Decimal(over)})
    assert "unpaid_hours" in validate_work(work, RATES, today_year=TODAY)
    assert validate_work(dataclasses.replace(work, unpaid_hours={}), RATES, today_year=TODAY) == {}


def test_the_limits_are_a_day_a_week_a_month_and_a_quarter():
    assert MAX_HOURS == {"per_task": 2184, "per_hour": 2184, "per_day": 24, "per_week": 168,
                         "per_month": 744, "per_project": 2184}


def test_compute_refuses_work_without_hours():
    with pytest.raises(ValueError):
        compute_wage(make(paid_hours=Decimal(0), unpaid_hours={}), RATES)


# --- Derived values: plausibility and columns ----------------------------------------------------


def test_a_wage_above_ten_thousand_dollars_an_hour_is_refused_on_the_pay():
    # 2,000,000 KES for a week of 50 hours: 40,000 KES (about US$286) - fine; for 1 hour: not.
    assert validate_work(make(pay_amount=Decimal(2_000_000)), RATES, today_year=TODAY) == {}
    errors = validate_work(make(pay_amount=Decimal(2_000_000), paid_hours=Decimal(1),
                                unpaid_hours={}), RATES, today_year=TODAY)
    assert list(errors) == ["pay_amount"]
    assert "US$10,000" in errors["pay_amount"][0] and "check the amount" in errors["pay_amount"][0]


def test_the_nominal_wage_counts_too():
    # US$ 12,000 an hour paid, but 100 unpaid hours bring the effective wage under the bound.
    work = make(currency="USD", country="US", pay_basis="per_hour", pay_amount=Decimal(12_000),
                paid_hours=Decimal(1), unpaid_hours={"waiting": Decimal(100)})
    assert "pay_amount" in validate_work(work, RATES, today_year=TODAY)


def test_a_loss_beyond_the_bound_is_refused_on_the_larger_of_fees_and_costs():
    work = make(pay_amount=Decimal(0), paid_hours=Decimal(0), fees=Decimal(10),
                costs=Decimal(2_000_000), unpaid_hours={"training": Decimal("0.5")})
    errors = validate_work(work, RATES, today_year=TODAY)
    assert list(errors) == ["costs"] and "a loss of" in errors["costs"][0]


def test_a_year_without_a_rate_yet_is_checked_at_the_last_published_rate():
    # The World Bank series stop in 2025: a 2026 report is checked at the 2025 rate.
    work = make(year=2026, pay_amount=Decimal(2_000_000), paid_hours=Decimal(1), unpaid_hours={})
    assert "pay_amount" in validate_work(work, RATES, today_year=2026)


def test_without_any_rate_only_the_columns_limit_the_wage():
    # Venezuela 2021 has no rate: a billion over 0.01 hours is 10^11 an hour, which fits.
    work = make(currency="VES", country="VE", year=2021, pay_amount=Decimal(1_000_000_000),
                paid_hours=Decimal("0.01"), unpaid_hours={})
    assert validate_work(work, RATES, today_year=TODAY) == {}
    per_task = dataclasses.replace(work, pay_basis="per_task", units=10_000_000)
    errors = validate_work(per_task, RATES, today_year=TODAY)
    assert list(errors) == ["pay_amount"] and "more than can be kept" in errors["pay_amount"][0]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"pay_amount": Decimal(-1)}, "pay_amount", "This cannot be negative."),
    ({"paid_hours": Decimal("0.001")}, "paid_hours",
     "This is too small to keep: the smallest amount above zero is 0.01."),
    ({"fees": Decimal(10) ** 10}, "fees", "Give at most 1,000,000,000."),
    ({"units": 2**31, "pay_basis": "per_task"}, "units", "Give at most 10,000,000."),
    ({"currency": "ABC"}, "currency", "Give a currency code of three letters, like USD or KES."),
    ({"year": 1999}, "year", f"Give a year between 2000 and {TODAY}."),
])
def test_the_engine_says_the_same_words_as_the_report_form(changes, field, message):
    assert validate_work(make(**changes), RATES, today_year=TODAY)[field] == [message]


@PROPERTY
@given(valid_work())
def test_every_derived_value_of_valid_work_fits_its_column(work):
    from visiblework.reports.bounds import QUARTER_HOURS, fits_money_column

    wage = compute_wage(work, RATES)
    for value in (wage.effective_hourly, wage.nominal_hourly, wage.usd.effective_hourly,
                  wage.ppp.effective_hourly if wage.ppp else None):
        assert value is None or fits_money_column(value)
    assert 0 <= wage.unpaid_share <= 1 and wage.unpaid_hours <= QUARTER_HOURS
