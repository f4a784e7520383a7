"""Every list format interlock reads, by name."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from interlock.sources.base import ListFormat, SourceError

_FORMATS = {
    "csl_csv": "interlock.sources.csl:CslCsv",
    "csl_json": "interlock.sources.csl:CslJson",
    "ofac_sdn_csv": "interlock.sources.ofac_csv:OfacSdnCsv",
    "ofac_cons_csv": "interlock.sources.ofac_csv:OfacConsCsv",
    "ofac_sdn_xml": "interlock.sources.ofac_xml:OfacXml",
    "ofac_cons_xml": "interlock.sources.ofac_xml:OfacConsolidatedXml",
    "ofac_enhanced_xml": "interlock.sources.ofac_enhanced:OfacEnhancedXml",
    "ofac_sdn_enhanced_xml": "interlock.sources.ofac_enhanced:OfacSdnEnhancedXml",
    "dpl_tsv": "interlock.sources.dpl:DplTsv",
    "un_xml": "interlock.sources.un_xml:UnXml",
    "uk_normalised": "interlock.sources.uk:UkNormalised",
    "uk_csv": "interlock.sources.uk:UkCsv",
    "ftm_entities": "interlock.sources.ftm:FtmEntities",
    "fr_csv": "interlock.sources.federal_register:FederalRegisterCsv",
    "fr_json": "interlock.sources.federal_register:FederalRegisterJson",
}


def format_names() -> list[str]:
    return sorted(_FORMATS)


def get_format(name: str) -> ListFormat[Any, Any]:
    try:
        module_name, class_name = _FORMATS[name].split(":")
    except KeyError:
        raise SourceError(
            f"unknown format {name!r}; known formats: {', '.join(format_names())}"
        ) from None
    fmt: ListFormat[Any, Any] = getattr(import_module(module_name), class_name)()
    return fmt
