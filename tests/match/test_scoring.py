"""The token-assignment scorer: order-insensitive, rarity-weighted, strict about what differs."""

from __future__ import annotations

import pytest

from interlock.match import scoring
from interlock.match.scoring import (
    ANY_SLIPS,
    KIND_CONFLICT,
    NAME_SLIPS,
    PHONETIC,
    Comparison,
    abjad_spelling,
    compare,
    sound_slips,
    text_similarity,
)
from interlock.names.analysis import analyze
from interlock.names.forms import ANY, ORGANIZATION, PERSON, Kind, Token

COMMON = {"institute": 0.3, "science": 0.4, "china": 0.3, "company": 0.2, "limited": 0.1}


def _rarity(text: str) -> float:
    return COMMON.get(text, 1.0)


def _whole(comparison: Comparison) -> bool:
    """Every word of both names paired."""
    return not comparison.unmatched_query and not comparison.unmatched_candidate


def _compare(query: str, candidate: str, reading: str = ANY) -> Comparison:
    best = None
    for q in analyze(query, reading).forms:
        for c in analyze(candidate, reading).forms:
            result = compare(q, c, _rarity)
            if best is None or result.similarity > best.similarity:
                best = result
    assert best is not None
    return best


LISTED = "Ministry of Public Security's Institute of Forensic Science of China"


def test_reordered_organisation_name_aligns_completely() -> None:
    result = _compare(
        "Institute of Forensic Science of the Ministry of Public Security of China", LISTED
    )
    assert result.features.all_exact == 1.0
    assert _whole(result)


def test_acronym_stands_for_a_run_of_words() -> None:
    result = _compare("MPS Institute of Forensic Science", LISTED)
    acronyms = [p for p in result.pairs if p.how == "acronym"]
    assert [(p.query, p.candidate) for p in acronyms] == [("mps", "ministry public security")]
    assert result.features.query_missing == 0.0


def test_an_acronym_may_leave_out_a_generic_word_inside_its_run(scorer_core: str) -> None:
    """CETC is China Electronics Technology Group Corporation without Group; only a generic
    word is left out, and only inside the run, which still starts and ends on a letter."""
    listed = "China Electronics Technology Group Corporation 54th Research Institute"
    cetc = _compare("CETC 54th Research Institute", listed, ORGANIZATION)
    acronyms = [(p.query, p.candidate) for p in cetc.pairs if p.how == "acronym"]
    assert acronyms == [("cetc", "china electronics technology company")]
    assert cetc.unmatched_query == () and cetc.unmatched_candidate == ("group",)
    # a distinctive word is never left out: Electronics is no generic word
    skipped = _compare("CTGC", "China Technology Electronics Group Corporation", ORGANIZATION)
    assert not [p for p in skipped.pairs if p.how == "acronym"]


def test_two_letters_alone_spell_no_name(scorer_core: str) -> None:
    """Most pairs of letters are the initials of some listed name ('BH Holdings' / 'Boko
    Haram'): two letters are an acronym only beside a distinctive word or a longer acronym that
    pairs too; a legal form or a generic word that pairs says nothing of who it is."""
    for query, listed in (
        ("BH Holdings", "Boko Haram"),
        ("NS Company Limited", "Nationwide Shipping Ltd"),
        ("TS ITC", "Tempo Star International Trading Company"),  # 'itc' spells no telling word
    ):
        alone = _compare(query, listed, ORGANIZATION)
        assert "ts" not in [p.query for p in alone.pairs if p.how == "acronym"], query
    for query, listed, expected in (
        ("IRGC QF", "Islamic Revolutionary Guard Corps Quds Force", ["irgc", "qf"]),
        ("Ural KT", "Ural Kama Tractors", ["kt"]),
        ("BM Iran", "Bank Melli Iran", ["bm"]),  # a place that pairs tells too
        ("BTS", "Bonyad Taavon Sepah", ["bts"]),  # three letters may stand alone
    ):
        paired = _compare(query, listed, ORGANIZATION)
        assert [p.query for p in paired.pairs if p.how == "acronym"] == expected, query
        assert _whole(paired), query


def test_a_short_word_meets_another_by_sound_a_few_slips_away_only(scorer_core: str) -> None:
    """The metaphone key of a word of four letters or fewer is two or three consonants: 'sbk'
    and 'sbig' share one, as do 'swkk' and 'saig'; 'day' and 'dey' differ by a letter. Short names are spelt
    apart as they sound, a name's other spellings near it ('Yip' / 'Yeap'), and a word an abjad
    wrote has no vowels to tell by ('syf' / 'saif'): their keys count as before."""
    for query, listed in (
        ("SBK Holdings", "SBIG Holdings"),
        ("KNG Industries", "KNIC Industries"),
        ("SWKK International", "SAIG International"),
        ("PDD Group", "PAD Group"),  # one slip apart, but 'pdd' is initials, not a word
    ):
        apart = _compare(query, listed, ORGANIZATION)
        assert not [p for p in apart.pairs if p.how == "phonetic"], query
    # a listed nickname (a name the name groups know) and initials three slips from it
    for query, listed in (("GLI Group", "GALLO"), ("ODH Technology", "OTTO")):
        apart = _compare(query, listed, ANY)
        assert not [p for p in apart.pairs if p.how == "phonetic"], query
    near = _compare("DAY BANK", "DEY BANK", ORGANIZATION)
    assert [(p.query, p.candidate) for p in near.pairs if p.how == "phonetic"] == [("day", "dey")]
    for query, listed, pair in (
        ("Yip Kam Wah", "Yeap Kam Wah", ("yip", "yeap")),  # names the name groups know
        ("ALI, Aous", "ALI, Aws", ("aous", "aws")),
        ("Saif Mashhadani", "سيف المشهداني", ("saif", "syf")),  # and a word an abjad wrote
    ):
        named = _compare(query, listed, PERSON)
        assert pair in [(p.query, p.candidate) for p in named.pairs], query


