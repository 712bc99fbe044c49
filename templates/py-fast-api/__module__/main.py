"""{{ class_name }} routes.

Add your own below, or in routers included with ``app.include_router``.

Each route function's name becomes its OpenAPI operationId (``get_item``, ``create_item``,
...) and, with the generated infrastructure, the name of its integration, so keep them
unique and meaningful.
"""

{% if web_adapter %}
import asyncio
{% endif %}
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from aws_lambda_powertools.metrics import MetricUnit
from fastapi import HTTPException, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

{% if not web_adapter %}
from ._lambda import make_lambda_handler
{% endif %}
from .init import app, logger, metrics, tracer
from .streaming import stream_json_lines


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=1000)


class Echo(BaseModel):
    message: str


class Chunk(BaseModel):
    message: str
    timestamp: datetime


@app.get("/items/{item_id}")
@tracer.capture_method
def get_item(item_id: int) -> Item:
    """Fetch an item by id."""
    if item_id < 0:
        raise HTTPException(status_code=400, detail="Item ID must be positive")
    logger.info("Fetching item", extra={"item_id": item_id})
    with tracer.provider.in_subsegment("fetch-item-details") as subsegment:
        subsegment.put_annotation("item_id", item_id)
        item = Item(name=f"Item {item_id}")
    metrics.add_metric(name="ItemViewed", unit=MetricUnit.Count, value=1)
    return item


@app.post("/items", status_code=201)
def create_item(item: Item) -> Item:
    """Create an item."""
    logger.info("Creating item", extra={"item_name": item.name})
    return item


@app.get("/echo")
async def echo(message: str = "") -> Echo:
    """Echo the ``message`` query parameter."""
    return Echo(message=message)


{% if web_adapter %}
async def _chunks(count: int, interval: float) -> AsyncIterator[Chunk]:
    for i in range(count):
        if i:
            await asyncio.sleep(interval)  # e.g. waiting for the next tokens of a model
        yield Chunk(message=f"This is chunk {i}", timestamp=datetime.now(UTC))


@app.get("/stream", response_model=Chunk, openapi_extra={"x-streaming": True})
async def stream(
    count: int = Query(default=10, ge=1, le=100),
    interval: float = Query(default=0.1, ge=0, le=1, description="Seconds between chunks"),
) -> StreamingResponse:
    """Stream ``count`` chunks as JSON Lines (one ``Chunk`` per line), ``interval`` seconds
    apart: each reaches the client as soon as it is yielded."""
    return stream_json_lines(_chunks(count, interval))


# Importing this module registers the routes above before the first request. In AWS Lambda,
# run.sh serves the app with uvicorn through the Lambda Web Adapter, as
# "{{ module }}.main:app".
{% else %}
async def _chunks(count: int) -> AsyncIterator[Chunk]:
    for i in range(count):
        yield Chunk(message=f"This is chunk {i}", timestamp=datetime.now(UTC))


@app.get("/stream", response_model=Chunk, openapi_extra={"x-streaming": True})
async def stream(count: int = Query(default=10, ge=1, le=100)) -> StreamingResponse:
    """Stream ``count`` chunks as JSON Lines (one ``Chunk`` per line)."""
    return stream_json_lines(_chunks(count))


# Importing this module registers the routes above before the first request. In AWS Lambda,
# the handler is "{{ module }}.main.handler".
handler = make_lambda_handler(app)
{% endif %}
