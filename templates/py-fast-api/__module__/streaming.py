"""Helpers for streaming responses as JSON Lines (one JSON document per line).

{% if compute_type.function_url %}
Behind the Lambda Function URL (``InvokeMode.RESPONSE_STREAM``) the Lambda Web Adapter passes
each chunk on to the client as soon as the app writes it.
{% elif streaming %}
Behind the REST API (its integrations' ``responseTransferMode`` is ``STREAM``) the Lambda Web
Adapter and API Gateway pass each chunk on to the client as soon as the app writes it.
{% else %}
Under API Gateway the whole stream is buffered into a single response; deploy behind a
Lambda Function URL with the Lambda Web Adapter (response streaming) to stream for real.
{% endif %}
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping

from fastapi.responses import StreamingResponse
from pydantic import BaseModel

JSON_LINES_MEDIA_TYPE = "application/jsonl"


async def _encode_async(chunks: AsyncIterable[BaseModel]) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        yield chunk.model_dump_json().encode() + b"\n"


def _encode_sync(chunks: Iterable[BaseModel]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.model_dump_json().encode() + b"\n"


def stream_json_lines(
    chunks: AsyncIterable[BaseModel] | Iterable[BaseModel],
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> StreamingResponse:
    """Stream Pydantic models as JSON Lines.

    Declare the chunk model on the route (``response_model=Chunk``) and mark it with
    ``openapi_extra={"x-streaming": True}`` so the OpenAPI spec documents the chunk type.
    Synchronous iterables are consumed in a worker thread, so blocking I/O is fine there.
    """
    body = _encode_async(chunks) if isinstance(chunks, AsyncIterable) else _encode_sync(chunks)
    return StreamingResponse(
        body, status_code=status_code, headers=headers, media_type=JSON_LINES_MEDIA_TYPE
    )