def test_how_far_apart_short_words_may_be_spelt_to_meet_by_sound() -> None:
    """Two names, or a word an abjad wrote: by sound alone; a name and another word: within
    NAME_SLIPS; other words: one slip."""
    lou, lew = (_token(name, PERSON) for name in ("Lou", "Lew"))
    gli, odh = (_token(name, ORGANIZATION) for name in ("GLI", "ODH"))
    abjad = _token("كتب", PERSON)  # 'ktb', as written
    assert lou.groups and lew.groups and not gli.groups and not odh.groups and abjad.vowelless
    assert sound_slips(lou, lew) == sound_slips(abjad, gli) == sound_slips(gli, abjad) == ANY_SLIPS
    assert sound_slips(lou, gli) == sound_slips(gli, lou) == NAME_SLIPS
    assert sound_slips(gli, odh) == 1
    # what the slips decide: a name's spelling two slips off, not a word three slips off
    assert text_similarity("yip", "yeap", NAME_SLIPS) == (PHONETIC, "phonetic")
    assert text_similarity("gli", "gallo", NAME_SLIPS) == (0.0, "")
    assert text_similarity("gli", "gallo", ANY_SLIPS) == (PHONETIC, "phonetic")
    assert text_similarity("pdd", "pad", ANY_SLIPS)[1] == "phonetic"  # no vowel asked for
    for refused in (True, -2):  # a bool was once `short_sounds`: refused, not read as slips
        with pytest.raises(ValueError, match="sound_slips"):
            text_similarity("yip", "yeap", refused)


def _token(name: str, reading: str) -> Token:
    (token,) = analyze(name, reading).forms[0].tokens
    return token


def test_a_body_is_also_compared_without_the_article_between_two_words(scorer_core: str) -> None:
    """Urdu and Persian romanise it ul, ud, ur ('Jamaat-ud-Dawa', 'Jamaat ul Dawah') or leave it
    out; the article joins the words either side ('Bashir-ud-Din' / 'Bashiruddin', 'BIN AL
    SHIBH' / 'BINALSHIBH')."""
    for query, listed in (
        ("Jamaat-ud-Dawa", "Jamaat ul Dawah"),
        ("Harakat Mujahideen", "Harakat-ul-Mujahideen"),
        ("Ayat ur Rhas al Islamia", "Ayat al Rhas al Islamia"),
    ):
        result = _compare(query, listed, ORGANIZATION)
        assert _whole(result), query
        assert result.features.query_missing == result.features.candidate_missing == 0.0
    # the form with the article is still compared: its acronym, its joined spelling
    acronym = _compare("JuD", "Jamaat-ud-Dawa", ORGANIZATION)
    assert [p.candidate for p in acronym.pairs if p.how == "acronym"] == ["jamaat ud dawa"]
    for query, listed, reading in (
        ("BINALSHIBH, Ramzi", "BIN AL SHIBH, Ramzi", PERSON),
        ("Bashiruddin Mahmood", "Bashir-Ud-Din Mahmood", PERSON),
        ("Harakatul Jihad Islami", "HARAKAT-UL JIHAD ISLAMI", ORGANIZATION),
    ):
        result = _compare(query, listed, reading)
        assert _whole(result), query
        assert any(p.how.startswith("joined") for p in result.pairs), query
    # a word of the name first, beside a legal form, in a person's name (Korean) and in a name
    # read either way with no word saying it is a body's
    for query, listed, reading in (
        ("UL JI BONG 6", "JI BONG 6", ANY),
        ("Shanghai UL Ltd", "Shanghai Ltd", ORGANIZATION),
        ("Kim Ul Chol", "Kim Chol", PERSON),
        ("Kim Ul Chol", "Kim Chol", ANY),
    ):
        assert _compare(query, listed, reading).unmatched_query == ("ul",), query


