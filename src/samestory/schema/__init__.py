"""The versioned JSON Schema of samestory's Coverage JSON, and a small validator for it.

    from samestory.schema import SCHEMA_VERSION, load_schema, validate
    errors = validate(document)        # [] when the document follows the schema

``validate`` implements the subset of JSON Schema (draft 2020-12) that coverage.schema.json
uses: type (one or a list), properties, required, items, enum, const, pattern, minimum,
maximum, minItems, additionalProperties and local ``$ref`` ("#/$defs/..."). It exists so that
the project needs no extra dependency; the schema itself is standard and works with any
full validator. Field by field: docs/coverage-json.md.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from samestory.errors import ArgumentError

__all__ = ["SCHEMA_VERSION", "SCHEMA_ID", "load_schema", "validate"]

SCHEMA_VERSION = "1.1.0"  # 1.1.0: unique details name their group (claims[].detail_of, detail)
SCHEMA_ID = f"urn:samestory:schema:coverage:{SCHEMA_VERSION}"


@functools.lru_cache(maxsize=1)
def load_schema() -> dict:
    """The Coverage JSON Schema (parsed once)."""
    text = resources.files("samestory.schema").joinpath("coverage.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def validate(instance: Any, schema: dict | None = None) -> list[str]:
    """Every way ``instance`` breaks ``schema`` (default: the Coverage schema), as
    ``"<json path>: <reason>"`` strings; an empty list when it is valid."""
    root = schema if schema is not None else load_schema()
    errors: list[str] = []
    _check(instance, root, root, "$", errors)
    return errors


def _resolve(ref: str, root: dict) -> dict:
    if not ref.startswith("#/"):
        raise ArgumentError("$ref", f"only local references (#/...) are supported, got {ref!r}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _check(value: Any, schema: dict, root: dict, path: str, errors: list[str]) -> None:
    if "$ref" in schema:
        _check(value, _resolve(schema["$ref"], root), root, path, errors)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](value) for t in types):
            errors.append(f"{path}: expected {' or '.join(types)}, got {type(value).__name__}")
            return
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: expected {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append(f"{path}: {value!r} does not match {schema['pattern']!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: {value} is below the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: {value} is above the maximum {schema['maximum']}")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(f"{path}: needs at least {schema['minItems']} items, has {len(value)}")
        if "items" in schema:
            for k, item in enumerate(value):
                _check(item, schema["items"], root, f"{path}[{k}]", errors)
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            if key not in value:
                errors.append(f"{path}: missing required field {key!r}")
        props = schema.get("properties", {})
        for key, item in value.items():
            if key in props:
                _check(item, props[key], root, f"{path}.{key}", errors)
            elif schema.get("additionalProperties") is False:
                errors.append(f"{path}: unexpected field {key!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                _check(item, schema["additionalProperties"], root, f"{path}.{key}", errors)
