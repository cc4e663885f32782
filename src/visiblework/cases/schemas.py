"""The API's schemas: every field named, nothing private."""

from __future__ import annotations

from ninja import Schema
from pydantic import BaseModel


class Out(BaseModel):
    """An answer built from plain dicts, checked by pydantic alone: `ninja.Schema` wraps every
    value in its ORM attribute getter, which was half the time of a list of 20 cases."""


class ActorRoleOut(Out):
    name: str
    slug: str
    role: str


class SourceOut(Out):
    url: str
    title: str
    publisher: str
    authors: str
    date: str
    archived_url: str


class CaseOut(Out):
    id: int
    url: str
    # The ids other databases give the case ("aiid:23"): its own first, then those of the
    # duplicates merged into it.
    external_ids: list[str]
    title: str
    year: int | None
    year_end: int | None = None  # the last year of a case that spans several (2019–2021)
    date: str
    summary: str
    terms: dict[str, list[str]]  # taxonomy key -> term slugs
    countries: list[str]
    actors: list[ActorRoleOut]
    sources: list[SourceOut]
    updated_at: str


class CaseDetailOut(CaseOut):
    body: str
    related: list[int]


class CaseListOut(Out):
    count: int
    items: list[CaseOut]
    next: str | None


class ActorLinkOut(Out):
    relation: str
    slug: str
    name: str


class ActorOut(Out):
    slug: str
    name: str
    kind: str
    country: str
    url: str
    description: str
    aliases: list[str]
    links: list[ActorLinkOut]


class ActorListOut(Out):
    count: int
    items: list[ActorOut]
    next: str | None


class TermOut(Out):
    slug: str
    name: str
    description: str


class TaxonomyOut(Out):
    key: str
    name: str
    description: str
    is_facet: bool
    terms: list[TermOut]


class ErrorOut(Out):
    detail: str


class SourceIn(Schema):
    url: str = ""
    title: str = ""
    publisher: str = ""
    date: str = ""


class ActorIn(Schema):
    name: str
    role: str


class ContributionIn(Schema):
    kind: str
    case_id: int | None = None
    title: str
    year: int | None = None
    year_end: int | None = None
    summary: str
    body: str = ""
    sources: list[SourceIn] = []
    justice_areas: list[str] = []
    impacts: list[str] = []
    layers: list[str] = []
    regions: list[str] = []
    countries: list[str] = []
    actors: list[ActorIn] = []
    note: str = ""


class ContributionOut(Out):
    tracking_code: str
    tracking_url: str
    status: str


class FieldError(Out):
    loc: list[str]
    msg: str


class ValidationErrorOut(Out):
    detail: list[FieldError]