def test_a_body_is_also_compared_without_its_izafat(scorer_core: str) -> None:
    """Persian and Urdu write 'Sepah-e Pasdaran', 'Jaish-i-Mohammed' onto the word before it;
    lists also write it apart or leave it out. A letter written onto the next word ('E-science'),
    onto one word once ('Vitamin-E') and a person's initial ('John E Smith') stay words."""
    for query, listed in (
        ("SEPAH-E PASDARAN-E ENQELAB-E ESLAMI", "Sepah Pasdaran Enqelab Eslami"),
        ("Jaish-i-Mohammed", "Jaish Mohammed"),
        ("Lashkar e Taiba", "Lashkar-e-Taiba"),
    ):
        result = _compare(query, listed, ORGANIZATION)
        assert _whole(result), query
        assert result.features.all_exact == 1.0, query
    tehrik = _compare("TTP", "Tehrik-i-Taliban Pakistan", ORGANIZATION)
    assert [p.candidate for p in tehrik.pairs if p.how == "acronym"] == ["tehrik taliban pakistan"]
    assert _compare("Beijing E-science", "Beijing Science", ORGANIZATION).unmatched_query == ("e",)
    assert _compare("Vitamin-E Holdings", "Vitamin Holdings", ORGANIZATION).unmatched_query == (
        "e",
    )
    assert _compare("John E Smith", "John Smith", ANY).unmatched_query == ("e",)


def test_a_legal_form_stands_for_the_words_it_abbreviates_when_they_are_misspelt() -> None:
    # 'joynt stock company' is in no legal-form table, so it stays three words beside 'jsc'
    result = _compare(
        "Tactical Missiles Corporation Joint Stock Company",
        "Tactical Missiles Corporation Joynt Stock Company",
        ORGANIZATION,
    )
    acronyms = [(p.query, p.candidate) for p in result.pairs if p.how == "acronym"]
    assert acronyms == [("jsc", "joynt stock company")]
    assert _whole(result)
    # a two-letter legal form is too short to stand for words ('ag' is not 'atlas group')
    atlas = _compare("Atlas AG", "Atlas Atlas Group", ORGANIZATION)
    assert not [p for p in atlas.pairs if p.how == "acronym"]


def test_a_word_said_twice_pairs_with_its_nearer_namesake() -> None:
    result = _compare("Abdul Ghani Turk", "Abdul Ghani Baradar Abdul Ahmad Turk", PERSON)
    assert ("abdul", "abdul") in [(p.query, p.candidate) for p in result.pairs]
    assert result.features.order_break == 0.0
    assert result.unmatched_candidate == ("baradar", "abdul", "ahmad")


def test_an_extra_distinctive_word_is_missing_on_one_side() -> None:
    shanghai = _compare("Shanghai Institute of Forensic Science", LISTED)
    assert shanghai.unmatched_query == ("shanghai",)
    assert shanghai.features.query_missing == 1.0
    crown = _compare("Hebei Crown Biotech Co., Ltd.", "Hebei Crovell Biotech Co Ltd")
    assert "crown" in crown.unmatched_query and "crovell" in crown.unmatched_candidate


def test_joined_and_split_spellings_meet() -> None:
    for query, candidate in (("Hua Wei Technologies", "Huawei Technologies"),
                             ("Sense Time", "SenseTime"), ("WANG, Hong-fei", "Wang Hongfei"),
                             ("Alqadi, Sameer", "AL-QADI, Sameer")):  # fmt: skip
        result = _compare(query, candidate)
        assert _whole(result), query
        assert any(p.how.startswith("joined") for p in result.pairs), query


def test_different_numbers_conflict() -> None:
    result = _compare("CETC 54th Research Institute", "CETC 55th Research Institute")
    assert result.features.number_conflict == 1.0
    same = _compare("CETC 54th Research Institute", "CETC No. 54 Research Institute")
    assert same.features.number_conflict == 0.0 and same.features.all_exact == 1.0


def test_typos_are_fuzzy_transpositions_cost_one_edit() -> None:
    assert (
        text_similarity("intellexa", "itnellexa")[0] > text_similarity("intellexa", "intelxxxa")[0]
    )
    assert text_similarity("crown", "crovell") == (0.0, "")
    assert text_similarity("ali", "abi") == (0.0, "")  # three letters: no edits allowed …
    assert text_similarity("ali", "aly")[0] >= 0.8  # … but the same sound or spelling counts
    assert text_similarity("tchaikovsky", "chaikovskiy") == (0.88, "spelling")


def test_two_slips_in_a_short_word_are_a_typo_not_a_spelling() -> None:
    sechev = text_similarity("sechev", "sechin")
    assert sechev[1] == "typo" and 0.6 < sechev[0] < 0.7
    assert text_similarity("sechen", "sechin")[1] == "fuzzy"  # one slip
    assert text_similarity("khaja", "khan")[1] == "typo"  # the longer word sets the budget …
    assert text_similarity("doe", "down") == (0.0, "")  # … once the shorter has four letters
    # folded spellings two slips apart are two names, not two romanisations of one
    assert text_similarity("castillo", "castro") == (0.0, "")
    assert text_similarity("mahir", "mahathir") == (0.0, "")
    typo = _compare("Igor Sechev", "Igor Sechin", PERSON)
    assert [p.how for p in typo.pairs if p.query == "sechev"] == ["typo"]
    assert typo.features.conflict == 0.0


