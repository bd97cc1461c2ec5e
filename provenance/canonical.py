"""RFC 8785 (JSON Canonicalization Scheme) for the values a ledger entry may hold.

Entries hold only strings, integers, booleans, null, lists and objects with ASCII keys. For
exactly that subset, ``json.dumps`` with sorted keys, no whitespace and ``ensure_ascii=False``
produces the RFC 8785 bytes (the escaping rules and key order coincide; floats, whose
serialisation differs, are refused). The test suite checks this against the ``rfc8785`` package.
That matters for speed: the full audit canonicalises every entry again.
"""

from __future__ import annotations

import json
from typing import Any

JSONValue = str | int | bool | None | list["JSONValue"] | dict[str, "JSONValue"]

MAX_SAFE_INTEGER = 2**53 - 1  # I-JSON: larger integers lose precision in other readers


class NotCanonicalizable(ValueError):
    """A value outside the subset the ledger accepts."""


def check(value: Any, path: str = "$") -> None:
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise NotCanonicalizable(f"{path}: integer {value} exceeds 2**53-1")
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            check(item, f"{path}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise NotCanonicalizable(f"{path}: keys must be ASCII strings, got {key!r}")
            check(item, f"{path}.{key}")
        return
    raise NotCanonicalizable(f"{path}: {type(value).__name__} is not allowed in a ledger entry")


def canonical_json(value: Any) -> bytes:
    check(value)
    return dumps_unchecked(value)


def dumps_unchecked(value: Any) -> bytes:
    """Canonical bytes of a value already known to be in the subset (stored entries)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
