"""Names written in Han, kana or Hangul: a different character is a different name."""

from __future__ import annotations

import pytest

from interlock.names.analysis import analyze
from interlock.names.forms import ORGANIZATION
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


def test_a_division_is_also_rendered_with_its_suffix() -> None:
    """Company names in English leave 市 out (深圳市 'Shenzhen'), the lists' government bodies
    say it ('Urumqi Municipal Public Security Bureau'): both are forms, the suffix's English
    words equivalent."""
    forms = {f.text: f for f in analyze("乌鲁木齐市公安局", ORGANIZATION).forms}
    assert "urumqi public security bureau" in forms
    suffixed = forms["urumqi city public security bureau"]
    city = next(t for t in suffixed.tokens if t.text == "city")
    assert {"municipality", "municipal"} <= city.alts
    prefecture = {f.text for f in analyze("喀什地区公安局", ORGANIZATION).forms}
    assert "kashgar prefecture public security bureau" in prefecture


def test_a_rendering_that_repeats_the_one_before_is_left_out() -> None:
    """中航电测 is rendered 'zhonghang electronic measuring instruments', which says 仪器 already."""
    forms = [f.text for f in analyze("中航电测仪器股份有限公司", ORGANIZATION).forms]
    assert "zhonghang electronic measuring instruments company limited" in forms
    assert not any("instruments instrument" in text for text in forms)
    # a word the name says twice stays: Jilin province's Jilin city
    twice = [f.text for f in analyze("吉林省吉林市化工有限公司", ORGANIZATION).forms]
    assert "jilin jilin chemical company limited" in twice


def test_the_suffixed_forms_leave_every_rendering_its_form() -> None:
    """The forms spelling out a division's suffix come after the alternative renderings, which
    the form limit counts alone: 光电 is written 'optronic' too."""
    forms = [f.text for f in analyze("深圳市中康光电技术有限公司", ORGANIZATION).forms]
    assert "shenzhen zhongkang optronic technology company limited" in forms
    assert "shenzhen city zhongkang optoelectronics technology company limited" in forms
    # the division stays: a company of another city with this trade name is another company
    assert all("shenzhen" in text or "sz" in text.split() for text in forms if "zhongkang" in text)


def test_a_rendering_that_only_reorders_another_makes_no_form() -> None:
    """The scorer pairs words in any order: 'department of public security' adds nothing to
    'public security department', and the form it would take goes to 'public security bureau',
    which the Entity List writes for 公安厅."""
    forms = [f.text for f in analyze("新疆维吾尔自治区人民政府公安厅", ORGANIZATION).forms]
    assert not any("department of public security" in text for text in forms)
    assert any(text.endswith("government public security bureau") for text in forms)
