"""Shared by the tests of "who can help" (import `directory_fixture` to use the `directory`
fixture). Organisations in the directory whose matches the tests can state exactly:

| slug            | countries   | languages | kinds of work       | help          | published |
| kenya-union     | KE          | sw, en    | content_moderation  | organising    | yes |
| global-research | every       | en        | every               | research      | yes |
| uk-data-rights  | GB          | en, pl    | every               | data_rights   | yes |
| hidden-org      | KE          | en        | content_moderation  | legal         | no  |
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from visiblework.voice.help import save_organisation
from visiblework.voice.models import HelpProfile

SOURCE = {"url": "https://example.org/about", "title": "About us", "publisher": "Example",
          "accessed": "2026-11-30"}


def facts(name: str, **overrides) -> dict:
    data = {"name": name, "kind": "organisation", "url": "", "summary": f"{name} helps.",
            "worldwide": False, "countries": [], "languages": ["en"], "task_types": [],
            "help_kinds": ["research"], "justice_areas": [], "contacts": [],
            "sources": [SOURCE]}
    data.update(overrides)
    return data


@dataclass
class Directory:
    kenya: HelpProfile
    global_: HelpProfile
    uk: HelpProfile
    hidden: HelpProfile


@pytest.fixture(name="directory")
def directory_fixture(vocabularies) -> Directory:
    kenya = save_organisation(facts(
        "Kenya Moderators Union", countries=["KE"], languages=["sw", "en"],
        task_types=["content_moderation"], help_kinds=["organising"],
        justice_areas=["economic-justice"],
        contacts=[{"kind": "website", "value": "https://union.example.org/", "label": ""},
                  {"kind": "email", "value": "help@union.example.org", "label": "Help desk"}]),
        slug="kenya-union")
    global_ = save_organisation(facts("Global Research", worldwide=True), slug="global-research")
    uk = save_organisation(facts("UK Data Rights", countries=["GB"], languages=["en", "pl"],
                                 help_kinds=["data_rights"]), slug="uk-data-rights")
    hidden = save_organisation(facts("Hidden Org", countries=["KE"],
                                     task_types=["content_moderation"], help_kinds=["legal"]),
                               slug="hidden-org")
    hidden.published = False
    hidden.save()
    return Directory(kenya, global_, uk, hidden)
