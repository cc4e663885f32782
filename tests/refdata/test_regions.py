"""Every country gets a region by a documented rule, and the rule is applied everywhere."""

import pycountry
import pytest

from visiblework.refdata import regions
from visiblework.refdata.packaged import packaged_rates
from visiblework.refdata.services import NO_RATES


@pytest.mark.parametrize("rates", [packaged_rates(), NO_RATES], ids=["packaged", "nothing loaded"])
def test_every_iso_country_gets_a_region_with_or_without_reference_data(rates):
    assert {rates.region_of(c.alpha_2) for c in pycountry.countries} == set(regions.REGIONS)


@pytest.mark.parametrize(("code", "region"), [("TW", regions.SOUTH), ("AQ", regions.SOUTH),
                                              ("JP", regions.NORTH), ("NO", regions.NORTH),
                                              ("GH", regions.SOUTH), ("US", regions.NORTH)])
def test_countries_the_data_does_not_classify_follow_the_fixed_rule(code, region):
    assert NO_RATES.region_of(code) == region


def test_the_packaged_data_leaves_taiwan_and_antarctica_to_the_fixed_rule():
    rates = packaged_rates()
    assert rates.country("TW").region == "" and rates.country("AQ").region == ""  # not classified
    assert (rates.region_of("TW"), rates.region_of("AQ")) == (regions.SOUTH, regions.SOUTH)


def test_the_fixed_list_keeps_the_66_developed_codes_of_unsd_2020():
    assert len(regions.DEVELOPED_2020) == 65  # 66 rows, one of them (Sark) without a code
    assert {"US", "JP", "AU", "NZ", "IL"} <= regions.DEVELOPED_2020


def test_a_region_label_never_names_a_country():
    assert regions.region_label("global-south") == "Global South"
    assert regions.region_label("KE") == "Region not known"
