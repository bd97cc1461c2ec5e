from __future__ import annotations

import random
import string
from typing import Any

import pytest
import rfc8785

from provenance.canonical import NotCanonicalizable, canonical_json


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    kinds = ["str", "int", "bool", "none"] + (["list", "dict"] if depth < 3 else [])
    kind = rng.choice(kinds)
    if kind == "str":
        alphabet = string.printable + '\u00e9\u4e2d\u6587\u2028\U0001f600\x00\x1f"\\/'
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
    if kind == "int":
        return rng.randint(-(2**53) + 1, 2**53 - 1)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    if kind == "list":
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    keys = [
        "".join(rng.choice(string.printable) for _ in range(rng.randint(0, 6))) for _ in range(4)
    ]
    return {k: _random_value(rng, depth + 1) for k in keys}


def test_fast_path_equals_rfc8785_reference() -> None:
    rng = random.Random(1)
    for _ in range(2000):
        value = {"payload": _random_value(rng)}
        assert canonical_json(value) == rfc8785.dumps(value)


@pytest.mark.parametrize(
    "value", [{"x": 1.5}, {"x": 2**60}, {1: "a"}, {"\u00e9": 1}, {"x": b"bytes"}, {"x": {1, 2}}]
)
def test_values_outside_the_subset_are_refused(value: Any) -> None:
    with pytest.raises(NotCanonicalizable):
        canonical_json(value)
