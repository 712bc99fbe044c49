"""The app under a long-running server outside AWS Lambda (uvicorn, as ``serve`` runs it)."""

import asyncio
from collections.abc import Callable

import httpx
from fastapi.testclient import TestClient

from {{ module }}.init import metrics
from {{ module }}.main import app

from .helpers import Output


def test_requests_outside_lambda_record_no_metrics(
    client: TestClient, output: Callable[[], Output]
) -> None:
    """Interleaved requests would share one dimension set, and there is nowhere to publish:
    only Lambda invocations are measured (see test_lambda.py), and what a route adds (the
    item route's ``ItemViewed``) is dropped with its request."""
    output()
    for path in ("/items/1", "/echo", "/no-such-route", "/items/-1"):
        client.get(path)
    assert output().metrics == []
    assert metrics.metric_set == {}


def test_concurrent_requests_keep_their_own_log_context(output: Callable[[], Output]) -> None:
    async def main() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await asyncio.gather(
                *(
                    client.get(f"/items/{i}", headers={"x-correlation-id": f"req-{i}"})
                    for i in range(20)
                )
            )

    responses = asyncio.run(main())
    correlation_ids = {r.headers["x-correlation-id"] for r in responses}
    assert len(correlation_ids) == 20
    captured = output()
    logs = [log for log in captured.logs if log["message"] == "Fetching item"]
    assert len(logs) == 20
    for log in logs:
        assert log["client_correlation_id"] == f"req-{log['item_id']}"
        assert log["path"] == f"/items/{log['item_id']}"
    assert {log["correlation_id"] for log in logs} == correlation_ids
    lines = captured.request_lines()
    assert len(lines) == 20
    for line in lines:
        assert line["path"] == f"/items/{line['client_correlation_id'].removeprefix('req-')}"
