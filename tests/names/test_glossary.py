"""The Chinese → English glossary: its data files, their validation, segmentation and numbers."""

from __future__ import annotations

import gzip
import itertools
import re
import time
from pathlib import Path

import pytest
import yaml
from pypinyin import lazy_pinyin

from interlock.names.glossary import (
    DIVISIONS_FILE,
    GLOSSARY_FILE,
    KINDS,
    Glossary,
    GlossaryError,
    Segment,
    load_glossary,
    parse_chinese_number,
    read_glossary,
)
from interlock.names.han import to_simplified
from interlock.sources.base import RawFiles, parse_snapshot
from interlock.sources.ofac_enhanced import OfacEnhancedXml
from interlock.sources.un_xml import UnXml
from tests.conftest import FIXTURES, REPO

DATA = REPO / "src" / "interlock" / "names" / "data"
BUNDLED_UN = REPO / "src" / "interlock" / "bundled" / "un_sc" / "consolidated.xml.gz"
OFAC_ENHANCED_CUT = FIXTURES / "ofac_enhanced" / "cons_enhanced_2025-01_cut.xml"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return load_glossary()


def _words(english: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", english.lower().replace("'s", ""))


def _contains(haystack: list[str], phrase: str) -> bool:
    needle = _words(phrase)
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack)))


def _shape(segments: list[Segment]) -> list[tuple[str, str]]:
    return [(s.text, s.kind) for s in segments]


# ---------------------------------------------------------------- the packaged files


def test_packaged_files_load_and_are_cached(glossary: Glossary) -> None:
    assert load_glossary() is glossary
    assert len(glossary.entries) >= 400
    assert {e.kind for e in glossary.entries.values()} == KINDS
    for zh, entry in glossary.entries.items():
        assert entry.zh == zh == to_simplified(zh)
        assert entry.en and all(re.fullmatch(r"[a-z0-9' ]+", r) for r in entry.en)
        assert entry.source in glossary.sources
    assert "curated" in glossary.sources
    # the list files mined are named with the entries the words were seen in
    enhanced = glossary.sources["ofac-enh-33111"]
    assert "ofac_cons_enhanced_xml__watchman.zip" in enhanced.location
    assert enhanced.entry_ids == ("33111",)
    assert glossary.entries["大疆"].source == "ofac-enh-33111"


def test_brief_entries_have_their_renderings(glossary: Glossary) -> None:
    expected = {
        "有限公司": ("co ltd", "limited"),
        "股份有限公司": ("joint stock co ltd", "company limited by shares"),
        "集团": ("group",),
        "科技": ("technology", "science and technology", "sci tech"),
        "生物科技": ("biotechnology", "biological technology", "biotech"),
        "化工": ("chemical", "chemical industry"),
        "进出口": ("import and export",),
        "工业大学": (
            "polytechnical university",
            "university of technology",
            "institute of technology",
        ),
        "公安部": ("ministry of public security",),
        "国家安全部": ("ministry of state security",),
        "物证鉴定中心": (
            "material evidence identification center",
            "forensic identification center",
        ),
        "新疆生产建设兵团": ("xinjiang production and construction corps",),
        "人民政府": ("people's government",),
        "中华人民共和国": ("people's republic of china", "prc"),
        "办事处": ("office", "representative office"),
    }
    for zh, renderings in expected.items():
        assert set(renderings) <= set(glossary.entries[zh].en), zh
    assert glossary.entries["有限公司"].kind == "legal_form"
    assert glossary.entries["研究所"].kind == "institution"


def test_divisions_cover_every_province_and_prefecture(glossary: Glossary) -> None:
    levels: dict[str, list[str]] = {}
    for division in glossary.divisions.values():
        levels.setdefault(division.level, []).append(division.zh)
    assert len(levels["province"]) == 34
    # 333 prefecture-level divisions, less 吉林 and 海南 (also provinces), plus Taiwan's cities
    assert len(levels["city"]) + len(levels["region"]) >= 330
    conventional = {
        "陕西": "shaanxi",
        "山西": "shanxi",
        "内蒙古": "inner mongolia",
        "西藏": "tibet",
        "香港": "hong kong",
        "澳门": "macao",
        "石家庄": "shijiazhuang",
        "重庆": "chongqing",
        "六安": "luan",
        "乌鲁木齐": "urumqi",
        "浦东": "pudong",
    }
    for zh, en in conventional.items():
        assert glossary.divisions[zh].en[0] == en
    assert "amoy" in glossary.divisions["厦门"].en
    assert "canton" in glossary.divisions["广州"].en
    assert not any(zh.endswith(("省", "市", "县")) for zh in glossary.divisions)
    assert glossary.suffixes["自治区"].en == ("autonomous region",)


