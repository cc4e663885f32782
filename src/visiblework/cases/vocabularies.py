"""The built-in vocabularies. Names are marked for translation here so the catalogues carry
them; the database keeps the English name and pages translate it on display."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from visiblework.refdata.regions import NORTH, SOUTH

# (key, name, description, [(slug, name, description)])
BUILT_IN: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "justice_area",
        gettext_noop("Justice area"),
        gettext_noop("The seven justice areas of Mozilla's AI Intersections Database."),
        [
            ("community-health-and-collective-security",
             gettext_noop("Community Health and Collective Security"), ""),
            ("disability-justice", gettext_noop("Disability Justice"), ""),
            ("economic-justice", gettext_noop("Economic Justice"), ""),
            ("environmental-justice", gettext_noop("Environmental Justice"), ""),
            ("gender-justice", gettext_noop("Gender Justice"), ""),
            ("human-rights", gettext_noop("Human Rights"), ""),
            ("racial-justice", gettext_noop("Racial Justice"), ""),
        ],
    ),
    (
        "impact",
        gettext_noop("AI impact"),
        gettext_noop("What the AI system or the work behind it did to people."),
        [
            ("economic-harm-and-inequity", gettext_noop("Economic Harm and Inequity"), ""),
            ("exploitation-of-workers", gettext_noop("Exploitation of Workers"), ""),
            ("wage-theft", gettext_noop("Wage Theft and Unpaid Work"), ""),
            ("surveillance", gettext_noop("Surveillance"), ""),
            ("privacy-violation", gettext_noop("Privacy Violation"), ""),
            ("discrimination", gettext_noop("Discrimination"), ""),
            ("denial-of-services", gettext_noop("Denial of Services"), ""),
            ("psychological-harm", gettext_noop("Psychological Harm"), ""),
            ("deception", gettext_noop("Deception about Automation"), ""),
            ("lack-of-transparency", gettext_noop("Lack of Transparency"), ""),
        ],
    ),
    (
        "layer",
        gettext_noop("Layer of invisible labour"),
        gettext_noop("Where in the AI supply chain the hidden human work happens."),
        [
            ("unpaid-user-labour", gettext_noop("Unpaid user labour"),
             gettext_noop("CAPTCHAs, ratings, thumbs up or down: users train systems for free.")),
            ("human-labour-presented-as-ai", gettext_noop("Human labour presented as AI"),
             gettext_noop("People doing the work that a product claims a machine does.")),
            ("data-generation", gettext_noop("Data generation"),
             gettext_noop("Workers recording their voices, photographing themselves or their homes.")),
            ("annotation", gettext_noop("Annotation"),
             gettext_noop("Labelling, tagging, transcribing and ranking data.")),
            ("content-moderation", gettext_noop("Content moderation"),
             gettext_noop("Reviewing and removing harmful content, often traumatic.")),
            ("surveillance-trained-work", gettext_noop("Surveillance-trained work"),
             gettext_noop("Workers whose monitored work trains the systems that watch them.")),
        ],
    ),
    (
        "region",
        gettext_noop("Region"),
        gettext_noop("Global North and Global South, after UNSD's former developed / developing grouping."),
        [
            (NORTH, gettext_noop("Global North"), ""),  # the keys of refdata/regions.py
            (SOUTH, gettext_noop("Global South"), ""),
        ],
    ),
]


def install_built_in(Taxonomy, Term) -> None:  # noqa: N803 - model classes, also historical
    """Create or update the built-in taxonomies and terms (idempotent)."""
    for order, (key, name, description, terms) in enumerate(BUILT_IN):
        taxonomy, _ = Taxonomy.objects.update_or_create(
            key=key, defaults={"name": name, "description": description, "order": order,
                               "is_facet": True}
        )
        for term_order, (slug, term_name, term_description) in enumerate(terms):
            Term.objects.update_or_create(
                taxonomy=taxonomy, slug=slug,
                defaults={"name": term_name, "description": term_description,
                          "order": term_order},
            )
