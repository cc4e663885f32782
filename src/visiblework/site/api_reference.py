"""The API reference page (/api/v1/docs), read from the OpenAPI document that django-ninja
builds: every operation with its parameters, request body and answers, and every schema with
its fields. Rendered on the server in the site's own style, in a few kilobytes, instead of
the stock Swagger UI (1.7 MB of script, no way back to the site)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from .api import api

METHODS = ("get", "post", "put", "patch", "delete")
REF_PREFIX = "#/components/schemas/"


@dataclass(frozen=True)
class Field:
    name: str
    where: str  # "query", "path", "header" for a parameter; "" for a schema's field
    type: str  # the JSON type ("string", "integer"…), "" when it is a schema (ref)
    ref: str  # the name of the schema the value follows, or ""
    array: bool  # a list of such values
    nullable: bool
    required: bool
    description: str
    choices: tuple[str, ...]
    default: str


@dataclass(frozen=True)
class Answer:
    status: str
    description: str
    ref: str
    array: bool


@dataclass(frozen=True)
class Operation:
    anchor: str
    method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Field, ...]
    body: str  # the schema of the request body, or ""
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Schema:
    name: str
    description: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Reference:
    title: str
    version: str
    description: str
    operations: tuple[Operation, ...]
    schemas: tuple[Schema, ...]


def _ref_name(ref: str) -> str:
    return ref.removeprefix(REF_PREFIX)


def _shape(schema: dict[str, Any]) -> tuple[str, str, bool, bool, tuple[str, ...]]:
    """(type, ref, array, nullable, choices) of a JSON schema."""
    nullable = False
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        values = [o for o in options if o.get("type") != "null"]
        nullable = len(values) < len(options)
        if len(values) == 1:
            schema = values[0]
        else:
            names = [_ref_name(o["$ref"]) if "$ref" in o else str(o.get("type", "")) for o in values]
            return " | ".join(names), "", False, nullable, ()
    if len(schema.get("allOf", ())) == 1:
        schema = schema["allOf"][0]
    array = schema.get("type") == "array"
    if array:
        schema = schema.get("items", {})
    if "$ref" in schema:
        return "", _ref_name(schema["$ref"]), array, nullable, ()
    kind = str(schema.get("type", ""))
    if schema.get("format"):
        kind = f"{kind} ({schema['format']})"
    choices = tuple(str(c) for c in schema.get("enum", ()))
    return kind, "", array, nullable, choices


def _field(name: str, where: str, schema: dict[str, Any], required: bool, description: str) -> Field:
    kind, ref, array, nullable, choices = _shape(schema)
    default = schema.get("default")
    shown_default = "" if default in (None, [], "") else str(default)
    return Field(name=name, where=where, type=kind, ref=ref, array=array, nullable=nullable,
                 required=required, description=description or str(schema.get("description", "")),
                 choices=choices, default=shown_default)


def _json_schema_of(content: dict[str, Any]) -> dict[str, Any]:
    return dict(content.get("application/json", {}).get("schema", {}))


def _operation(path: str, method: str, op: dict[str, Any]) -> Operation:
    parameters = tuple(
        _field(p["name"], p.get("in", ""), p.get("schema", {}), bool(p.get("required")),
               str(p.get("description", "")))
        for p in op.get("parameters", ()))
    body = _json_schema_of(op.get("requestBody", {}).get("content", {}))
    answers = []
    for status, answer in sorted(op.get("responses", {}).items(), key=lambda item: str(item[0])):
        _kind, ref, array, _nullable, _choices = _shape(_json_schema_of(answer.get("content", {})))
        answers.append(Answer(status=str(status), description=str(answer.get("description", "")),
                              ref=ref, array=array))
    short = path.removeprefix("/api/v1").strip("/")
    anchor = f"{method}-{short.replace('/', '-').replace('{', '').replace('}', '')}"
    return Operation(anchor=anchor, method=method.upper(), path=path,
                     summary=str(op.get("summary", "")), description=str(op.get("description", "")),
                     parameters=parameters, body=_ref_name(body.get("$ref", "")), answers=tuple(answers))


def _schema(name: str, schema: dict[str, Any]) -> Schema:
    required = set(schema.get("required", ()))
    fields = tuple(_field(field, "", spec, field in required, "")
                   for field, spec in schema.get("properties", {}).items())
    return Schema(name=name, description=str(schema.get("description", "")), fields=fields)


def reference_from(document: dict[str, Any]) -> Reference:
    """The reference for an OpenAPI 3 document."""
    info = document.get("info", {})
    operations = tuple(
        _operation(path, method, op)
        for path, ops in document.get("paths", {}).items()
        for method, op in ops.items() if method in METHODS)
    schemas = tuple(_schema(name, spec) for name, spec
                    in document.get("components", {}).get("schemas", {}).items())
    return Reference(title=str(info.get("title", "")), version=str(info.get("version", "")),
                     description=str(info.get("description", "")), operations=operations,
                     schemas=schemas)


@cache
def reference() -> Reference:
    """This site's API reference (built once per process: the API changes only with the code)."""
    return reference_from(api.get_openapi_schema())
