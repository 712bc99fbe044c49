"""Shared fixtures: a TestClient, requests sent through the app or through Lambda, JSON
log/EMF capture, the log level, and temporary routes (one that fails, one that appends a log
key to its request, one to the logger).

The fixtures of Lambda's own events and headers are in ``test_lambda.py``, next to the tests
using them.
"""

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from {{ module }}.init import logger
from {{ module }}.main import app

from .helpers import Output
from .invocations import INVOCATIONS


@pytest.fixture(autouse=True)
def _powertools_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test with metrics enabled, whatever the caller's environment says."""
    monkeypatch.delenv("POWERTOOLS_METRICS_DISABLED", raising=False)
    monkeypatch.delenv("POWERTOOLS_DEV", raising=False)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(params=["app", *INVOCATIONS])
def get(request: pytest.FixtureRequest, client: TestClient) -> Callable[[str], int]:
    """``get(path)`` sends ``GET path`` and returns the status code: straight to the ASGI app
    (``app``), or as one Lambda invocation (each of ``INVOCATIONS``)."""
    if request.param == "app":
        return lambda path: client.get(path).status_code
    return INVOCATIONS[request.param]


@pytest.fixture(params=list(INVOCATIONS))
def invoke(request: pytest.FixtureRequest) -> Callable[[str], int]:
    """``invoke(path)`` sends ``GET path`` as one Lambda invocation, once for each way Lambda
    invokes the app, and returns the status code."""
    return INVOCATIONS[request.param]


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


@pytest.fixture
def log_level(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Call the returned function (``log_level("WARNING")``) to go on as if the app had been
    started with that ``POWERTOOLS_LOG_LEVEL``; the level is restored afterwards."""
    previous = logger.log_level

    def set_level(level: str) -> None:
        monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", level)
        monkeypatch.delenv("AWS_LAMBDA_LOG_LEVEL", raising=False)  # it would win
        logger.setLevel(None)  # what Logger() does on import: read the environment

    yield set_level
    logger.setLevel(previous)


@contextmanager
def _temporary_route(path: str, endpoint: Callable[..., Any]) -> Iterator[str]:
    app.add_api_route(path, endpoint, methods=["GET"])
    added = app.router.routes[-1]
    try:
        yield path
    finally:
        app.router.routes.remove(added)
        app.openapi_schema = None


@pytest.fixture
def failing_route() -> Iterator[str]:
    """Temporarily add a route that raises, to exercise the unhandled-exception path."""

    async def explode() -> None:
        raise RuntimeError("database password is hunter2")

    with _temporary_route("/test-only/explode", explode) as path:
        yield path


@pytest.fixture
def tagging_route() -> Iterator[str]:
    """Temporarily add a route that appends a key (``tenant_id``) to the log lines of its
    request, as a route may do for the lines it logs after that."""

    async def tag() -> dict[str, str]:
        logger.thread_safe_append_keys(tenant_id="acme")
        logger.info("Tagged")
        return {"tenant_id": "acme"}

    with _temporary_route("/test-only/tag", tag) as path:
        yield path


@pytest.fixture
def appending_route() -> Iterator[str]:
    """Temporarily add a route that appends a key (``user``) to the logger itself, as code
    written for a single Lambda invocation may do."""

    async def append() -> dict[str, str]:
        logger.append_keys(user="alice")
        logger.info("Appended")
        return {"user": "alice"}

    with _temporary_route("/test-only/append", append) as path:
        yield path
    logger.remove_keys(["user"])
