"""Federal Register documents as list events, and their links to the entries that cite them.

A document's title (and abstract) says what it does to which list: "Additions to the Entity List",
"Entity List Removal", "Revisions to the Unverified List", an OFAC notice of persons "placed on" or
"removed from" the SDN List. A document that does several things ("Additions of Entities to the
Entity List; Removal of an Entity From the Entity List") yields one event per action, all under the
document's identity `us_fr:<document number>`; a document that changes no party list is one event
with action `other`. Entries name the documents that shaped them by citation ('85 FR 34505'), which
is how a document event is tied to the entries it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel

from interlock.history.model import Action, ListEvent, Origin
from interlock.model import Citation, FederalRegisterDocument, ListEntry

SOURCE = "us_fr"

# Party lists a document can change, by the list code of data/lists.yaml. The Uyghur Forced Labor
# Prevention Act Entity List (DHS) is a different list from BIS's Entity List, so it is matched
# first and its words are taken out of the text before BIS's list is looked for.
_LISTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "UFLPA",
        re.compile(
            r"(?:Uyghur Forced Labor Prevention Act|UFLPA) Entity List|lists? of the UFLPA", re.I
        ),
    ),
    ("MEU", re.compile(r"Military[- ]End[- ]Users?(?: \(MEU\))? List|\bMEU List", re.I)),
    ("UVL", re.compile(r"Unverified List|\bUVL\b", re.I)),
    ("EL", re.compile(r"Entity List", re.I)),
    (
        "SDN",
        re.compile(
            r"Specially Designated Nationals and Blocked Persons?(?: \(SDN\))? List"
            r"|List of Specially Designated Nationals|\bSDN List",
            re.I,
        ),
    ),
)
# What a document does to a list. Corrections amend published entries: a modification.
_ACTIONS: tuple[tuple[Action, re.Pattern[str]], ...] = (
    (Action.ADD, re.compile(r"\b(?:additions?|adding|adds|added|placed on)\b", re.I)),
    (Action.REMOVE, re.compile(r"\b(?:removals?|removing|removes|removed)\b", re.I)),
    (
        Action.MODIFY,
        re.compile(
            r"\b(?:revisions?|revising|revises|modifications?|modifying|amendments?|amending"
            r"|corrections?|correcting|updating|updates?)\b",
            re.I,
        ),
    ),
)
# An action word that only describes criteria or procedure ("Activities and Criteria That May Lead
# to Additions to the Entity List") or opens a sentence ("In addition, …") changes no list.
_NOT_AN_ACTION = re.compile(
    r"(?:\bmay lead to|\bcriteria|\brequests?|^in|[.;,]\s*in)\s+(?:\w+\s+){0,3}$", re.I
)
# Alias removals change an entry; they are not the removal of a party.
_OBJECT_IS_ALIAS = re.compile(r"^\s+(?:\w+\s+){0,2}(?:aliases|alias|a\.k\.a\.)\b", re.I)
# In an abstract an action counts only when it takes parties as its object ("adding 13 entities
# to the Entity List", "persons … placed on OFAC's SDN List"): abstracts also say "amending the
# EAR" or "the revisions to the Entity List" about other things.
_PARTY_OBJECT = re.compile(
    r"\b(?:entit(?:y|ies)|persons?|individuals?|entr(?:y|ies)|parties|companies|subsidiaries"
    r"|aliases|identifying information|vessels?)\b",
    re.I,
)
_PASSIVE = re.compile(r"(?:placed on|added to|removed from)\b", re.I)
_ABSTRACT_MAX_GAP_WORDS = 14
# Agencies, in the Federal Register API's naming, and the words that name each unambiguously.
_AGENCY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Industry and Security Bureau",
        re.compile(
            r"Bureau of Industry and Security|\(BIS\)|\bEntity List\b(?<!Act Entity List)"
            r"|Unverified List|Military End[- ]User|Export Administration Regulations"
            r"|Denial of Export Privileges",
            re.I,
        ),
    ),
    ("Foreign Assets Control Office", re.compile(r"Office of Foreign Assets Control|\bOFAC\b")),
    ("State Department", re.compile(r"Department of State\b", re.I)),
    ("Drug Enforcement Administration", re.compile(r"Drug Enforcement Administration|\(DEA\)")),
    (
        "Homeland Security Department",
        re.compile(r"Forced Labor Prevention Act|Department of Homeland Security", re.I),
    ),
)


@dataclass(frozen=True)
class ClassifiedAction:
    action: Action
    lists: tuple[str, ...]
    evidence: str  # the words the action was read from
    where: str  # title / abstract


def _list_mentions(clause: str) -> list[tuple[int, int, str]]:
    """(start, end, code) of every list named in the clause, UFLPA before BIS's Entity List."""
    mentions: list[tuple[int, int, str]] = []
    masked = clause
    for code, pattern in _LISTS:
        for match in pattern.finditer(masked):
            mentions.append((match.start(), match.end(), code))
            masked = (
                masked[: match.start()]
                + " " * (match.end() - match.start())
                + masked[match.end() :]
            )
    return sorted(mentions)


