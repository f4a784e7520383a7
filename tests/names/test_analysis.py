"""Loading what analysis reads before the first name."""

from __future__ import annotations

from interlock.names import han
from interlock.names.analysis import prepare
from interlock.names.glossary import load_glossary
from interlock.names.name_groups import load_name_groups


def test_prepare_loads_the_tables_each_script_reads() -> None:
    loaders = (load_name_groups, load_glossary, han._converter)
    for loader in loaders:
        loader.cache_clear()
    prepare()
    assert [loader.cache_info().currsize for loader in loaders] == [1, 1, 1]
