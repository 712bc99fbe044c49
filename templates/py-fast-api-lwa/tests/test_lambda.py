"""The app as it runs in AWS Lambda: the Lambda Web Adapter forwards each invocation of the
{{ "Function URL" if compute_type.function_url else "REST API" }} as an HTTP request that carries the invocation in ``x-amzn-lambda-context``."""

import os
import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from {{ module }} import _lambda
from {{ module }}.main import Chunk

from . import web_adapter
from .helpers import Output, assert_invocation_metrics, assert_request_line
from .web_adapter import ACCOUNT_ID, CORRELATION_ID, FUNCTION_NAME, REQUEST_ID, TRACE_ID


@pytest.fixture
def lambda_headers() -> dict[str, str]:
    return web_adapter.lambda_headers()


@pytest.fixture
def cold_start_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the next invocation a cold start, as the first one in a new sandbox is."""
    monkeypatch.setattr(_lambda, "_cold_start", True)


def test_correlation_id_is_{{ 'the_lambda' if compute_type.function_url else 'api_gateways' }}_request_id(
    client: TestClient, lambda_headers: dict[str, str], output: Callable[[], Output]
) -> None:
    response = client.get("/items/3", headers=lambda_headers)
    assert response.status_code == 200
    assert response.headers["x-correlation-id"] == CORRELATION_ID

    log = output().log("Fetching item")
    assert log["correlation_id"] == CORRELATION_ID
    assert log["function_request_id"] == REQUEST_ID
    assert log["function_name"] == FUNCTION_NAME
    assert log["function_memory_size"] == 512
    assert log["route"] == "/items/{item_id}"


{% if streaming %}
def test_without_api_gateways_request_id_the_lambda_request_id_correlates(
    client: TestClient, lambda_headers: dict[str, str]
) -> None:
    for request_context in ("not json", "[]", "{}", '{"requestId": 7}'):
        headers = {**lambda_headers, "x-amzn-request-context": request_context}
        response = client.get("/items/3", headers=headers)
        assert response.headers["x-correlation-id"] == REQUEST_ID


{% endif %}def test_a_client_correlation_id_is_kept_apart(
    client: TestClient,
    lambda_headers: dict[str, str],
    output: Callable[[], Output],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A caller cannot label its requests with another request's id: its own id is logged
    under a key of its own, next to the ids AWS gave the request."""
    monkeypatch.delenv("_X_AMZN_TRACE_ID", raising=False)  # set from the adapter's header
    headers = {**lambda_headers, "x-correlation-id": REQUEST_ID.replace("6f", "00")}
    response = client.get("/items/3", headers=headers)
    assert response.headers["x-correlation-id"] == CORRELATION_ID
    captured = output()
    log = captured.log("Fetching item")
    [line] = captured.request_lines()
    for logged in (log, line):
        assert logged["correlation_id"] == CORRELATION_ID
        assert logged["function_request_id"] == REQUEST_ID
        assert logged["xray_trace_id"] == "1-67748f00-0123456789abcdef01234567"
        assert logged["client_correlation_id"] == REQUEST_ID.replace("6f", "00")


@pytest.mark.usefixtures("cold_start_flag")
def test_metrics_are_flushed_per_invocation(
    client: TestClient, lambda_headers: dict[str, str], output: Callable[[], Output]
) -> None:
    client.get("/items/3", headers=lambda_headers)
    captured = output()

    [cold_start] = captured.metric_docs("ColdStart")
    assert cold_start["ColdStart"] == [1.0]
    assert cold_start["function_name"] == FUNCTION_NAME
    assert cold_start["service"] == "{{ class_name }}"
    log = captured.log("Fetching item")
    assert log["cold_start"] is True

    [doc] = captured.metric_docs("RequestCount")
    assert_invocation_metrics(doc, "GET /items/{item_id}")
    assert doc["ItemViewed"] == [1.0]

    # The next (warm) invocation: no cold start, and a clean metric set.
    client.get("/items/4", headers=lambda_headers)
    captured = output()
    assert captured.metric_docs("ColdStart") == []
    log = captured.log("Fetching item")
    assert log["cold_start"] is False
    client.get("/echo", headers=lambda_headers)
    [doc] = output().metric_docs("RequestCount")
    assert doc["route"] == "GET /echo"
    assert "ItemViewed" not in doc