# ---------------------------------------------------------------- validation of broken files


def _write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True), encoding="utf-8")
    return path


def _packaged(name: str) -> dict[str, object]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load((DATA / name).read_text(encoding="utf-8"), Loader=loader)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"zh": "有限公司", "en": ["ltd"], "kind": "legal_form", "source": "curated"},
            "duplicate zh",
        ),
        (
            {"zh": "電子產品", "en": ["electronics"], "kind": "industry", "source": "curated"},
            "not simplified",
        ),
        (
            {"zh": "电子产品", "en": [], "kind": "industry", "source": "curated"},
            "en must be a non-empty list",
        ),
        (
            {
                "zh": "电子产品",
                "en": ["Electronic Products"],
                "kind": "industry",
                "source": "curated",
            },
            "lowercase ASCII",
        ),
        (
            {
                "zh": "电子产品",
                "en": ["electronic products"],
                "kind": "gadget",
                "source": "curated",
            },
            "unknown kind",
        ),
        (
            {"zh": "电子产品", "en": ["electronic products"], "kind": "industry", "source": "blog"},
            "not in sources",
        ),
        (
            {"zh": "e电子", "en": ["electronic"], "kind": "industry", "source": "curated"},
            "Han characters",
        ),
        ({"zh": "电子产品", "en": ["electronic products"], "kind": "industry"}, "missing source"),
    ],
)
def test_a_bad_glossary_row_is_named(tmp_path: Path, row: dict[str, object], message: str) -> None:
    data = _packaged(GLOSSARY_FILE)
    entries = data["entries"]
    assert isinstance(entries, list)
    entries.append(row)
    path = _write(tmp_path, "broken_glossary.yaml", data)
    with pytest.raises(GlossaryError) as caught:
        read_glossary(path)
    text = str(caught.value)
    assert "broken_glossary.yaml" in text
    assert f"entry #{len(entries)} ({row['zh']!r})" in text
    assert message in text


def test_the_same_rows_load_when_valid(tmp_path: Path) -> None:
    data = _packaged(GLOSSARY_FILE)
    entries = data["entries"]
    assert isinstance(entries, list)
    entries.append(
        {"zh": "电子产品", "en": ["electronic products"], "kind": "industry", "source": "curated"}
    )
    glossary = read_glossary(_write(tmp_path, "glossary.yaml", data))
    assert glossary.entries["电子产品"].en == ("electronic products",)
    assert [s.text for s in glossary.segment("深圳电子产品有限公司")] == [
        "深圳",
        "电子产品",
        "有限公司",
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"zh": "北京市", "en": ["beijing"], "level": "province"}, "without its suffix"),
        ({"zh": "武汉", "en": ["wuhan"], "level": "city"}, "duplicate zh"),
        ({"zh": "廣州灣", "en": ["guangzhouwan"], "level": "city"}, "not simplified"),
        ({"zh": "雄县", "en": ["xiong"], "level": "village"}, "without its suffix"),
        ({"zh": "安新", "en": ["anxin"], "level": "village"}, "unknown level"),
    ],
)
def test_a_bad_division_row_is_named(tmp_path: Path, row: dict[str, object], message: str) -> None:
    data = _packaged(DIVISIONS_FILE)
    divisions = data["divisions"]
    assert isinstance(divisions, list)
    divisions.append(row)
    path = _write(tmp_path, "broken_divisions.yaml", data)
    with pytest.raises(GlossaryError) as caught:
        read_glossary(None, path)
    text = str(caught.value)
    assert "broken_divisions.yaml" in text and f"({row['zh']!r})" in text and message in text


