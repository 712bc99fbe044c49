{% if compute_type.function_url %}
"""Shared fixtures: a TestClient, JSON log/EMF capture and the Lambda context header that
the Lambda Web Adapter adds to the requests it forwards in AWS Lambda."""

import json
import logging
import sys
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from {{ module }} import init
from {{ module }}.init import logger
from {{ module }}.main import app

from .helpers import Output, lambda_context_header
{% else %}
"""Shared fixtures: a TestClient, JSON log/EMF capture, a fake Lambda context and
realistic API Gateway REST (payload v1) and HTTP API (payload v2) events."""

import json
import logging
import sys
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from aws_lambda_powertools.metrics.provider import cold_start
from fastapi.testclient import TestClient

from {{ module }}.init import logger
from {{ module }}.main import app

from .helpers import (
    ACCOUNT_ID,
    REQUEST_TIME_EPOCH,
    EventFactory,
    FakeLambdaContext,
    Output,
    default_headers,
)
{% endif %}


@pytest.fixture(autouse=True)
def _powertools_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test with metrics enabled, whatever the caller's environment says."""
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


class _CurrentStdout:
    """A stream that writes to whatever ``sys.stdout`` is at the time of the write."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


@pytest.fixture
def output(capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[[], Output]]:
    """Call the returned function to read (and reset) what has been written to stdout."""
    handler = logger.registered_handler
    assert isinstance(handler, logging.StreamHandler)
    # The handler keeps the stdout it was created with; make it follow capsys' instead.
    previous, handler.stream = handler.stream, _CurrentStdout()

    def read() -> Output:
        docs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
        return Output(
            logs=[doc for doc in docs if "_aws" not in doc],
            metrics=[doc for doc in docs if "_aws" in doc],
        )

    yield read
    handler.stream = previous


{% if compute_type.function_url %}
@pytest.fixture
def lambda_headers() -> dict[str, str]:
    """Headers that make a request a Lambda invocation, as the Lambda Web Adapter sends it."""
    return lambda_context_header()


@pytest.fixture
def cold_start_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the next invocation a cold start, as the first one in a new sandbox is."""
    monkeypatch.setattr(init, "_cold_start", True)
{% else %}
@pytest.fixture
def lambda_context() -> FakeLambdaContext:
    return FakeLambdaContext()


@pytest.fixture
def cold_start_flag(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the next invocation a cold start, as the first one in a new sandbox is."""
    monkeypatch.setattr(cold_start, "is_cold_start", True)
{% endif %}


{% if not compute_type.function_url %}
@pytest.fixture
def rest_event() -> EventFactory:
    """API Gateway REST API proxy event (payload v1), as sent to a ``/{proxy+}`` resource."""

    def make(
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        body: str | None = None,
    ) -> dict[str, Any]:
        all_headers = default_headers(headers, body)
        return {
            "resource": "/{proxy+}",
            "path": path,
            "httpMethod": method,
            "headers": all_headers,
            "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
            "queryStringParameters": query,
            "multiValueQueryStringParameters": {k: [v] for k, v in query.items()}
            if query
            else None,
            "pathParameters": {"proxy": path.lstrip("/")},
            "stageVariables": None,
            "requestContext": {
                "accountId": ACCOUNT_ID,
                "apiId": "abc123defg",
                "resourceId": "a1b2c3",
                "resourcePath": "/{proxy+}",
                "httpMethod": method,
                "path": f"/prod{path}",
                "stage": "prod",
                "protocol": "HTTP/1.1",
                "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                "extendedRequestId": "BQGojE9CoAMFQ0A=",
                "requestTimeEpoch": REQUEST_TIME_EPOCH,
                "domainName": "abc123defg.execute-api.us-east-1.amazonaws.com",
                "identity": {"sourceIp": "203.0.113.10", "userAgent": "pytest"},
            },
            "body": body,
            "isBase64Encoded": False,
        }

    return make


@pytest.fixture
def http_event() -> EventFactory:
    """API Gateway HTTP API event (payload v2) for the ``$default`` route and stage."""

    def make(
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        body: str | None = None,
    ) -> dict[str, Any]:
        event: dict[str, Any] = {
            "version": "2.0",
            "routeKey": "$default",
            "rawPath": path,
            "rawQueryString": urlencode(query or {}),
            "headers": default_headers(headers, body),
            "requestContext": {
                "accountId": ACCOUNT_ID,
                "apiId": "abc123defg",
                "domainName": "abc123defg.execute-api.us-east-1.amazonaws.com",
                "domainPrefix": "abc123defg",
                "http": {
                    "method": method,
                    "path": path,
                    "protocol": "HTTP/1.1",
                    "sourceIp": "203.0.113.10",
                    "userAgent": "pytest",
                },
                "requestId": "JKJaXmPLvHcESHA=",
                "routeKey": "$default",
                "stage": "$default",
                "time": "01/Jan/2025:00:00:00 +0000",
                "timeEpoch": REQUEST_TIME_EPOCH,
            },
            "isBase64Encoded": False,
        }
        if query:
            event["queryStringParameters"] = query
        if body is not None:
            event["body"] = body
        return event

    return make


{% endif %}
@pytest.fixture
def failing_route() -> Iterator[str]:
    """Temporarily add a route that raises, to exercise the unhandled-exception path."""

    async def explode() -> None:
        raise RuntimeError("database password is hunter2")

    app.add_api_route("/test-only/explode", explode, methods=["GET"])
    added = app.router.routes[-1]
    try:
        yield "/test-only/explode"
    finally:
        app.router.routes.remove(added)
        app.openapi_schema = None
{% if not compute_type.function_url %}


@pytest.fixture(params=["rest", "http"])
def api_event(request: pytest.FixtureRequest) -> EventFactory:
    """Either payload version: Mangum handles both, whatever this API is deployed behind."""
    return request.getfixturevalue(f"{request.param}_event")
{% endif %}
