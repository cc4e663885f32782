"""The case data an import writes: a new case's, or, for a case an import already made, the
import's values for what it owns (Ownership) and the editors' for the rest; and whether an
update changes anything at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..editing import SOURCE_FIELDS


@dataclass
class Ownership:
    """What an import owns on a case it updates; editors' other additions are kept."""

    taxonomies: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    countries: bool = False
    body: bool = False


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """Case data in a canonical order, to tell whether an import would change anything."""
    return {
        "title": data["title"], "year": data["year"], "year_end": data.get("year_end"),
        "date": data["date"],
        "summary": data["summary"], "body": data["body"], "status": data["status"],
        "terms": {k: sorted(set(v)) for k, v in data["terms"].items() if v},
        "countries": sorted(set(data["countries"])),
        "actors": sorted({(a["slug"], a["role"], a["name"]) for a in data["actors"]}),
        "sources": [tuple(s.get(f) or "" for f in SOURCE_FIELDS) for s in data["sources"]],
    }


def merge(current: dict[str, Any], incoming: dict[str, Any], owns: Ownership) -> dict[str, Any]:
    """The case data after an update: the import's values for what it owns, the editors'
    for the rest. Empty cells never erase what is there."""
    data = dict(current)
    data["title"] = incoming["title"]
    data["summary"] = incoming["summary"]
    if incoming.get("date"):
        data["date"] = incoming["date"]
        data["year"] = int(incoming["date"][:4])
        data["year_end"] = incoming.get("year_end")
    elif incoming.get("year"):
        data["year"] = incoming["year"]
        data["year_end"] = incoming.get("year_end")
        if data.get("date") and not str(data["date"]).startswith(str(incoming["year"])):
            data["date"] = ""
    if owns.body and incoming.get("body"):
        data["body"] = incoming["body"]
    terms = {k: v for k, v in current["terms"].items() if k not in owns.taxonomies}
    terms.update({k: v for k, v in incoming.get("terms", {}).items() if v})
    data["terms"] = terms
    if owns.countries:
        data["countries"] = incoming.get("countries", [])
    kept = [a for a in current["actors"] if a["role"] not in owns.roles]
    data["actors"] = list(incoming.get("actors", [])) + kept
    new_sources = list(incoming.get("sources", []))
    urls = {s["url"] for s in new_sources if s.get("url")}
    titles = {s["title"] for s in new_sources if not s.get("url")}
    data["sources"] = new_sources + [
        s for s in current["sources"]
        if not (s["url"] in urls if s["url"] else s["title"] in titles)]
    return data


def new_case_data(incoming: dict[str, Any], status: str) -> dict[str, Any]:
    date = incoming.get("date") or ""
    return {
        "title": incoming["title"], "summary": incoming["summary"],
        "body": incoming.get("body") or "",
        "date": date, "year": int(date[:4]) if date else incoming.get("year"),
        "year_end": incoming.get("year_end"),
        "status": status, "terms": incoming.get("terms", {}),
        "countries": incoming.get("countries", []), "actors": incoming.get("actors", []),
        "sources": incoming.get("sources", []),
    }
