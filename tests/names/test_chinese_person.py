"""Chinese person names: surname split, surname readings, romanised list forms, syllable table."""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pytest
from pypinyin import Style, pinyin

from interlock.names.chinese_person import (
    ChinesePersonName,
    romanize_person,
    split_person_name,
    surname_table,
    syllable_table,
    wade_giles,
)
from tests.conftest import REPO, shared_file


def _person(han: str) -> ChinesePersonName:
    person = romanize_person(han)
    assert person is not None, han
    return person


@pytest.mark.parametrize(
    ("han", "surname", "given"),
    [
        ("欧阳修", "欧阳", "修"),
        ("司马光", "司马", "光"),
        ("诸葛亮", "诸葛", "亮"),
        ("欧阳中石", "欧阳", "中石"),
        ("单雄信", "单", "雄信"),
        ("曾国藩", "曾", "国藩"),
        ("习近平", "习", "近平"),
        ("王伟", "王", "伟"),
        ("習近平", "习", "近平"),  # traditional input is folded to simplified
        ("歐陽修", "欧阳", "修"),
        ("東方紅", "东方", "红"),
    ],
)
def test_split_person_name(han: str, surname: str, given: str) -> None:
    assert split_person_name(han) == (surname, given)


def test_two_characters_starting_with_a_compound_surname_split_after_the_first() -> None:
    # 欧阳 alone leaves no given name for the compound: 欧 is the surname, 阳 the given name
    assert split_person_name("欧阳") == ("欧", "阳")


@pytest.mark.parametrize(
    "han",
    [
        "贝拉克·奥巴马",  # a transliterated foreign name, not Chinese-structured
        "弗拉基米尔·普京",
        "李",  # too short
        "李小龙五六",  # too long
        "的士司机",  # 的 is not a surname
        "李 Lee",
        "",
    ],
)
def test_not_a_chinese_structured_name(han: str) -> None:
    assert "的" not in surname_table()
    assert split_person_name(han) is None
    assert romanize_person(han) is None


@pytest.mark.parametrize(
    ("han", "reading"),
    [
        ("单", "shan"),  # not dan
        ("曾", "zeng"),  # not ceng
        ("区", "ou"),  # not qu
        ("仇", "qiu"),  # not chou
        ("解", "xie"),  # not jie
        ("查", "zha"),  # not cha
        ("朴", "piao"),  # not pu
        ("盖", "ge"),  # not gai
        ("尉迟", "yuchi"),
        ("吕", "lu"),
        ("覃", "qin"),
        ("翟", "zhai"),
    ],
)
def test_surname_reading_is_the_surname_reading(han: str, reading: str) -> None:
    assert surname_table()[han].pinyin == reading


def test_heteronym_surname_is_read_as_surname_in_a_full_name() -> None:
    assert _person("单雄信").surname == "shan"
    assert _person("曾国藩").surname == "zeng"
    assert _person("区家麟").surname == "ou"
    assert _person("解缙").surname == "xie"


@pytest.mark.parametrize(
    "han",
    ["欧阳", "司马", "诸葛", "上官", "司徒", "慕容", "夏侯", "皇甫", "尉迟", "公孙", "令狐",
     "宇文", "长孙", "东方", "端木", "轩辕", "澹台"],
)  # fmt: skip
def test_compound_surnames_present(han: str) -> None:
    entry = surname_table()[han]
    assert entry.source in ("wikipedia-509", "curated")
    assert len(entry.pinyin) > 2


def test_surname_table_rows_are_clean() -> None:
    table = surname_table()
    assert len(table) > 500
    syllables = set(syllable_table())
    for han, entry in table.items():
        assert 1 <= len(han) <= 2, han
        assert entry.pinyin.isascii() and entry.pinyin.isalpha() and entry.pinyin.islower()
        assert entry.pinyin not in entry.variants
        for variant in entry.variants:
            assert variant.isascii() and variant == variant.lower() and variant.strip() == variant
        # the reading is pinyin: one syllable per character ('lu' for 吕 is lv)
        person = romanize_person(han + "伟")
        assert person is not None, han
        parts = person.surname_wade_giles.split("-")
        assert len(parts) == len(han), (han, parts)
        if len(han) == 1:
            assert entry.pinyin in syllables or entry.pinyin.replace("u", "v") in syllables, han


def test_romanize_xi_jinping() -> None:
    person = _person("习近平")
    assert person.surname_han == "习" and person.given_han == "近平"
    assert person.surname == "xi"
    assert person.given_syllables == ("jin", "ping")
    assert "hsi" in person.surname_variants
    assert person.given_variants[:2] == ("jinping", "chinping")


