import pytest

from visiblework.cases.actornames import fold, is_legal_suffix, name_key, name_keys, split_names


@pytest.mark.parametrize("name", ["OpenAI", "OpenAI Inc", "OpenAI, Inc.", "Open AI", "openai",
                                  "OPENAI LLC", "The OpenAI"])
def test_the_ways_people_write_a_company_share_one_key(name):
    assert name_key(name) == "openai"


def test_accents_and_dotted_legal_forms_do_not_count():
    assert name_key("Société Générale S.A.") == name_key("Societe Generale")


def test_an_ampersand_reads_as_and():
    assert name_key("AT&T Inc.") == name_key("AT and T")


def test_a_name_that_is_only_a_legal_form_keeps_it():
    assert name_key("Inc.") == "inc"


def test_different_companies_keep_different_keys():
    assert name_key("Meta Platforms, Inc.") != name_key("Meta")


def test_a_fragment_of_only_legal_forms_is_recognised():
    assert is_legal_suffix("Pty. Ltd.") and not is_legal_suffix("You.com")


def test_a_list_cell_splits_and_keeps_legal_forms_with_their_names():
    assert split_names("OpenAI, Inc., You.com; xAI") == ["OpenAI, Inc.", "You.com", "xAI"]


def test_a_list_cell_drops_repeats_and_empty_values():
    assert split_names("OpenAI, , Open AI, Google") == ["OpenAI", "Google"]


def test_separators_longer_than_a_character_can_be_given_as_a_list():
    assert split_names("Open AI | Sama, Inc. | xAI", [" | "]) == ["Open AI", "Sama, Inc.", "xAI"]


def test_a_list_of_separators_splits_on_each_of_them():
    assert split_names("OpenAI, Inc.; You.com, xAI", [";", ","]) == [
        "OpenAI, Inc.", "You.com", "xAI"]


def test_a_name_joining_two_names_with_a_slash_stands_for_each_of_them():
    assert name_keys("Sama AI/Samasource") == ["samaaisamasource", "samaai", "samasource"]


def test_a_plain_name_has_only_its_own_key():
    assert name_keys("OpenAI, Inc.") == ["openai"]


def test_a_name_without_letters_or_digits_has_no_key():
    assert name_keys(" / ") == []


def test_folding_drops_accents_and_case():
    assert fold("Nestlé SA") == "nestle sa"
