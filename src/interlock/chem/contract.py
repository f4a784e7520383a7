"""The chemical answer as JSON: a public contract (fields may be added, never renamed or removed)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["controlled", "not_controlled", "unresolved"]
Method = Literal["cas", "inchikey", "inchi", "smiles", "name", "opsin"]


class ResolvedSubstance(BaseModel):
    name: str | None = Field(description="the registry's name, or the name as given")
    inchikey: str = Field(description="InChIKey of the structure as given (salt included)")
    smiles: str
    cas: str | None
    method: Method = Field(description="how the text was resolved")
    confidence: float = Field(ge=0, le=1)
    parent_inchikey: str = Field(description="of the parent: largest organic fragment, neutral")
    registry_key: str | None = Field(description="the registry row, when the structure is one")


class Verdict(BaseModel):
    jurisdiction: str
    controlled: bool
    basis: Literal["listing", "class", "family"]
    listing: str
    clauses: list[str] = []
    since: date | None = Field(description="when the control took effect (None: not recorded)")
    citation: str
    verified: bool = Field(description="false: the fact is unverified (general knowledge)")
    substance: str = Field(description="the component the verdict is about")
    effect: Literal["control", "surveillance"] = "control"
    reason: str = Field(description="one line: why this verdict")
    interpretations: list[str] = Field(
        default=[], description="interpretation choices relied on, with the reading chosen"
    )
    substituents: list[dict[str, str]] = Field(
        default=[], description="per substituent: where, group (SMILES), kind"
    )


class ChemAnswer(BaseModel):
    input: str
    resolved: ResolvedSubstance | None
    components: list[ResolvedSubstance] = Field(
        default=[], description="every substance found on the line (a mixture has several)"
    )
    status: Status
    verdicts: list[Verdict]
    explanation: list[str]
    issues: list[str] = Field(default=[], description="what could not be trusted on the line")
    hs_codes: list[str] = Field(default=[], description="HS codes seen: a routing signal only")
    jurisdiction: str
    as_of: date
    registry_version: str
    rules_version: str
