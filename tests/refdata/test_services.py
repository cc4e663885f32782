"""Conversions over the packaged reference data (loaded by migrate): redenominations, known
gaps, the last published year, regions, caching."""

from __future__ import annotations

from decimal import Decimal

import pytest

from visiblework.refdata.models import Snapshot
from visiblework.refdata.services import (
    CURRENCY_HISTORY,
    REDENOMINATIONS,
    fixed_factor,
    get_rates,
    region_of,
)
from visiblework.reports.wages import WorkInput, compute_wage

TINY = Decimal("1e-20")


def close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= TINY * max(abs(a), abs(b), Decimal(1))


def work(amount: str, currency: str, country: str, year: int) -> WorkInput:
    return WorkInput(pay_amount=Decimal(amount), pay_basis="per_week", units=None,
                     paid_hours=Decimal(40), unpaid_hours={"waiting": Decimal(10)}, fees=Decimal(0),
                     costs=Decimal(0), currency=currency, country=country, year=year)


# The README's redenominations: (old code, new code, a year with data, factor, country).
README_REDENOMINATIONS = [
    ("HRK", "EUR", 2023, Decimal("7.5345"), "HR"),
    ("SLL", "SLE", 2023, Decimal(1000), "SL"),
    ("VEF", "VES", 2017, Decimal(100_000), "VE"),
    ("VES", "VED", 2017, Decimal(1_000_000), "VE"),
    ("MRO", "MRU", 2019, Decimal(10), "MR"),
    ("STD", "STN", 2019, Decimal(1000), "ST"),
]


@pytest.mark.django_db
class TestRedenominations:
    @pytest.mark.parametrize(("old", "new", "year", "factor", "country"), README_REDENOMINATIONS)
    def test_an_amount_in_the_old_code_converts_by_the_factor(self, old, new, year,
                                                              factor, country):
        rates = get_rates()
        assert rates.currency_known(old) and rates.currency_known(new)
        assert close(rates.usd_per_unit(old, year) * factor, rates.usd_per_unit(new, year))
        assert close(rates.convert(factor * 7, old, new, year), Decimal(7))
        in_old = compute_wage(work(str(factor * 5000), old, country, year), rates)
        in_new = compute_wage(work("5000", new, country, year), rates)
        assert close(in_old.usd.effective_hourly, in_new.usd.effective_hourly)

    def test_a_croatian_wage_in_kuna_or_euros_is_the_same_in_ppp(self):
        rates = get_rates()
        kuna = compute_wage(work("7534.50", "HRK", "HR", 2023), rates)
        euros = compute_wage(work("1000", "EUR", "HR", 2023), rates)
        assert close(kuna.ppp.effective_hourly, euros.ppp.effective_hourly)
        assert rates.local_currency("HR", 2022) == "HRK"
        assert rates.local_currency("HR", 2023) == "EUR"

    def test_before_adoption_kuna_and_euro_convert_at_market_rates(self):
        rates = get_rates()
        assert fixed_factor("HRK", "EUR", 2022) is None
        market = rates.convert(Decimal(1), "EUR", "HRK", 2022)
        assert Decimal("7.4") < market < Decimal("7.6") and market != Decimal("7.5345")

    def test_a_venezuelan_ppp_factor_is_given_in_the_currency_of_its_year(self):
        rates = get_rates()
        # PPP for 2011 is published in VED (2.68e-11); in 2011 Venezuela paid in VEF.
        assert rates.local_currency("VE", 2011) == "VEF"
        assert Decimal("2.6") < rates.ppp_lcu_per_intl("VE", 2011) < Decimal("2.8")
        wage = compute_wage(work("1000", "VEF", "VE", 2011), rates)
        assert wage.ppp is not None and wage.usd is not None

    def test_every_redenomination_links_its_codes_both_ways(self):
        for r in REDENOMINATIONS:
            forward = fixed_factor(r.old, r.new, r.year)
            assert forward == 1 / r.factor
            assert fixed_factor(r.new, r.old, r.year) == r.factor

    def test_currency_history_names_known_codes(self):
        rates = get_rates()
        for periods in CURRENCY_HISTORY.values():
            for _year, code in periods:
                assert rates.currency_known(code), code


