"""Property-based testing of the service against its own OpenAPI document (schemathesis), on SQLite
and on PostgreSQL: whatever the generated request, the answer is never a server error, and an
error is a problem document."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from interlock.accounts.model import Role
from interlock.api.app import create_app
from interlock.config import Settings
from interlock.core import Interlock
from tests.conftest import FIXTURES
from tests.test_api_operations import ORDER

# calls that would end the test's own access; everything else is fuzzed
SPARED = {("DELETE", "/v1/admin/keys/{key_id}"), ("DELETE", "/v1/session")}
EXAMPLES_PER_OPERATION = 30


@pytest.fixture
def service(settings: Settings) -> tuple[Any, str]:
    """The service on each database the store tests use: the embedded SQLite and PostgreSQL."""
    interlock = Interlock(dataclasses.replace(settings, rate_limit_per_minute=1_000_000))
    interlock.load_files(
        "csl_csv", [FIXTURES / "csl" / "csl_2022-04_cut.csv"], data_date=date(2022, 4, 28)
    )
    from interlock.screen.order import parse_order

    interlock.screen_order(parse_order(ORDER, "order"))  # an order, an alert, audit records
    secret = interlock.accounts.create_key(1, Role.ADMIN, "fuzz").secret
    return create_app(interlock), secret


def test_no_request_makes_a_server_error(service: tuple[Any, str]) -> None:
    app, secret = service
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    failures: list[tuple[str, str, int, str]] = []

    for operation in operations:
        if (operation.method.upper(), operation.path) in SPARED:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            response = case.call(headers={"Authorization": f"Bearer {secret}"})
            if response.status_code >= 500 or (
                response.status_code >= 400
                and "application/problem+json" not in str(response.headers.get("content-type"))
            ):
                failures.append(
                    (case.method, case.formatted_path, response.status_code, response.text[:300])
                )

        check()
    assert failures == []
