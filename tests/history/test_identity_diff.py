"""Entry identity across snapshots and field-level diffs, on the real CSL and UN files."""

from __future__ import annotations

from collections import Counter

from interlock.history.diff import entry_changes, snapshot_diff
from interlock.history.identity import assign_identities, identity_key, pair_snapshots
from interlock.sources.base import parse_snapshot
from interlock.sources.csl import CslCsv
from interlock.sources.un_xml import UnXml
from tests.conftest import FIXTURES, raw_from, shared_file


def _csl(path: str) -> list:
    return parse_snapshot(CslCsv(), raw_from({"consolidated.csv": shared_file(path)})).entries


def _un(path: str) -> list:
    return parse_snapshot(UnXml(), raw_from({"consolidated.xml": shared_file(path)})).entries


def test_csl_2022_vs_2023_subset_entity_list() -> None:
    old = assign_identities(
        e for e in _csl("csl/csl_2022-04_full__watchman.csv.gz") if e.lists == ["EL"]
    )
    new = assign_identities(
        e for e in _csl("csl/csl_2023-11_subset__watchman.csv") if e.lists == ["EL"]
    )
    assert (len(old), len(new)) == (2001, 919)
    # no _id survives between the two files, yet every 2023 EL entry finds its 2022 entry
    assert not {e.source_id for e in old.values()} & {e.source_id for e in new.values()}
    pairing = pair_snapshots(old, new)
    assert Counter(p.method for p in pairing.pairs) == {"key": 911, "fuzzy-name": 8}
    assert (len(pairing.added), len(pairing.removed)) == (0, 1082)
    diff = snapshot_diff("us_csl", 1, 2, pairing, to_is_subset=True)
    assert len(diff.changed) == 107
    fields = Counter(c.field for item in diff.changed for c in item.changes)
    assert fields["license_requirement"] == 10 and fields["license_policy"] == 4
    assert fields["citations"] == 8


def test_csl_sample_checked_by_hand() -> None:
    old = assign_identities(
        e for e in _csl("csl/csl_2022-04_full__watchman.csv.gz") if e.lists == ["EL"]
    )
    new = assign_identities(
        e for e in _csl("csl/csl_2023-11_subset__watchman.csv") if e.lists == ["EL"]
    )
    pairing = pair_snapshots(old, new)
    by_name = {p.new.name: p for p in pairing.pairs}
    # A real continuing entry keyed by name and country, with different CSL _ids in each file.
    goldoozan = by_name["Abbas Goldoozan"]
    assert goldoozan.method == "key" and goldoozan.old.source_id != goldoozan.new.source_id
    assert [c.field for c in entry_changes(goldoozan.old, goldoozan.new)] == ["remarks"]
    assert goldoozan.new.remarks == "See also alternate address under Turkey"
    # The IFS was removed in Nov 2023; the subset does not carry it (not proof of removal).
    ifs_identity = next(k for k, e in old.items() if "Institute of Forensic Science" in e.name)
    assert ifs_identity in pairing.removed
    fuzzy = [p for p in pairing.pairs if p.method == "fuzzy-name"]
    assert all("no identity key in common" in p.explanation for p in fuzzy)
    assert all(p.old.lists == p.new.lists for p in fuzzy)


def test_un_2018_june_vs_october() -> None:
    old = assign_identities(_un("un/un_consolidated_2018-06-07__perchrh.xml.gz"))
    new = assign_identities(_un("un/un_consolidated_2018-10-29__perchrh.xml.gz"))
    diff = snapshot_diff("un_sc", 1, 2, pair_snapshots(old, new), to_is_subset=False)
    assert diff.pairing_methods == {"source-id": 1082}
    assert (len(diff.added), len(diff.removed), len(diff.changed)) == (11, 16, 17)
    assert len(old) == 1082 + 16 and len(new) == 1082 + 11


def test_identity_of_stable_and_unstable_sources() -> None:
    entries = parse_snapshot(
        CslCsv(), raw_from({"consolidated.csv": FIXTURES / "csl" / "csl_2022-04_cut.csv"})
    ).entries
    ifs = next(e for e in entries if "Forensic Science" in e.name)
    assert (
        identity_key(ifs)
        == "us_csl:EL:ministry of public security institute of forensic science of china|CN"
    )
    sdn_copy = next(e for e in entries if e.lists == ["SDN"])
    assert identity_key(sdn_copy) == f"us_csl:SDN:#{sdn_copy.original['entity_number']}"
    identities = assign_identities(entries)
    assert len(identities) == len(entries)
