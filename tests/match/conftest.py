"""Fixtures shared by the matcher's tests."""

from __future__ import annotations

import pytest

from interlock.match import scoring


@pytest.fixture(params=["C core", "Python"])
def scorer_core(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Runs a test once with the C scoring core and once with the pure-Python scorer."""
    if request.param == "C core" and scoring.NATIVE is None:
        pytest.skip("the C scoring core is not built in this environment")
    if request.param == "Python":
        monkeypatch.setattr(scoring, "NATIVE", None)
        monkeypatch.setattr(scoring, "ALIGN", scoring._align_python)
    return str(request.param)
