"""Large answers serialised once, straight from their model.

A route that returns a model has FastAPI validate it against the response model again before
serialising it; for a screening result of tens of kilobytes that costs as much as the HTTP work
around it. The route still declares `response_model`, so the OpenAPI document is the same."""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel


def model_response(model: BaseModel) -> Response:
    return Response(model.model_dump_json(by_alias=True), media_type="application/json")