def test_a_file_that_is_not_a_glossary_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("version: 2\nentries: []\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"empty\.yaml: expected version: 1"):
        read_glossary(path)
    path.write_text("version: 1\nsources: [{id: curated, description: x, path: y}]\nentries: []\n")
    with pytest.raises(GlossaryError, match="'entries' must be a non-empty list"):
        read_glossary(path)


# ---------------------------------------------------------------- segmentation of real names


def _real_pairs() -> dict[str, tuple[str, str]]:
    """Han alias → (English name, where), from the OFAC enhanced fixture and the bundled UN list."""
    pairs: dict[str, tuple[str, str]] = {}
    enhanced = parse_snapshot(
        OfacEnhancedXml(), RawFiles({"cons_enhanced.xml": OFAC_ENHANCED_CUT.read_bytes()})
    )
    un = parse_snapshot(
        UnXml(), RawFiles({"consolidated.xml": gzip.decompress(BUNDLED_UN.read_bytes())})
    )
    for where, entries in (("OFAC enhanced", enhanced.entries), ("UN", un.entries)):
        for entry in entries:
            for alias in entry.aliases:
                if alias.script == "Han":
                    pairs[to_simplified(alias.name)] = (entry.name, f"{where} {entry.source_id}")
    return pairs


# Han name → its segments; the segments its English name leaves out are marked with "-"
REAL = {
    "旷视科技有限公司": ["旷视", "科技", "有限公司"],
    "深圳市大疆创新科技有限公司": ["深圳市", "大疆", "-创新", "科技", "有限公司"],
    "云从科技集团股份有限公司": ["云从", "科技", "-集团股份有限公司"],
    "商汤集团有限公司": ["商汤", "集团有限公司"],
    "朝鲜联合机械贸易会社": ["朝鲜", "联合", "机械", "-贸易", "会社"],
    "长安海连技术有限公司": ["长安", "-海连", "技术", "-有限公司"],
    "华信船务(香港)有限公司": ["华信", "船务", "香港", "有限公司"],
    "沈忠国际海运有限公司": ["沈忠", "国际", "海运", "-有限公司"],
}


def test_real_names_segment_into_the_words_their_english_names_use(glossary: Glossary) -> None:
    pairs = _real_pairs()
    assert set(REAL) <= set(pairs), "the real Han names are in the bundled files"
    for han, expected in REAL.items():
        english, where = pairs[han]
        words = _words(english)
        segments = glossary.segment(han)
        assert [s.text for s in segments] == [e.lstrip("-") for e in expected], where
        for segment, label in zip(segments, expected, strict=True):
            if label.startswith("-"):
                continue
            if segment.kind == "unknown":  # a trade name: its pinyin is in the English name
                assert "".join(lazy_pinyin(segment.text)) in "".join(words), (where, segment)
            else:
                assert any(_contains(words, r) for r in segment.en), (where, segment, english)


def test_wuhan_shuokang(glossary: Glossary) -> None:
    # SDN 41299 WUHAN SHUOKANG BIOLOGICAL TECHNOLOGY CO., LTD (bundled us_ofac_sdn/sdn.csv.gz)
    segments = glossary.segment("武汉硕康生物科技有限公司")
    assert _shape(segments) == [
        ("武汉", "location"),
        ("硕康", "unknown"),
        ("生物科技", "industry"),
        ("有限公司", "legal_form"),
    ]
    assert segments[0].en == ("wuhan",)
    assert segments[1].en == () and segments[1].source is None
    english = _words("WUHAN SHUOKANG BIOLOGICAL TECHNOLOGY CO., LTD")
    assert all(_contains(english, s.en[0]) for s in segments if s.en)
    # the first rendering of each word is the one the list uses
    assert " ".join(s.en[0] if s.en else "".join(lazy_pinyin(s.text)) for s in segments) == (
        "wuhan shuokang biological technology co ltd"
    )


def test_institute_of_forensic_science(glossary: Glossary) -> None:
    # Entity List: Ministry of Public Security's Institute of Forensic Science of China, a.k.a.
    # Forensic Identification Center of the Ministry of Public Security of the People's Republic
    # of China; the Chinese name is from docs/export-controls.md §2.2
    short = glossary.segment("公安部物证鉴定中心")
    assert _shape(short) == [("公安部", "government"), ("物证鉴定中心", "government")]
    assert short[0].en[0] == "ministry of public security"
    assert {
        "material evidence identification center",
        "forensic identification center",
        "institute of forensic science",
    } <= set(short[1].en)
    full = glossary.segment("中华人民共和国公安部物证鉴定中心")
    assert [s.text for s in full] == ["中华人民共和国", "公安部", "物证鉴定中心"]
    assert "people's republic of china" in full[0].en


# ---------------------------------------------------------------- divisions, numbers, unknown runs


def test_divisions_take_their_suffix(glossary: Glossary) -> None:
    wuhan, bureau = glossary.segment("武汉市公安局")
    assert (wuhan.text, wuhan.kind, wuhan.en) == ("武汉市", "location", ("wuhan",))
    assert "city" in wuhan.suffix_en
    assert bureau.en[0] == "public security bureau"
    (zhejiang,) = glossary.segment("浙江省")
    assert (zhejiang.kind, zhejiang.en[0], zhejiang.suffix_en[0]) == (
        "location",
        "zhejiang",
        "province",
    )
    assert _shape(glossary.segment("新疆维吾尔自治区人民政府公安厅")) == [
        ("新疆", "location"),
        ("维吾尔", "location_word"),
        ("自治区", "location_word"),
        ("人民政府", "government"),
        ("公安厅", "government"),
    ]
    assert [s.en[0] for s in glossary.segment("上海市浦东新区")] == ["shanghai", "pudong"]
    # a one-character suffix counts only after a division: 市 alone stays in its run
    assert [s.text for s in glossary.segment("石狮市")] == ["石狮市"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("五十四", 54),
        ("第五十四", 54),
        ("十", 10),
        ("十四", 14),
        ("二十九", 29),
        ("一百", 100),
        ("百", 100),
        ("一百零二", 102),
        ("两千零五十", 2050),
        ("七〇二", 702),
        ("零", 0),
        ("54", 54),
        ("５４", 54),
    ],
)
def test_parse_chinese_number(text: str, value: int) -> None:
    assert parse_chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "第", "五五十", "十十", "十百", "研究", "5四", "一百十百"])
