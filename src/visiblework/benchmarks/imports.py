"""A synthetic spreadsheet of incidents and its TOML mapping, for the CSV import benchmark.

The columns are those of a typical community tracker (see docs/importing.md and
docs/examples/incident-tracker.toml): an id, a title, a summary, a date, countries, actors in
three roles, two built-in taxonomies and a source link per row.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from . import vocabulary as vocab

MAPPING = """\
# Mapping for the benchmark's synthetic tracker (visiblework bench run).
[source]
name = "benchcsv"
id_column = "Ref"
encoding = "utf-8"

[fields]
title = "Incident"
summary = "What happened"
body = "Notes"
date = "When"
countries = "Where"

[lists]
separator = ";"

[[actors]]
column = "Used by"
role = "deployer"

[[actors]]
column = "Made by"
role = "developer"

[[actors]]
column = "Workers affected"
role = "harmed_party"
kind = "group"

[[terms]]
column = "Kind of work"
taxonomy = "layer"

[[terms]]
column = "Region"
taxonomy = "region"

[[sources]]
url_column = "Sources"
publisher_column = "Outlet"
"""

HEADER = ["Ref", "Incident", "What happened", "Notes", "When", "Where", "Used by", "Made by",
          "Workers affected", "Kind of work", "Region", "Sources", "Outlet"]
LAYERS = ["Annotation", "Content moderation", "Data generation", "Unpaid user labour",
          "Human labour presented as AI", "Surveillance-trained work"]
COUNTRY_NAMES = {"KE": "Kenya", "PH": "Philippines", "IN": "India", "VE": "Venezuela",
                 "UG": "Uganda", "NG": "Nigeria", "MG": "Madagascar", "CO": "Colombia",
                 "BR": "Brazil", "US": "United States", "GB": "UK", "DE": "Germany", "FR": "France",
                 "SY": "Syria", "EG": "Egypt"}


def write_csv(path: Path, rows: int, seed: int) -> None:
    """`rows` incidents with actors drawn from a long tail of a few hundred names."""
    rng = np.random.default_rng([seed, 7])
    words = vocab.ENGLISH + vocab.FRENCH + vocab.SPANISH + vocab.SWAHILI + vocab.ARABIC
    p = 1.0 / np.arange(1, len(words) + 1) ** 0.8
    p /= p.sum()
    companies = [f"{vocab.SYLLABLES[i % 25].capitalize()}{vocab.SYLLABLES[(i * 7) % 25]} "
                 f"{vocab.SUFFIXES[i % len(vocab.SUFFIXES)]}" for i in range(300)]
    company_p = 1.0 / np.arange(1, len(companies) + 1) ** 1.1
    company_p /= company_p.sum()
    codes = list(COUNTRY_NAMES)
    word_draws = rng.choice(len(words), size=(rows, 40), p=p).tolist()
    deployers = rng.choice(len(companies), size=rows, p=company_p).tolist()
    developers = rng.choice(len(companies), size=rows, p=company_p).tolist()
    groups = rng.integers(0, len(vocab.GROUPS), rows).tolist()
    countries = rng.integers(0, len(codes), (rows, 2)).tolist()
    layers = rng.integers(0, len(LAYERS), (rows, 2)).tolist()
    years = rng.integers(2015, 2026, rows).tolist()
    months = rng.integers(1, 13, rows).tolist()
    outlets = rng.integers(0, len(vocab.OUTLETS), rows).tolist()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            w = [words[j] for j in word_draws[i]]
            where = list(dict.fromkeys(codes[c] for c in countries[i]))
            region = ("Global North" if all(c in vocab.NORTH for c in where) else "Global South")
            writer.writerow([
                f"B-{i + 1}",
                " ".join(w[:7]).capitalize(),
                " ".join(w[7:25]).capitalize() + ".",
                " ".join(w[25:40]).capitalize() + ".",
                f"{years[i]}-{months[i]:02d}",
                "; ".join(COUNTRY_NAMES[c] for c in where),
                companies[deployers[i]],
                companies[developers[i]],
                vocab.GROUPS[groups[i]],
                "; ".join(dict.fromkeys(LAYERS[j] for j in layers[i])),
                region,
                f"https://example.org/tracker/{i + 1}",
                vocab.OUTLETS[outlets[i]],
            ])


def write_mapping(path: Path) -> None:
    path.write_text(MAPPING, encoding="utf-8")
