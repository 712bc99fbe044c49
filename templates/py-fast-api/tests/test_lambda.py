{% if compute_type.function_url %}
"""The app as it runs in AWS Lambda: the Lambda Web Adapter forwards each invocation of the
Function URL as an HTTP request that carries the invocation in ``x-amzn-lambda-context``."""

import os
import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from {{ module }}.main import Chunk

from .helpers import FUNCTION_NAME, REQUEST_ID, TRACE_ID, Output


def test_correlation_id_defaults_to_the_lambda_request_id(
    client: TestClient, lambda_headers: dict[str, str], output: Callable[[], Output]
) -> None:
    response = client.get("/items/3", headers=lambda_headers)
    assert response.status_code == 200
    assert response.headers["x-correlation-id"] == REQUEST_ID

    [log] = [log for log in output().logs if log["message"] == "Fetching item"]
    assert log["correlation_id"] == REQUEST_ID
    assert log["function_request_id"] == REQUEST_ID
    assert log["function_name"] == FUNCTION_NAME
    assert log["function_memory_size"] == 512
    assert log["route"] == "/items/{item_id}"


def test_correlation_id_header_wins(
    client: TestClient, lambda_headers: dict[str, str], output: Callable[[], Output]
) -> None:
    headers = {**lambda_headers, "x-correlation-id": "from-client"}
    response = client.get("/items/3", headers=headers)
    assert response.headers["x-correlation-id"] == "from-client"
    [log] = [log for log in output().logs if log["message"] == "Fetching item"]
    assert log["correlation_id"] == "from-client"
    assert log["function_request_id"] == REQUEST_ID


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
    [log] = [log for log in captured.logs if log["message"] == "Fetching item"]
    assert log["cold_start"] is True

    [doc] = captured.metric_docs("RequestCount")
    assert doc["route"] == "GET /items/{item_id}"
    assert doc["service"] == "{{ class_name }}"
    assert (doc["RequestCount"], doc["Success"], doc["Failure"]) == ([1.0], [1.0], [0.0])
    assert doc["ItemViewed"] == [1.0]
    assert doc["Latency"][0] >= 0
    [directive] = doc["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "{{ class_name }}"
    assert ["route", "service"] in [sorted(dims) for dims in directive["Dimensions"]]

    # The next (warm) invocation: no cold start, and a clean metric set.
    client.get("/items/4", headers=lambda_headers)
    captured = output()
    assert captured.metric_docs("ColdStart") == []
    [log] = [log for log in captured.logs if log["message"] == "Fetching item"]
    assert log["cold_start"] is False
    client.get("/echo", headers=lambda_headers)
    [doc] = output().metric_docs("RequestCount")
    assert doc["route"] == "GET /echo"
    assert "ItemViewed" not in doc


def test_streamed_responses_are_counted_when_they_end(
    client: TestClient, lambda_headers: dict[str, str], output: Callable[[], Output]
) -> None:
    params = {"count": 3, "interval": 0}
    with client.stream("GET", "/stream", params=params, headers=lambda_headers) as response:
        assert response.headers["x-correlation-id"] == REQUEST_ID
        chunks = [Chunk.model_validate_json(line) for line in response.iter_lines() if line]
    assert len(chunks) == 3
    [doc] = output().metric_docs("RequestCount")
    assert doc["route"] == "GET /stream"
    assert doc["Success"] == [1.0]


def test_unhandled_exception_returns_a_safe_500(
    client: TestClient,
    lambda_headers: dict[str, str],
    failing_route: str,
    output: Callable[[], Output],
) -> None:
    response = client.get(failing_route, headers=lambda_headers)

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error", "correlation_id": REQUEST_ID}
    captured = output()
    [error] = [log for log in captured.logs if log["level"] == "ERROR"]
    assert error["exception_name"] == "RuntimeError"
    assert error["function_request_id"] == REQUEST_ID
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
    # Aggregated like any long-running server's requests (see test_metrics.py).
    assert output().metric_docs("RequestCount") == []
{% else %}
"""The real Lambda handler on API Gateway REST (v1) and HTTP API (v2) events."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from {{ module }}.main import Chunk, handler

from .helpers import EventFactory, FakeLambdaContext, Output


def _header(response: dict[str, Any], name: str) -> str:
    """A response header, whether Mangum returned it single- or multi-valued."""
    if name in response.get("headers", {}):
        return response["headers"][name]
    return response["multiValueHeaders"][name][0]


def test_get_item(api_event: EventFactory, lambda_context: FakeLambdaContext) -> None:
    response = handler(api_event("GET", "/items/3"), lambda_context)
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"name": "Item 3", "description": None}


def test_create_item(api_event: EventFactory, lambda_context: FakeLambdaContext) -> None:
    event = api_event("POST", "/items", body=json.dumps({"name": "Widget"}))
    response = handler(event, lambda_context)
    assert response["statusCode"] == 201
    assert json.loads(response["body"]) == {"name": "Widget", "description": None}


def test_validation_error(api_event: EventFactory, lambda_context: FakeLambdaContext) -> None:
    response = handler(api_event("POST", "/items", body="{}"), lambda_context)
    assert response["statusCode"] == 422


def test_query_parameters(api_event: EventFactory, lambda_context: FakeLambdaContext) -> None:
    response = handler(api_event("GET", "/echo", query={"message": "hi"}), lambda_context)
    assert json.loads(response["body"]) == {"message": "hi"}


def test_stream_is_buffered_into_one_response(
    api_event: EventFactory, lambda_context: FakeLambdaContext
) -> None:
    response = handler(api_event("GET", "/stream", query={"count": "3"}), lambda_context)
    assert response["statusCode"] == 200
    chunks = [Chunk.model_validate_json(line) for line in response["body"].splitlines()]
    assert len(chunks) == 3


def test_correlation_id_defaults_to_the_lambda_request_id(
    api_event: EventFactory, lambda_context: FakeLambdaContext, output: Callable[[], Output]
) -> None:
    response = handler(api_event("GET", "/items/3"), lambda_context)
    assert _header(response, "x-correlation-id") == lambda_context.aws_request_id

    [log] = [log for log in output().logs if log["message"] == "Fetching item"]
    assert log["correlation_id"] == lambda_context.aws_request_id
    assert log["function_name"] == lambda_context.function_name
    assert log["function_request_id"] == lambda_context.aws_request_id
    assert log["route"] == "/items/{item_id}"


def test_correlation_id_header_wins(
    api_event: EventFactory, lambda_context: FakeLambdaContext, output: Callable[[], Output]
) -> None:
    event = api_event("GET", "/items/3", headers={"x-correlation-id": "from-client"})
    response = handler(event, lambda_context)
    assert _header(response, "x-correlation-id") == "from-client"
    [log] = [log for log in output().logs if log["message"] == "Fetching item"]
    assert log["correlation_id"] == "from-client"


def test_unhandled_exception_returns_a_safe_500(
    api_event: EventFactory,
    lambda_context: FakeLambdaContext,
    failing_route: str,
    output: Callable[[], Output],
) -> None:
    response = handler(api_event("GET", failing_route), lambda_context)

    assert response["statusCode"] == 500
    assert json.loads(response["body"]) == {
        "detail": "Internal Server Error",
        "correlation_id": lambda_context.aws_request_id,
    }
    assert _header(response, "x-correlation-id") == lambda_context.aws_request_id
    captured = output()
    [error] = [log for log in captured.logs if log["level"] == "ERROR"]
    assert error["exception_name"] == "RuntimeError"
    [doc] = captured.metric_docs("RequestCount")
    assert (doc["Failure"], doc["Success"]) == ([1.0], [0.0])


@pytest.mark.usefixtures("cold_start_flag")
def test_metrics_are_flushed_per_invocation(
    api_event: EventFactory, lambda_context: FakeLambdaContext, output: Callable[[], Output]
) -> None:
    handler(api_event("GET", "/items/3"), lambda_context)
    captured = output()

    [cold_start] = captured.metric_docs("ColdStart")
    assert cold_start["ColdStart"] == [1.0]
    assert cold_start["function_name"] == lambda_context.function_name

    [doc] = captured.metric_docs("RequestCount")
    assert doc["route"] == "GET /items/{item_id}"
    assert doc["service"] == "{{ class_name }}"
    assert (doc["RequestCount"], doc["Success"], doc["Failure"]) == ([1.0], [1.0], [0.0])
    assert doc["ItemViewed"] == [1.0]
    assert doc["Latency"][0] >= 0
    [directive] = doc["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "{{ class_name }}"
    assert ["route", "service"] in [sorted(dims) for dims in directive["Dimensions"]]

    # The next (warm) invocation starts from a clean metric set.
    handler(api_event("GET", "/echo"), lambda_context)
    [doc] = output().metric_docs("RequestCount")
    assert doc["route"] == "GET /echo"
    assert "ItemViewed" not in doc
{% endif %}
