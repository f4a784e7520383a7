"""An order or shipment: its parties with their roles, its line items, its route and date. Read
from JSON or CSV and validated, with errors that name the field."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

Role = Literal[
    "buyer",
    "intermediate_consignee",
    "ultimate_consignee",
    "end_user",
    "freight_forwarder",
    "bank",
    "other",
]
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]


class OrderError(ValueError):
    pass


def _country(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


class Party(BaseModel):
    role: Role
    name: str = Field(min_length=1, max_length=500)
    country: str | None = None
    address: str | None = None
    identifiers: list[str] = Field(default_factory=list, description="e.g. USCC:9144…")

    _country = field_validator("country")(_country)

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a party needs a name")
        return value.strip()


class Item(BaseModel):
    description: str = Field(min_length=1, max_length=2000)
    # a chemical line is identified and checked against the substance controls; equipment and
    # other goods are recorded but not classified here (no ECCN classification yet)
    kind: Literal["chemical", "equipment", "other"] = "chemical"
    quantity: float | None = Field(default=None, ge=0)
    unit: str | None = None
    cas: str | None = None
    hs: str | None = None

    @property
    def line(self) -> str:
        """What the chemical screen reads: the description with its declared identifiers."""
        parts = [self.description]
        if self.cas:
            parts.append(f"CAS {self.cas}")
        if self.hs:
            parts.append(f"HS {self.hs}")
        return ", ".join(parts)


class Route(BaseModel):
    origin: str
    transit: list[str] = Field(default_factory=list)
    destination: str

    _codes = field_validator("origin", "destination")(_country)

    @field_validator("transit")
    @classmethod
    def _transit(cls, values: list[str]) -> list[str]:
        return [c for c in (_country(v) for v in values) if c]


class Order(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    date: date
    parties: list[Party] = Field(min_length=1)
    items: list[Item] = Field(default_factory=list)
    route: Route


def _first_error(exc: ValidationError, origin: str) -> OrderError:
    messages = []
    for error in exc.errors()[:5]:
        where = ".".join(str(part) for part in error["loc"])
        messages.append(f"{where}: {error['msg']}" if where else str(error["msg"]))
    return OrderError(f"{origin}: " + "; ".join(messages))


def parse_order(data: object, origin: str = "order") -> Order:
    try:
        return Order.model_validate(data)
    except ValidationError as exc:
        raise _first_error(exc, origin) from exc


def read_order(path: Path) -> Order:
    """An order from a .json file, or a .csv file of one row per party or line item."""
    if not path.is_file():
        raise OrderError(f"{path}: no such file")
    if path.suffix.lower() == ".csv":
        return parse_order(_from_csv(path), str(path))
    try:
        data = json.loads(path.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise OrderError(f"{path}: not JSON: {exc}") from exc
    return parse_order(data, str(path))


CSV_COLUMNS = (
    "order_id", "order_date", "record", "role", "name", "country", "address", "identifiers",
    "description", "kind", "quantity", "unit", "cas", "hs", "origin", "transit", "destination",
)  # fmt: skip


def _from_csv(path: Path) -> dict[str, object]:
    """Rows with record = party | item | route; identifiers and transit are ';'-separated."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"order_id", "order_date", "record"} - set(reader.fieldnames or [])
        if missing:
            raise OrderError(f"{path}: missing columns {', '.join(sorted(missing))}")
        rows = list(enumerate(reader, start=2))
    if not rows:
        raise OrderError(f"{path}: no rows")
    ids = {row["order_id"].strip() for _, row in rows}
    if len(ids) != 1:
        raise OrderError(f"{path}: one order per file, found ids {', '.join(sorted(ids))}")
    order: dict[str, object] = {"id": ids.pop(), "date": rows[0][1]["order_date"].strip()}
    parties: list[dict[str, object]] = []
    items: list[dict[str, object]] = []
    for line, row in rows:
        kind = (row.get("record") or "").strip().lower()

        def cell(column: str, row: dict[str, str] = row) -> str | None:
            value = (row.get(column) or "").strip()
            return value or None

        if kind == "party":
            parties.append(
                {
                    "role": cell("role"),
                    "name": cell("name") or "",
                    "country": cell("country"),
                    "address": cell("address"),
                    "identifiers": [
                        i.strip() for i in (cell("identifiers") or "").split(";") if i.strip()
                    ],
                }
            )
        elif kind == "item":
            item: dict[str, object] = {
                k: cell(k) for k in ("description", "quantity", "unit", "cas", "hs")
            }
            if cell("kind"):
                item["kind"] = cell("kind")
            items.append(item)
        elif kind == "route":
            order["route"] = {
                "origin": cell("origin"),
                "transit": [t.strip() for t in (cell("transit") or "").split(";") if t.strip()],
                "destination": cell("destination"),
            }
        else:
            raise OrderError(
                f"{path}: line {line}: record must be party, item or route, got {kind!r}"
            )
    order["parties"] = parties
    order["items"] = items
    return order
