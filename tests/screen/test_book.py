"""The counterparty book: screened once, re-screened only where a list change reaches, with alerts
for new hits and release notices for delistings (the IFS removal of 2023-11-16)."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date
from pathlib import Path

import pytest

from interlock.config import Settings
from interlock.core import Interlock
from interlock.history.curated import operator_event
from interlock.screen.book import BookError, BookParty, read_book_csv
from tests.conftest import FIXTURES
from tests.test_cli import load_cut, run

CSL = FIXTURES / "csl" / "csl_2022-04_cut.csv"
IFS_NAME = "Ministry of Public Security's Institute of Forensic Science of China"
BOOK = [
    BookParty(id="C1", name=IFS_NAME, country="CN"),
    BookParty(id="C2", name="CloudWalk Technology", country="CN"),
    BookParty(id="C3", name="Acme Precision Trading", country="CN"),
    BookParty(id="C4", name="Nordic Lab Supplies AB", country="SE"),
]


@pytest.fixture
def app(settings: Settings) -> Interlock:
    # the re-screens below are asked for with their dates; loads do not start one of their own
    interlock = Interlock(dataclasses.replace(settings, rescreen_on_change=False))
    interlock.load_files("csl_csv", [CSL], data_date=date(2022, 4, 28))
    interlock.import_book(BOOK)
    return interlock


def _with_new_entry(folder: Path) -> Path:
    """The CSL cut plus one Entity List row naming a party of the book."""
    with CSL.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        columns = reader.fieldnames or []
    template = next(r for r in rows if r["name"] == "CloudWalk Technology")
    rows.append(
        template | {"_id": "f" * 40, "name": "Acme Precision Trading Co., Ltd.", "alt_names": ""}
    )
    path = folder / "csl_added.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_rescreen_reaches_only_what_changed(app: Interlock, tmp_path: Path) -> None:
    first = app.screen_book(date(2023, 11, 15))
    assert first.full and first.screened == 4
    assert sorted(h.party.id for h in first.new_hits) == ["C1", "C2"]
    assert len(app.alerts.list("open")) == 2

    quiet = app.screen_book(date(2023, 11, 15))
    assert not quiet.full and quiet.screened == 0 and not quiet.new_hits

    removal = app.screen_book(date(2023, 11, 16))  # the IFS removal takes effect
    assert removal.screened == 1
    (notice,) = removal.releases
    assert notice.party_id == "C1" and notice.was == "listed" and notice.now == "delisted"

    app.load_files("csl_csv", [_with_new_entry(tmp_path)], data_date=date(2024, 1, 2))
    added = app.screen_book(date(2024, 1, 3))
    assert added.changed_entries >= 1 and added.screened < 4
    assert [h.party.id for h in added.new_hits] == ["C3"]
    assert any(a.party["id"] == "C3" for a in app.alerts.list("open"))


def test_book_csv_and_commands(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_text(
        "id,name,country,identifiers\nK1,CloudWalk Technology,CN,\nK2,Blue Widget Ltd,GB,LEI:5493001KJTIIGC8Y1R12\n",
        encoding="utf-8",
    )
    parties = read_book_csv(path)
    assert [p.identifiers for p in parties] == [[], ["LEI:5493001KJTIIGC8Y1R12"]]
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,country\nK1,A,China\n", encoding="utf-8")
    with pytest.raises(BookError, match="line 2: country"):
        read_book_csv(bad)
    bad.write_text("id,name\nK1,A\nK1,B\n", encoding="utf-8")
    with pytest.raises(BookError, match="line 3: party id 'K1' appears twice"):
        read_book_csv(bad)

    load_cut(tmp_path)
    assert run(tmp_path, "book", "import", str(path)).returncode == 0
    screened = run(tmp_path, "book", "screen")
    assert screened.returncode == 0 and "2 of 2 parties screened (all" in screened.stdout
    assert "new hit" in screened.stdout and "K1" in screened.stdout
    again = run(tmp_path, "book", "rescreen")
    assert (
        again.returncode == 0
        and "0 of 2 parties screened (affected; 100.0% spared)" in again.stdout
    )
    assert run(tmp_path, "book", "import", str(bad)).returncode == 2


def test_a_delisting_event_loaded_into_the_book_gives_a_release_notice(app: Interlock) -> None:
    app.screen_book(date(2024, 1, 1))
    app.add_event(
        operator_event(
            source="us_csl", list_code="EL", name="CloudWalk Technology", country="CN",
            action="remove", effective_date=date(2024, 2, 1), published=date(2024, 2, 1),
            source_url="https://example.invalid/rule", citation="89 FR 1 (test)",
        )
    )  # fmt: skip
    report = app.screen_book(date(2024, 2, 2))
    assert report.screened == 1
    (notice,) = report.releases
    assert (notice.party_id, notice.was, notice.now) == ("C2", "listed", "delisted")


def test_a_load_re_screens_a_screened_book_by_itself(settings: Settings, tmp_path: Path) -> None:
    app = Interlock(settings)
    app.load_files("csl_csv", [CSL], data_date=date(2022, 4, 28))
    app.import_book(BOOK)
    assert app.last_book_report is None  # never screened: nothing to compare with
    app.screen_book()
    app.load_files("csl_csv", [_with_new_entry(tmp_path)], data_date=date(2024, 1, 2))
    report = app.last_book_report
    assert report is not None and not report.full and report.screened < len(BOOK)
    assert [h.party.id for h in report.new_hits] == ["C3"]
