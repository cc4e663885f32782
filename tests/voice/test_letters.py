"""Letters: one for every law × request (or a clear refusal), citing the articles and the
deadline, in the chosen language with the English text beside it."""

import pytest
from django.utils import translation

from visiblework.voice.laws import LAWS, REQUESTS, Missing
from visiblework.voice.letters import Addressee, NoSuchRight, compose

TO = Addressee(name="Example Corp", email="privacy@example.org")
COMBINATIONS = [(law, request) for law in LAWS for request in REQUESTS]


@pytest.mark.parametrize("law_key,kind", COMBINATIONS)
def test_every_law_and_request_gives_a_letter_or_a_clear_refusal(law_key, kind):
    request = kind
    law = LAWS[law_key]
    if isinstance(law.rights[request], Missing):
        with pytest.raises(NoSuchRight) as refusal:
            compose(TO, law_key, request, name="Ann", email="ann@example.org")
        assert str(refusal.value) == str(law.rights[request].reason)
        return
    letter = compose(TO, law_key, request, name="Ann Writer", email="ann@example.org",
                     details="worker id 42")
    for provision in law.rights[request].provisions:
        assert provision in letter.text, provision
    assert str(law.deadline_for(request).text) in letter.text
    assert "Example Corp" in letter.text and "privacy@example.org" in letter.text
    assert "Ann Writer" in letter.text and "ann@example.org" in letter.text
    assert "worker id 42" in letter.text
    assert letter.english_text is None


@pytest.mark.parametrize("request_key", ["access", "objection", "erasure"])
def test_the_letter_asks_about_training_ai(request_key):
    letter = compose(TO, "gdpr", request_key, name="Ann", email="ann@example.org")
    assert "artificial intelligence" in letter.text


@pytest.mark.parametrize("language", ["fr", "es", "sw", "ar"])
def test_a_translated_letter_has_the_english_text_beside_it(language):
    letter = compose(TO, "gdpr", "access", name="Ann", email="ann@example.org",
                     language=language)
    english = compose(TO, "gdpr", "access", name="Ann", email="ann@example.org")
    assert letter.english_text == english.text
    assert letter.text != english.text  # written in the chosen language
    assert "Art. 15(1)(h)" in letter.text and "ann@example.org" in letter.text
    assert english.text in letter.as_download() and letter.text in letter.as_download()


def test_composing_a_letter_leaves_the_active_language_alone():
    with translation.override("es"):
        compose(TO, "lgpd", "erasure", name="Ann", email="ann@example.org", language="fr")
        assert translation.get_language() == "es"


def test_it_refuses_an_unknown_law_or_request():
    with pytest.raises(KeyError):
        compose(TO, "nowhere", "access", name="Ann", email="ann@example.org")
    with pytest.raises(KeyError):
        compose(TO, "gdpr", "everything", name="Ann", email="ann@example.org")
