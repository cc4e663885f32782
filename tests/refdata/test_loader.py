"""Loading the real World Bank and country-codes files from ../shared/data/refdata."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from visiblework.refdata.loader import SERIES_UNITS, load_refdata
from visiblework.refdata.models import Country, ExchangeRate, IncomeClass, PPPFactor, Snapshot
from visiblework.refdata.services import REDENOMINATIONS, get_rates

from .conftest import shared_refdata


def csv_value(name: str, iso3: str, year: int) -> Decimal:
    with (shared_refdata() / name).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Country Code"] == iso3 and int(row["Year"]) == year:
                return Decimal(row["Value"])
    raise AssertionError(f"{iso3} {year} not in {name}")


# --- The real files ----------------------------------------------------------------------------


@pytest.mark.django_db
class TestTheRealFiles:
    def test_they_load_in_under_twenty_seconds(self, loaded):
        assert loaded.seconds < 20
        assert Country.objects.count() >= 249
        assert ExchangeRate.objects.count() > 5000
        assert PPPFactor.objects.count() > 5000
        assert IncomeClass.objects.count() > 4000
        assert Snapshot.objects.filter(digest=loaded.digest).exists()

    def test_loading_them_again_changes_nothing(self, loaded):
        again = load_refdata(shared_refdata(), progress=False)
        assert again.digest == loaded.digest
        for name, table in again.tables.items():
            assert (table.created, table.updated, table.deleted) == (0, 0, 0), name
            assert table.unchanged == loaded.tables[name].total, name
        assert Snapshot.objects.filter(digest=loaded.digest).count() == 1

    def test_the_kenyan_shilling_2023_rate_matches_the_csv(self, loaded):
        expected = csv_value("wdi_pa.nus.fcrf.csv", "KEN", 2023)
        row = ExchangeRate.objects.get(country="KEN", year=2023)
        assert (row.lcu_per_usd, row.currency) == (expected, "KES")
        assert get_rates().usd_per_unit("KES", 2023) == 1 / expected

    def test_a_ppp_factor_matches_the_csv(self, loaded):
        expected = csv_value("wdi_pa.nus.ppp.csv", "KEN", 2023)
        row = PPPFactor.objects.get(country="KEN", year=2023)
        assert (row.lcu_per_intl, row.currency) == (expected, "KES")
        assert get_rates().ppp_lcu_per_intl("KE", 2023) == expected

    def test_venezuelas_tiny_ppp_factor_keeps_its_digits(self, loaded):
        expected = csv_value("wdi_pa.nus.ppp.csv", "VEN", 2011)  # 2.68098258972168E-11
        assert PPPFactor.objects.get(country="VEN", year=2011).lcu_per_intl == expected

    def test_the_euro_uses_the_euro_area_row(self, loaded):
        emu = csv_value("wdi_pa.nus.fcrf.csv", "EMU", 2023)
        assert ExchangeRate.objects.get(country="EMU", year=2023).currency == "EUR"
        assert get_rates().lcu_per_usd("EUR", 2023) == emu
        assert get_rates().usd_per_unit("EUR", 2023) == 1 / emu

    def test_countries_have_codes_currency_and_region(self, loaded):
        kenya = Country.objects.get(iso2="KE")
        assert (kenya.iso3, kenya.m49, kenya.currency, kenya.developed, kenya.region) == (
            "KEN", "404", "KES", False, "global-south")
        assert Country.objects.get(iso2="NA").iso3 == "NAM"  # Namibia is not a missing value
        assert Country.objects.get(iso2="BT").currency == "BTN"
        assert Country.objects.get(iso2="SV").currency == "USD"
        assert Country.objects.get(iso2="TR").currency == "TRY"  # from the 2020 file
        assert Country.objects.filter(region="global-north").count() >= 60
        assert str(kenya) == "KE Kenya"

    def test_income_groups_come_from_the_world_bank_history(self, loaded):
        assert IncomeClass.objects.get(country="KEN", year=2023).group == "LM"
        assert get_rates().income_group("US", 2023) == "H"

    def test_zimbabwe_is_left_out_because_its_units_cannot_be_established(self, loaded):
        assert not ExchangeRate.objects.filter(country="ZWE").exists()
        assert any("Zimbabwe" in reason for reason in loaded.skipped)

    def test_every_row_before_2000_is_left_out(self, loaded):
        assert not ExchangeRate.objects.filter(year__lt=2000).exists()
        assert not PPPFactor.objects.filter(year__lt=2000).exists()


@pytest.mark.django_db
class TestTheUnitOfEachRow:
    """The currency recorded for the rows around each switch (loader.SERIES_UNITS), in the
    packaged snapshot that migrate loaded."""

    @pytest.mark.parametrize(("model", "economy", "year", "currency"), [
        (ExchangeRate, "VEN", 2000, "VEF"), (ExchangeRate, "VEN", 2017, "VEF"),
        (PPPFactor, "VEN", 2011, "VED"),
        (ExchangeRate, "SLE", 2019, "SLE"), (ExchangeRate, "SLE", 2023, "SLE"),
        (ExchangeRate, "MRT", 2017, "MRU"), (ExchangeRate, "MRT", 2018, "MRU"),
        (ExchangeRate, "STP", 2017, "STN"), (ExchangeRate, "STP", 2018, "STN"),
        (ExchangeRate, "HRV", 2022, "HRK"), (ExchangeRate, "HRV", 2023, "EUR"),
        (PPPFactor, "HRV", 2022, "EUR"),
        (ExchangeRate, "LTU", 2014, "LTL"), (ExchangeRate, "LTU", 2015, "EUR"),
        (ExchangeRate, "BGR", 2025, "BGN"), (PPPFactor, "BGR", 2025, "EUR"),
        (ExchangeRate, "SLV", 2000, "SVC"), (ExchangeRate, "SLV", 2001, "USD"),
        (ExchangeRate, "TKM", 2000, "TMM"), (PPPFactor, "TKM", 2010, "TMT"),
        (PPPFactor, "PSE", 2020, "USD"),
    ])
    def test_the_row_records_the_currency_its_value_is_in(self, model, economy, year,
                                                            currency):
        assert model.objects.get(country=economy, year=year).currency == currency

    def test_the_last_value_before_each_euro_adoption_matches_the_euro_area(self):
        rates = get_rates()
        adoptions = {r.old: r for r in REDENOMINATIONS if r.new == "EUR"}
        for series, economy, _first, last, code in SERIES_UNITS:
            if series != "fcrf" or code not in adoptions:
                continue
            value, unit = rates.series_row("fcrf", economy, last)
            in_euros = value / adoptions[code].factor
            assert unit == code
            assert abs(in_euros / rates.lcu_per_usd("EUR", last) - 1) < Decimal("0.05"), economy