def test_streamed_responses_are_counted_when_they_end(
    client: TestClient, lambda_headers: dict[str, str], output: Callable[[], Output]
) -> None:
    output()
    params = {"count": 3, "interval": 0.05}
    with client.stream("GET", "/stream", params=params, headers=lambda_headers) as response:
        assert response.headers["x-correlation-id"] == CORRELATION_ID
        chunks = [Chunk.model_validate_json(line) for line in response.iter_lines() if line]
    assert len(chunks) == 3
    captured = output()
    [doc] = captured.metric_docs("RequestCount")
    assert doc["route"] == "GET /stream"
    assert doc["Success"] == [1.0]
    # Logged once the last chunk was written: its latency covers the whole stream.
    [line] = captured.request_lines()
    assert_request_line(line, "GET", "/stream", "/stream", 200)
    assert line["latency_ms"] >= 100


def test_unhandled_exception_returns_a_safe_500(
    client: TestClient,
    lambda_headers: dict[str, str],
    failing_route: str,
    output: Callable[[], Output],
) -> None:
    response = client.get(failing_route, headers=lambda_headers)

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error", "correlation_id": CORRELATION_ID}
    captured = output()
    [error] = [log for log in captured.logs if log["level"] == "ERROR"]
    assert error["exception_name"] == "RuntimeError"
    assert error["function_request_id"] == REQUEST_ID
    [line] = captured.request_lines()
    assert_request_line(line, "GET", failing_route, failing_route, 500)
    assert line["function_request_id"] == REQUEST_ID
    [doc] = captured.metric_docs("RequestCount")
    assert (doc["Failure"], doc["Success"]) == ([1.0], [0.0])


def test_the_trace_id_is_handed_to_the_tracer(
    client: TestClient, lambda_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-00000000-000000000000000000000000")
    client.get("/echo", headers=lambda_headers)
    assert os.environ["_X_AMZN_TRACE_ID"] == TRACE_ID


def test_without_the_lambda_context_requests_are_not_invocations(
    client: TestClient, output: Callable[[], Output]
) -> None:
    output()
    for headers in ({}, {"x-amzn-lambda-context": "not json"}):
        response = client.get("/echo", headers=headers)
        assert response.status_code == 200
        assert uuid.UUID(response.headers["x-correlation-id"])
    captured = output()
    # Aggregated like any long-running server's requests (see test_metrics.py).
    assert captured.metric_docs("RequestCount") == []
    lines = captured.request_lines()
    assert len(lines) == 2
    for line in lines:
        assert_request_line(line, "GET", "/echo", "/echo", 200)
        assert "function_request_id" not in line


@pytest.mark.usefixtures("cold_start_flag")
def test_each_invocation_logs_one_request_line(
    client: TestClient, lambda_headers: dict[str, str], output: Callable[[], Output]
) -> None:
    output()  # discard anything already written
    client.get("/items/3", headers=lambda_headers)
    [line] = output().request_lines()

    assert_request_line(line, "GET", "/items/3", "/items/{item_id}", 200)
    assert line["correlation_id"] == CORRELATION_ID
    # The Lambda context from x-amzn-lambda-context, as on every line of the invocation.
    assert line["function_name"] == FUNCTION_NAME
    assert line["function_request_id"] == REQUEST_ID
    assert line["function_arn"] == f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:{FUNCTION_NAME}"
    assert line["function_memory_size"] == 512
    assert line["cold_start"] is True

    client.post("/items", json={}, headers=lambda_headers)
    client.get("/no-such-route", headers=lambda_headers)
    lines = output().request_lines()
    assert len(lines) == 2
    assert_request_line(lines[0], "POST", "/items", "/items", 422)
    assert_request_line(lines[1], "GET", "/no-such-route", "UNMATCHED", 404)
    assert [line["cold_start"] for line in lines] == [False, False]
