"""The screening contract's unvalidated builders, held to pydantic's own (a pydantic release that
changes what a model holds fails here, not in a batch)."""

from __future__ import annotations

from typing import Any

import pytest

from interlock.match.contract import ScreeningMatch, given_status, unvalidated_match
from interlock.model import Schema


def _fields() -> dict[str, Any]:
    return {
        "entity_id": "us_csl:EL:1",
        "source": "us_csl",
        "lists": ["Entity List (EL) - Bureau of Industry and Security"],
        "schema_": Schema.ORGANIZATION,
        "name": "Institute of Forensic Science",
        "aliases": ["IFS"],
        "matched_name": "IFS",
        "score": 0.91,
        "match": True,
        "explanation": {"log_odds": 2.3, "aliases": [{"alias": "IFS", "score": 0.91}]},
        "identity": "us_csl:EL:1",
        "status": None,
        "status_detail": None,
    }


def _state(match: ScreeningMatch) -> tuple[object, ...]:
    return (
        match.__dict__,
        match.__pydantic_fields_set__,
        match.__pydantic_extra__,
        match.__pydantic_private__,
        match.model_dump_json(by_alias=True),
    )


def test_an_unvalidated_match_is_what_model_construct_makes() -> None:
    ours, theirs = unvalidated_match(_fields()), ScreeningMatch.model_construct(**_fields())
    assert type(ours) is ScreeningMatch
    assert _state(ours) == _state(theirs)
    assert ours == theirs


def test_a_match_given_its_status_is_one_assigned_it() -> None:
    ours, theirs = unvalidated_match(_fields()), ScreeningMatch.model_construct(**_fields())
    detail = {"since": "2020-06-05"}
    given_status(ours, "listed", detail)
    theirs.status, theirs.status_detail = "listed", detail
    assert _state(ours) == _state(theirs)
    assert '"status":"listed"' in ours.model_dump_json()


def test_a_status_given_is_set_as_an_assignment_sets_it() -> None:
    """On a match validated without a status, too: the status counts as set."""
    fields = {k: v for k, v in _fields().items() if k not in ("status", "status_detail")}
    ours, theirs = ScreeningMatch(**fields), ScreeningMatch(**fields)
    given_status(ours, "delisted", {"removed": "2023-11-16"})
    theirs.status, theirs.status_detail = "delisted", {"removed": "2023-11-16"}
    assert _state(ours) == _state(theirs)
    assert ours.model_dump(exclude_unset=True)["status"] == "delisted"


@pytest.mark.parametrize("change", ["missing", "extra", "reordered"])
def test_an_unvalidated_match_takes_every_field_in_order_and_no_other(change: str) -> None:
    """The fields in the model's order, which its JSON keeps."""
    fields = _fields()
    if change == "missing":
        del fields["status"]
    elif change == "extra":
        fields["statut"] = "listed"
    else:
        fields = dict(reversed(fields.items()))
    with pytest.raises(ValueError, match="exactly the fields"):
        unvalidated_match(fields)