def test_parse_chinese_number_refuses_what_is_not_a_number(text: str) -> None:
    assert parse_chinese_number(text) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("第五十四研究所", "54"),
        ("第十研究所", "10"),
        ("第二十九研究所", "29"),
        ("第54研究所", "54"),
    ],
)
def test_numbered_institutes(glossary: Glossary, text: str, number: str) -> None:
    first, second = glossary.segment(text)
    assert (first.kind, first.en) == ("number", (number,))
    assert (second.text, second.kind) == ("研究所", "institution")


def test_numbers_in_unit_names(glossary: Glossary) -> None:
    cetc = glossary.segment("中国电子科技集团公司第五十四研究所")
    assert [(s.text, s.en[0]) for s in cetc] == [
        ("中国电子科技集团公司", "china electronics technology group corporation"),
        ("第五十四", "54"),
        ("研究所", "research institute"),
    ]
    # bare numerals count only right before a unit word: 二院, 七〇二所, but not 三一 or 十堰
    assert [(s.text, s.kind) for s in glossary.segment("航天科工二院七〇二所")] == [
        ("航天科工", "industry"),
        ("二", "number"),
        ("院", "institution"),
        ("七〇二", "number"),
        ("所", "institution"),
    ]
    assert _shape(glossary.segment("三一重工")) == [("三一", "unknown"), ("重工", "industry")]
    assert _shape(glossary.segment("十堰市")) == [("十堰市", "location")]
    # a glossary word beats a number that would leave a character over
    assert _shape(glossary.segment("第三方")) == [("第三方", "generic")]


def test_trade_names_are_not_cut_into_glossary_words(glossary: Glossary) -> None:
    # greedy longest-match would take 通信 and leave 息 stranded
    assert [s.text for s in glossary.segment("恒通信息")] == ["恒通", "信息"]
    assert [s.text for s in glossary.segment("汇通信息技术有限公司")] == [
        "汇通",
        "信息技术",
        "有限公司",
    ]
    # SDN 45351 XINGTAI DONG CHUANG NEW MATERIAL TECHNOLOGY: 东创, not 东 + 创新
    assert [s.text for s in glossary.segment("邢台东创新材料科技有限公司")] == [
        "邢台",
        "东创",
        "新材料科技",
        "有限公司",
    ]
    # one-character words stand only beside known words: 东华 is a name, 东 is not "east" here
    assert _shape(glossary.segment("东华大学")) == [("东华", "unknown"), ("大学", "institution")]
    assert _shape(glossary.segment("国家烟草专卖局"))[-1] == ("局", "government")


def test_unknown_runs_split_by_script_and_separators(glossary: Glossary) -> None:
    assert _shape(glossary.segment("TCL科技集团股份有限公司")) == [
        ("TCL", "unknown"),
        ("科技", "generic"),
        ("集团股份有限公司", "legal_form"),
    ]
    assert [s.text for s in glossary.segment("华信船务（香港） 有限公司")] == [
        "华信",
        "船务",
        "香港",
        "有限公司",
    ]
    assert glossary.segment("") == []
    assert glossary.segment(" ·（）") == []
    assert glossary.segment("习近平") == [Segment("习近平", "unknown")]


def test_segments_cover_the_name(glossary: Glossary) -> None:
    for han in [*REAL, *glossary.entries, *glossary.divisions]:
        name = han + "有限公司"
        segments = glossary.segment(name)
        assert "".join(s.text for s in segments) == re.sub(r"\W", "", name)
        assert not any(a.kind == b.kind == "unknown" for a, b in itertools.pairwise(segments))


def test_segmentation_is_fast(glossary: Glossary) -> None:
    name = "武汉硕康生物科技有限公司"
    glossary.segment(name)
    runs = 2000
    start = time.perf_counter()
    for _ in range(runs):
        glossary.segment(name)
    per_name = (time.perf_counter() - start) / runs
    assert per_name < 200e-6  # about 15 µs here; the bound only catches a pathological slowdown