def test_feminine_forms_and_different_known_names_stay_apart() -> None:
    gender = _compare("Aleksandra Petrova", "Aleksandr Petrov", PERSON)
    assert {p.how for p in gender.pairs} == {"gender form"}
    # shown side by side, but found on neither side: another person
    assert gender.features.query_missing > 0
    assert gender.features.conflict == KIND_CONFLICT[Kind.WORD] > 0
    names = _compare("Mark Smith", "Mary Smith", PERSON)
    mark = next(p for p in names.pairs if p.query == "mark")
    assert mark.how == "different names" and mark.similarity < 0.5


def test_nicknames_and_spellings_of_one_name_are_equivalent() -> None:
    result = _compare("Bill Clinton", "William Clinton", PERSON)
    assert [p.how for p in result.pairs if p.query == "bill"] == ["name group"]
    assert _compare("Muhammad Ali", "Mohammed Ali", PERSON).features.query_missing == 0.0


def test_legal_forms_and_generic_words_barely_count() -> None:
    bare = _compare("Acme Widgets", "Acme Widgets Company Limited", ORGANIZATION)
    assert bare.features.candidate_missing == 0.0
    assert bare.features.candidate_coverage > 0.85


def test_han_names_meet_their_listed_forms() -> None:
    person = _compare("习近平", "Xi Jinping")
    assert person.features.all_exact == 1.0
    korean = _compare("金正恩", "KIM, Jong Un", PERSON)
    assert _whole(korean)
    company = _compare("武汉硕康生物科技有限公司", "Wuhan Shuokang Biological Technology Co., Ltd.")
    assert _whole(company)
    xinjiang = _compare("乌鲁木齐市公安局", "Urumqi Municipal Public Security Bureau", ORGANIZATION)
    assert _whole(xinjiang)
    gas = _compare("北京燃气集团有限责任公司", "Beijing Gas Group Co., Ltd.", ORGANIZATION)
    assert _whole(gas)
    ifs = _compare(
        "公安部物证鉴定中心",
        "Forensic Identification Center of the Ministry of Public Security of the People's Republic of China",
    )
    assert ifs.features.query_missing == 0.0


def test_an_abjad_spelling_meets_its_latin_name_by_its_consonants() -> None:
    """Arabic writes long vowels with the letters romanised w and y, a first vowel with alif, and
    an s sounded z as z."""
    for arabic, latin, unwritten, written in (
        ("ماري تيريز", "Marie Therese", "tyryz", "therese"),
        ("أوندوا", "Ondoa", "awndw", "ondoa"),
    ):
        compared = _compare(arabic, latin, PERSON)
        assert (unwritten, written, "consonants") in {
            (p.query, p.candidate, p.how) for p in compared.pairs
        }
        assert _whole(compared)
    # a first vowel written with ayin: عبد is Abd / Abdul, عادل Adil (anyascii leaves ayin out)
    for arabic, latin in (("عبد الرحمن", "Abdul Rahman"), ("عادل عبد المهدي", "Adil Abd al-Mahdi")):
        compared = _compare(arabic, latin, PERSON)
        assert _whole(compared), arabic
    # a whole name from Wikidata's name groups is spelt as a Latin one is compared: عبد الله
    # (Abd Allah, first spelt 'abdallah' there) is the Latin Abdullah exactly
    for arabic in ("عبد الله", "عبدالله"):
        assert _compare(arabic, "Abdullah", PERSON).features.all_exact == 1.0, arabic
    # but Arabic writes s and z apart, a doubled s is not sounded z, and a first y is a consonant
    for unwritten, written in (("nsr", "nizar"), ("hzm", "hussam"), ("ysyn", "usain")):
        assert not abjad_spelling(unwritten, written)
    # two names the name groups know apart are not one name spelt without its vowels, unless a
    # Latin form of the one differs from the other in its vowels only (زاهد Zahed / Zahid)
    assert "consonants" not in {p.how for p in _compare("علي حسن", "Levi Hassan", PERSON).pairs}
    # and two Latin spellings are compared as spelt: these are other names, not spellings
    for one, other in (("zahid", "shahid"), ("yasmin", "osman"), ("dinesh", "dennis"),
                       ("zayed", "saeed"), ("calvin", "colin")):  # fmt: skip
        pairs = _compare(f"{one} Karimi", f"{other} Karimi").pairs
        assert not {p.how for p in pairs if p.query == one} & {"spelling", "consonants"}, one


