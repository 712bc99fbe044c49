"""Shared fixtures: a TestClient, JSON log/EMF capture and a route that fails.

The fixtures of Lambda invocations are in ``test_lambda.py``, next to the tests using them.
"""

import json
import logging
import sys
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from {{ module }}.init import logger
from {{ module }}.main import app

from .helpers import Output


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
