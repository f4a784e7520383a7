"""Development pairs for fitting the name matcher's calibration: labelled (query, listed name) pairs.

    .venv/bin/python benchmarks/devset.py [--sample N]

Writes benchmarks/devdata/pairs.csv (columns pair_id, schema, name1, name2, is_match, origin, group)
and prints counts per origin x label x schema. Deterministic: one seeded random.Random, entries and
names iterated in file order or sorted, never in set order.

What it is built from:
- the list entries bundled with interlock (`interlock.store.bundled`), parsed with the project's own
  formats exactly as `Interlock.load_bundled` does, without a database; CSL copies of lists whose
  native source is bundled are left out, as screening does;
- the Chinese/Cyrillic original-script names of OFAC's enhanced consolidated XML in
  ../shared/data/ofac (INTERLOCK_SHARED_DATA overrides), merged onto the bundled OFAC
  consolidated entries when the file is there (skipped with a warning when not);
- hand-written variation tables in this file (legal forms, abbreviations, transliteration
  variants, cities, Chinese names of well-known listed Chinese organisations).
It never opens the held-out files in shared/data/matching (nomenklatura name_bench and its results,
OFAC search scores, Watchman cross-script pairs).

name1 is the query as a customer or counterparty record would write it; name2 is a name as the list
writes it (primary name or alias). `group` is the connected component of list entries that share a
name (exact, or without legal form) or an identifier, across all sources: every pair derived from
one entry carries that entry's group, so splitting by group keeps one party (and its copies on
other lists) on one side. A negative made of two real entries carries its anchor's group: the
entry the generator started from (benchmarks/devdata/README.md says which, per origin).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import opencc
import yaml
from anyascii import anyascii
from pypinyin import lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from interlock.model import AliasStrength, ListEntry, Schema
from interlock.sources.base import EntryFormat, RawFiles, parse_snapshot
from interlock.sources.registry import get_format
from interlock.store.bundled import bundled_snapshots

SEED = 20260529
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "devdata" / "pairs.csv"
SHARED = Path(os.environ.get("INTERLOCK_SHARED_DATA", ROOT.parent / "shared" / "data"))
ENHANCED = SHARED / "ofac" / "ofac_cons_enhanced_xml__watchman.zip"

# The interlock schema → the schema column (the FtM name for an entry of unknown type).
OUT_SCHEMA = {
    Schema.PERSON: "Person",
    Schema.ORGANIZATION: "Organization",
    Schema.VESSEL: "Vessel",
    Schema.UNKNOWN: "LegalEntity",
}
ORG_SCHEMAS = ("Organization", "LegalEntity")

# Entries whose names are the anchor cases of the held-out matching benchmark: left out entirely.
EXCLUDED_NAME = re.compile(r"forensic (science|identification)", re.IGNORECASE)

# Pairs wanted per origin (upper bounds; some generators run out of material first).
QUOTA: dict[str, int] = {
    # positives
    "alias": 1150,
    "alias_far": 250,
    "alias_xscript": 700,
    "acronym": 300,
    "reorder": 450,
    "drop_middle": 400,
    "initials": 400,
    "typo": 550,
    "case_punct": 250,
    "space_hyphen": 400,
    "legal_form": 550,
    "abbrev": 400,
    "generic_word": 250,
    "ordinal": 200,
    "translit": 500,
    "vessel_form": 300,
    "combo": 400,
    "han_curated": 260,
    # negatives
    "near_neighbour": 2100,
    "xscript_near": 400,
    "swap_given": 600,
    "swap_family": 450,
    "swap_lineage": 250,
    "swap_city": 350,
    "swap_token": 550,
    "number_change": 350,
    "generic_overlap": 400,
    "contained": 450,
    "extra_token": 350,
    "swap_business": 300,
    "swap_patronymic": 250,
    "han_negative": 260,
    "random": 1000,
}

# -- text -------------------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    """A table written as whitespace-separated words."""
    return text.split()


_NON_WORD = re.compile(r"[^\w]+")
_POSSESSIVE = re.compile(r"(?<=\w)['’`?]s\b")


def fold(text: str) -> str:
    """Case, width, accents, possessives and punctuation folded; '&' read as 'and'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _POSSESSIVE.sub("", text)
    text = text.replace("&", " and ").replace("_", " ")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", text).split())


def words(text: str) -> list[str]:
    return fold(text).split()


def is_latin(text: str) -> bool:
    return all(ord(c) < 0x250 for c in text if c.isalpha())


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Legal-form words (folded); multi-word forms are listed in LEGAL_PHRASES.
LEGAL_WORDS = set(
    _split(
        """
        co ltd limited company llc inc incorporated corp corporation jsc ojsc cjsc pjsc oao zao
        pao ao ooo gmbh sa sarl srl spa bv nv plc llp lp pte pvt private fze fzco fzc dmcc sdn
        bhd ag ltda sas jv tov pp pvt sl sac cia ead doo dd kft sro as ab oy
        """
    )
)
LEGAL_PHRASES = [
    "limited liability company",
    "joint stock company",
    "open joint stock company",
    "closed joint stock company",
    "public joint stock company",
    "obshchestvo s ogranichennoi otvetstvennostyu",
    "obshchestvo s ogranichennoy otvetstvennostyu",
    "aktsionernoe obshchestvo",
    "otkrytoe aktsionernoe obshchestvo",
    "zakrytoe aktsionernoe obshchestvo",
    "publichnoe aktsionernoe obshchestvo",
]
STOP = {"of", "the", "and", "for", "in", "de", "la", "du", "des", "el", "al", "a", "an", "on", "at"}
# Words that name no particular party: sharing only these says nothing.
GENERIC = set(
    _split(
        """
        china chinese national international group company corporation trading trade industrial
        industry industries technology technologies tech science sciences scientific research
        institute development general holding holdings enterprise enterprises service services
        import export investment investments engineering electronic electronics bank university
        academy center centre shipping petroleum oil gas energy power electric equipment
        machinery manufacturing products product commercial business global world new united
        joint venture stock public private state federal ministry department bureau office
        administration agency authority organization organisation foundation association society
        council committee military defense defence army naval navy air force forces security
        management consulting construction chemical chemicals materials metal metals steel
        mining logistics transport transportation marine maritime shipbuilding aviation
        aerospace space systems system communication communications telecommunications
        information network software computer computing digital data solutions instrument
        instruments optical optics laboratory laboratories lab design production producing
        manufacture plant factory works branch general central main first second third
        scientific state-owned provincial municipal city republic people peoples islamic russian
        korea korean iran iranian syrian russia federation university institute co ltd limited
        llc inc corp jsc the of and for in
        """
    )
)
# Generic words whose presence or absence does not change the party ('X Group Co' = 'X Co').
NEUTRAL = {"group", "international", "trading", "holding", "holdings", "the", "company", "co"}


def legal_free(tokens: list[str]) -> list[str]:
    """Tokens with legal-form words and phrases removed (the original tokens when nothing is left)."""
    text = " " + " ".join(tokens) + " "
    for phrase in LEGAL_PHRASES:
        text = text.replace(" " + phrase + " ", " ")
    kept = [t for t in text.split() if t not in LEGAL_WORDS]
    return kept or tokens


def core(text: str) -> str:
    return " ".join(legal_free(words(text)))


def neutral_key(text: str) -> str:
    kept = [t for t in legal_free(words(text)) if t not in NEUTRAL]
    return " ".join(kept) or core(text)


def skeleton(token: str) -> str:
    """A crude consonant skeleton: spelling variants of one name ('Joumaa', 'Jomaa') agree."""
    t = fold(token).replace(" ", "")
    if not t:
        return ""
    for a, b in (
        ("ph", "f"),
        ("kh", "k"),
        ("gh", "g"),
        ("sh", "s"),
        ("ch", "c"),
        ("th", "t"),
        ("dh", "d"),
        ("q", "k"),
        ("ck", "k"),
        ("x", "ks"),
        ("z", "s"),
        ("v", "w"),
    ):
        t = t.replace(a, b)
    t = t.replace("c", "k")
    head, rest = t[0], t[1:]
    rest = "".join(c for c in rest if c not in "aeiouyhw'")
    out = head
    for c in rest:
        if c != out[-1]:
            out += c
    return out


def distinctive(token: str) -> bool:
    return (
        len(token) >= 3
        and token.isalpha()
        and token not in GENERIC
        and token not in LEGAL_WORDS
        and token not in STOP
        and token not in CITY_WORDS
    )


_WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
KEEP_UPPER = {
    "LLC",
    "JSC",
    "OJSC",
    "CJSC",
    "PJSC",
    "OAO",
    "ZAO",
    "PAO",
    "AO",
    "OOO",
    "FZE",
    "FZCO",
    "DMCC",
    "SA",
    "PLC",
    "LLP",
    "MV",
    "USA",
    "UAE",
    "UK",
    "II",
    "III",
    "IV",
    "VI",
    "VII",
    "VIII",
    "IX",
    "NPO",
    "NPP",
    "KB",
    "TOO",
    "JV",
    "BV",
    "NV",
    "SRL",
    "SARL",
    "GMBH",
    "CO",
    "LTD",
}


def title_case(text: str) -> str:
    def word(m: re.Match[str]) -> str:
        w = m.group(0)
        if w.upper() in KEEP_UPPER and w.upper() not in {"GMBH", "CO", "LTD"}:
            return w.upper()
        if w.upper() == "GMBH":
            return "GmbH"
        if len(w) <= 4 and w.isupper() and not re.search(r"[AEIOUY]", w):
            return w  # an acronym: 'NPK', 'KRL'
        return w[:1].upper() + w[1:].lower()

    return _WORD.sub(word, text)


def restyle(text: str, rng: random.Random) -> str:
    """The query's letter case: as the list writes it, Title Case or UPPER CASE."""
    r = rng.random()
    if r < 0.5:
        return text
    if r < 0.78:
        return title_case(text)
    return text.upper()


def same_case(template: str, word: str) -> str:
    if template.isupper():
        return word.upper()
    if template.islower():
        return word.lower()
    if template[:1].isupper():
        return word[:1].upper() + word[1:].lower() if word.islower() or word.isupper() else word
    return word


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;")
    text = re.sub(r"\s+,", ",", text)
    text = re.sub(r"\(\s*\)", "", text)
    return re.sub(r"\s+", " ", text).strip(" ,;")


# -- tables -----------------------------------------------------------------------------------

