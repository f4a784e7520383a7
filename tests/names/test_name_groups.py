"""Cross-script name-token equivalence (Wikidata name groups)."""

from __future__ import annotations

import gzip
import importlib.util
import sys
from pathlib import Path

import pytest

from interlock.names.name_groups import (
    CURATED_FILE,
    LATIN_FORMS_CAP,
    is_latin_form,
    load_name_groups,
    normalize_form,
    read_curated_groups,
    read_name_groups,
)
from tests.conftest import REPO, shared_file

DATA = REPO / "src" / "interlock" / "names" / "data" / "name_groups.tsv.gz"


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Muḥammad", "muhammad"),
        ("MÜLLER", "muller"),
        ("Ølund", "olund"),
        ("xī", "xi"),
        ("習", "习"),
        ("歐陽", "欧阳"),
        ("  Abd-al   Rahman ", "abd al rahman"),
        ("ＭＯＨＡＭＥＤ", "mohamed"),  # full width
        ("Владимир", "владимир"),
        ("Μωάμεθ", "μωαμεθ"),  # Greek accents dropped
        ("مُحَمَّد", "محمد"),  # Arabic vowel marks dropped
        ("أحمد", "احمد"),  # alef with hamza folded
        ("علی", "علي"),  # Persian yeh folded
        ("מֹשֶׁה", "משה"),  # Hebrew points dropped
        ("sek3", ""),  # tone-numbered romanisation
        ("gam²-loeng⁴", ""),
        ("ㄒㄧ", ""),  # Bopomofo
        ("kanji : 金", ""),  # mixed Latin and Han
        ("···", ""),
        ("a\x85b", "a b"),  # a control character without a Unicode name
        ("\ue000", ""),  # private use: dropped, not an error
    ],
)
def test_normalize_form(raw: str, normalised: str) -> None:
    assert normalize_form(raw) == normalised


def test_devanagari_vowel_signs_are_kept() -> None:
    assert normalize_form("मोहम्मद") == "मोहम्मद"


def test_han_and_latin_equivalent() -> None:
    groups = load_name_groups()
    assert groups.equivalent("习", "xi")
    assert groups.equivalent("習", "Xi")  # traditional folded, case folded
    assert groups.groups("近平"), "近平 is in the data"
    assert groups.equivalent("近平", "jinping")
    assert groups.equivalent("김", "kim")  # Hangul


def test_arabic_and_latin_spellings_equivalent() -> None:
    groups = load_name_groups()
    assert groups.groups("محمد")
    assert groups.equivalent("محمد", "mohammed")
    assert groups.equivalent("محمد", "Muhammad")
    assert groups.equivalent("mohammed", "muhammad")  # Latin spelling variants
    assert groups.equivalent("Владимир", "vladimir")  # Cyrillic
    assert groups.equivalent("אברהם", "abraham")  # Hebrew


def test_non_equivalence() -> None:
    groups = load_name_groups()
    assert not groups.equivalent("mohammed", "vladimir")
    assert not groups.equivalent("近平", "xi")
    assert not groups.equivalent("jinping", "mohammed")
    assert groups.equivalent("Zzqxv", "zzqxv ")  # an unknown token is equivalent to itself
    assert not groups.equivalent("zzqxv", "zzqxw")
    assert not groups.equivalent("", "")


def test_unknown_form_has_no_groups() -> None:
    groups = load_name_groups()
    assert groups.groups("zzqxv") == frozenset()
    assert groups.groups("") == frozenset()
    assert groups.latin_forms("zzqxv") == ()


def test_latin_forms() -> None:
    groups = load_name_groups()
    arabic = groups.latin_forms("محمد")
    assert 0 < len(arabic) <= LATIN_FORMS_CAP
    assert {"mohammed", "muhammad"} <= set(arabic)
    assert all(is_latin_form(form) for form in arabic)
    assert groups.latin_forms("习")[0] == "xi"
    assert groups.latin_forms("李")[0] == "li"
    assert groups.latin_forms("近平")[0] == "jinping"
    assert "vladimir" in groups.latin_forms("Владимир")
    assert "mohammed" not in groups.latin_forms("Mohammed")  # the form itself is excluded


def test_load_is_cached() -> None:
    assert load_name_groups() is load_name_groups()


