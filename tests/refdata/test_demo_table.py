"""The hand-typed demo table: used while no reference data is loaded."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from visiblework.refdata import demo_table
from visiblework.refdata.services import get_rates, region_of
from visiblework.reports.wages import WorkInput, compute_wage, money

from .conftest import shared_refdata


@pytest.mark.django_db
def test_the_demo_table_is_used_while_the_tables_are_empty():
    rates = get_rates()
    assert rates.source == "demo"
    assert rates.usd_per_unit("KES", 2023) == 1 / Decimal("139.846383759617")
    assert rates.usd_per_unit("EUR", 2024) == 1 / Decimal("0.923889546117607")
    assert rates.ppp_lcu_per_intl("KE", 2023) == Decimal("42.969527633291")


@pytest.mark.django_db
def test_regions_work_without_reference_data():
    assert region_of("KE") == "global-south"
    assert region_of("US") == "global-north"
    assert region_of("GB") == "global-north"


@pytest.mark.django_db
def test_a_demo_wage_converts_to_usd_and_ppp():
    work = WorkInput(pay_amount=Decimal("7391.37"), pay_basis="per_week", units=None,
                     paid_hours=Decimal(40),
                     unpaid_hours={"training": Decimal(6), "waiting": Decimal(4)},
                     fees=Decimal(0), costs=Decimal(0), currency="KES", country="KE", year=2023)
    wage = compute_wage(work, get_rates())
    assert money(wage.usd.effective_hourly) == money(Decimal("147.8274") / Decimal("139.846383759617"))
    assert money(wage.ppp.effective_hourly) == money(Decimal("147.8274") / Decimal("42.969527633291"))
    assert "demo table" in wage.usd.rate_note


@pytest.mark.django_db
def test_the_demo_table_keeps_the_gaps():
    rates = get_rates()
    for year in demo_table.YEARS:
        assert rates.usd_per_unit("VES", year) is None
        assert rates.ppp_lcu_per_intl("VE", year) is None
    assert rates.usd_per_unit("SYP", 2022) is not None
    assert rates.usd_per_unit("SYP", 2023) is None


def test_the_demo_table_has_the_currencies_and_countries_the_demo_needs():
    rates = demo_table.fcrf_rows()
    currencies = {currency for _iso3, _year, _value, currency in rates}
    assert {"USD", "EUR", "KES", "INR", "PHP", "NGN", "MGA", "SYP", "GBP", "BRL"} <= currencies
    ppp = {iso3 for iso3, _year, _value, _currency in demo_table.ppp_rows()}
    assert {"USA", "KEN", "IND", "PHL", "NGA", "MDG", "DEU", "GBR", "BRA"} <= ppp
    assert len(demo_table.COUNTRIES) <= 12


def test_the_demo_table_was_typed_correctly_from_the_world_bank_files():
    folder = shared_refdata()
    for name, table in (("wdi_pa.nus.fcrf.csv", demo_table.EXCHANGE_RATES),
                        ("wdi_pa.nus.ppp.csv", demo_table.PPP_FACTORS)):
        with (folder / name).open(encoding="utf-8") as handle:
            published = {(r["Country Code"], int(r["Year"])): Decimal(r["Value"])
                         for r in csv.DictReader(handle)}
        for iso3, (_currency, values) in table.items():
            for year, value in values.items():
                assert published[(iso3, year)] == Decimal(value), (name, iso3, year)
            for (code, year), _value in published.items():  # no year that exists is missing
                if code == iso3 and year in demo_table.YEARS:
                    assert year in values, (name, iso3, year)