def _clause_actions(
    clause: str, where: str, title_lists: list[str] | None = None
) -> list[ClassifiedAction]:
    """Actions of one clause. A title clause is formulaic ("Additions and Revisions to the Entity
    List"): each action word takes the next list named, else the last one before it, else (a bare
    "Correction") the last list of the title. An abstract clause must name the parties acted on
    between the action word and the list, with no other action word in between."""
    lists = _list_mentions(clause)
    words = [(m.start(), m.end()) for _a, p in _ACTIONS for m in p.finditer(clause)]
    found: list[ClassifiedAction] = []
    for action, pattern in _ACTIONS:
        for match in pattern.finditer(clause):
            if _NOT_AN_ACTION.search(clause[: match.start()]):
                continue
            kind = action
            if action == Action.REMOVE and _OBJECT_IS_ALIAS.match(clause[match.end() :]):
                kind = Action.MODIFY
            after = [(start, code) for start, _end, code in lists if start >= match.end()]
            if where == "abstract":
                if not after:
                    continue
                start, code = after[0]
                gap = clause[match.end() : start]
                passive = bool(_PASSIVE.match(clause, match.start()))
                if len(gap.split()) > _ABSTRACT_MAX_GAP_WORDS:
                    continue
                if any(match.end() <= w_start < start for w_start, _w in words):
                    continue
                if not passive and not _PARTY_OBJECT.search(gap):
                    continue
                target = [code]
                evidence_end = next(end for s2, end, c in lists if s2 == start and c == code)
            else:
                before = [code for _start, end, code in lists if end <= match.start()]
                target = _joined(clause, lists, after[0][0]) if after else []
                target = target or before[-1:] or (title_lists or [])[-1:]
                if not target:
                    continue
                evidence_end = _end_of(lists, target[0], match)
            evidence = clause[match.start() : max(match.end(), evidence_end)]
            found.append(ClassifiedAction(kind, tuple(target), " ".join(evidence.split()), where))
    return found


def _joined(clause: str, lists: list[tuple[int, int, str]], first: int) -> list[str]:
    """The list starting at `first` and those coordinated with it ("the UVL and the Entity List")."""
    chain: list[str] = []
    previous_end: int | None = None
    for start, end, code in lists:
        if start < first:
            continue
        if previous_end is not None and not re.fullmatch(
            r"\s*(?:,\s*)?(?:and\s+)?(?:the\s+)?", clause[previous_end:start], re.I
        ):
            break
        chain.append(code)
        previous_end = end
    return chain


def _end_of(lists: list[tuple[int, int, str]], code: str, match: re.Match[str]) -> int:
    ends = [end for start, end, c in lists if c == code and start >= match.end()]
    return ends[0] if ends else match.end()


def _sentences(text: str) -> list[str]:
    """Clauses: split at semicolons and sentence ends ('U.S. Department' is not an end)."""
    return [part for part in re.split(r";|(?<=[a-z0-9)]\.)\s+(?=[A-Z])", text) if part.strip()]


def classify(document: FederalRegisterDocument) -> list[ClassifiedAction]:
    """What the document does to which party list, read from its title, then its abstract.

    A title that names a list change is taken as it stands; the abstract adds actions the title
    does not name (a "Revisions to the Entity List" that also removes an entity), on the lists the
    title names. A title that names no change (OFAC's "Notice of OFAC Sanctions Actions") leaves it
    to the abstract.
    """
    title_lists = [code for _s, _e, code in _list_mentions(document.title)]
    title_actions = [
        a
        for clause in _sentences(document.title)
        for a in _clause_actions(clause, "title", title_lists)
    ]
    abstract_actions = [
        a
        for clause in _sentences(document.abstract or "")
        for a in _clause_actions(clause, "abstract")
    ]
    if title_actions:
        listed = {(a.action, a.lists) for a in title_actions}
        abstract_actions = [
            a
            for a in abstract_actions
            if a.lists[0] in {code for a2 in title_actions for code in a2.lists}
            and (a.action, a.lists) not in listed
        ]
    return _merge([*title_actions, *abstract_actions])


def _merge(actions: list[ClassifiedAction]) -> list[ClassifiedAction]:
    """One entry per action, its lists in order of mention, its first evidence kept."""
    merged: dict[Action, ClassifiedAction] = {}
    for item in actions:
        current = merged.get(item.action)
        if current is None:
            merged[item.action] = item
        elif item.lists[0] not in current.lists:
            merged[item.action] = ClassifiedAction(
                item.action, (*current.lists, *item.lists), current.evidence, current.where
            )
    order = [Action.ADD, Action.MODIFY, Action.REMOVE]
    return [merged[a] for a in order if a in merged]