def test_data_file_shape() -> None:
    with gzip.open(DATA, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert any("Wikidata" in line and "CC0" in line for line in header)
    assert any("nomenklatura" in line for line in header)
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    forms = [form for form, _ in rows]
    assert forms == sorted(forms, key=str.encode) and len(set(forms)) == len(forms)
    members: dict[int, list[str]] = {}
    for form, ids in rows:
        assert form == normalize_form(form), form
        for group in map(int, ids.split(",")):
            members.setdefault(group, []).append(form)
    assert set(members) == set(range(len(members)))
    for forms_of_group in members.values():
        assert 2 <= len(forms_of_group) <= 50
        assert any(is_latin_form(form) for form in forms_of_group)
    # the loaded groups are the file's and the curated ones, whose forms the file may lack
    curated = read_curated_groups((DATA.parent / CURATED_FILE).read_text("utf-8"), "curated")
    assert len(load_name_groups()) == len(set(forms) | {f for group in curated for f in group})
    assert load_name_groups().group_count == len(members) + len(curated)


def test_read_rejects_unsorted(tmp_path: Path) -> None:
    path = tmp_path / "groups.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("# header\nxi\t0\nabc\t0\n")
    with pytest.raises(ValueError, match="not sorted"):
        read_name_groups(path)


def test_read_small_file(tmp_path: Path) -> None:
    path = tmp_path / "groups.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("# header\nivan\t0\njohn\t0,1\njuan\t1\nиван\t0\n")
    groups = read_name_groups(path)
    assert len(groups) == 4
    assert groups.equivalent("Иван", "John") and groups.equivalent("juan", "john")
    assert not groups.equivalent("ivan", "juan")
    assert groups.latin_forms("иван") == ("john", "ivan")  # john is in more groups
    assert groups.latin_forms("john") == ("ivan", "juan")


def test_curated_groups_join_forms_in_and_out_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "groups.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("ivan\t0\nmykola\t1\nnikolai\t2\n")
    curated = read_curated_groups(
        "# comment\nukrainian,russian\nMykola|Mykolay,nikolai|nikolay\n", "test.csv"
    )
    groups = read_name_groups(path, curated)
    assert groups.group_count == 4 and len(groups) == 5  # mykolay and nikolay were in no group
    assert groups.equivalent("mykola", "nikolay") and groups.equivalent("mykolay", "nikolai")
    assert not groups.equivalent("ivan", "mykola")
    assert groups.groups("mykola") == {1, 3}


def test_the_bundled_curated_groups_join_ukrainian_and_russian_given_names() -> None:
    groups = load_name_groups()
    for ukrainian, russian in (("serhiy", "sergei"), ("mykola", "nikolay"), ("oleksandr", "alexander"),
                               ("yevhen", "evgeny"), ("svitlana", "svetlana"), ("volodymyr", "vladimir")):  # fmt: skip
        assert groups.equivalent(ukrainian, russian), ukrainian
    assert not groups.equivalent("serhiy", "mykola")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("ukrainian;russian\nmykola;nikolai\n", "line 1: expected the header"),
        ("ukrainian,russian\nmykola\n", "line 2: two columns"),
        ("ukrainian,russian\nmykola,николай\n", "line 2: two columns of Latin"),
        ("ukrainian,russian\nmykola|,nikolai\n", "line 2"),
        ("# nothing but a comment\n", "no groups"),
    ],
)
def test_a_bad_curated_file_is_refused_with_its_line(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=r"curated\.csv") as raised:
        read_curated_groups(text, "curated.csv")
    assert problem in str(raised.value)


@pytest.mark.shared
def test_committed_name_groups_are_what_the_build_script_makes(tmp_path: Path) -> None:
    source = shared_file("matching/nomenklatura_wikidata_name_groups.txt.gz")
    path = REPO / "scripts" / "build_name_resources.py"
    spec = importlib.util.spec_from_file_location("build_name_resources", path)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = build
    spec.loader.exec_module(build)
    syllables = {row[0] for row in build.build_syllables()}
    surnames = build.build_surnames(
        Path(shared_file("matching/chinese_surname_romanizations_509.json")), syllables
    )
    entries, stats = build.build_name_groups(Path(source), surnames)
    out = tmp_path / "name_groups.tsv.gz"
    build.write_name_groups(entries, stats, out)
    assert out.read_bytes() == DATA.read_bytes()
