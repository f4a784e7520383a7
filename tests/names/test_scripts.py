"""Names written in Han, kana or Hangul: a different character is a different name."""

from __future__ import annotations

import pytest

from interlock.names.scripts import different_characters, written_characters


def test_written_characters_fold_traditional_and_drop_separators() -> None:
    assert written_characters("習近平") == "习近平"
    assert written_characters("金 正恩") == "金正恩"
    assert written_characters("Xi Jinping") == ""
    assert written_characters("华为 Technologies") == ""


@pytest.mark.parametrize(
    ("a", "b", "different"),
    [
        ("习近朋", "习近平", True),  # a homophone to pinyin, another name to a reader
        ("김종은", "김정은", True),
        ("高石早苗", "高市早苗", True),
        ("習近平", "习近平", False),  # traditional and simplified: one name
        ("习近平", "Xi Jinping", False),  # another script: romanisation decides
        ("华为技术有限公司", "华为", False),  # different lengths: the tokens decide
    ],
)
def test_different_characters(a: str, b: str, different: bool) -> None:
    assert different_characters(a, b) is different
