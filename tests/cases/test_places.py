"""Places as people write them in a country column: names, aliases, lists, sub-national
places and areas wider than a country."""

from __future__ import annotations

import pytest

from visiblework.cases.places import Place, read_place, read_places
from visiblework.refdata.regions import NORTH, SOUTH


@pytest.mark.parametrize(("value", "code"), [
    ("UK", "GB"), ("USA", "US"), ("U.S.", "US"), ("UAE", "AE"), ("Rep Ireland", "IE"),
    ("Rep. of Ireland", "IE"), ("Kosovo", "XK"), ("Brunei", "BN"), ("Bosnia", "BA"),
    ("Macedonia", "MK"), ("Türkiye", "TR"), ("Turkey", "TR"), ("Ivory Coast", "CI"),
    ("Côte d'Ivoire", "CI"), ("Korea (South)", "KR"), ("Korea, Republic of", "KR"),
    ("KEN", "KE"), ("ke", "KE"), ("Kenia", "KE"), ("Allemagne", "DE"),
    ("The Netherlands", "NL"), ("Bosnia and Herzegovina", "BA")])
def test_a_country_is_found_by_its_code_name_common_name_or_alias(value, code):
    assert read_place(value) == Place(countries=(code,))


@pytest.mark.parametrize(("value", "code"), [
    ("California", "US"), ("New York", "US"), ("Ontario", "CA"), ("Quebec", "CA"),
    ("Scotland", "GB"), ("Wales", "GB"), ("New South Wales", "AU"), ("Karnataka", "IN")])
def test_a_state_or_province_is_read_as_its_country(value, code):
    assert read_place(value) == Place(countries=(code,))


def test_a_country_wins_over_a_state_of_the_same_name():
    assert read_place("Georgia") == Place(countries=("GE",))


@pytest.mark.parametrize(("value", "regions"), [
    ("Global", (NORTH, SOUTH)), ("Worldwide", (NORTH, SOUTH)), ("EU", (NORTH,)),
    ("Europe", (NORTH,)), ("European Union", (NORTH,)), ("Africa", (SOUTH,)),
    ("Latin America", (SOUTH,)), ("South Asia", (SOUTH,)), ("Europa", (NORTH,)),
    ("Multiple", ()), ("Asia", ()), ("Middle East", ())])
def test_an_area_wider_than_a_country_gives_the_region_where_all_its_countries_are(value,
                                                                                   regions):
    assert read_place(value) == Place(regions=regions, area=True)


def test_a_list_in_one_cell_is_split_when_it_is_not_one_name():
    places, unknown = read_places("USA, EU, UK")
    assert places == [Place(countries=("US",)), Place(regions=(NORTH,), area=True),
                      Place(countries=("GB",))]
    assert unknown == []


def test_the_unknown_parts_of_a_list_are_returned_to_be_reported():
    places, unknown = read_places("Kenya and Narnia")
    assert places == [Place(countries=("KE",))]
    assert unknown == ["Narnia"]


def test_nothing_is_guessed_for_a_name_that_is_not_a_place():
    assert read_place("Narnia") is None
    assert read_places("Atlantis") == ([], ["Atlantis"])