def test_a_latin_spelling_that_joins_the_arabic_article_meets_the_word_after_it(
    scorer_core: str,
) -> None:
    """The romanisation leaves an abjad word's article out (الصبار 'sbr'); a Latin spelling may
    join it to the name ('Alzahrani'), or write it sounded as the letter after it (as-Sabar
    'Essabar'). Only a word written with the article is read so."""
    for arabic, latin, unwritten, written in (
        ("زكريا الصبار", "Zakarya Essabar", "sbr", "essabar"),
        ("فيصل الزهراني", "Faisal Alzahrani", "zhrny", "alzahrani"),
        ("صالح الصيد", "Saleh Elsseid", "syd", "elsseid"),
        ("عمر الشامي", "Omar Ashshami", "shmy", "ashshami"),
        # the name groups know Elsayed apart from Sayed (السيد without its article), and know
        # the word after its article as Sayed
        ("أحمد السيد", "Ahmed Elsayed", "syd", "elsayed"),
        ("محمد الأمين", "Mohamed Alamin", "amyn", "alamin"),
        # ... or as a vowel variant of a Latin form the groups give it (المصري 'masry')
        ("محمد المصري", "Mohamed Elmasri", "msry", "elmasri"),
        # a dash or a tatweel between words, or a hyphen joining two, leaves every word its
        # article
        ("محمد الزهراني - أبو علي", "Mohammed Alzahrani Abu Ali", "zhrny", "alzahrani"),
        ("محمد ـ الزهراني", "Mohammed Alzahrani", "zhrny", "alzahrani"),
        ("محمد-علي الزهراني", "Mohammed Ali Alzahrani", "zhrny", "alzahrani"),
    ):
        compared = _compare(arabic, latin, PERSON)
        assert (unwritten, written, "consonants") in {
            (p.query, p.candidate, p.how) for p in compared.pairs
        }, latin
        assert _whole(compared), latin
    # a body's name read through the glossary keeps its words' articles
    assert _whole(_compare("مصرف الرشيد", "Alrasheed Bank", ORGANIZATION))
    # written without the article, a word is not the end of a Latin name that starts as one:
    # طاهر Tahir is no Altieri, ولي Wali no Elwell, ثروت Tharwat no Elsworth
    for arabic, latin in (
        ("باولو طاهر", "Paolo Altieri"),
        ("سارة ولي", "Sarah Elwell"),
        ("جيمس ثروت", "James Elsworth"),
        # and with it, what follows the Latin article must keep two consonants: العودي
        # al-Awdi ('awdy', d alone) is no Elodie
        ("علي العودي", "Ali Elodie"),
        # nor is a known name an article and a word the abjad word is not: Alonzo is no
        # al-Anzi (العنزي); and where the name groups know the two words apart, the word after
        # the article must be one of the abjad word's names: Aleman is no al-Amin (الأمين),
        # Asscher no ash-Sha'ir, Elster no as-Sattar
        ("كريم العنزي", "Karim Alonzo"),
        ("أحمد الأمين", "Ahmed Aleman"),
        ("علي الشاعر", "Ali Asscher"),
        ("خالد الستار", "Khaled Elster"),
    ):
        assert not _whole(_compare(arabic, latin, PERSON)), latin
    # a name that only starts as the article does keeps its first letters: Alan is no al-An, and
    # a doubled letter the article is not sounded as is no article ('abbasi', 'ammari')
    for unwritten, written in (("an", "alan"), ("bsy", "abbasi"), ("mry", "ammari")):
        assert not abjad_spelling(unwritten, written, True), written
    assert abjad_spelling("sbr", "essabar", True) and not abjad_spelling("sbr", "essabar")


def test_allah_and_persian_readings_meet_their_latin_spellings(scorer_core: str) -> None:
    """Allah is a word, not an article before one, however voweled; words are also broken as
    Latin writes them: Allah and ad-Din one with the word before (Habibullah, Salahuddin), Allah
    first with the word after (Allahdad), abd apart from its name (Abdul Rahman); Persian and
    Urdu read ذ ظ ض as z and ث as s; a last ه or ة may write a vowel; two letters alike had a
    vowel between them, as Arabic writes a doubled one once (جلال Jalal)."""
    assert [t.text for t in analyze("حبيب الله", PERSON).forms[0].tokens] == ["hbyb", "allh"]
    for arabic, latin in (
        ("حبيب الله", "Habibullah"),
        ("سيف الله", "Saifullah"),
        ("حبيب الله", "Habib Allah"),
        ("حبيب اللَّه", "Habibullah"),
        ("حبيب الله\u200c", "Habibullah"),
        ("نذير الله", "Nazirullah"),
        ("الله داد", "Allahdad"),
        ("فضل محمد مظلوم", "Fazl Mohammad Mazloom"),
        ("عبد الواثق", "Abdul Wasiq"),
        ("حمزة", "Hamza"),
        ("صلاح الدين", "Salahuddin"),
        ("جلال الدين حقاني", "Jalaluddin Haqqani"),
        ("عبدالرحمن", "Abdul Rahman"),
        ("عبدالرحمن زاهد", "Abdul Rehman Zahid"),  # زاهد's Latin form Zahed, spelt Zahid
        ("حمادة ولد محمد", "Hamada Ould Mohamed"),  # ولد, Hassaniya 'son of'
        ("كمال جرمان", "Kamel Djermane"),  # French dj for Arabic j
        # Persian zhe written zh or j, and a surname's suffix written apart or with a non-joiner
        ("محمود احمدی‌نژاد", "Mahmoud Ahmadinejad"),
        ("محمود احمدی نژاد", "Mahmoud Ahmadinejad"),
        ("بیژن زنگنه", "Bizhan Zanganeh"),
        ("علی رضا زاده", "Ali Rezazadeh"),
    ):
        compared = _compare(arabic, latin, PERSON)
        assert _whole(compared), arabic
    # Jalal and Madad written jll and mdd, Muhammad (its m doubled) mhmd; a t before kh is no th
    for unwritten, written in (
        ("jll", "jalal"), ("mdd", "madad"), ("mhmd", "muhammad"), ("tkhry", "takhari")
    ):  # fmt: skip
        assert abjad_spelling(unwritten, written), unwritten
    # read so only where those letters are written: د and ت followed by ح are no z or s, and a
    # last ح is a consonant
    for arabic, latin in (("مدحت", "Mazut"), ("فتحي محمد", "Fassi Mohammad"), ("صباح", "Sabi")):
        pairs = _compare(arabic, latin, PERSON).pairs
        assert "consonants" not in {p.how for p in pairs}, arabic