def document_agency(document: FederalRegisterDocument) -> tuple[str | None, str | None]:
    """(agency, how it was inferred). The document's own agencies first, the sub-agency preferred;
    else the one agency its title or abstract names, when exactly one is named."""
    if document.agencies:
        specific = [a for a in document.agencies if not a.endswith("Department")]
        return (specific or document.agencies)[-1], None
    for where, text in (("title", document.title), ("abstract", document.abstract or "")):
        named = [(name, p.search(text)) for name, p in _AGENCY_PATTERNS]
        hits = [(name, m) for name, m in named if m is not None]
        if len(hits) == 1:
            name, match = hits[0]
            return name, f"agency inferred from the {where} ({match.group(0)!r})"
        if len(hits) > 1:
            return None, None
    return None, None


def document_identity(document_number: str) -> str:
    return f"{SOURCE}:{document_number}"


def document_events(documents: Iterable[FederalRegisterDocument]) -> list[ListEvent]:
    """One event per action a document takes on a party list (or one `other` event)."""
    events: list[ListEvent] = []
    for document in documents:
        agency, agency_note = document_agency(document)
        actions = classify(document)
        plan: list[tuple[Action, tuple[str, ...], str | None]] = [
            (a.action, a.lists, f"action read from the {a.where}: {a.evidence!r}") for a in actions
        ] or [(Action.OTHER, (), None)]
        for action, lists, action_note in plan:
            notes = [n for n in (action_note, agency_note) if n]
            events.append(
                ListEvent(
                    event_id=f"{document_identity(document.document_number)}:{action.value}",
                    identity=document_identity(document.document_number),
                    source=SOURCE,
                    lists=list(lists),
                    action=action,
                    effective_date=document.effective_date,
                    recorded_at=document.publication_date,
                    origin=Origin.FEDERAL_REGISTER,
                    citation=document.citation,
                    document_number=document.document_number,
                    agency=agency,
                    title=document.title,
                    source_url=document.url,
                    verified=True,
                    notes=notes,
                )
            )
    return events


class DocumentLink(BaseModel):
    """A Federal Register document event tied to a list entry that cites the document."""

    event_id: str
    document_number: str | None
    action: Action
    identity: str
    entry_name: str
    entry_lists: list[str]
    citation: str  # the entry's citation that matched
    reason: str


def end_pages(documents: Iterable[FederalRegisterDocument]) -> dict[str, int]:
    """Document number → last page, where the API record gives `end_page`."""
    found: dict[str, int] = {}
    for document in documents:
        value = document.original.get("end_page")
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            found[document.document_number] = int(value)
    return found


def link_documents(
    events: Iterable[ListEvent],
    entries: Mapping[str, ListEntry],
    end_pages: Mapping[str, int] | None = None,
) -> list[DocumentLink]:
    """Link each document event to the entries whose citations include the document's citation.

    A citation matches on volume and page. An entry's citation gives the page its entry appears
    on, which can lie inside a rule that begins pages earlier (IFS cites 85 FR 34505; its rule
    begins at 34495 or 34503); where the document's last page is known (`end_pages`, by document
    number, e.g. from the API's `end_page`) a page inside the span matches too, and the reason says
    so. Documents without a citation (the CSV sample) link to nothing.
    """
    by_page: dict[tuple[int, int], list[tuple[str, ListEntry, Citation]]] = {}
    for identity, entry in entries.items():
        for citation in entry.citations:
            if citation.page is not None:
                by_page.setdefault((citation.volume, citation.page), []).append(
                    (identity, entry, citation)
                )
    links: list[DocumentLink] = []
    seen: set[tuple[str, str]] = set()
    for event in events:
        if event.citation is None or event.citation.page is None:
            continue
        volume, first = event.citation.volume, event.citation.page
        last = max(first, (end_pages or {}).get(event.document_number or "", first))
        for page in range(first, last + 1):
            for identity, entry, citation in by_page.get((volume, page), []):
                if (event.event_id, identity) in seen:
                    continue
                seen.add((event.event_id, identity))
                reason = f"entry cites {volume} FR {page}"
                if page != first:
                    reason += f", within the document's pages {first}–{last}"
                links.append(
                    DocumentLink(
                        event_id=event.event_id,
                        document_number=event.document_number,
                        action=event.action,
                        identity=identity,
                        entry_name=entry.name,
                        entry_lists=entry.lists,
                        citation=citation.raw,
                        reason=reason,
                    )
                )
    return links