@pytest.mark.django_db
class TestKnownGaps:
    @pytest.mark.parametrize("year", range(2018, 2028))
    def test_there_is_no_bolivar_rate_after_2017(self, year):
        rates = get_rates()
        for code in ("VES", "VED", "VEF"):
            assert rates.usd_per_unit(code, year) is None
        wage = compute_wage(work("1000", "VES", "VE", year), rates)
        assert (wage.usd, wage.ppp) == (None, None)

    def test_there_is_no_syrian_pound_rate_after_2022(self):
        rates = get_rates()
        assert rates.usd_per_unit("SYP", 2022) is not None
        assert rates.usd_per_unit("SYP", 2023) is None
        wage = compute_wage(work("100000", "SYP", "SY", 2023), rates)
        assert wage.usd is None and wage.ppp is None

    def test_there_is_no_venezuelan_ppp_factor_after_2011(self):
        rates = get_rates()
        assert rates.ppp_lcu_per_intl("VE", 2012) is None
        wage = compute_wage(work("1000", "VEF", "VE", 2012), rates)
        assert wage.usd is not None and wage.ppp is None

    def test_a_year_without_data_is_not_filled_in(self):
        assert get_rates().usd_per_unit("KES", 2030) is None

    def test_a_year_before_the_last_published_one_is_never_filled_in(self):
        # Syria's rate stops in 2022: 2023 is before the data's last year (2025), a gap.
        assert get_rates().usd_rate("SYP", 2023) is None
        assert get_rates().usd_rate("SYP", 2022) is not None


@pytest.mark.django_db
def test_with_no_reference_data_at_all_nothing_converts_and_nothing_breaks():
    Snapshot.objects.all().delete()
    rates = get_rates()
    assert rates.source == "none" and rates.describe() == "no reference data loaded"
    wage = compute_wage(work("7391.37", "KES", "KE", 2023), rates)
    assert (wage.usd, wage.ppp) == (None, None)
    assert region_of("KE") == "global-south"


@pytest.mark.django_db
class TestTheLastPublishedYear:
    def test_a_year_after_the_last_published_year_converts_at_the_latest_rate(self):
        rates = get_rates()
        assert rates.last_year == {"fcrf": 2025, "ppp": 2025}
        assert rates.usd_rate("KES", 2026) == (rates.usd_per_unit("KES", 2025), 2025)
        assert rates.usd_rate("KES", 2023) == (rates.usd_per_unit("KES", 2023), 2023)

    def test_a_series_one_year_behind_the_data_converts_at_its_own_last_year(self):
        rates = get_rates()  # Tanzania: published up to 2024
        assert rates.usd_per_unit("TZS", 2025) is None
        assert rates.usd_rate("TZS", 2025) == (rates.usd_per_unit("TZS", 2024), 2024)
        assert rates.usd_rate("TZS", 2026)[1] == 2024

    def test_a_series_that_stopped_two_years_before_the_data_is_a_gap(self):
        assert get_rates().usd_rate("SYP", 2026) is None  # Syria: 2022
        assert get_rates().ppp_factor("VE", 2026) is None  # Venezuela: 2011

    def test_a_ppp_factor_after_the_last_published_year_is_the_latest(self):
        rates = get_rates()
        assert rates.ppp_factor("KE", 2026) == (rates.ppp_lcu_per_intl("KE", 2025), 2025)

    def test_the_latest_ppp_factor_is_given_in_the_currency_of_the_report_year(self):
        # Bulgaria pays in euros from 2026; its PPP series is in euros throughout, so the
        # 2025 factor stands as it is, not converted to leva as 2025's own would be.
        rates = get_rates()
        factor, year = rates.ppp_factor("BG", 2026)
        assert (year, factor) == (2025, rates.series_row("ppp", "BGR", 2025)[0])
        assert rates.ppp_lcu_per_intl("BG", 2025) > factor * Decimal("1.9")  # in leva


@pytest.mark.django_db
class TestCountriesAndCurrencies:
    def test_regions_follow_the_unsd_2020_grouping(self):
        assert region_of("KE") == "global-south"
        assert region_of("US") == "global-north"
        assert region_of("DE") == "global-north"
        assert region_of("ZZ") == ""

    def test_a_currency_used_by_several_countries_uses_its_issuer(self):
        rates = get_rates()
        assert rates.lcu_per_usd("INR", 2020) == rates.series_row("fcrf", "IND", 2020)[0]
        assert rates.usd_per_unit("USD", 2020) == 1
        assert rates.usd_per_unit("XOF", 2020) is not None  # West African CFA franc: no issuer

    @pytest.mark.parametrize(("code", "known"), [
        ("KES", True), ("EUR", True), ("VED", True), ("VEF", True), ("SLL", True),
        ("XXX", False), ("XAU", False), ("ABC", False), ("kes", False), ("", False), ("KESS", False),
    ])
    def test_only_real_currency_codes_are_known(self, code, known):
        assert get_rates().currency_known(code) is known

    def test_a_wage_needs_one_query_once_the_rates_are_cached(self,
                                                              django_assert_max_num_queries):
        get_rates()
        with django_assert_max_num_queries(1):
            wage = compute_wage(work("7391.37", "KES", "KE", 2023), get_rates())
        assert wage.usd is not None and wage.ppp is not None