def test_arabic_words_read_as_latin_writes_them(scorer_core: str) -> None:
    """A teh marbuta before the word its noun governs is sounded t (جبهة النصرة Jabhat
    al-Nusra); 'and' is no word of a name, written alone or with the article (والجهاد wal-Jihad);
    Latin writes abu apart from the name or with it (أبوغيث Abu Ghaith, أبو بكر Abubakar); a
    first ayin and alif are a long a (عابد Abid, not the servant's abd)."""
    for arabic, latin, reading in (
        ("جبهة النصرة", "Jabhat al-Nusra", ORGANIZATION),
        ("هيئة تحرير الشام", "Hay'at Tahrir al-Sham", ORGANIZATION),
        ("حركة الشباب المجاهدين", "Harakat al-Shabaab al-Mujahideen", ORGANIZATION),
        ("كتيبة التوحيد والجهاد", "Katibat al-Tawhid wal-Jihad", ORGANIZATION),
        ("حاجی خيرالله و حاجی ستار", "Haji Khairullah Haji Sattar", ORGANIZATION),
        ("جيش المهاجرين و الأنصار", "Jaysh al-Muhajirin wal-Ansar", ORGANIZATION),
        ("أبو بكر البغدادي", "Abubakar al-Baghdadi", PERSON),
        ("أبو بكر البغدادي", "Abu Bakr al-Baghdadi", PERSON),
        ("علي أبوغيث", "Ali Abo Ghaith", PERSON),
        ("أبواليزيد", "Abou el Yazid", PERSON),
        ("حمزة علي", "Hamza Ali", PERSON),  # a person's two names: no construct state
        ("عابد حامد محمود", "Abid Hamid Mahmud", PERSON),  # عابد, its alif written: not abd
        ("هبة الله آخوندزاده", "Hibatullah Akhundzada", PERSON),  # a noun before Allah
        ("ہبۃ اللہ آخوندزادہ", "Hibatullah Akhundzada", PERSON),  # as Urdu writes them
        ("محمد والاس", "Mohammad Wallace", ANY),  # a name that starts as 'and the' does
    ):
        compared = _compare(arabic, latin, reading)
        assert _whole(compared), arabic
    # the last word's teh marbuta governs none: it writes a vowel, not a t
    romanised = [f for f in analyze("جبهة النصرة", ORGANIZATION).forms if f.via == "romanised"]
    last = [t.text for f in romanised for t in f.tokens[-1:]]
    assert last
    assert not any(text.endswith("t") for text in last)
    # a name that starts with و is no 'and' (والتر Walter); a standalone و is no word of a body
    assert analyze("والتر حداد", ORGANIZATION).forms[0].tokens[0].text.startswith("w")
    assert any(
        [t.text for t in form.tokens] == ["jysh", "mhjryn", "ansr"]
        for form in analyze("جيش المهاجرين و الأنصار", ORGANIZATION).forms
    )
    # 'and the' before a short word is a name (محمد والاس Mohammad Wallace), not 'and' + 'as'
    assert _compare("محمد والاس", "Mohammad", ANY).unmatched_query
    # a word of its own is no spelling of another (الاسلام Islam is not Allah)
    assert _compare("أنصار الاسلام", "Ansar Allah", ORGANIZATION).unmatched_query


def test_two_words_that_write_one_meet_it(scorer_core: str) -> None:
    """'Bio-Tech', 'Bio Technology', 'Biological Tech' are read biological technology, which
    writes Biotech: joined where the other side writes the one word, and only there, so that an
    acronym keeps both initials and 'Technology' alone is not near the joined word."""
    for written in ("Hebei Bio-Tech Co", "Hebei Bio Technology Co", "Hebei Biological Tech Co"):
        for other in (
            "Hebei Biotech Co",
            "Hebei Biotechnology Co",
            "Hebei Biological Technology Co",
        ):
            compared = _compare(written, other, ORGANIZATION)
            assert _whole(compared), written
            assert compared.features.all_exact == 1.0, (written, other)
    acronym = _compare("Shanghai Biological Technology Co", "SBTC", ORGANIZATION)
    assert _whole(acronym)
    assert _compare("Biological Technology Institute", "Technology Institute").unmatched_query


