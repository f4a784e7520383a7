"""Han script: detection and traditional → simplified folding (OpenCC)."""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

# CJK Unified Ideographs, Extension A and the compatibility block
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def han_runs(text: str) -> list[str]:
    """The maximal runs of Han characters in `text`, in order."""
    return _HAN_RUN.findall(text)


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Traditional characters folded to simplified ('公安部物證鑑定中心' → '公安部物证鉴定中心')."""
    return str(_converter().convert(text)) if has_han(text) else text
