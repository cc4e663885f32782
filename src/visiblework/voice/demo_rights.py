"""Demo content for data-rights letters: privacy contacts for seeded companies.

Each contact was verified with the search tool in the company's own privacy policy (cited as
the source); nothing is invented. One company is enough for a letter under every law (the law
is the writer's, not the company's), so the demo can write letters for every law listed.
Idempotent: contacts are matched by company.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from visiblework.cases.models import Actor

from .models import PrivacyContact

# slug of a seeded actor -> its public privacy contact, as its own privacy policy states it.
CONTACTS = {
    "openai": {
        # "California residents can exercise their CCPA privacy rights by sending their request
        # to dsar@openai.com" and, for individuals in the EEA, the UK and elsewhere, "please
        # send your request to dsar@openai.com".
        "email": "dsar@openai.com",
        "source_url": "https://openai.com/policies/privacy-policy",
        "source_title": "OpenAI Privacy Policy",
        "checked_on": date(2026, 12, 5),
    },
}


def seed() -> str | None:
    made = 0
    for slug, fields in CONTACTS.items():
        actor = Actor.objects.filter(slug=slug).first()
        if actor is None:  # the seed content is not loaded: nothing to attach a contact to
            continue
        _contact, created = PrivacyContact.objects.update_or_create(actor=actor, defaults=fields)
        made += created
    if not made:
        return None
    return _("Privacy contacts for data-rights letters: %(n)d") % {"n": made}