def test_a_word_said_twice_takes_its_partners_in_order(scorer_core: str) -> None:
    """'V. V. Putin' is a rotation of 'PUTIN, Vladimir Vladimirovich' whichever V took which name,
    on either side, and 'Mohammed Ali Mohammed' one of 'MOHAMMED, Mohammed Ali'; initials that
    differ still keep their order ('V. A.' is not Alexander Vladimirovich)."""
    twice = _compare("V. V. Putin", "PUTIN, Vladimir Vladimirovich", PERSON)
    assert twice.features.order_break == 0.0
    assert sorted((p.query, p.candidate) for p in twice.pairs if p.how == "initial") == [
        ("v", "vladimir"),
        ("v", "vladimirovich"),
    ]
    listed_twice = _compare("PUTIN, Vladimir Vladimirovich", "V. V. Putin", PERSON)
    assert listed_twice.features.order_break == 0.0
    assert listed_twice.features.candidate_coverage == twice.features.query_coverage
    assert _compare("V. A. Putin", "PUTIN, Alexander Vladimirovich", PERSON).features.order_break
    assert _compare("PUTIN, Alexander Vladimirovich", "V. A. Putin", PERSON).features.order_break
    # a family name that repeats a given name: the twins may need their partners out of order
    for query, listed in (("Mohammed Ali Mohammed", "MOHAMMED, Mohammed Ali"),
                          ("Ali Hassan Ali", "Hassan Ali Ali")):  # fmt: skip
        for one, other in ((query, listed), (listed, query)):
            assert _compare(one, other, PERSON).features.order_break == 0.0, (one, other)
    # two words spelt alike that read differently are not one word twice
    assert _compare("علي حسن عالي", "Hassan Allee Ali", PERSON).features.order_break
    # and where no pairing is in order, the order still breaks
    assert _compare(
        "Mohammed Ali Mohammed Hassan", "Hassan Mohammed Mohammed Ali", PERSON
    ).features.order_break
    # twins the greedy pairing already kept in a rotation stay as they are
    rotated = _compare("Mohammed Ali Hassan Mohammed", "MUHAMMAD, Mohammed Ali Hassan", PERSON)
    assert rotated.features.order_break == 0.0


def test_romanisations_of_one_name_meet() -> None:
    arabic = _compare("طه ياسين رمضان الجزراوي", "TAHA YASSIN RAMADAN AL-JIZRAWI", PERSON)
    assert ("jzrwy", "jizrawi", "consonants") in {
        (p.query, p.candidate, p.how) for p in arabic.pairs
    }
    assert _whole(arabic)
    # Khmer and the Indian scripts leave a letter's own vowel unwritten, as anyascii reads them
    khmer = _compare("សរ ខេង", "Sar Kheng", PERSON)
    assert ("sr", "sar", "consonants") in {(p.query, p.candidate, p.how) for p in khmer.pairs}
    assert _whole(khmer)
    assert ("pol", "pol", "exact") in {
        (p.query, p.candidate, p.how) for p in _compare("ប៉ុល ពត", "Pol Pot", PERSON).pairs
    }  # ba with a musikatoan is pa
    assert {p.how for p in _compare("Zahed Karimi", "Zahid Karimi", PERSON).pairs} == {
        "exact",
        "spelling",
    }
    ukrainian = _compare("Serhiy Danilenko", "DANILENKO, Sergei", PERSON)
    assert ("serhiy", "sergei", "name group") in {
        (p.query, p.candidate, p.how) for p in ukrainian.pairs
    }
    wade_giles = _compare("Mao Tse-tung", "Mao Zedong", PERSON)
    assert _whole(wade_giles)
    cantonese = _compare("Chan Tai Man", "Chen Tai Man", PERSON)
    assert [p.how for p in cantonese.pairs if p.query == "chan"] == ["name group"]


def test_unspaced_korean_and_japanese_names_are_split_by_name_groups() -> None:
    korean = _compare("김정은", "KIM, Jong Un", PERSON)
    assert _whole(korean)
    japanese = _compare("山田太郎", "Yamada Taro", PERSON)
    assert _whole(japanese)


def test_roman_numerals_and_three_word_joins_in_organisation_names() -> None:
    vessel = _compare("TIAN-xiang VIII", "TIAN XIANG 8", ORGANIZATION)
    assert vessel.features.all_exact == 1.0
    assert _compare("Seasons II", "Seasons III", ORGANIZATION).features.number_conflict == 1.0
    joined = _compare("HK HENG BANG WEI ELECTRONICS LIMITED", "HK HENGBANGWEI ELECTRONICS LIMITED")
    assert any(p.how == "joined heng bang wei" for p in joined.pairs)


def test_a_persons_dotted_initials_each_meet_a_name() -> None:
    result = _compare("QUINTANA NAVARRO, M.T.", "QUINTANA NAVARRO, Maria Teresa", PERSON)
    assert sorted(p.how for p in result.pairs if p.how == "initial") == ["initial", "initial"]


def test_a_surname_ending_in_ovich_is_a_surname() -> None:
    """An -ovich word is a patronymic in the middle of a name, a surname at its start."""
    surname = _compare("VOLFOVICH, Alexander", "VOLFOVICH, Aleksandr", PERSON)
    assert surname.features.query_missing == 0.0
    assert ("volfovich", "volfovich", "exact") in {
        (p.query, p.candidate, p.how) for p in surname.pairs
    }
    assert analyze("Boris Romanovich Aydin", PERSON).forms[0].tokens[1].kind.value == "generic"
    assert analyze("VOLFOVICH, Alexander", PERSON).forms[0].tokens[0].kind.value == "word"


