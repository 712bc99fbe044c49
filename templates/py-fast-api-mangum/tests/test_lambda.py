"""The real Lambda handler on API Gateway REST (v1) and HTTP API (v2) events."""

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from aws_lambda_powertools.logging import logger as powertools_logger
from aws_lambda_powertools.metrics.provider import cold_start

from {{ module }}.init import metrics
from {{ module }}.main import Chunk, handler

from .api_gateway import REQUEST_ID, FakeLambdaContext, Request, http_event, rest_event
from .helpers import Output, assert_invocation_metrics, assert_request_line

EventFactory = Callable[..., dict[str, Any]]
TRACE_ID = "1-67748f00-0123456789abcdef01234567"


@pytest.fixture(params=[rest_event, http_event], ids=["rest", "http"])
def api_event(request: pytest.FixtureRequest) -> EventFactory:
    """Either payload version: Mangum handles both, whatever this API is deployed behind.

    Called like ``Request``: ``api_event("GET", "/echo", query={"message": "hi"})``.
    """
    to_event: Callable[[Request], dict[str, Any]] = request.param

    def make(method: str, path: str, **options: Any) -> dict[str, Any]:
        return to_event(Request(method, path, **options))

    return make


@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext()


@pytest.fixture
def cold_start_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the next invocation a cold start, as the first one in a new sandbox is."""
    monkeypatch.setattr(cold_start, "is_cold_start", True)  # for the ColdStart metric
    monkeypatch.setattr(powertools_logger, "is_cold_start", True)  # for the cold_start key


def _header(response: dict[str, Any], name: str) -> str:
    """A response header, whether Mangum returned it single- or multi-valued."""
    if name in response.get("headers", {}):
        return response["headers"][name]
    return response["multiValueHeaders"][name][0]


def test_get_item(api_event: EventFactory, lambda_context: FakeLambdaContext) -> None:
    response = handler(api_event("GET", "/items/3"), lambda_context)
    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"name": "Item 3", "description": None}


def test_requests_are_served_after_asyncio_run(
    api_event: EventFactory, lambda_context: FakeLambdaContext
) -> None:
    # asyncio.run() leaves the thread without a current event loop as it returns.
    asyncio.run(asyncio.sleep(0))
    response = handler(api_event("GET", "/items/3"), lambda_context)
    assert response["statusCode"] == 200


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
    api_event: EventFactory, lambda_context: FakeLambdaContext, output: Callable[[], Output]
) -> None:
    output()
    response = handler(api_event("GET", "/stream", query={"count": "3"}), lambda_context)
    assert response["statusCode"] == 200
    chunks = [Chunk.model_validate_json(line) for line in response["body"].splitlines()]
    assert len(chunks) == 3
    [line] = output().request_lines()
    assert_request_line(line, "GET", "/stream", "/stream", 200)


def test_correlation_id_is_the_api_gateway_request_id(
    api_event: EventFactory, lambda_context: FakeLambdaContext, output: Callable[[], Output]
) -> None:
    """The id API Gateway's access logs carry, next to the Lambda request id."""
    response = handler(api_event("GET", "/items/3"), lambda_context)
    assert _header(response, "x-correlation-id") == REQUEST_ID

    log = output().log("Fetching item")
    assert log["correlation_id"] == REQUEST_ID
    assert log["function_name"] == lambda_context.function_name
    assert log["function_request_id"] == lambda_context.aws_request_id
    assert log["route"] == "/items/{item_id}"


def test_a_client_correlation_id_is_kept_apart(
    api_event: EventFactory,
    lambda_context: FakeLambdaContext,
    output: Callable[[], Output],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A caller cannot label its requests with another request's id: its own id is logged
    under a key of its own, next to the ids AWS gave the request."""
    # The Lambda runtime sets the invocation's trace header for the handler.
    monkeypatch.setenv("_X_AMZN_TRACE_ID", f"Root={TRACE_ID};Parent=53995c3f42cd8ad8;Sampled=1")
    spoofed = "c6af9ac6-7b61-11e6-9a41-000000000000"  # another request's id
    event = api_event("GET", "/items/3", headers={"x-correlation-id": spoofed})
    response = handler(event, lambda_context)
    assert _header(response, "x-correlation-id") == REQUEST_ID
    captured = output()
    log = captured.log("Fetching item")
    [line] = captured.request_lines()
    for logged in (log, line):
        assert logged["correlation_id"] == REQUEST_ID
        assert logged["function_request_id"] == lambda_context.aws_request_id
        assert logged["xray_trace_id"] == TRACE_ID
        assert logged["client_correlation_id"] == spoofed


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
        "correlation_id": REQUEST_ID,
    }
    assert _header(response, "x-correlation-id") == REQUEST_ID
    captured = output()
    [error] = [log for log in captured.logs if log["level"] == "ERROR"]
    assert error["exception_name"] == "RuntimeError"
    [line] = captured.request_lines()
    assert_request_line(line, "GET", failing_route, failing_route, 500)
    assert line["function_request_id"] == lambda_context.aws_request_id
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
    assert_invocation_metrics(doc, "GET /items/{item_id}")
    assert doc["ItemViewed"] == [1.0]

    # The next (warm) invocation starts from a clean metric set.
    handler(api_event("GET", "/echo"), lambda_context)
    [doc] = output().metric_docs("RequestCount")
    assert doc["route"] == "GET /echo"
    assert "ItemViewed" not in doc


@pytest.mark.filterwarnings("ignore:No application metrics to publish")
def test_nothing_is_recorded_when_metrics_are_disabled(
    api_event: EventFactory,
    lambda_context: FakeLambdaContext,
    output: Callable[[], Output],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    output()
    for _ in range(3):
        handler(api_event("GET", "/echo"), lambda_context)
    assert output().metrics == []
    assert metrics.metric_set == {}  # nothing kept for ever, unflushed


@pytest.mark.usefixtures("cold_start_flag")
def test_each_invocation_logs_one_request_line(
    api_event: EventFactory, lambda_context: FakeLambdaContext, output: Callable[[], Output]
) -> None:
    output()  # discard anything already written
    handler(api_event("GET", "/items/3"), lambda_context)
    [line] = output().request_lines()

    assert_request_line(line, "GET", "/items/3", "/items/{item_id}", 200)
    assert line["correlation_id"] == REQUEST_ID
    # The Lambda context, as inject_lambda_context adds it to every line of the invocation.
    assert line["function_name"] == lambda_context.function_name
    assert line["function_request_id"] == lambda_context.aws_request_id
    assert line["function_arn"] == lambda_context.invoked_function_arn
    assert line["function_memory_size"] == lambda_context.memory_limit_in_mb
    assert line["cold_start"] is True

    handler(api_event("POST", "/items", body="{}"), lambda_context)
    handler(api_event("GET", "/no-such-route"), lambda_context)
    lines = output().request_lines()
    assert len(lines) == 2
    assert_request_line(lines[0], "POST", "/items", "/items", 422)
    assert_request_line(lines[1], "GET", "/no-such-route", "UNMATCHED", 404)
    assert [line["cold_start"] for line in lines] == [False, False]
