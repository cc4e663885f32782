"""The built-in vocabularies. Names are marked for translation here so the catalogues carry
them; the database keeps the English name and pages translate it on display."""

from __future__ import annotations

from django.utils.translation import gettext_noop as N_

# (key, name, description, [(slug, name, description)])
BUILT_IN: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "justice_area",
        N_("Justice area"),
        N_("The seven justice areas of Mozilla's AI Intersections Database."),
        [
            ("community-health-and-collective-security", N_("Community Health and Collective Security"), ""),
            ("disability-justice", N_("Disability Justice"), ""),
            ("economic-justice", N_("Economic Justice"), ""),
            ("environmental-justice", N_("Environmental Justice"), ""),
            ("gender-justice", N_("Gender Justice"), ""),
            ("human-rights", N_("Human Rights"), ""),
            ("racial-justice", N_("Racial Justice"), ""),
        ],
    ),
    (
        "impact",
        N_("AI impact"),
        N_("What the AI system or the work behind it did to people."),
        [
            ("economic-harm-and-inequity", N_("Economic Harm and Inequity"), ""),
            ("exploitation-of-workers", N_("Exploitation of Workers"), ""),
            ("wage-theft", N_("Wage Theft and Unpaid Work"), ""),
            ("surveillance", N_("Surveillance"), ""),
            ("privacy-violation", N_("Privacy Violation"), ""),
            ("discrimination", N_("Discrimination"), ""),
            ("denial-of-services", N_("Denial of Services"), ""),
            ("psychological-harm", N_("Psychological Harm"), ""),
            ("deception", N_("Deception about Automation"), ""),
            ("lack-of-transparency", N_("Lack of Transparency"), ""),
        ],
    ),
    (
        "layer",
        N_("Layer of invisible labour"),
        N_("Where in the AI supply chain the hidden human work happens."),
        [
            ("unpaid-user-labour", N_("Unpaid user labour"),
             N_("CAPTCHAs, ratings, thumbs up or down: users train systems for free.")),
            ("human-labour-presented-as-ai", N_("Human labour presented as AI"),
             N_("People doing the work that a product claims a machine does.")),
            ("data-generation", N_("Data generation"),
             N_("Workers recording their voices, photographing themselves or their homes.")),
            ("annotation", N_("Annotation"),
             N_("Labelling, tagging, transcribing and ranking data.")),
            ("content-moderation", N_("Content moderation"),
             N_("Reviewing and removing harmful content, often traumatic.")),
            ("surveillance-trained-work", N_("Surveillance-trained work"),
             N_("Workers whose monitored work trains the systems that watch them.")),
        ],
    ),
    (
        "region",
        N_("Region"),
        N_("Global North and Global South, after UNSD's former developed / developing grouping."),
        [
            ("global-north", N_("Global North"), ""),
            ("global-south", N_("Global South"), ""),
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
