"""Regions: Global North and Global South, and the rule that gives every country one.

The rule, in order (docs/wages-and-reference-data.md, "Regions"):

1. The loaded reference data: UNSD M49's "Developed / Developing Countries" column (2020,
   the last version that has it; datasets/country-codes, PDDL): Developed is the Global
   North, Developing the Global South.
2. For a code the loaded data does not classify (it leaves Taiwan and Antarctica out, and
   nothing may be loaded at all): the fixed list below of the 66 codes
   UNSD classed as Developed in that same 2020 file is the Global North.
3. Everything else is the Global South. Taiwan falls here, as M49 counts it in Eastern Asia
   outside Japan, all of which is Developing; so does Antarctica, which has no work of its
   own to report and no M49 region.

So a region is never unknown for a valid code, and a review never falls back to naming its
country because a region is missing.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

NORTH = "global-north"
SOUTH = "global-south"
REGIONS = (NORTH, SOUTH)
REGION_LABELS: dict[str, Promise] = {NORTH: gettext_lazy("Global North"),
                                     SOUTH: gettext_lazy("Global South")}

# UNSD M49 (2020 edition) "Developed": ISO 3166 alpha-2 codes, from
# country-codes_datasets_2020_with_developed.csv (datasets/country-codes, PDDL).
DEVELOPED_2020 = frozenset({
    "AD", "AL", "AT", "AU", "AX", "BA", "BE", "BG", "BM", "BY", "CA", "CC", "CH", "CX", "CY",
    "CZ", "DE", "DK", "EE", "ES", "FI", "FO", "FR", "GB", "GG", "GI", "GL", "GR", "HM", "HR",
    "HU", "IE", "IL", "IM", "IS", "IT", "JE", "JP", "LI", "LT", "LU", "LV", "MC", "MD", "ME",
    "MK", "MT", "NF", "NL", "NO", "NZ", "PL", "PM", "PT", "RO", "RS", "RU", "SE", "SI", "SJ",
    "SK", "SM", "UA", "US", "VA",
})


def fallback_region(iso2: str) -> str:
    """The region of a code the loaded reference data does not classify (rules 2 and 3)."""
    return NORTH if (iso2 or "").strip().upper() in DEVELOPED_2020 else SOUTH


def region_label(region: str) -> str:
    """A region as readers name it, in the active language; never a country."""
    label = REGION_LABELS.get(region)
    return str(label) if label is not None else str(gettext_lazy("Region not known"))
