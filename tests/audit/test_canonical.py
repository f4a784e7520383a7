"""Canonical JSON: the fast writer gives, byte for byte, what the json module writes, so the
hashes of records made before it and after it are hashes of one spelling."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum, StrEnum
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.audit.canonical import canonical_json
from interlock.core import Interlock
from interlock.match.contract import ScreeningQuery
from tests.conftest import FIXTURES, sqlite_settings


def json_module(value: object) -> bytes:
    """The spelling the first records were hashed from."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode()


def finite_floats() -> st.SearchStrategy[float]:
    # every magnitude, and the short decimals scores are rounded to
    return st.one_of(
        st.floats(allow_nan=False, allow_infinity=False),
        st.builds(
            lambda mantissa, exponent: mantissa * 10.0**exponent,
            st.floats(-10, 10, allow_nan=False),
            st.integers(-12, 20),
        ),
        st.builds(round, st.floats(-2, 2, allow_nan=False), st.integers(0, 7)),
    )


text = st.text(st.characters(codec="utf-8"))  # any character but a lone surrogate
json_data = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | finite_floats() | text,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(text, inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=600, deadline=None)
@given(json_data)
def test_json_data_is_written_as_the_json_module_writes_it(value: object) -> None:
    assert canonical_json(value) == json_module(value)


@given(
    st.sampled_from(["\x7f", "é", "公安部", "😀", "\u2028", '\x00\x1f\b\n\t"\\', "e-5", "0.00001"])
)
def test_characters_and_number_spellings_inside_text_survive(fragment: str) -> None:
    value = {"name": f"a{fragment}b", fragment: [1e-05, 1e-07, 0.0001, 1e16, -0.0]}
    assert canonical_json(value) == json_module(value)


@given(st.sampled_from([1e-05, -1e-05, 1e-07, 0.00001234, 1e16, -1e22, 5e-324]))
def test_a_number_alone_or_first_is_spelt_as_the_json_module_spells_it(number: float) -> None:
    for value in (number, [number, "3e2a"], {"re-export": number}):
        assert canonical_json(value) == json_module(value)


def test_values_json_has_no_type_for_have_one_spelling() -> None:
    class Colour(Enum):
        RED = "red"

    class Mode(StrEnum):
        STRICT = "strict"

    @dataclass
    class Point:
        x: int

    class Measure(float):  # as numpy's float64 is
        pass

    moment = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    value = {
        "nan": math.nan,
        "inf": [math.inf, -math.inf],
        "enum": Colour.RED,
        "str_enum": Mode.STRICT,
        "day": date(2024, 6, 1),
        "moment": moment,
        "point": Point(1),
        "measure": Measure(1.5),
    }
    expected = {
        "nan": None,
        "inf": [None, None],
        "enum": "red",
        "str_enum": "strict",
        "day": "2024-06-01",
        "moment": "2024-06-01 12:00:00+00:00",
        "point": "test_values_json_has_no_type_for_have_one_spelling.<locals>.Point(x=1)",
        "measure": 1.5,
    }
    assert canonical_json(value) == json_module(expected)
    # the json module writes the same where orjson refuses the value (a key that is not text)
    assert canonical_json([value, {1: "one"}]) == json_module([expected, {"1": "one"}])


def test_a_screening_result_is_written_as_the_json_module_writes_it(tmp_path: Path) -> None:
    interlock = Interlock(sqlite_settings(tmp_path))
    interlock.load_files("csl_csv", [FIXTURES / "csl" / "csl_2022-04_cut.csv"])
    for name in ("Huawei Technologies", "华为技术有限公司", "Ministry of Public Security"):
        result = interlock.screen(ScreeningQuery(name=name))
        value = result.model_dump(mode="json", by_alias=True)
        assert canonical_json(value) == json_module(value)
