"""Which entry of one snapshot is which entry of another.

Sources whose ids are stable (OFAC ent_num, UN DATAID, UK unique id, the DPL order key, FtM ids) use
them. The CSL's `_id` changes between releases (0 of 919 Entity List ids of 2022 survive in the 2023
file), so its entries are keyed by list, normalised name and country, with the first address added
where that is not unique; entries left unpaired by keys are paired by a fuzzy name comparison
that records its score and reason.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from interlock.model import ListEntry
from interlock.sources.clean import comparison_key

STABLE_ID_SOURCES = frozenset(
    {"us_ofac_sdn", "us_ofac_cons", "un_sc", "gb_uk", "us_bis_dpl", "ftm"}
)
# Lists the CSL copies from OFAC keep OFAC's uid in entity_number, which is stable.
FUZZY_THRESHOLD = 0.90


def _base_key(entry: ListEntry) -> str:
    if entry.source in STABLE_ID_SOURCES:
        return f"{entry.source}:{entry.source_id.split('#', 1)[0]}"
    code = entry.lists[0] if entry.lists else "?"
    number = str(entry.original.get("entity_number") or "").strip()
    if number:
        return f"{entry.source}:{code}:#{number}"
    country = entry.countries[0] if entry.countries else "-"
    return f"{entry.source}:{code}:{comparison_key(entry.name)}|{country}"


def identity_key(entry: ListEntry) -> str:
    """The key of one entry on its own; `assign_identities` resolves collisions in a snapshot."""
    return _base_key(entry)


def assign_identities(entries: Iterable[ListEntry]) -> dict[str, ListEntry]:
    """Identity → entry for one snapshot; keys made unique with the first address, then a counter."""
    groups: dict[str, list[ListEntry]] = defaultdict(list)
    for entry in entries:
        groups[_base_key(entry)].append(entry)
    result: dict[str, ListEntry] = {}
    for key, members in groups.items():
        if len(members) == 1:
            result[key] = members[0]
            continue
        by_address: dict[str, list[ListEntry]] = defaultdict(list)
        for entry in members:
            address = comparison_key(entry.addresses[0].full) if entry.addresses else "-"
            digest = hashlib.sha256(address.encode()).hexdigest()[:12]
            by_address[f"{key}|@{digest}"].append(entry)
        for address_key, same in by_address.items():
            ordered = sorted(
                same,
                key=lambda e: e.model_dump_json(exclude={"entity_id", "source_id", "original"}),
            )
            for position, entry in enumerate(ordered, start=1):
                result[address_key if position == 1 else f"{address_key}#{position}"] = entry
    return result


@dataclass(frozen=True)
class Pair:
    identity: str  # the identity the pair continues under (the older snapshot's)
    old: ListEntry
    new: ListEntry
    method: str  # source-id / key / fuzzy-name
    score: float
    explanation: str


@dataclass(frozen=True)
class Pairing:
    pairs: list[Pair]
    added: dict[str, ListEntry]
    removed: dict[str, ListEntry]


def pair_snapshots(old: dict[str, ListEntry], new: dict[str, ListEntry]) -> Pairing:
    """Pair the entries of two snapshots of one source: same identity, then fuzzy name."""
    pairs: list[Pair] = []
    for key in sorted(old.keys() & new.keys()):
        method = "source-id" if old[key].source in STABLE_ID_SOURCES else "key"
        pairs.append(Pair(key, old[key], new[key], method, 1.0, f"same identity key {key!r}"))
    removed = {k: old[k] for k in sorted(old.keys() - new.keys())}
    added = {k: new[k] for k in sorted(new.keys() - old.keys())}
    if removed and added and next(iter(removed.values())).source not in STABLE_ID_SOURCES:
        pairs.extend(_fuzzy(removed, added))
    return Pairing(pairs, added, removed)


def _fuzzy(removed: dict[str, ListEntry], added: dict[str, ListEntry]) -> list[Pair]:
    """Pair leftovers on one list whose names nearly agree and whose countries do not conflict."""
    added_by_list: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key, entry in added.items():
        added_by_list[tuple(entry.lists)].append(key)
    candidates: list[tuple[float, float, str, str]] = []
    for old_key, old_entry in removed.items():
        keys = added_by_list.get(tuple(old_entry.lists), [])
        names = [comparison_key(added[k].name) for k in keys]
        for _name, raw_score, position in process.extract(
            comparison_key(old_entry.name),
            names,
            scorer=fuzz.token_sort_ratio,
            score_cutoff=FUZZY_THRESHOLD * 100,
            limit=5,
        ):
            new_entry = added[keys[position]]
            if (
                old_entry.countries
                and new_entry.countries
                and not (set(old_entry.countries) & set(new_entry.countries))
            ):
                continue
            candidates.append(
                (raw_score / 100, _address_likeness(old_entry, new_entry), old_key, keys[position])
            )
    pairs = []
    # equal names (one organisation listed at several addresses): the addresses decide
    for score, _likeness, old_key, new_key in sorted(
        candidates, key=lambda c: (-c[0], -c[1], c[2], c[3])
    ):
        if old_key not in removed or new_key not in added:
            continue
        old_entry, new_entry = removed.pop(old_key), added.pop(new_key)
        pairs.append(
            Pair(
                old_key,
                old_entry,
                new_entry,
                "fuzzy-name",
                round(score, 4),
                f"no identity key in common; names agree at {score:.2f} "
                f"({old_entry.name!r} → {new_entry.name!r}) on list {','.join(new_entry.lists)}",
            )
        )
    return pairs


def _address_likeness(old: ListEntry, new: ListEntry) -> float:
    if not old.addresses or not new.addresses:
        return 0.0
    left = " ".join(sorted(comparison_key(a.full) for a in old.addresses))
    right = " ".join(sorted(comparison_key(a.full) for a in new.addresses))
    return fuzz.token_set_ratio(left, right) / 100