CITIES: dict[str, list[str]] = {
    "CN": _split(
        """
        Beijing Shanghai Tianjin Chongqing Shenzhen Guangzhou Hangzhou Nanjing Wuhan Chengdu
        Xian Harbin Shenyang Dalian Qingdao Jinan Changsha Hefei Fuzhou Xiamen Kunming Zhengzhou
        Shijiazhuang Taiyuan Suzhou Wuxi Ningbo Dongguan Foshan Zhuhai Nanchang Changchun
        Lanzhou Guiyang Nanning Urumqi Hohhot Yantai Weihai Changzhou Shantou Zibo Luoyang
        Mianyang Baoding Hebei Henan Hubei Hunan Jiangsu Zhejiang Guangdong Shandong Shanxi
        Shaanxi Sichuan Yunnan Guizhou Fujian Jiangxi Anhui Liaoning Jilin Heilongjiang Hainan
        Gansu Qinghai Xinjiang
        """
    ),
    "HK": ["Hong Kong"],
    "RU": _split(
        """
        Moscow Kazan Novosibirsk Yekaterinburg Samara Omsk Perm Ufa Volgograd Voronezh
        Chelyabinsk Tula Kaliningrad Tomsk Izhevsk Kirov Krasnoyarsk Saratov Tver Bryansk Ryazan
        Penza Vladimir Smolensk Kaluga Murmansk Arkhangelsk Vladivostok Khabarovsk Irkutsk
        Barnaul Orenburg Ulyanovsk Yaroslavl Lipetsk Kursk Belgorod Rostov Sevastopol Simferopol
        Novgorod
        """
    ),
    "IR": _split(
        "Tehran Isfahan Shiraz Tabriz Mashhad Qom Karaj Ahvaz Kerman Yazd Arak Qazvin Bushehr"
    ),
    "AE": ["Dubai", "Sharjah", "Ajman", "Fujairah", "Abu Dhabi", "Ras Al Khaimah"],
    "TR": _split("Istanbul Ankara Izmir Mersin Bursa Antalya Gaziantep Konya"),
    "PK": _split("Karachi Lahore Islamabad Rawalpindi Peshawar Quetta Faisalabad Multan"),
    "SY": _split("Damascus Aleppo Latakia Homs Hama Tartus"),
    "BY": _split("Minsk Gomel Brest Vitebsk Grodno Mogilev"),
    "KP": _split("Pyongyang Nampo Chongjin Hamhung Wonsan Sinuiju Kaesong"),
    "UA": _split("Kyiv Kharkiv Odesa Dnipro Lviv Zaporizhzhia Donetsk Luhansk Mariupol"),
    "LB": _split("Beirut Tripoli Sidon Tyre"),
    "IQ": _split("Baghdad Basra Mosul Erbil Najaf Karbala Kirkuk"),
    "VE": _split("Caracas Maracaibo Valencia Barquisimeto Maracay"),
    "IN": _split("Mumbai Delhi Chennai Kolkata Bangalore Hyderabad Ahmedabad Pune"),
}
CITIES["RU"] += ["Saint Petersburg", "St. Petersburg", "Nizhny Novgorod", "Sergiev Posad"]
CITIES["IR"] += ["Bandar Abbas"]
CITY_COUNTRY = {c: cc for cc, cities in CITIES.items() for c in cities}
CITY_WORDS = {w for c in CITY_COUNTRY for w in fold(c).split()} - {
    "saint",
    "st",
    "bandar",
    "abu",
    "al",
    "ras",
    "hong",
    "nizhny",
}
CITY_RE = re.compile(
    r"\b(" + "|".join(re.escape(c) for c in sorted(CITY_COUNTRY, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)

# Spelling variants of one given name or surname across transliterations (each line one name).
TRANSLIT_GROUPS = [
    g.split()
    for g in """
    Mohammed Muhammad Mohamed Mohammad Muhammed Mohamad Mohamud Muhamad
    Ahmed Ahmad Ahmet
    Yusuf Yousef Youssef Yousif Yusef Yussuf
    Abdullah Abdallah Abdulla Abdalla
    Abdul Abdel Abdol
    Hussein Hussain Husain Husayn Hosein Hossein Hussien
    Hassan Hasan
    Hasani Hassani
    Omar Umar Omer
    Osama Usama Usamah Oussama
    Khalid Khaled Khaleed
    Said Saeed Saied Saeid Saaid
    Seyed Seyyed Sayyed Sayyid Sayed
    Mustafa Mostafa Moustafa Mustapha Mostapha
    Mahmoud Mahmud Mahmood Mahmod
    Ibrahim Ebrahim Ibraheem Brahim
    Ismail Ismael Esmail Esmaeil Ismaeel
    Yasin Yassin Yaseen Yassine Yacine
    Jamal Gamal Djamel Jamaal
    Faisal Faysal Feisal Faycal
    Hamid Hameed
    Rashid Rasheed Rachid Rashed
    Nasser Nasir Naser Nassir Nacer
    Karim Kareem
    Salim Saleem Selim
    Tariq Tarek Tarik Tareq
    Walid Waleed Oualid
    Majid Majed Maged Madjid
    Qasim Qassim Qasem Qassem Kassem Ghasem Kasem
    Jafar Jaafar Djafar Jaffar
    Hamza Hamzah Hamzeh
    Abu Abou Abo
    Zaid Zayd Zeid
    Aziz Azeez
    Bashir Basheer Bachir Beshir
    Sharif Sherif Shareef Cherif
    Mansour Mansur Mansoor
    Nour Nur Noor
    Fuad Fouad Fuaad
    Saleh Salih
    Jawad Javad
    Reza Rida Ridha Redha
    Mehdi Mahdi
    Mohsen Muhsin Mohsin
    Qadir Kadir Qader Kader
    Sheikh Shaykh Shaikh Cheikh
    Usman Osman Othman Uthman Osmane
    Suleiman Sulaiman Sulayman Soleiman Sleiman Suleyman
    Yahya Yahia Yehia Yahiya
    Issa Isa Eissa
    Musa Mousa Moussa Mussa
    Younis Yunus Younes Yunis Younus
    Idris Idriss Edris
    Anwar Anouar Anwer
    Adel Adil
    Amin Ameen Amine
    Hakim Hakeem
    Habib Habeeb
    Gholam Ghulam Golam Qolam
    Abolfazl Abulfazl Abolfazel
    Mojtaba Mujtaba
    Morteza Murtaza Murtada
    Sadegh Sadiq Sadeq Sadik
    Yaqub Yakub Yaqoob Yacoub Yaakub
    Ayman Aiman Eiman Aymen
    Ayoub Ayub Ayyub Ayob
    Aleksandr Alexander Aleksander Alexandr Oleksandr Aleksandar
    Aleksei Alexei Alexey Aleksey Oleksiy Alexej
    Sergei Sergey Serguei Serhiy Sergej
    Dmitry Dmitri Dmitriy Dmitrii Dmytro
    Yuri Yury Yuriy Iurii Yurii
    Andrei Andrey Andriy Andrej
    Nikolai Nikolay Mykola Nicolai
    Mikhail Michail Mykhailo Mikhael
    Yevgeny Evgeny Evgeniy Yevgeniy Evgenii Yevgen
    Vyacheslav Viacheslav Vjacheslav
    Vasily Vasiliy Vasili Vasyl Vassily
    Anatoly Anatoliy Anatoli Anatolii
    Gennady Gennadiy Gennadi Gennadii
    Arkady Arkadiy Arkadi Arkadii
    Valery Valeriy Valeri Valerii
    Vitaly Vitaliy Vitali Vitalii
    Grigory Grigoriy Grigori Grigorii Hryhoriy
    Georgy Georgiy Georgi Georgii
    Fyodor Fedor Feodor Fiodor
    Pyotr Petr Pyotor
    Semyon Semen Semion
    Matvei Matvey
    Timofei Timofey
    Yelena Elena Olena
    Yekaterina Ekaterina Katerina
    Natalya Natalia Nataliya
    Tatyana Tatiana Tatjana Tetiana
    Mariya Maria Mariia
    Yulia Yuliya Iulia Julia
    Irina Iryna
    Anastasia Anastasiya Anastasiia
    Yevgenia Evgenia Yevgeniya Evgeniya
    Ilya Ilia Illya
    Konstantin Kostiantyn Constantin
    Maksim Maxim Maksym
    Oleg Oleh
    Igor Ihor
    Vladimir Volodymyr Wladimir
    Zhang Chang Cheung
    Zhou Chou Chow
    Xu Hsu
    Zhao Chao
    Xie Hsieh
    Cai Tsai
    Zheng Cheng
    Jiang Chiang
    Qiu Chiu
    Guo Kuo
    Kim Gim
    Pak Park Bak
    Ri Rhee
    Choe Choi
    Chol Cheol
    Jong Jung Chong
    Kwang Gwang
    """.strip().splitlines()
]
TRANSLIT: dict[str, list[str]] = {}
for _group in TRANSLIT_GROUPS:
    for _name in _group:
        TRANSLIT.setdefault(_name.lower(), [n for n in dict.fromkeys(_group) if n != _name])
# (pattern at the end of a token, replacement): regular Russian/Ukrainian transliteration variants
TRANSLIT_SUFFIX = [
    (r"eyevich$", "eevich"),
    (r"eevich$", "eyevich"),
    (r"eyevna$", "eevna"),
    (r"eevna$", "eyevna"),
    (r"skiy$", "sky"),
    (r"sky$", "skiy"),
    (r"skii$", "skiy"),
    (r"tskiy$", "tsky"),
    (r"ov$", "off"),
    (r"ev$", "eff"),
    (r"iy$", "y"),
    (r"yev$", "yeff"),
    (r"yevich$", "evich"),
    (r"iyevich$", "ievich"),
    (r"ya$", "ia"),
    (r"iya$", "ia"),
]

# (full word, abbreviation) — applied in both directions where the abbreviation is unambiguous.
ABBREVIATIONS = [
    ("Institute", "Inst."),
    ("Technology", "Tech."),
    ("Technologies", "Tech."),
    ("University", "Univ."),
    ("Manufacturing", "Mfg."),
    ("International", "Intl."),
    ("International", "Int'l"),
    ("Corporation", "Corp."),
    ("Company", "Co."),
    ("Limited", "Ltd."),
    ("Association", "Assn."),
    ("Association", "Assoc."),
    ("Department", "Dept."),
    ("Industrial", "Ind."),
    ("Industries", "Inds."),
    ("Engineering", "Eng."),
    ("Engineering", "Engg."),
    ("Development", "Dev."),
    ("Academy", "Acad."),
    ("Laboratory", "Lab."),
    ("Laboratories", "Labs."),
    ("Brothers", "Bros."),
    ("Incorporated", "Inc."),
    ("National", "Natl."),
    ("Science", "Sci."),
    ("Management", "Mgmt."),
    ("Services", "Svcs."),
    ("Group", "Grp."),
    ("Government", "Govt."),
    ("Equipment", "Equip."),
    ("Chemical", "Chem."),
    ("Construction", "Constr."),
    ("Communications", "Comms."),
    ("Center", "Ctr."),
    ("Centre", "Ctr."),
    ("Saint", "St."),
    ("Import", "Imp."),
    ("Export", "Exp."),
    ("Electronics", "Electr."),
    ("Machinery", "Mach."),
    ("Research", "Res."),
    ("Petroleum", "Petr."),
    ("Investment", "Invest."),
]
_ABBREV_OF = {fold(a): full for full, a in ABBREVIATIONS}
_AMBIGUOUS_ABBREV = {"tech", "ctr", "assn", "intl", "int l", "co", "eng", "engg", "st", "sci"}
WORD_ORDINALS = [
    "First",
    "Second",
    "Third",
    "Fourth",
    "Fifth",
    "Sixth",
    "Seventh",
    "Eighth",
    "Ninth",
    "Tenth",
]

# Legal-form classes (surface forms that mean the same); RU_* classes only for post-Soviet entries.
LEGAL_CLASSES: list[tuple[str, list[str]]] = [
    (
        "co_ltd",
        ["Co., Ltd.", "Co. Ltd", "Co Ltd", "Company Limited", "Co., Limited", "Company Ltd"],
    ),
    ("ltd", ["Ltd.", "Ltd", "Limited"]),
    ("llc", ["LLC", "L.L.C.", "Limited Liability Company"]),
    ("inc", ["Inc.", "Inc", "Incorporated"]),
    ("corp", ["Corp.", "Corp", "Corporation"]),
    ("co", ["Co.", "Co", "Company"]),
    ("plc", ["PLC", "Public Limited Company"]),
    ("pvt", ["Pvt. Ltd.", "Pvt Ltd", "Private Limited", "Private Ltd."]),
    ("pte", ["Pte. Ltd.", "Pte Ltd", "Private Limited"]),
    ("sa", ["S.A.", "SA"]),
    ("sarl", ["S.A.R.L.", "SARL"]),
    ("srl", ["S.R.L.", "SRL"]),
    ("sdn", ["Sdn. Bhd.", "Sdn Bhd"]),
    ("fze", ["FZE"]),
    ("fzco", ["FZCO"]),
    ("llp", ["LLP"]),
    ("gmbh", ["GmbH"]),
    ("ltda", ["Ltda.", "Ltda"]),
    (
        "ru_ooo",
        ["OOO", "LLC", "Limited Liability Company", "Obshchestvo s Ogranichennoi Otvetstvennostyu"],
    ),
    (
        "ru_ao",
        ["AO", "JSC", "Joint Stock Company", "Joint-Stock Company", "Aktsionernoe Obshchestvo"],
    ),
    ("ru_oao", ["OAO", "OJSC", "Open Joint Stock Company", "Otkrytoe Aktsionernoe Obshchestvo"]),
    ("ru_zao", ["ZAO", "CJSC", "Closed Joint Stock Company", "Zakrytoe Aktsionernoe Obshchestvo"]),
    (
        "ru_pao",
        ["PAO", "PJSC", "Public Joint Stock Company", "Publichnoe Aktsionernoe Obshchestvo"],
    ),
]
POST_SOVIET = {"RU", "BY", "UA", "KZ", "AM", "KG", "UZ", "TJ", "AZ", "GE", "MD", "TM"}
RU_PREFIX_FORMS = {"OOO", "AO", "OAO", "ZAO", "PAO", "JSC", "OJSC", "CJSC", "PJSC", "LLC"}

# Business descriptors: adding one to a name names another business (label-changing words).
DESCRIPTORS = _split(
    """
    Pharmaceutical Petrochemical Logistics Shipping Electronics Mining Construction Insurance
    Textile Automotive Agricultural Medical Optical Chemical Steel Aviation Maritime Energy
    Software Semiconductor Machinery Biotech Telecom Packaging Plastics Fisheries Tobacco Cement
    Paper Glass Rubber Real-Estate Securities Leasing Tourism Catering Printing
    """
)

# Chinese names of listed Chinese organisations, from general knowledge (listed Latin name,
# folded as a list writes it → the organisation's registered Chinese name). A row applies only
# where an entry carries that Latin name.
HAN_NAMES: dict[str, str] = {
    "huawei technologies co ltd": "华为技术有限公司",
    "hangzhou hikvision digital technology co ltd": "杭州海康威视数字技术股份有限公司",
    "zhejiang dahua technology co ltd": "浙江大华技术股份有限公司",
    "iflytek co ltd": "科大讯飞股份有限公司",
    "semiconductor manufacturing international corporation": "中芯国际集成电路制造有限公司",
    "china electronics technology group corporation": "中国电子科技集团有限公司",
    "inspur group": "浪潮集团有限公司",
    "inspur group co ltd": "浪潮集团有限公司",
    "national university of defense technology": "国防科技大学",
    "harbin institute of technology": "哈尔滨工业大学",
    "harbin engineering university": "哈尔滨工程大学",
    "northwestern polytechnical university": "西北工业大学",
    "beihang university": "北京航空航天大学",
    "beijing university of aeronautics and astronautics": "北京航空航天大学",
    "beijing institute of technology": "北京理工大学",
    "nanjing university of aeronautics and astronautics": "南京航空航天大学",
    "nanjing university of science and technology": "南京理工大学",
    "sichuan university": "四川大学",
    "university of electronic science and technology of china": "电子科技大学",
    "china academy of engineering physics": "中国工程物理研究院",
    "tianjin phytium information technology co ltd": "天津飞腾信息技术有限公司",
    "wuxi jiangnan institute of computing technology": "无锡江南计算技术研究所",
    "national supercomputing center wuxi": "国家超级计算无锡中心",
    "national supercomputing center changsha": "国家超级计算长沙中心",
    "national supercomputing center guangzhou": "国家超级计算广州中心",
    "national supercomputing center shenzhen": "国家超级计算深圳中心",
    "national supercomputing center jinan": "国家超级计算济南中心",
    "national supercomputing center tianjin": "国家超级计算天津中心",
    "national supercomputing center zhengzhou": "国家超级计算郑州中心",
    "xiamen meiya pico information co ltd": "厦门市美亚柏科信息股份有限公司",
    "zhejiang uniview technologies co ltd": "浙江宇视科技有限公司",
    "xinjiang production and construction corps": "新疆生产建设兵团",
    "china national offshore oil corporation": "中国海洋石油集团有限公司",
    "china mobile communications group co ltd": "中国移动通信集团有限公司",
    "china telecommunications corporation": "中国电信集团有限公司",
    "china united network communications group co ltd": "中国联合网络通信集团有限公司",
    "aviation industry corporation of china": "中国航空工业集团有限公司",
    "china aerospace science and technology corporation": "中国航天科技集团有限公司",
    "china aerospace science and industry corporation": "中国航天科工集团有限公司",
    "china north industries group corporation limited": "中国兵器工业集团有限公司",
    "china north industries group corporation": "中国兵器工业集团有限公司",
    "china south industries group corporation": "中国兵器装备集团有限公司",
    "china state shipbuilding corporation limited": "中国船舶集团有限公司",
    "china shipbuilding industry corporation": "中国船舶重工集团有限公司",
    "china general nuclear power corporation": "中国广核集团有限公司",
    "china national nuclear corporation": "中国核工业集团有限公司",
    "china railway construction corporation limited": "中国铁建股份有限公司",
    "china communications construction company limited": "中国交通建设股份有限公司",
    "commercial aircraft corporation of china": "中国商用飞机有限责任公司",
    "yangtze memory technologies co ltd": "长江存储科技有限责任公司",
    "fujian jinhua integrated circuit co ltd": "福建省晋华集成电路有限公司",
    "bgi genomics co ltd": "深圳华大基因股份有限公司",
    "academy of military medical sciences": "军事医学科学院",
    "china academy of launch vehicle technology": "中国运载火箭技术研究院",
    "china academy of space technology": "中国空间技术研究院",
    "hytera communications corporation limited": "海能达通信股份有限公司",
    "zhonghang electronic measuring instruments company limited": "中航电测仪器股份有限公司",
    "shaanxi zhongtian rocket technology company limited": "陕西中天火箭技术股份有限公司",
    "guizhou space appliance co ltd": "贵州航天电器股份有限公司",
    "china satellite communications co ltd": "中国卫通集团股份有限公司",
    "aerospace ch uav co ltd": "航天彩虹无人机股份有限公司",
    "avic shenyang aircraft company limited": "中航沈飞股份有限公司",
    "avic jonhon optronic technology co ltd": "中航光电科技股份有限公司",
    "china spacesat co ltd": "中国东方红卫星股份有限公司",
    "china mobile limited": "中国移动有限公司",
    "china telecom corporation limited": "中国电信股份有限公司",
    "china unicom hong kong limited": "中国联合网络通信(香港)股份有限公司",
    "zte corporation": "中兴通讯股份有限公司",
    "xiaomi corporation": "小米集团",
}
HAN_LEGAL = ["股份有限公司", "有限责任公司", "有限公司", "公司"]
# Words any Chinese organisation name may carry: a changed character is looked for elsewhere.
HAN_GENERIC = [
    "中国",
    "国家",
    "集团",
    "科技",
    "技术",
    "信息",
    "有限",
    "公司",
    "大学",
    "研究",
    "中心",
    "股份",
    "电子",
    "工业",
    "通信",
    "网络",
    "国际",
    "航天",
    "航空",
    "超级",
    "计算",
    "学院",
    "责任",
]
HAN_PLACES = _split(
    """
    北京 上海 天津 重庆 深圳 广州 杭州 南京 武汉 成都 西安 哈尔滨 沈阳 大连 青岛 济南 长沙 合肥 福州 厦门 昆明 郑州 石家庄 太原 苏州 无锡 宁波 珠海 浙江 江苏
    广东 山东 河北 河南 湖北 湖南 四川 陕西 福建 安徽 辽宁 吉林 黑龙江 贵州 云南 江西 山西
    """
)
HAN_FILLER = "华兴宏达恒泰盛昌瑞丰鑫源通利隆安永康德明光远新海天"


# -- loading ----------------------------------------------------------------------------------


def native_sources() -> dict[str, str | None]:
    text = resources.files("interlock.data").joinpath("lists.yaml").read_text("utf-8")
    return {code: item.get("native_source") for code, item in yaml.safe_load(text)["lists"].items()}


def load_entries(log: Callable[[str], None]) -> list[ListEntry]:
    """Current bundled entries as screening sees them, with OFAC enhanced-XML scripts merged in."""
    entries: list[ListEntry] = []
    for bundled in bundled_snapshots():
        fmt = get_format(bundled.description.format)
        if not isinstance(fmt, EntryFormat):
            continue
        parsed = parse_snapshot(fmt, bundled.raw).entries
        log(f"  {bundled.description.source}: {len(parsed)} entries")
        entries.extend(parsed)
    loaded = {e.source for e in entries}
    natives = native_sources()
    entries = [
        e
        for e in entries
        if not (e.source == "us_csl" and all(natives.get(c) in loaded for c in e.lists))
    ]
    if ENHANCED.is_file():
        fmt = get_format("ofac_enhanced_xml")
        assert isinstance(fmt, EntryFormat)
        raw = RawFiles({"cons_enhanced.xml": ENHANCED.read_bytes()})
        extra = {
            e.entity_id: [a for a in e.aliases if a.script != "Latin"]
            for e in parse_snapshot(fmt, raw).entries
        }
        merged = 0
        for i, entry in enumerate(entries):
            foreign = extra.get(entry.entity_id)
            if foreign:
                known = {a.name for a in entry.aliases}
                add = [a for a in foreign if a.name not in known]
                entries[i] = entry.model_copy(update={"aliases": [*entry.aliases, *add]})
                merged += len(add)
        log(f"  OFAC enhanced XML: {merged} original-script names merged")
    else:
        log(f"  warning: {ENHANCED} absent; no OFAC Chinese/Cyrillic names")
    return entries


# -- parties ----------------------------------------------------------------------------------

_BAD_NAME = re.compile(
    r"\?|\b[afn]\.?k\.?a\b|\bformerly\b|\bsee also\b|;|\bunknown\b|\bn/a\b", re.IGNORECASE
)
_ORG_WORDS = {
    "shipping",
    "company",
    "co",
    "ltd",
    "limited",
    "llc",
    "inc",
    "corp",
    "corporation",
    "management",
    "navigation",
    "lines",
    "sa",
    "holding",
    "holdings",
    "group",
}


def repair(name: str) -> str:
    """C1 control characters left by a cp1252 → latin-1 mix-up read as cp1252 ('Xi\x92an' → 'Xi’an')."""
    if not re.search(r"[\x80-\x9f]", name):
        return name
    return re.sub(
        r"[\x80-\x9f]", lambda m: bytes([ord(m.group(0))]).decode("cp1252", "ignore"), name
    )


def usable(name: str) -> bool:
    name = name.strip()
    return bool(
        name
        and len(name) <= 200
        and not _BAD_NAME.search(name)
        and not re.search(r"\sna$", name)  # UN's 'not available' left in a name
        and sum(c.isalpha() for c in name) >= 2
        and not EXCLUDED_NAME.search(name)
    )


@dataclass
class Party:
    entry: ListEntry
    schema: str
    names: list[str]  # usable Latin names: primary first, then strong aliases
    foreign: list[tuple[str, str]] = field(default_factory=list)  # (name, script), lists' own
    han_curated: list[str] = field(default_factory=list)
    han_anchor: dict[str, str] = field(
        default_factory=dict
    )  # curated name → the Latin name it is for
    group: str = ""

    @property
    def country(self) -> set[str]:
        return set(self.entry.countries)


def party_of(entry: ListEntry) -> Party | None:
    schema = OUT_SCHEMA.get(entry.schema_)
    if schema is None or not usable(entry.name) or not is_latin(entry.name):
        return None
    names = [repair(entry.name)]
    foreign: list[tuple[str, str]] = []
    owner = fold(entry.vessel.owner) if entry.vessel and entry.vessel.owner else None
    for alias in entry.aliases:
        if not usable(alias.name):
            continue
        if not is_latin(alias.name):
            if alias.strength != AliasStrength.WEAK:
                foreign.append((alias.name, alias.script))
            continue
        if alias.strength != AliasStrength.STRONG:
            continue
        if schema == "Vessel" and (
            set(words(alias.name)) & _ORG_WORDS or fold(alias.name) == owner
        ):
            continue  # an owner or manager named among a vessel's aliases: another party
        if repair(alias.name) not in names:
            names.append(repair(alias.name))
    return Party(entry=entry, schema=schema, names=names, foreign=foreign)


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def name_keys(name: str) -> list[str]:
    keys = []
    full = fold(name)
    if len(full.replace(" ", "")) >= 4:
        keys.append("n:" + full)
    c = core(name)
    if c != full and len(c.replace(" ", "")) >= 5 and any(distinctive(t) for t in c.split()):
        keys.append("n:" + c)
    return keys


def assign_groups(parties: list[Party], entries: list[ListEntry]) -> None:
    """Entries sharing a name (exact or without legal form) or an identifier form one group."""
    uf = UnionFind()
    owner: dict[str, str] = {}
    for entry in entries:
        keys = [k for n in entry.all_names() for k in name_keys(n)]
        for ident in entry.identifiers:
            value = re.sub(r"[^0-9A-Za-z@.]", "", ident.value).upper()
            if len(value) >= 5 and ident.type.value != "phone":
                keys.append(f"i:{ident.type.value}:{value}")
        uf.find(entry.entity_id)
        for key in keys:
            if key in owner:
                uf.union(entry.entity_id, owner[key])
            else:
                owner[key] = entry.entity_id
    for party in parties:
        party.group = uf.find(party.entry.entity_id)


# -- the corpus and its indexes ---------------------------------------------------------------


class Corpus:
    def __init__(self, parties: list[Party]) -> None:
        self.parties = parties
        self.by_group: dict[str, list[Party]] = defaultdict(list)
        # folded name / core / neutral key → groups naming it
        self.known: dict[str, set[str]] = defaultdict(set)
        for p in parties:
            self.by_group[p.group].append(p)
            for n in [*p.names, *(f for f, _ in p.foreign)]:
                for key in (fold(n), "c:" + core(n), "x:" + neutral_key(n)):
                    self.known[key].add(p.group)
        self.group_tokens: dict[str, set[str]] = defaultdict(set)
        for p in parties:
            for n in p.names:
                self.group_tokens[p.group].update(words(n))
        self.plain_vocab: set[str] = set()  # tokens outside parentheses
        for p in parties:
            for n in p.names:
                self.plain_vocab.update(words(re.sub(r"\([^)]*\)", " ", n)))
        self.vocab: Counter[str] = Counter()
        for p in parties:
            seen: set[str] = set()
            for n in p.names:
                seen.update(words(n))
            self.vocab.update(seen)

    def acronym_ok(self, acronym: str, expansion: str) -> bool:
        """A parenthesised 'NAME (XYZ)' is an acronym, not a qualifier such as '(PAKISTAN)'."""
        letters = re.sub(r"[^a-z0-9]", "", acronym.lower())
        if "-" in acronym or not 2 <= len(letters) <= 8:
            return False
        initials = "".join(t[0] for t in words(expansion))
        it = iter(initials)
        if all(c in it for c in letters):
            return True
        return letters.isalpha() and len(letters) <= 6 and letters not in self.plain_vocab

    def tokens_only_in(self, countries: set[str]) -> set[str]:
        inside: set[str] = set()
        outside: set[str] = set()
        for p in self.parties:
            target = inside if p.country & countries else outside
            for n in p.names:
                target.update(words(n))
        return inside - outside

    def groups_named(self, name: str) -> set[str]:
        return self.known.get(fold(name), set()) | self.known.get("c:" + core(name), set())

    def ok_positive(self, query: str, party: Party) -> bool:
        """The query may stand for the party: it names no other listed group."""
        other = self.groups_named(query) - {party.group}
        return not other and bool(fold(query))

    def ok_negative(self, query: str, party: Party) -> bool:
        """The query is not a name of the party, with or without legal form or neutral words."""
        g = party.group
        return not (
            g in self.known.get(fold(query), set())
            or g in self.known.get("c:" + core(query), set())
            or g in self.known.get("x:" + neutral_key(query), set())
        )


# -- the pairs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    schema: str
    name1: str
    name2: str
    is_match: bool
    origin: str
    group: str


class Pairs:
    def __init__(self) -> None:
        self.rows: list[Pair] = []
        self.seen: set[tuple[str, str]] = set()
        self.count: Counter[str] = Counter()

    def full(self, origin: str) -> bool:
        return self.count[origin] >= QUOTA[origin]

    def add(self, schema: str, q: str, listed: str, match: bool, origin: str, group: str) -> bool:
        q, listed = tidy(q), tidy(listed)
        if self.full(origin):
            return False
        for name in (q, listed):
            if not name or len(name) > 200 or sum(c.isalnum() for c in name) < 2:
                return False
        if q == listed:
            return False
        key = (fold(q) or q, fold(listed) or listed)
        if not match and (
            key[0] == key[1]
            or (
                is_latin(q)
                and is_latin(listed)
                and (core(q) == core(listed) or neutral_key(q) == neutral_key(listed))
            )
        ):
            return False
        if (q, listed) in self.seen or (listed, q) in self.seen:
            return False
        self.seen.add((q, listed))
        self.rows.append(Pair(schema, q, listed, match, origin, group))
        self.count[origin] += 1
        return True


# -- person names -----------------------------------------------------------------------------

PARTICLES = {
    "al",
    "el",
    "bin",
    "ibn",
    "abu",
    "abd",
    "van",
    "von",
    "de",
    "da",
    "del",
    "dos",
    "ben",
    "bint",
    "le",
    "la",
    "der",
    "ould",
    "ter",
}


@dataclass
class PersonName:
    given: list[str]
    family: list[str]
    style: str  # comma: 'FAMILY, Given'; caps: 'Given FAMILY'; plain: order unknown (family last)

    def western(self) -> str:
        return " ".join([*self.given, *self.family])

    def comma(self) -> str:
        return " ".join(self.family) + ", " + " ".join(self.given)

    def eastern(self) -> str:
        return " ".join([*self.family, *self.given])

    def render(self, rng: random.Random, avoid: str | None = None) -> str:
        forms = [self.western(), self.comma()]
        forms = [f for f in forms if f != avoid] or forms
        return rng.choice(forms)


def parse_person(name: str) -> PersonName | None:
    if re.search(r"[\d()/]", name):
        return None
    if "," in name:
        family, _, given = name.partition(",")
        if "," in given:
            return None
        fam, giv = family.split(), given.split()
        if fam and giv:
            return PersonName(giv, fam, "comma")
        return None
    tokens = name.split()
    if len(tokens) < 2:
        return None
    caps = [t.isupper() and len(t) > 1 for t in tokens]
    if any(caps) and not all(caps):
        k = len(tokens)
        while k > 0 and caps[k - 1]:
            k -= 1
        if 0 < k < len(tokens) and not any(caps[:k]):
            return PersonName(tokens[:k], tokens[k:], "caps")
    cut = len(tokens) - 1
    if cut >= 2 and tokens[cut - 1].lower().strip("-") in PARTICLES:
        cut -= 1
    return PersonName(tokens[:cut], tokens[cut:], "plain")


# -- positive transforms: each takes (name, party, rng) and returns a query or None -------------

Transform = Callable[[str, Party, random.Random], str | None]

_KEYBOARD = {
    "a": "qwsz",
    "b": "vghn",
    "c": "xdfv",
    "d": "serfcx",
    "e": "wsdr",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "i": "ujko",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "m": "njk",
    "n": "bhjm",
    "o": "iklp",
    "p": "ol",
    "q": "wa",
    "r": "edft",
    "s": "awedxz",
    "t": "rfgy",
    "u": "yhji",
    "v": "cfgb",
    "w": "qase",
    "x": "zsdc",
    "y": "tghu",
    "z": "asx",
}


def _typo_word(word: str, rng: random.Random, edits: int) -> str:
    w = list(word)
    for _ in range(edits):
        kind = rng.choice(["sub", "del", "ins", "swap", "dup"])
        i = rng.randrange(1, len(w) - 1)  # keep the first letter
        c = w[i]
        lower = c.lower()
        if kind == "sub" and lower in _KEYBOARD:
            new = rng.choice(_KEYBOARD[lower])
            w[i] = new.upper() if c.isupper() else new
        elif kind == "del":
            del w[i]
        elif kind == "ins" and lower in _KEYBOARD:
            new = rng.choice(_KEYBOARD[lower])
            w.insert(i, new.upper() if c.isupper() else new)
        elif kind == "swap" and i + 1 < len(w):
            w[i], w[i + 1] = w[i + 1], w[i]
        else:
            w.insert(i, c)
    return "".join(w)


def make_typo(corpus: Corpus) -> Transform:
    def typo(name: str, party: Party, rng: random.Random) -> str | None:
        spans = [m for m in re.finditer(r"[A-Za-z]{5,}", name)]
        if not spans:
            return None
        own = [m for m in spans if distinctive(m.group(0).lower())]
        m = rng.choice(own if own and rng.random() < 0.75 else spans)
        word = m.group(0)
        edits = 2 if rng.random() < 0.4 else 1
        for _ in range(5):
            new = _typo_word(word, rng, edits)
            if new.lower() != word.lower() and fold(new) not in corpus.vocab:
                return name[: m.start()] + new + name[m.end() :]
        return None

    return typo


def case_punct(name: str, party: Party, rng: random.Random) -> str | None:
    options = []
    if re.search(r"[.,'’\-()\"&]", name):
        stripped = re.sub(r"[.,'’()\"]", "", name)
        stripped = re.sub(r"-", rng.choice([" ", ""]), stripped)
        options.append(stripped)
    if " and " in name.lower():
        options.append(re.sub(r"\band\b", "&", name, flags=re.IGNORECASE))
    if "&" in name:
        options.append(name.replace("&", " and "))
    options += [name.upper(), name.lower(), title_case(name)]
    options = [o for o in options if o != name]
    return rng.choice(options) if options else None


_PINYIN: set[str] = set()


def pinyin_syllables() -> set[str]:
    if not _PINYIN:
        for code in pinyin_dict:
            for syllable in lazy_pinyin(chr(code)):
                if syllable.isascii() and syllable.isalpha():
                    _PINYIN.add(syllable.replace("ü", "v"))
        _PINYIN.difference_update(
            {
                "a",
                "e",
                "o",
                "ei",
                "en",
                "er",
                "ou",
                "ai",
                "ao",
                "an",
                "ang",
                "n",
                "m",
                "ng",
                "hm",
                "hng",
            }
        )
    return _PINYIN


def split_pinyin(token: str) -> list[str] | None:
    """'ZHONGTIAN' → ['ZHONG', 'TIAN']: the split into the fewest pinyin syllables, two or three."""
    syllables = pinyin_syllables()
    t = token.lower()
    best: list[str] | None = None

    def go(i: int, acc: list[str]) -> None:
        nonlocal best
        if len(acc) > 3 or (best is not None and len(acc) >= len(best)):
            return
        if i == len(t):
            if len(acc) >= 2:
                best = list(acc)
            return
        for j in range(min(len(t), i + 6), i + 1, -1):
            if t[i:j] in syllables:
                go(j, [*acc, t[i:j]])

    go(0, [])
    if best is None:
        return None
    out, i = [], 0
    for s in best:
        out.append(token[i : i + len(s)])
        i += len(s)
    return out


CHINESE = {"CN", "HK", "TW", "MO"}


def make_space_hyphen(corpus: Corpus) -> Transform:
    # tokens seen only in names of Chinese parties: safe to split into pinyin syllables
    chinese_only = corpus.tokens_only_in(CHINESE)

    def space_hyphen(name: str, party: Party, rng: random.Random) -> str | None:
        options: list[str] = []
        for m in re.finditer(r"\b([A-Za-z]+)-([A-Za-z]+)\b", name):
            a, b = m.group(1), m.group(2)
            joined = a + (b.lower() if not b.isupper() else b)
            for new in (a + " " + b, joined):
                options.append(name[: m.start()] + new + name[m.end() :])
        for m in re.finditer(
            r"\b(al|el|Al|El|AL|EL|Abu|ABU|Abd|ABD|Bin|BIN|Abdul|ABDUL|Abdel|ABDEL)"
            r" ([A-Za-z]{3,})\b",
            name,
        ):
            a, b = m.group(1), m.group(2)
            glued = a + (b.lower() if not b.isupper() else b)
            for new in (a + "-" + b, glued):
                options.append(name[: m.start()] + new + name[m.end() :])
        if party.country & CHINESE or party.schema == "Vessel":
            syllables = pinyin_syllables()
            tokens = name.split(" ")
            for i in range(len(tokens) - 1):
                a, b = tokens[i], tokens[i + 1].rstrip(",")
                if a.isalpha() and a.lower() in syllables and b.lower() in syllables:
                    joined = a + (b.lower() if not b.isupper() else b)
                    options.append(
                        " ".join([*tokens[:i], joined + tokens[i + 1][len(b) :], *tokens[i + 2 :]])
                    )
                    options.append(
                        " ".join(
                            [
                                *tokens[:i],
                                a + "-" + b.lower() + tokens[i + 1][len(b) :],
                                *tokens[i + 2 :],
                            ]
                        )
                    )
            for i, tok in enumerate(tokens):
                word = tok.rstrip(",")
                if len(word) >= 6 and word.isalpha() and fold(word) in chinese_only:
                    parts = split_pinyin(word)
                    if parts:
                        options.append(
                            " ".join(
                                [*tokens[:i], " ".join(parts) + tok[len(word) :], *tokens[i + 1 :]]
                            )
                        )
        options = [o for o in dict.fromkeys(options) if o != name]
        return rng.choice(options) if options else None

    return space_hyphen


def make_translit() -> Transform:
    def translit(name: str, party: Party, rng: random.Random) -> str | None:
        spans = list(re.finditer(r"[A-Za-z]+", name))
        rng.shuffle(spans)
        for m in spans:
            word = m.group(0)
            variants = list(TRANSLIT.get(word.lower(), []))
            if party.country & POST_SOVIET or party.schema == "Person":
                for pattern, repl in TRANSLIT_SUFFIX:
                    if len(word) >= 6 and re.search(pattern, word.lower()):
                        variants.append(re.sub(pattern, repl, word.lower()))
            if word.lower() in {"al", "el"} and m.end() < len(name) and name[m.end()] in " -":
                variants.append("el" if word.lower() == "al" else "al")
            variants = [v for v in variants if v.lower() != word.lower()]
            if variants:
                new = same_case(word, rng.choice(variants))
                return name[: m.start()] + new + name[m.end() :]
        return None

    return translit


def drop_middle(name: str, party: Party, rng: random.Random) -> str | None:
    if party.schema != "Person":
        return None
    p = parse_person(name)
    if p is None:
        return None
    if len(p.given) >= 2:
        q = PersonName(p.given[:1], p.family, p.style)
        return q.render(rng)
    if p.style == "plain" and 3 <= len(p.given) + len(p.family) <= 4:
        tokens = name.split()
        i = rng.randrange(1, len(tokens) - 1)
        if tokens[i].lower() in PARTICLES:
            return None
        return " ".join(tokens[:i] + tokens[i + 1 :])
    return None


def initials(name: str, party: Party, rng: random.Random) -> str | None:
    if party.schema != "Person":
        return None
    p = parse_person(name)
    if p is None or not p.given or not any(len(t) >= 4 for t in p.family):
        return None
    if any(len(g.strip(".")) <= 1 for g in p.given):
        return None
    dot = rng.random() < 0.7
    inits = [g[0].upper() + ("." if dot else "") for g in p.given]
    style = rng.random()
    fam = " ".join(p.family)
    if style < 0.35:  # first initial only, middle names kept or dropped
        given = [inits[0]] + (p.given[1:] if rng.random() < 0.3 else [])
        return " ".join([*given, fam])
    if style < 0.7:
        return " ".join([*inits, fam])
    return fam + ", " + (" " if rng.random() < 0.5 else "").join(inits)


def reorder(name: str, party: Party, rng: random.Random) -> str | None:
    if party.schema == "Person":
        p = parse_person(name)
        if p is None:
            return None
        if p.style == "comma":
            return p.western() if rng.random() < 0.75 else p.eastern()
        if len(p.given) + len(p.family) < 2:
            return None
        return p.comma() if rng.random() < 0.7 else p.eastern()
    if party.schema not in ORG_SCHEMAS:
        return None
    m = re.match(r"^(.+?)['’]s (.+)$", name)
    if m:  # "X's Y of Z" → "Y of the X of Z" / "Y of X"
        x, y = m.group(1), m.group(2)
        if " of " in y.lower() and rng.random() < 0.6:
            head, _, tail = y.partition(" of ")
            return f"{head} of the {x} of {tail}"
        return f"{y} of {x}"
    m = re.match(
        r"^(.+?) (University|Bank|Academy|Institute|Ministry|Embassy|Museum)$", name, re.IGNORECASE
    )
    if m and len(m.group(1).split()) <= 3:
        return f"{m.group(2)} of {m.group(1)}"
    m = re.match(
        r"^(University|Bank|Academy|Institute|Ministry) of ([A-Za-z' ]+)$", name, re.IGNORECASE
    )
    if m and len(m.group(2).split()) <= 2 and not re.search(r"\b(the|and|of)\b", m.group(2), re.I):
        return f"{m.group(2)} {m.group(1)}"
    m = re.match(r"^The (.+)$", name, re.IGNORECASE)
    if m:
        return f"{m.group(1)}, The"
    return None


@dataclass(frozen=True)
class LegalSplit:
    text: str  # the name without its legal form
    form: str  # the form as LEGAL_CLASSES spells it
    cid: str
    suffix: bool  # the form ends the name (else it starts it)
    cut: int  # suffix: where the form starts in the name (text before it, comma kept out)


def _legal_suffix(name: str, party: Party) -> LegalSplit | None:
    """The legal form ending (or, for post-Soviet forms, starting) the name, if any."""
    russian = bool(party.country & POST_SOVIET)
    best: LegalSplit | None = None
    for cid, forms in LEGAL_CLASSES:
        if cid.startswith("ru_") and not russian:
            continue
        for form in forms:
            pattern = re.escape(form).replace(r"\ ", r"[\s,]+").replace(r"\.", r"\.?")
            m = re.search(r"(^|[\s,(])" + pattern + r"\)?\s*$", name, re.IGNORECASE)
            if m and (best is None or len(form) > len(best.form)):
                cut = len(name[: m.start()].rstrip(" ,("))
                best = LegalSplit(name[:cut], form, cid, True, cut)
            if cid.startswith("ru_") or form in RU_PREFIX_FORMS:
                m = re.match(r"^" + pattern + r"[\s,]+", name, re.IGNORECASE)
                if (
                    m
                    and (russian or form == "LLC")
                    and (best is None or len(form) > len(best.form))
                ):
                    best = LegalSplit(name[m.end() :], form, cid, False, 0)
    if best is None:
        return None
    text = best.text.strip(" ,'\"«»“”")
    if not text or not any(distinctive(t) for t in words(text)):
        return None
    return LegalSplit(text, best.form, best.cid, best.suffix, best.cut)


# Words of public bodies, armed groups and associations: such names take no company legal form.
NON_COMPANY = set(
    _split(
        """
        ministry bureau department institute university academy army committee council agency
        office administration service party front brigade organization organisation foundation
        association society center centre force forces corps regiment division school hospital
        church movement government directorate command unit republic police guard battalion
        charity mosque fund martyrs jihad islamic authority commission court embassy militia
        """
    )
)
BUSINESS = set(
    _split(
        """
        trading industrial industries technology technologies investment investments enterprises
        shipping electronics engineering petroleum energy logistics import export construction
        chemical chemicals steel mining development manufacturing machinery equipment materials
        commercial trade exchange
        """
    )
)


def company_like(name: str) -> bool:
    tokens = set(words(name))
    return not tokens & NON_COMPANY


def legal_form(name: str, party: Party, rng: random.Random) -> str | None:
    if party.schema not in ORG_SCHEMAS:
        return None
    found = _legal_suffix(name, party)
    upper = name.isupper()
    if found is None:
        tokens = words(name)
        if (
            rng.random() < 0.25
            and len(tokens) >= 2
            and not set(tokens) & LEGAL_WORDS
            and company_like(name)
            and set(tokens) & BUSINESS
        ):
            if party.country & CHINESE:
                form = rng.choice(["Co., Ltd.", "Company Limited", "Co Ltd"])
            elif party.country & POST_SOVIET:
                form = rng.choice(["LLC", "OOO", "JSC"])
            else:
                form = rng.choice(["Ltd", "LLC", "Limited", "Co."])
            return f"{name} {form.upper() if upper else form}"
        return None
    alternatives = [
        f
        for c, fs in LEGAL_CLASSES
        for f in fs
        if (c == found.cid or fold(found.form) in {fold(x) for x in fs})
        and fold(f) != fold(found.form)
        and (not c.startswith("ru_") or party.country & POST_SOVIET)
    ]
    alternatives = list(dict.fromkeys(alternatives))
    if rng.random() < 0.35 or not alternatives:
        return found.text
    new = rng.choice(alternatives)
    new = new.upper() if upper else new
    if found.cid.startswith("ru_") and new.upper() in RU_PREFIX_FORMS and rng.random() < 0.5:
        return f"{new} {found.text}"
    sep = ", " if found.cid.startswith("ru_") and rng.random() < 0.4 else " "
    return f"{found.text}{sep}{new}"


def insert_before_form(name: str, party: Party, word: str) -> str | None:
    """`word` put after the name's core: before a closing legal form, else at the end."""
    found = _legal_suffix(name, party)
    if found is not None and found.suffix:
        before = words(name[: found.cut])
        if before and before[-1] in LEGAL_WORDS:
            return None  # 'X Co., Inc.': no natural place for the word
        return name[: found.cut] + " " + word + name[found.cut :]
    if found is not None or (words(name) and words(name)[-1] in LEGAL_WORDS):
        return None if found is None else f"{name} {word}"
    return f"{name} {word}"


def abbreviate(name: str, party: Party, rng: random.Random) -> str | None:
    if party.schema not in ORG_SCHEMAS:
        return None
    options: list[str] = []
    for full, short in ABBREVIATIONS:
        for m in re.finditer(r"\b" + re.escape(full) + r"\b(?! liability)", name, re.IGNORECASE):
            new = short.upper() if m.group(0).isupper() else short
            options.append(name[: m.start()] + new + name[m.end() :])
        key = fold(short)
        if key in _AMBIGUOUS_ABBREV or _ABBREV_OF.get(key) != full:
            continue
        pattern = r"\b" + re.escape(short.rstrip(".")) + r"(\.|\b)"
        for m in re.finditer(pattern, name, re.IGNORECASE):
            new = full.upper() if m.group(0).isupper() else full
            options.append(name[: m.start()] + new + name[m.end() :])
    if re.search(r"\bimport (and|&) export\b", name, re.IGNORECASE):
        for short in ("Imp. & Exp.", "I/E", "Imp/Exp"):
            options.append(re.sub(r"\bimport (and|&) export\b", short, name, flags=re.IGNORECASE))
    options = [o for o in dict.fromkeys(options) if o != name]
    if not options:
        return None
    out = rng.choice(options)
    if rng.random() < 0.3:  # a second abbreviation
        again = abbreviate(out, party, rng) if out.count(".") < 3 else None
        if again:
            out = again
    return out


def generic_word(name: str, party: Party, rng: random.Random) -> str | None:
    if party.schema not in ORG_SCHEMAS:
        return None
    options = []
    for m in re.finditer(
        r"\b(Group|International|Trading|Holdings?|The)\b\s*", name, re.IGNORECASE
    ):
        new = name[: m.start()] + name[m.end() :]
        if any(distinctive(t) for t in words(new)) and len(words(new)) >= 2:
            options.append(new)
    tokens = set(words(name))
    if (
        "group" not in tokens
        and company_like(name)
        and (tokens & BUSINESS or _legal_suffix(name, party) is not None)
    ):
        added = insert_before_form(name, party, "GROUP" if name.isupper() else "Group")
        if added:
            options.append(added)
    options = [o for o in options if fold(o) != fold(name)]
    return rng.choice(options) if options else None


_ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd"}


def ordinal_word(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else _ORDINAL_SUFFIX.get(n % 10, "th")
    return f"{n}{suffix}"


def ordinal(name: str, party: Party, rng: random.Random) -> str | None:
    options = []
    m = re.search(
        r"\b(\d+)(st|nd|rd|th)\s+([A-Za-z][A-Za-z ]*?(Institute|Academy|Factory|Plant|"
        r"Center|Centre|Bureau|Shipyard|Department|Division|Brigade|Regiment|Office|"
        r"Laboratory|Scientific Center|Research Institute))\b",
        name,
        re.IGNORECASE,
    )
    if m:
        n, noun = m.group(1), m.group(3)
        for new in (f"No. {n} {noun}", f"{noun} No. {n}", f"{noun} {n}", f"{n} {noun}"):
            options.append(name[: m.start()] + new + name[m.end() :])
    m = re.search(r"\bNo\.?\s?(\d+)\s+([A-Za-z][A-Za-z ]*)", name)
    if m:
        options.append(
            name[: m.start()] + f"{ordinal_word(int(m.group(1)))} {m.group(2)}" + name[m.end() :]
        )
    m = re.search(
        r"\b(Institute|Factory|Plant|Academy|Center|Centre|Bureau)\s+(?:No\.?\s?)?(\d+)\b",
        name,
        re.IGNORECASE,
    )
    if m:
        options.append(
            name[: m.start()] + f"{ordinal_word(int(m.group(2)))} {m.group(1)}" + name[m.end() :]
        )
        options.append(name[: m.start()] + f"{m.group(1)} No. {m.group(2)}" + name[m.end() :])
    for i, word in enumerate(WORD_ORDINALS, start=1):
        m = re.search(r"\b" + word + r"\b", name, re.IGNORECASE)
        if m:
            options.append(name[: m.start()] + ordinal_word(i) + name[m.end() :])
    m = re.search(r"\b(\d+)(st|nd|rd|th)\b", name, re.IGNORECASE)
    if m and 1 <= int(m.group(1)) <= 10:
        word = WORD_ORDINALS[int(m.group(1)) - 1]
        options.append(
            name[: m.start()] + (word.upper() if name.isupper() else word) + name[m.end() :]
        )
    options = [o for o in dict.fromkeys(options) if fold(o) != fold(name)]
    return rng.choice(options) if options else None


_ROMAN = {
    1: "I",
    2: "II",
    3: "III",
    4: "IV",
    5: "V",
    6: "VI",
    7: "VII",
    8: "VIII",
    9: "IX",
    10: "X",
}
_ARABIC = {v: k for k, v in _ROMAN.items()}


def vessel_form(name: str, party: Party, rng: random.Random) -> str | None:
    if party.schema != "Vessel":
        return None
    options = []
    m = re.match(r"^(M/?V|M\.V\.|MT|M/T)\s+(.+)$", name, re.IGNORECASE)
    if m:
        options.append(m.group(2))
    else:
        tanker = (
            "tank" in (party.entry.vessel.vessel_type or "").lower()
            if party.entry.vessel
            else False
        )
        prefixes = ["MV", "M/V", "M.V.", "MV."] + (["MT", "M/T"] if tanker else [])
        options.append(f"{rng.choice(prefixes)} {name}")
        options.append(f"{rng.choice(prefixes)} {name}")
    m = re.search(r"\s(\d{1,2})$", name)
    if m and 1 <= int(m.group(1)) <= 10:
        options.append(name[: m.start()] + " " + _ROMAN[int(m.group(1))])
    m = re.search(r"\s([IVX]{1,4})$", name)
    if m and m.group(1) in _ARABIC:
        options.append(name[: m.start()] + " " + str(_ARABIC[m.group(1)]))
    m = re.search(r"\s(\d{3,})$", name)
    if m:
        options.append(name[: m.start()] + " No. " + m.group(1))
        options.append(name[: m.start()] + " NO." + m.group(1))
    options = [o for o in dict.fromkeys(options) if o != name]
    return rng.choice(options) if options else None


# -- generators -------------------------------------------------------------------------------


def shuffled(items: Iterable[Party], rng: random.Random) -> list[Party]:
    out = list(items)
    rng.shuffle(out)
    return out


def pick_name(p: Party, rng: random.Random) -> str:
    if len(p.names) == 1 or rng.random() < 0.6:
        return p.names[0]
    return rng.choice(p.names[1:])


def gen_variants(
    corpus: Corpus,
    pairs: Pairs,
    rng: random.Random,
    origin: str,
    transform: Transform,
    schemas: tuple[str, ...],
) -> None:
    for p in shuffled((p for p in corpus.parties if p.schema in schemas), rng):
        if pairs.full(origin):
            return
        listed = pick_name(p, rng)
        query = transform(listed, p, rng)
        if not query:
            continue
        if origin != "case_punct":
            query = restyle(query, rng)
        query = tidy(query)
        if fold(query) == fold(listed) and origin != "case_punct":
            continue
        if not corpus.ok_positive(query, p):
            continue
        pairs.add(p.schema, query, listed, True, origin, p.group)


def is_acronym_of(short: str, long: str) -> bool:
    s = re.sub(r"[^A-Za-z0-9]", "", short)
    if not (2 <= len(s) <= 8 and short.replace(".", "").replace("-", "").isupper()):
        return False
    initials = "".join(t[0] for t in words(long) if t not in STOP and t not in LEGAL_WORDS)
    return bool(initials) and s.lower() in {initials, initials[: len(s)]} and len(s) >= 2


def gen_alias(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    for p in shuffled(corpus.parties, rng):
        if len(p.names) < 2:
            continue
        primary = p.names[0]
        others = list(p.names[1:])
        rng.shuffle(others)
        for alias in others[:3]:
            if fold(alias) == fold(primary):
                continue
            if is_acronym_of(alias, primary) or is_acronym_of(primary, alias):
                origin = "acronym"
            else:
                similar = fuzz.token_set_ratio(fold(alias), fold(primary))
                shared = set(legal_free(words(alias))) & set(legal_free(words(primary)))
                rare = [
                    t
                    for t in shared
                    if t not in STOP
                    and t not in PARTICLES
                    and len(t) >= 3
                    and corpus.vocab[t] <= 60
                ]
                origin = (
                    "alias"
                    if similar >= 60
                    or any(distinctive(t) for t in shared)
                    or (p.schema == "Person" and rare)
                    else "alias_far"
                )
            if len(alias) < 3 and origin != "acronym":
                continue
            if rng.random() < 0.5:
                pairs.add(p.schema, alias, primary, True, origin, p.group)
            else:
                pairs.add(p.schema, primary, alias, True, origin, p.group)
        if pairs.full("alias") and pairs.full("alias_far"):
            return


def gen_acronym(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    pattern = re.compile(r"\s*\(([A-Z][A-Z0-9&.\-]{1,9})\)")
    for p in shuffled((p for p in corpus.parties if p.schema in ORG_SCHEMAS), rng):
        if pairs.full("acronym"):
            return
        for name in p.names:
            m = pattern.search(name)
            if not m:
                continue
            acr = m.group(1)
            rest = tidy(name[: m.start()] + name[m.end() :])
            if not rest or len(words(rest)) < 2 or not corpus.acronym_ok(acr, rest):
                continue
            choice = rng.random()
            if choice < 0.45 and corpus.ok_positive(acr, p):
                pairs.add(p.schema, acr, name, True, "acronym", p.group)
            elif choice < 0.7:
                pairs.add(p.schema, restyle(rest, rng), name, True, "acronym", p.group)
            elif corpus.ok_positive(acr, p):
                pairs.add(p.schema, acr, rest, True, "acronym", p.group)
            break


def romanised(name: str) -> str:
    """A crude Latin key for cross-script comparison: anyascii, vowels after a word's first dropped."""
    plain = " ".join(re.sub(r"[^a-z ]", " ", anyascii(name).lower()).split())
    return " ".join(w[0] + re.sub(r"[aeiouyw]", "", w[1:]) for w in plain.split())


def xscript_similarity(foreign: str, latin: str) -> float:
    plain = " ".join(re.sub(r"[^a-z ]", " ", anyascii(foreign).lower()).split())
    return max(
        fuzz.token_set_ratio(romanised(foreign), romanised(latin)),
        fuzz.token_set_ratio(plain, fold(latin)),
    )


def gen_xscript(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    """The lists' own original-script names against the Latin names they render.

    A list gives one original-script form per entry, not per alias: it is paired with the Latin
    names it resembles once romanised (alias_far when none does). Chinese names are translations,
    not transliterations, and are paired with the primary name.
    """
    for p in shuffled((p for p in corpus.parties if p.foreign), rng):
        for name, script in p.foreign:
            if script == "Han":
                latin = [p.names[0]]
                origin = "alias_xscript"
            else:
                scored = sorted(
                    ((xscript_similarity(name, n), n) for n in p.names), key=lambda x: (-x[0], x[1])
                )
                latin = [n for score, n in scored[:2] if score >= 50 and score >= scored[0][0] - 10]
                origin = "alias_xscript"
                if not latin:
                    latin, origin = [scored[0][1]], "alias_far"
            for listed in latin:
                if rng.random() < 0.5:
                    pairs.add(p.schema, name, listed, True, origin, p.group)
                else:
                    pairs.add(p.schema, listed, name, True, origin, p.group)


def gen_combo(
    corpus: Corpus, pairs: Pairs, rng: random.Random, transforms: dict[str, Transform]
) -> None:
    person = ["reorder", "drop_middle", "initials", "typo", "translit", "space_hyphen"]
    org = ["legal_form", "abbrev", "typo", "generic_word", "reorder", "space_hyphen", "translit"]
    for p in shuffled(corpus.parties, rng):
        if pairs.full("combo"):
            return
        names = (
            person
            if p.schema == "Person"
            else org
            if p.schema in ORG_SCHEMAS
            else ["vessel_form", "typo", "space_hyphen"]
        )
        first, second = rng.sample(names, 2)
        if {first, second} == {"drop_middle", "initials"}:
            continue
        listed = pick_name(p, rng)
        a = transforms[first](listed, p, rng)
        if not a:
            continue
        b = transforms[second](a, p, rng)
        if not b or fold(b) == fold(a):
            continue
        query = tidy(restyle(b, rng))
        if fold(query) != fold(listed) and corpus.ok_positive(query, p):
            pairs.add(p.schema, query, listed, True, "combo", p.group)


# -- negatives --------------------------------------------------------------------------------


class NeighbourIndex:
    """Latin names of one source (one list for the CSL), by token, for nearest-neighbour search."""

    def __init__(self, corpus: Corpus) -> None:
        self.names: list[tuple[str, Party]] = []
        self.folded: list[str] = []
        self.postings: dict[tuple[str, str], list[int]] = defaultdict(list)
        for p in corpus.parties:
            for n in p.names:
                i = len(self.names)
                self.names.append((n, p))
                self.folded.append(" ".join(legal_free(words(n))))
                for t in dict.fromkeys(words(n)):
                    self.postings[(self.bucket(p), t)].append(i)

    @staticmethod
    def bucket(p: Party) -> str:
        if p.entry.source == "us_csl":
            return "us_csl:" + ",".join(sorted(p.entry.lists))
        return p.entry.source

    def compatible(self, a: Party, b: Party) -> bool:
        if a.schema == b.schema:
            return True
        return a.schema in ORG_SCHEMAS and b.schema in ORG_SCHEMAS

    def nearest(self, query: str, anchor: Party, k: int = 3) -> list[tuple[float, str, Party]]:
        bucket = self.bucket(anchor)
        tokens = list(dict.fromkeys(words(query)))
        candidates: set[int] = set()
        for t in tokens:
            post = self.postings.get((bucket, t), [])
            if len(post) <= 400:
                candidates.update(post)
        if not candidates:
            return []
        ordered = sorted(candidates)
        q = " ".join(legal_free(words(query)))
        found = process.extract(
            q, [self.folded[i] for i in ordered], scorer=fuzz.token_set_ratio, limit=40
        )
        out: list[tuple[float, str, Party]] = []
        seen_groups = {anchor.group}
        for _, score, j in found:
            name, party = self.names[ordered[j]]
            if party.group in seen_groups or not self.compatible(anchor, party):
                continue
            blended = 0.5 * score + 0.5 * fuzz.ratio(q, self.folded[ordered[j]])
            out.append((blended, name, party))
            seen_groups.add(party.group)
        out.sort(key=lambda x: (-x[0], x[1]))
        return out[:k]


def gen_near(corpus: Corpus, index: NeighbourIndex, pairs: Pairs, rng: random.Random) -> None:
    very_close = 0
    for p in shuffled(corpus.parties, rng):
        if pairs.full("near_neighbour"):
            return
        query = pick_name(p, rng)
        found = index.nearest(query, p)
        if not found:
            continue
        pick = found[0] if rng.random() < 0.75 or len(found) == 1 else found[1]
        score, name, other = pick
        if score < 55:
            continue
        if score >= 95:
            if very_close >= QUOTA["near_neighbour"] * 0.08:
                continue
            very_close += 1
        if not corpus.ok_negative(query, other) or not corpus.ok_negative(name, p):
            continue
        pairs.add(p.schema, query, name, False, "near_neighbour", p.group)


def gen_xscript_near(
    corpus: Corpus, index: NeighbourIndex, pairs: Pairs, rng: random.Random
) -> None:
    for p in shuffled((p for p in corpus.parties if p.foreign or p.han_curated), rng):
        if pairs.full("xscript_near"):
            return
        found = index.nearest(p.names[0], p)
        if not found or found[0][0] < 50:
            continue
        _, name, _other = found[0]
        foreign = [f for f, _ in p.foreign] + p.han_curated
        pairs.add(p.schema, rng.choice(foreign), name, False, "xscript_near", p.group)


def within_typo(a: str, b: str) -> bool:
    """Two slips apart in words of five letters or more: a typo of one another as far as anyone
    can tell, so never a negative pair (the `typo` generator makes such pairs positive)."""
    return min(len(a), len(b)) >= 5 and OSA.distance(a, b, score_cutoff=2) <= 2


def similar_names(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    if fa == fb or skeleton(a) == skeleton(b) or within_typo(fa, fb):
        return True
    if fb.title() in TRANSLIT.get(fa, []) or fb in {x.lower() for x in TRANSLIT.get(fa, [])}:
        return True
    return fuzz.ratio(fa, fb) >= 88


def gen_swap_person(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    persons = [p for p in corpus.parties if p.schema == "Person"]
    parsed: list[tuple[Party, str, PersonName]] = []
    for p in persons:
        for n in p.names[:2]:
            pn = parse_person(n)
            if pn and pn.style in ("comma", "caps") and len(pn.given) >= 1:
                parsed.append((p, n, pn))
    given_pool = sorted(
        {
            pn.given[0]
            for _, _, pn in parsed
            if len(pn.given[0]) >= 3
            and pn.given[0].isalpha()
            and pn.given[0].lower() not in PARTICLES
        }
    )
    family_pool = sorted(
        {
            " ".join(pn.family)
            for _, _, pn in parsed
            if all(t.replace("-", "").isalpha() for t in pn.family)
        }
    )
    family_folded = [fold(f) for f in family_pool]
    rng.shuffle(parsed)
    for p, listed, pn in parsed:
        if pairs.full("swap_given") and pairs.full("swap_family"):
            return
        tokens = corpus.group_tokens[p.group]
        if rng.random() < 0.55 and not pairs.full("swap_given"):
            first = pn.given[0]
            if len(first) < 3 or not first.isalpha() or first.lower() in PARTICLES:
                continue
            same_letter = [g for g in given_pool if g[0].lower() == first[0].lower()]
            pool = same_letter if same_letter and rng.random() < 0.6 else given_pool
            for _ in range(8):
                new = rng.choice(pool)
                if similar_names(new, first) or fold(new) in tokens:
                    continue
                q = PersonName([same_case(first, new), *pn.given[1:]], pn.family, pn.style)
                query = restyle(q.render(rng), rng)
                if corpus.ok_negative(query, p):
                    pairs.add(p.schema, query, listed, False, "swap_given", p.group)
                break
        elif not pairs.full("swap_family"):
            fam = " ".join(pn.family)
            found = process.extract(fold(fam), family_folded, scorer=fuzz.ratio, limit=12)
            options = [
                family_pool[j]
                for _, score, j in found
                if 55 <= score < 90
                and not similar_names(family_pool[j], fam)
                and not set(words(family_pool[j])) <= tokens
            ]
            if not options:
                continue
            new = rng.choice(options[:6])
            q = PersonName(pn.given, [same_case(pn.family[0], new)], pn.style)
            query = restyle(q.render(rng), rng)
            if corpus.ok_negative(query, p):
                pairs.add(p.schema, query, listed, False, "swap_family", p.group)


_LINEAGE = re.compile(r"^(\S+)(\s+)(bin|ben|ibn|bint|ould|walad)(\s+)(\S+)\b", re.I)


def gen_swap_lineage(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    """'Salman bin Muhammad X' -> 'Muhammad bin Salman X': the father's name and the son's swapped
    around the particle that joins them, which names the father (or the son) instead."""
    persons = [p for p in corpus.parties if p.schema == "Person"]
    rng.shuffle(persons)
    for p in persons:
        if pairs.full("swap_lineage"):
            return
        for listed in p.names[:2]:
            found = _LINEAGE.match(listed)
            if not found or fold(found[1]) == fold(found[5]) or "," in listed:
                continue
            first, space, particle, space2, second = found.groups()
            query = f"{second}{space}{particle}{space2}{first}{listed[found.end() :]}"
            if corpus.ok_negative(query, p):
                pairs.add(p.schema, query, listed, False, "swap_lineage", p.group)
            break


_BRANCH = re.compile(r"\b(branch|office|representative|subsidiary|filial|division)\b", re.I)


def gen_swap_city(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    for p in shuffled((p for p in corpus.parties if p.schema in ORG_SCHEMAS), rng):
        if pairs.full("swap_city"):
            return
        listed = pick_name(p, rng)
        if _BRANCH.search(listed):
            continue
        m = CITY_RE.search(listed)
        if not m:
            continue
        city = m.group(0)
        country = CITY_COUNTRY.get(city.title()) or next(
            (cc for c, cc in CITY_COUNTRY.items() if c.lower() == city.lower()), None
        )
        if country is None:
            continue
        mentioned = {fold(c) for n in p.names for c in CITY_RE.findall(n)}
        choices = [c for c in CITIES[country] if fold(c) not in mentioned]
        if not choices:
            continue
        new = rng.choice(choices)
        new = new.upper() if city.isupper() else new
        query = listed[: m.start()] + new + listed[m.end() :]
        if corpus.ok_negative(query, p):
            pairs.add(p.schema, restyle(query, rng), listed, False, "swap_city", p.group)


def common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def gen_swap_token(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    by_prefix: dict[str, list[str]] = defaultdict(list)
    for token, count in sorted(corpus.vocab.items()):
        if distinctive(token) and 4 <= len(token) <= 12 and count <= 20:
            by_prefix[token[:3]].append(token)
            by_prefix[token[:2]].append(token)
    for p in shuffled((p for p in corpus.parties if p.schema in (*ORG_SCHEMAS, "Vessel")), rng):
        if pairs.full("swap_token"):
            return
        listed = pick_name(p, rng)
        spans = [
            m
            for m in re.finditer(r"\b[A-Za-z]{4,9}\b", listed)
            if distinctive(m.group(0).lower()) and corpus.vocab[m.group(0).lower()] <= 3
        ]
        if not spans:
            continue
        m = rng.choice(spans)
        word = m.group(0).lower()
        pool = by_prefix.get(word[:3], []) or by_prefix.get(word[:2], [])
        pool = [
            t
            for t in pool
            if t != word
            and not t.startswith(word)
            and not word.startswith(t)
            and not similar_names(t, word)
            and t not in corpus.group_tokens[p.group]
            and abs(len(t) - len(word)) <= 3
            and common_prefix(t, word) <= 4
        ]
        if not pool:
            continue
        new = same_case(m.group(0), rng.choice(pool))
        query = listed[: m.start()] + new + listed[m.end() :]
        if corpus.ok_negative(query, p):
            pairs.add(p.schema, restyle(query, rng), listed, False, "swap_token", p.group)


def gen_number(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    """A listed name with one number changed: labelled true, a series sibling to review (README:
    'Numbers')."""
    for p in shuffled((p for p in corpus.parties if p.schema != "Person"), rng):
        if pairs.full("number_change"):
            return
        for listed in p.names:
            bare = re.sub(r"\([^)]*\)", lambda x: " " * len(x.group(0)), listed)
            spans = list(re.finditer(r"\b(\d+)(st|nd|rd|th)?\b", bare))
            if not spans:
                continue
            m = rng.choice(spans)
            n = int(m.group(1))
            if len(re.findall(r"\b" + m.group(1) + r"\b", listed)) > 1:
                continue  # '711 Plant (711 ARZ)': the number is the name's, twice
            if len(m.group(1)) >= 5 or (1900 <= n <= 2030):
                continue
            delta = rng.choice([1, -1, 2, 10, -10, 3]) if n > 10 else rng.choice([1, 2, -1, 3])
            new_n = n + delta
            if new_n <= 0:
                new_n = n + 1
            width = len(m.group(1))
            digits = str(new_n).zfill(width) if m.group(1).startswith("0") else str(new_n)
            new = ordinal_word(new_n) if m.group(2) else digits
            if m.group(2) and m.group(2).isupper():
                new = new.upper()
            query = listed[: m.start()] + new + listed[m.end() :]
            if corpus.ok_negative(query, p):
                pairs.add(p.schema, restyle(query, rng), listed, True, "number_change", p.group)
            break


def gen_generic_overlap(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    buckets: dict[tuple[str, tuple[str, ...]], list[tuple[str, Party]]] = defaultdict(list)
    for p in corpus.parties:
        if p.schema not in ORG_SCHEMAS:
            continue
        for n in p.names[:2]:
            toks = legal_free(words(n))
            generic = tuple(sorted({t for t in toks if t in GENERIC and t not in STOP}))
            own = [t for t in toks if distinctive(t)]
            if len(generic) >= 2 and 1 <= len(own) <= 3:
                buckets[(NeighbourIndex.bucket(p), generic)].append((n, p))
    keys = sorted(k for k, v in buckets.items() if len({p.group for _, p in v}) >= 2)
    rng.shuffle(keys)
    rounds = 0
    while not pairs.full("generic_overlap") and keys and rounds < 4:
        rounds += 1
        for key in keys:
            if pairs.full("generic_overlap"):
                return
            members = buckets[key]
            a, b = rng.sample(members, 2)
            if a[1].group == b[1].group:
                continue
            own_a = {t for t in words(a[0]) if distinctive(t)}
            own_b = {t for t in words(b[0]) if distinctive(t)}
            if own_a & own_b or any(similar_names(x, y) for x in own_a for y in own_b):
                continue
            if corpus.ok_negative(a[0], b[1]):
                pairs.add(a[1].schema, a[0], b[0], False, "generic_overlap", a[1].group)


def gen_contained(corpus: Corpus, index: NeighbourIndex, pairs: Pairs, rng: random.Random) -> None:
    """A listed sub-unit against its listed parent (or any listed name inside another's name)."""
    for p in shuffled((p for p in corpus.parties if p.schema in ORG_SCHEMAS), rng):
        if pairs.full("contained"):
            return
        long_name = pick_name(p, rng)
        long_tokens = legal_free(words(long_name))
        if len(long_tokens) < 3:
            continue
        rare = sorted(long_tokens, key=lambda t: corpus.vocab[t])
        bucket = index.bucket(p)
        seen: set[int] = set()
        options = []
        for t in rare[:3]:
            for i in index.postings.get((bucket, t), []):
                if i in seen:
                    continue
                seen.add(i)
                name, other = index.names[i]
                if other.group == p.group or not index.compatible(p, other):
                    continue
                short = legal_free(words(name))
                extra = set(long_tokens) - set(short)
                if (
                    2 <= len(short) < len(long_tokens)
                    and set(short) < set(long_tokens)
                    and any(distinctive(x) for x in short)
                    and any(
                        x.isdigit() or x in CITY_WORDS or (distinctive(x) and corpus.vocab[x] <= 50)
                        for x in extra
                    )
                ):
                    options.append((name, other))
        if not options:
            continue
        name, other = rng.choice(sorted(options, key=lambda x: x[0]))
        if not corpus.ok_negative(name, p) or not corpus.ok_negative(long_name, other):
            continue
        if rng.random() < 0.5:
            pairs.add(p.schema, name, long_name, False, "contained", p.group)
        else:
            pairs.add(p.schema, long_name, name, False, "contained", p.group)


def gen_extra_token(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    """A company name with a city or a business word added: another business."""
    for p in shuffled((p for p in corpus.parties if p.schema in ORG_SCHEMAS), rng):
        if pairs.full("extra_token"):
            return
        listed = pick_name(p, rng)
        tokens = set(words(listed))
        if _BRANCH.search(listed) or len(tokens) < 2 or not company_like(listed):
            continue
        if not (tokens & (BUSINESS | LEGAL_WORDS) or _legal_suffix(listed, p)):
            continue  # not recognisably a company (perhaps a person listed without a schema)
        upper = listed.isupper()
        address_cities = {fold(a.city) for a in p.entry.addresses if a.city}
        address_cities |= {fold(c) for a in p.entry.addresses for c in CITY_RE.findall(a.full)}
        countries = sorted(p.country & set(CITIES))
        query: str | None
        if countries and not CITY_RE.search(listed) and rng.random() < 0.45:
            cities = [c for c in CITIES[rng.choice(countries)] if fold(c) not in address_cities]
            if not cities:
                continue
            city = rng.choice(cities)
            city = city.upper() if upper else city
            found = _legal_suffix(listed, p)
            query = f"{listed} {city}" if found and not found.suffix else f"{city} {listed}"
        else:
            word = rng.choice(DESCRIPTORS)
            word = word.upper() if upper else word
            if set(words(word)) & corpus.group_tokens[p.group]:
                continue
            query = insert_before_form(listed, p, word)
        if query and corpus.ok_negative(query, p) and not corpus.groups_named(query):
            pairs.add(p.schema, restyle(query, rng), listed, False, "extra_token", p.group)


SWAPPABLE_BUSINESS = sorted(
    (BUSINESS | {fold(d) for d in DESCRIPTORS if "-" not in d}) - NEUTRAL - {"trade", "exchange"}
)


def gen_swap_business(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    """A company name with its business word replaced by another (`BAE Systems` -> `BAE
    Industries`, `X Petroleum Corporation` -> `X Pipeline Corporation`): another business."""
    for p in shuffled((p for p in corpus.parties if p.schema in ORG_SCHEMAS), rng):
        if pairs.full("swap_business"):
            return
        listed = pick_name(p, rng)
        if _BRANCH.search(listed) or not company_like(listed):
            continue
        spans = [
            m
            for m in re.finditer(r"[A-Za-z]+", listed)
            if fold(m.group(0)) in BUSINESS - {"import", "export"}
        ]
        others = [w for w in words(listed) if w not in GENERIC and w not in LEGAL_WORDS]
        if not spans or not others:
            continue  # the business word must not be all the name has
        m = rng.choice(spans)
        old = fold(m.group(0))
        choices = [
            w
            for w in SWAPPABLE_BUSINESS
            if w not in corpus.group_tokens[p.group] and w[:4] != old[:4]
        ]
        new = same_case(m.group(0), rng.choice(choices))
        query = listed[: m.start()] + new + listed[m.end() :]
        if corpus.ok_negative(query, p) and not corpus.groups_named(query):
            pairs.add(p.schema, restyle(query, rng), listed, False, "swap_business", p.group)


_PATRONYMIC = re.compile(r"\b[A-Za-z]+(?:ovich|evich|ovna|evna)\b", re.I)


def gen_swap_patronymic(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    """`Sergey Viktorovich Lavrov` -> `Sergey Ivanovich Lavrov`: another father's son, another
    person (the patronymic taken from another listed person, of the same gender)."""
    persons = [p for p in corpus.parties if p.schema == "Person"]
    pool = sorted({fold(m) for p in persons for n in p.names for m in _PATRONYMIC.findall(n)})
    for p in shuffled(persons, rng):
        if pairs.full("swap_patronymic"):
            return
        listed = pick_name(p, rng)
        found = list(_PATRONYMIC.finditer(listed))
        if len(found) != 1 or len(words(listed)) < 3:
            continue
        old = fold(found[0].group(0))
        female = old.endswith("na")
        choices = [
            w
            for w in pool
            if w.endswith("na") == female and w[:4] != old[:4] and not similar_names(w, old)
        ]
        if not choices:
            continue
        new = same_case(found[0].group(0), rng.choice(choices))
        query = listed[: found[0].start()] + new + listed[found[0].end() :]
        if corpus.ok_negative(query, p):
            pairs.add(p.schema, restyle(query, rng), listed, False, "swap_patronymic", p.group)


def gen_random(corpus: Corpus, pairs: Pairs, rng: random.Random) -> None:
    by_schema: dict[str, list[Party]] = defaultdict(list)
    for p in corpus.parties:
        by_schema[p.schema].append(p)
    weights = {"Person": 0.45, "Organization": 0.3, "LegalEntity": 0.15, "Vessel": 0.1}
    schemas = sorted(weights)
    while not pairs.full("random"):
        schema = rng.choices(schemas, [weights[s] for s in schemas])[0]
        a, b = rng.sample(by_schema[schema], 2)
        if a.group == b.group:
            continue
        pairs.add(
            schema, restyle(pick_name(a, rng), rng), pick_name(b, rng), False, "random", a.group
        )


# -- Chinese script ---------------------------------------------------------------------------

_S2T = opencc.OpenCC("s2t")
_T2S = opencc.OpenCC("t2s")


def han_strip_legal(name: str) -> str | None:
    for form in HAN_LEGAL:
        if name.endswith(form) and len(name) - len(form) >= 2:
            return name[: -len(form)]
    return None


def han_place(name: str) -> tuple[str, str] | None:
    """(place prefix, rest) for a company name that starts with a province or city."""
    if not name.endswith("公司"):
        return None  # in a university's or institute's name the place is the name
    for place in sorted(HAN_PLACES, key=len, reverse=True):
        for suffix in ("省", "市", ""):
            if name.startswith(place + suffix) and len(name) - len(place + suffix) >= 4:
                return place + suffix, name[len(place + suffix) :]
    return None


def han_changed(name: str, rng: random.Random) -> str | None:
    """One character of the name's own (non-generic, non-place, non-legal) part replaced."""
    body = han_strip_legal(name) or name
    masked = [False] * len(name)
    for word in [*HAN_GENERIC, *HAN_PLACES, "省", "市"]:
        for m in re.finditer(re.escape(word), body):
            for i in range(m.start(), m.end()):
                masked[i] = True
    free = [i for i in range(len(body)) if not masked[i] and _HAN.match(name[i])]
    if not free:
        return None
    i = rng.choice(free)
    filler = rng.choice([c for c in HAN_FILLER if c != name[i]])
    return name[:i] + filler + name[i + 1 :]


def gen_han(corpus: Corpus, index: NeighbourIndex, pairs: Pairs, rng: random.Random) -> None:
    """Chinese names (the curated table, and variants of the lists' own) against Latin names."""
    parties = [p for p in corpus.parties if p.han_curated or any(s == "Han" for _, s in p.foreign)]
    han_all = sorted(
        {h for p in parties for h in [*p.han_curated, *(f for f, s in p.foreign if s == "Han")]}
    )
    for p in parties:
        curated = p.han_curated
        listed_han = [f for f, s in p.foreign if s == "Han"]
        for han in [*curated, *listed_han]:
            simplified = _T2S.convert(han)
            variants = [han] if han in curated else []
            variants.append(_S2T.convert(han) if simplified == han else simplified)
            stripped = han_strip_legal(simplified)
            if stripped:
                variants.append(stripped)
            placed = han_place(simplified)
            if placed:
                variants.append(placed[1])
            if han in p.han_anchor:  # only the Latin names of the organisation the table names
                anchor = p.han_anchor[han]
                latin = [
                    n
                    for n in p.names
                    if n == anchor or fuzz.token_set_ratio(core(n), core(anchor)) >= 70
                ]
            else:
                latin = [p.names[0], *rng.sample(p.names[1:], min(2, len(p.names) - 1))]
            for v in dict.fromkeys(variants):
                if v == han and han in listed_han:
                    continue  # the list's own alias: an alias_xscript pair already
                pairs.add(p.schema, v, rng.choice(latin), True, "han_curated", p.group)
                if rng.random() < 0.3:
                    pairs.add(p.schema, rng.choice(latin), v, True, "han_curated", p.group)
            # negatives: another place, one character of the name changed, a listed neighbour
            if placed:
                others = [x for x in HAN_PLACES if not placed[0].startswith(x)]
                pairs.add(
                    p.schema,
                    rng.choice(others) + placed[1],
                    p.names[0],
                    False,
                    "han_negative",
                    p.group,
                )
            changed = han_changed(simplified, rng)
            if changed:
                pairs.add(p.schema, changed, rng.choice(latin), False, "han_negative", p.group)
            found = index.nearest(p.names[0], p)
            if found:
                pairs.add(p.schema, han, found[0][1], False, "han_negative", p.group)
            other_han = [h for h in han_all if h not in curated and h not in listed_han]
            if other_han:
                best = max(other_han, key=lambda h: (fuzz.ratio(h, han), h))
                pairs.add(p.schema, best, han, False, "han_negative", p.group)


# -- main -------------------------------------------------------------------------------------


def build(log: Callable[[str], None]) -> list[Pair]:
    rng = random.Random(SEED)
    entries = load_entries(log)
    parties = [p for p in (party_of(e) for e in entries) if p is not None]
    assign_groups(parties, [e for e in entries if OUT_SCHEMA.get(e.schema_)])
    attached = 0
    for p in parties:
        if p.schema not in ORG_SCHEMAS:
            continue
        for n in p.names:
            han = HAN_NAMES.get(fold(n))
            if han and han not in p.han_curated:
                p.han_curated.append(han)
                p.han_anchor[han] = n
                attached += 1
    log(
        f"  {len(parties)} parties in {len({p.group for p in parties})} groups; "
        f"{attached} curated Chinese names attached"
    )
    corpus = Corpus(parties)
    index = NeighbourIndex(corpus)
    pairs = Pairs()
    transforms: dict[str, Transform] = {
        "reorder": reorder,
        "drop_middle": drop_middle,
        "initials": initials,
        "typo": make_typo(corpus),
        "case_punct": case_punct,
        "space_hyphen": make_space_hyphen(corpus),
        "legal_form": legal_form,
        "abbrev": abbreviate,
        "generic_word": generic_word,
        "ordinal": ordinal,
        "translit": make_translit(),
        "vessel_form": vessel_form,
    }
    everyone = ("Person", *ORG_SCHEMAS, "Vessel")
    steps: list[tuple[str, Callable[[], None]]] = [
        ("alias_xscript", lambda: gen_xscript(corpus, pairs, rng)),
        ("alias", lambda: gen_alias(corpus, pairs, rng)),
        ("acronym", lambda: gen_acronym(corpus, pairs, rng)),
        ("han", lambda: gen_han(corpus, index, pairs, rng)),
    ]
    schemas_of = {
        "reorder": ("Person", *ORG_SCHEMAS),
        "drop_middle": ("Person",),
        "initials": ("Person",),
        "typo": everyone,
        "case_punct": everyone,
        "space_hyphen": everyone,
        "legal_form": ORG_SCHEMAS,
        "abbrev": ORG_SCHEMAS,
        "generic_word": ORG_SCHEMAS,
        "ordinal": (*ORG_SCHEMAS, "Vessel"),
        "translit": ("Person", *ORG_SCHEMAS),
        "vessel_form": ("Vessel",),
    }
    for origin, transform in transforms.items():
        steps.append(
            (
                origin,
                lambda o=origin, t=transform: gen_variants(corpus, pairs, rng, o, t, schemas_of[o]),
            )
        )
    steps += [
        ("combo", lambda: gen_combo(corpus, pairs, rng, transforms)),
        ("near_neighbour", lambda: gen_near(corpus, index, pairs, rng)),
        ("xscript_near", lambda: gen_xscript_near(corpus, index, pairs, rng)),
        ("swap_person", lambda: gen_swap_person(corpus, pairs, rng)),
        ("swap_lineage", lambda: gen_swap_lineage(corpus, pairs, rng)),
        ("swap_city", lambda: gen_swap_city(corpus, pairs, rng)),
        ("swap_token", lambda: gen_swap_token(corpus, pairs, rng)),
        ("number_change", lambda: gen_number(corpus, pairs, rng)),
        ("generic_overlap", lambda: gen_generic_overlap(corpus, pairs, rng)),
        ("contained", lambda: gen_contained(corpus, index, pairs, rng)),
        ("extra_token", lambda: gen_extra_token(corpus, pairs, rng)),
        ("swap_business", lambda: gen_swap_business(corpus, pairs, rng)),
        ("swap_patronymic", lambda: gen_swap_patronymic(corpus, pairs, rng)),
        ("random", lambda: gen_random(corpus, pairs, rng)),
    ]
    for label, step in steps:
        started = time.perf_counter()
        step()
        log(f"  {label}: {time.perf_counter() - started:.1f}s")
    return resolve_conflicts(pairs.rows, log)


def resolve_conflicts(rows: list[Pair], log: Callable[[str], None]) -> list[Pair]:
    """Drop every pair whose folded names also occur with the other label."""
    labels: dict[tuple[str, str], set[bool]] = defaultdict(set)
    for r in rows:
        labels[(fold(r.name1), fold(r.name2))].add(r.is_match)
        labels[(fold(r.name2), fold(r.name1))].add(r.is_match)
    kept = [r for r in rows if len(labels[(fold(r.name1), fold(r.name2))]) == 1]
    if len(kept) != len(rows):
        log(f"  dropped {len(rows) - len(kept)} pairs whose names occur with both labels")
    return kept


def validate(rows: list[Pair]) -> None:
    """The file's promises: non-empty realistic names, known schemas, one label per name pair."""
    problems = []
    seen: dict[tuple[str, str], bool] = {}
    for r in rows:
        for name in (r.name1, r.name2):
            if not name.strip() or len(name) > 200 or re.search(r"[\x00-\x1f\x7f-\x9f]", name):
                problems.append(f"bad name {name!r} ({r.origin})")
        if r.schema not in OUT_SCHEMA.values():
            problems.append(f"bad schema {r.schema} ({r.origin})")
        if r.name1 == r.name2:
            problems.append(f"identical names {r.name1!r} ({r.origin})")
        key = (fold(r.name1), fold(r.name2))
        if seen.setdefault(key, r.is_match) != r.is_match:
            problems.append(f"both labels for {key}")
        if not r.is_match and key[0] == key[1]:
            problems.append(f"negative with equal names {key}")
    if problems:
        raise SystemExit("invalid pairs:\n" + "\n".join(problems[:20]))


def write(rows: list[Pair], path: Path) -> None:
    rng = random.Random(SEED + 1)
    rows = sorted(rows, key=lambda r: (r.origin, r.group, r.name1, r.name2))
    rng.shuffle(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["pair_id", "schema", "name1", "name2", "is_match", "origin", "group"])
        for i, r in enumerate(rows, start=1):
            out.writerow(
                [
                    f"dev-{i:05d}",
                    r.schema,
                    r.name1,
                    r.name2,
                    "true" if r.is_match else "false",
                    r.origin,
                    r.group,
                ]
            )


def update_readme(table: str, path: Path) -> None:
    """Put the counts table between the README's counts markers, when the README has them."""
    if not path.is_file():
        return
    text = path.read_text("utf-8")
    start, end = "<!-- counts:start -->", "<!-- counts:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        path.write_text(f"{head}{start}\n{table}\n{end}{tail}", "utf-8")


def summary(rows: list[Pair]) -> str:
    schemas = ["Person", "Organization", "LegalEntity", "Vessel"]
    counts: Counter[tuple[str, bool, str]] = Counter((r.origin, r.is_match, r.schema) for r in rows)
    origins = sorted({(not r.is_match, r.origin) for r in rows})
    lines = [
        "| origin | label | " + " | ".join(schemas) + " | total |",
        "|---|---|" + "---:|" * (len(schemas) + 1),
    ]
    for negative, origin in origins:
        label = not negative
        cells = [counts[(origin, label, s)] for s in schemas]
        lines.append(
            f"| {origin} | {'true' if label else 'false'} | "
            + " | ".join(str(c) for c in cells)
            + f" | {sum(cells)} |"
        )
    for label in (True, False):
        cells = [
            sum(v for (o, lab, s), v in counts.items() if lab == label and s == sch)
            for sch in schemas
        ]
        lines.append(
            f"| **all** | **{'true' if label else 'false'}** | "
            + " | ".join(str(c) for c in cells)
            + f" | **{sum(cells)}** |"
        )
    lines.append(
        f"\n{len(rows)} pairs ({sum(r.is_match for r in rows)} true) "
        f"in {len({r.group for r in rows})} groups."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--sample", type=int, default=0, help="print N random pairs to check")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    log("loading bundled entries")
    rows = build(log)
    validate(rows)
    write(rows, args.out)
    table = summary(rows)
    if args.out == OUT:
        update_readme(table, OUT.parent / "README.md")
    print(table)
    print(f"\nwrote {args.out} in {time.perf_counter() - started:.0f}s")
    if args.sample:
        for r in random.Random().sample(rows, min(args.sample, len(rows))):
            print(
                f"{r.origin:16} {'T' if r.is_match else 'F'} {r.schema:12} "
                f"{r.name1!r:60} | {r.name2!r}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
