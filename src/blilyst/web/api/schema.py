"""Request bodies taken as JSON types them: a base class for the API's input schemas.

Pydantic's default (lax) mode turns ``0`` into ``false``, ``true`` into ``1`` and ``"3"`` into ``3``, so the API
accepted bodies its own OpenAPI description calls invalid (``"remote_work": 0``, ``"save": 0``; found by the
Schemathesis test's negative-data check), and ninja reads any value as an object's attributes, so ``"needs":
[null, null]`` was taken as needs with every default. Strict mode cannot be used instead: it also refuses a date
written as a string, which is how JSON writes dates. ``JsonInput`` checks each field's raw value against the JSON
type its schema declares before pydantic converts it, and answers the usual 422 naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import model_validator
from pydantic_core import PydanticCustomError


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """An input schema's values as a page's form receives them from a browser (dates and times as ISO text,
    nothing for None): every API write is validated by the page's own form (issue 14, item 4)."""
    return {
        name: value.isoformat() if isinstance(value, dt.date) else value
        for name, value in values.items()
        if value is not None
    }


_NUMBER = frozenset({"integer", "number"})
_DECLARED: dict[type, dict[str, set[str]]] = {}  # per schema class: its fields' JSON types, read once


def _json_types(prop: dict[str, Any], definitions: dict[str, Any]) -> set[str] | None:
    """The JSON types a property's schema allows, or None where it says nothing about them."""
    if "$ref" in prop:
        return _json_types(definitions.get(prop["$ref"].rsplit("/", 1)[-1], {}), definitions)
    if "type" in prop:
        return {prop["type"]} if isinstance(prop["type"], str) else set(prop["type"])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in prop:
            found: set[str] = set()
            for option in prop[key]:
                types = _json_types(option, definitions)
                if types is None:
                    return None
                found |= types
            return found
    return None


def _fits(value: Any, types: set[str]) -> bool:
    """Whether ``value``, as parsed from JSON, has one of the JSON ``types``."""
    if value is None:
        return "null" in types
    if isinstance(value, bool):  # before int: True is an int in Python
        return "boolean" in types
    if isinstance(value, int | float):
        return bool(types & _NUMBER)
    if isinstance(value, str):
        return "string" in types
    if isinstance(value, list):
        return "array" in types
    if isinstance(value, dict):
        return "object" in types
    return True  # not from JSON: a value read from the database (a date) for an answer


class JsonInput(Schema):
    """An input schema whose fields accept only the JSON types the description gives them: true/false for a
    boolean, a number for a number, a text for a text (a date too), a list for a list and an object for an object."""

    @classmethod
    def _declared_types(cls) -> dict[str, set[str]]:
        if cls not in _DECLARED:
            schema = cls.model_json_schema(by_alias=True)
            definitions = schema.get("$defs", {})
            declared = {}
            for name, prop in schema.get("properties", {}).items():
                types = _json_types(prop, definitions)
                if types is not None:
                    declared[name] = types
            _DECLARED[cls] = declared
        return _DECLARED[cls]

    @model_validator(mode="before")
    @classmethod
    def _as_json_types_them(cls, data: Any) -> Any:
        # ninja's Schema wraps what it validates in a DjangoGetter first; a JSON body is a dict inside it
        raw = getattr(data, "_obj", data)
        if not isinstance(raw, dict):
            return data  # an object read from the database (an answer), not a request body
        for name, types in cls._declared_types().items():
            if name in raw and not _fits(raw[name], types):
                raise PydanticCustomError(
                    "json_type",
                    "{field}: expected {expected}, got {got}",
                    {"field": name, "expected": " or ".join(sorted(types)), "got": type(raw[name]).__name__},
                )
        return data
