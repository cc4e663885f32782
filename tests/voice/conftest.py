"""Fixtures of the voice tests: a company with a privacy contact."""

import pytest

from visiblework.cases.models import Actor
from visiblework.voice.models import PrivacyContact


@pytest.fixture
def company(db) -> PrivacyContact:
    actor = Actor.objects.create(slug="openai", name="OpenAI", kind="company", country="US")
    return PrivacyContact.objects.create(actor=actor, email="dsar@openai.com",
                                         source_url="https://openai.com/policies/privacy-policy",
                                         source_title="OpenAI Privacy Policy")