def test_list_forms() -> None:
    forms = _person("习近平").list_forms()
    assert forms[0] == "xi jinping"
    for expected in ("xi jin ping", "xi jin-ping", "jinping xi", "xi, jinping", "hsi chin-ping",
                     "hsi chinping"):  # fmt: skip
        assert expected in forms
    assert len(forms) <= 12
    assert len(set(forms)) == len(forms)
    assert all(form == form.lower() and form.isascii() for form in forms)


def test_list_forms_of_well_known_wade_giles_names() -> None:
    assert "mao tse-tung" in _person("毛泽东").list_forms()
    assert "teng hsiao-ping" in _person("邓小平").list_forms()
    assert "ou-yang hsiu" in _person("欧阳修").list_forms()
    assert "ssu-ma kuang" in _person("司马光").list_forms()
    assert "tseng kuo-fan" in _person("曾国藩").list_forms()


def test_single_syllable_given_name_forms_are_not_duplicated() -> None:
    forms = _person("王伟").list_forms()
    assert forms[:3] == ("wang wei", "wei wang", "wang, wei")
    assert len(set(forms)) == len(forms)


def test_umlaut_written_u() -> None:
    person = _person("吕不韦")
    assert person.surname == "lu"
    assert {"lv", "lyu"} <= set(person.surname_variants)
    assert _person("王女").given_syllables == ("nu",)


def test_compound_surname_variants_include_joined_spellings() -> None:
    variants = _person("欧阳修").surname_variants
    assert "ou-yang" in variants and "auyeung" in variants and "aoieong" in variants


@pytest.mark.parametrize(
    ("syllable", "wg"),
    [("zhou", "chou"), ("xi", "hsi"), ("qing", "ching"), ("jiang", "chiang"), ("zhang", "chang"),
     ("ri", "jih"), ("cong", "tsung"), ("zi", "tzu"), ("si", "ssu"), ("ci", "tzu"), ("you", "yu"),
     ("yan", "yen"), ("lian", "lien"), ("ming", "ming"), ("jin", "chin"), ("ping", "ping"),
     ("rong", "jung"), ("kang", "kang"), ("guo", "kuo"), ("qiang", "chiang"),
     ("xiong", "hsiung"), ("xue", "hsueh"), ("yue", "yueh"), ("e", "o"), ("zhi", "chih"),
     ("shi", "shih"), ("gui", "kuei"), ("luo", "lo"), ("zhuo", "cho"), ("er", "erh"),
     ("lv", "lu"), ("lve", "lueh"), ("lue", "lueh")],
)  # fmt: skip
def test_wade_giles(syllable: str, wg: str) -> None:
    assert wade_giles(syllable) == wg


def test_yale_forms() -> None:
    table = syllable_table()
    assert table["xue"].yale == "sywe"
    assert table["zhong"].yale == "jung"
    assert table["zhi"].yale == "jr"
    assert table["quan"].yale == "chywan"


def _common_characters() -> list[str]:
    """The 3,755 level-1 characters of GB 2312 (the most common simplified characters)."""
    chars = []
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.append(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def test_syllable_table_covers_pypinyin() -> None:
    chars = _common_characters()
    assert len(chars) > 3000
    table = syllable_table()
    assert 400 <= len(table) <= 430
    missing = {
        reading
        for char in chars
        for reading in pinyin(char, style=Style.NORMAL, heteronym=True)[0]
        if reading not in table
    }
    assert not missing


def test_every_syllable_has_wade_giles() -> None:
    for entry in syllable_table().values():
        assert entry.wade_giles and entry.wade_giles.isascii() and entry.wade_giles.isalpha()
        assert entry.yale == "" or (entry.yale.isascii() and entry.yale.isalpha())


def _build_module() -> ModuleType:
    path = REPO / "scripts" / "build_name_resources.py"
    spec = importlib.util.spec_from_file_location("build_name_resources", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _data(name: str) -> str:
    return (REPO / "src" / "interlock" / "names" / "data" / name).read_text(encoding="utf-8")


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def test_committed_syllable_table_is_what_the_build_script_makes() -> None:
    build = _build_module()
    rows = [list(row) for row in build.build_syllables()]
    assert _csv_text(["pinyin", "wade_giles", "yale"], rows) == _data("pinyin_syllables.csv")


@pytest.mark.shared
def test_committed_surname_table_is_what_the_build_script_makes() -> None:
    source = shared_file("matching/chinese_surname_romanizations_509.json")
    build = _build_module()
    syllables = {row[0] for row in build.build_syllables()}
    rows = build.build_surnames(Path(source), syllables)
    columns = ["zh_sim", "zh_tra", "pinyin", "variants", "source"]
    assert _csv_text(columns, [[r[c] for c in columns] for r in rows]) == _data("zh_surnames.csv")
