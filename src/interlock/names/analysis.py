"""A name taken apart for comparison, in every comparable form it has.

A Latin-script name has one form. A name in another script has a romanised form; a Han name has
more: a person's name as lists write it (surname reading, regional variants), an organisation's
name translated through the bilingual glossary, and its plain pinyin. A Russian or Ukrainian
body's name, in Cyrillic or transliterated, is also translated word by word. Scoring takes the
best pair.
"""

from __future__ import annotations

from functools import lru_cache

from interlock.names import arabic, russian
from interlock.names.forms import ANY, AnalyzedName, is_latin, latin_forms
from interlock.names.scripts import foreign_forms


@lru_cache(maxsize=131072)
def analyze(name: str, schema: str = ANY) -> AnalyzedName:
    """`schema`: 'person', 'organization' or 'any' (both readings where they differ)."""
    notes: list[str] = []
    if is_latin(name):
        forms = latin_forms(name, schema)
    else:
        forms, notes = foreign_forms(name, schema)
        # a body's name in Arabic script, also in English
        glossed, more = arabic.translated_forms(name, schema)
        forms, notes = [*forms, *glossed], [*notes, *more]
    # a Russian or Ukrainian body's name, in Cyrillic or transliterated, also in English
    translated, more = russian.translated_forms(name, forms, schema)
    return AnalyzedName(name, (*forms, *translated), (*notes, *more))


# a name for each way analysis can go; each loads the tables its way reads (name groups, surname
# readings, the glossary, OpenCC's, the transliterator's)
_EACH_WAY = (
    "John Smith Trading Co", "王洪飞", "北京科技有限公司", "Иван Петров", "محمد علي", "Муромский завод",
    "شركة النفط الوطنية",
)  # fmt: skip


def prepare() -> None:
    """Load every table analysis reads, once per process: what a service or a batch does before
    its first name (forked batch workers then share them rather than each loading its own)."""
    for name in _EACH_WAY:
        analyze.__wrapped__(name, ANY)