def test_a_token_left_over_on_both_sides_is_a_conflict_one_side_is_not() -> None:
    other_father = _compare("Sergey Ivanovich Lavrov", "Sergey Viktorovich Lavrov", PERSON)
    assert other_father.features.conflict == 1.0
    no_father = _compare("Sergey Lavrov", "Sergey Viktorovich Lavrov", PERSON)
    assert no_father.features.conflict == 0.0
    other_initial = _compare("A. Nazarbayev", "Nursultan Nazarbayev", PERSON)
    assert other_initial.unmatched_query == ("a",)
    # the weaker side's kind: an initial against a whole word, which might be a spelling
    assert other_initial.features.conflict == KIND_CONFLICT[Kind.WORD] > 0
    same_initial = _compare("N. Nazarbayev", "Nursultan Nazarbayev", PERSON)
    assert same_initial.features.conflict == 0.0


def test_descriptive_words_unpaired_conflict_more_than_distinctive_ones() -> None:
    """'Systems' / 'Industries' are two words; 'Crown' / 'Crovell' may be one word misspelt."""
    business = _compare("BAE Systems, Inc.", "BAE Industries, Inc.", ORGANIZATION)
    assert business.features.conflict == 1.0
    word = _compare("Hebei Crown Biotech", "Hebei Zhongxing Biotech", ORGANIZATION)
    assert 0 < word.features.conflict < business.features.conflict
    numbers = _compare("KKR Asian Fund III L.P.", "KKR Asian Fund IV L.P.", ORGANIZATION)
    assert numbers.features.conflict == 0.0 and numbers.features.number_conflict == 1.0


def test_branches_named_for_two_chinese_divisions_conflict() -> None:
    """The Entity List names Huawei's branches by division in parentheses: the division left
    over on each side is a conflict, not a parenthesis to drop; the same division meets itself."""
    branches = _compare(
        "Huawei Device (Jiangsu) Co., Ltd.", "Huawei Device (Shenzhen) Co., Ltd.", ORGANIZATION
    )
    assert branches.unmatched_query == ("jiangsu",)
    assert branches.unmatched_candidate == ("shenzhen",)
    assert branches.features.conflict > 0
    same = _compare(
        "HUAWEI DEVICE (SHENZHEN) CO LTD", "Huawei Device Shenzhen Co., Ltd.", ORGANIZATION
    )
    assert same.features.all_exact == 1.0


def test_differing_numbers_are_one_conflict_not_two_missing_tokens() -> None:
    sibling = _compare("Snow Storm 1", "Snow Storm 2", ORGANIZATION)
    assert sibling.features.number_conflict == 1.0
    assert sibling.features.query_missing == sibling.features.candidate_missing == 0.0
    assert sibling.features.query_coverage == sibling.features.candidate_coverage == 1.0
    assert sibling.features.all_exact == 0.0  # the exact number still ranks first
    unnumbered = _compare("Victory", "Victory 3", ORGANIZATION)
    assert unnumbered.features.number_conflict == 0.0
    assert unnumbered.features.candidate_missing > 0


def test_names_may_rotate_but_not_shuffle() -> None:
    assert _compare("WANG, Hongfei", "Hongfei Wang", PERSON).features.order_break == 0.0
    ifs = _compare("Institute of Forensic Science of the Ministry of Public Security", LISTED)
    assert ifs.features.order_break == 0.0
    son = _compare("Salman bin Muhammad Al-Rawi", "Muhammad bin Salman Al-Rawi", PERSON)
    assert son.features.query_missing == 0.0 and son.features.order_break == 1.0


@pytest.mark.usefixtures("scorer_core")
def test_two_neighbouring_middle_names_may_swap_but_not_the_first_or_last() -> None:
    listed = "Maria Elena Sofia Gomez Ruiz"
    broken = {
        query: _compare(query, listed, PERSON).features.order_break
        for query in (
            "Maria Sofia Elena Gomez Ruiz",  # two middle names
            "Maria Elena Gomez Sofia Ruiz",  # two later in the name
            "GOMEZ RUIZ, Maria Sofia Elena",  # and the family name first
            "Elena Maria Sofia Gomez Ruiz",  # the first name moved
            "Maria Elena Sofia Ruiz Gomez",  # the last
            "Maria Sofia Gomez Elena Ruiz",  # a middle name moved two places
        )
    }
    assert list(broken.values()) == [0.0, 0.0, 0.0, 1.0, 1.0, 1.0], broken


def test_a_feminine_ending_is_another_name_not_another_spelling() -> None:
    assert scoring.vowel_variants("zahed", "zahid") and scoring.vowel_variants("waseem", "wassim")
    assert not scoring.vowel_variants("michelle", "michaela")
    assert not scoring.vowel_variants("paolo", "paola")
    pairs = _compare("Michaela", "Michelle Obama", PERSON).pairs
    assert [(p.query, p.candidate, p.how) for p in pairs] == [
        ("michaela", "michelle", "different names")
    ]


def test_a_shared_english_sound_is_not_enough_without_a_shared_start() -> None:
    assert text_similarity("klave", "guliiev") == (0.0, "")
    assert text_similarity("ali", "aly")[0] >= 0.8
