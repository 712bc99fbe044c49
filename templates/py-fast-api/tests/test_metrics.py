{% if compute_type.function_url %}
"""Request metrics under a long-running server (uvicorn outside AWS Lambda)."""
{% else %}
"""Request metrics under a long-running server (uvicorn, the Lambda Web Adapter)."""
{% endif %}

import asyncio
import warnings
from collections.abc import Callable

import httpx
from fastapi.testclient import TestClient

from {{ module }}.init import request_metrics
from {{ module }}.main import app

from .helpers import Output


def test_routes_are_aggregated_separately(client: TestClient, output: Callable[[], Output]) -> None:
    output()  # discard anything already written
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. Powertools' "dimension overwritten" warning
        for i in range(3):
            client.get(f"/items/{i}")
            client.get("/echo")
            client.get(f"/not-a-route/{i}")
        client.get("/items/-1")
        request_metrics.flush()

    docs = {doc["route"]: doc for doc in output().metric_docs("RequestCount")}
    assert set(docs) == {"GET /items/{item_id}", "GET /echo", "GET UNMATCHED"}
    items = docs["GET /items/{item_id}"]
    assert (items["RequestCount"], items["Success"], items["Failure"]) == (4, 3, 0)
    assert len(items["Latency"]) == 4
    assert docs["GET /echo"]["RequestCount"] == 3
    assert docs["GET UNMATCHED"]["Success"] == 0


def test_buffers_are_published_in_batches(client: TestClient, output: Callable[[], Output]) -> None:
    request_metrics.flush()
    output()
    for _ in range(request_metrics.batch_size * 2):
        client.get("/echo")
    docs = output().metric_docs("RequestCount")
    assert [doc["RequestCount"] for doc in docs] == [request_metrics.batch_size] * 2


def test_nothing_is_published_when_metrics_are_disabled(
    client: TestClient, output: Callable[[], Output], monkeypatch
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    client.get("/echo")
    request_metrics.flush()
    assert output().metrics == []


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
    assert [r.headers["x-correlation-id"] for r in responses] == [f"req-{i}" for i in range(20)]
    captured = output()
    logs = [log for log in captured.logs if log["message"] == "Fetching item"]
    assert len(logs) == 20
    for log in logs:
        assert log["correlation_id"] == f"req-{log['item_id']}"
        assert log["path"] == f"/items/{log['item_id']}"
    lines = captured.request_lines()
    assert len(lines) == 20
    for line in lines:
        assert line["path"] == f"/items/{line['correlation_id'].removeprefix('req-')}"
