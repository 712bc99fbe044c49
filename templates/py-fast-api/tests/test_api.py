"""Route behaviour through FastAPI's TestClient (the app as served by uvicorn)."""

import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from {{ module }}.init import logger
from {{ module }}.main import Chunk

from .helpers import Output, assert_request_line


def test_get_item(client: TestClient) -> None:
    response = client.get("/items/42")
    assert response.status_code == 200
    assert response.json() == {"name": "Item 42", "description": None}


def test_get_item_rejects_negative_ids(client: TestClient) -> None:
    response = client.get("/items/-1")
    assert response.status_code == 400
    assert response.json() == {"detail": "Item ID must be positive"}


def test_get_item_validates_the_id(client: TestClient) -> None:
    response = client.get("/items/not-a-number")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "item_id"]


def test_create_item(client: TestClient) -> None:
    response = client.post("/items", json={"name": "Widget", "description": "A widget"})
    assert response.status_code == 201
    assert response.json() == {"name": "Widget", "description": "A widget"}


def test_create_item_validates_the_body(client: TestClient) -> None:
    response = client.post("/items", json={"description": "no name"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]


def test_create_item_bounds_the_description(client: TestClient) -> None:
    response = client.post("/items", json={"name": "Widget", "description": "x" * 1001})
    assert response.status_code == 422


def test_echo(client: TestClient) -> None:
    response = client.get("/echo", params={"message": "hello"})
    assert response.status_code == 200
    assert response.json() == {"message": "hello"}


def test_stream_yields_json_lines_of_chunks(client: TestClient) -> None:
    with client.stream("GET", "/stream", params={"count": 5}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/jsonl")
        chunks = [Chunk.model_validate_json(line) for line in response.iter_lines() if line]
    assert [chunk.message for chunk in chunks] == [f"This is chunk {i}" for i in range(5)]


def test_stream_validates_count(client: TestClient) -> None:
    assert client.get("/stream", params={"count": 0}).status_code == 422


def test_openapi_uses_function_names_and_documents_streaming(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "{{ class_name }}"
    operation_ids = {
        operation["operationId"] for path in spec["paths"].values() for operation in path.values()
    }
    assert operation_ids == {"get_item", "create_item", "echo", "stream"}
    stream = spec["paths"]["/stream"]["get"]
    assert stream["x-streaming"] is True
    schema = stream["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Chunk"}


def test_a_client_correlation_id_is_logged_apart(
    client: TestClient, output: Callable[[], Output]
) -> None:
    response = client.get("/items/7", headers={"x-correlation-id": "abc-123"})
    correlation_id = response.headers["x-correlation-id"]
    assert correlation_id != "abc-123"
    log = output().log("Fetching item")
    assert log["correlation_id"] == correlation_id
    assert log["client_correlation_id"] == "abc-123"
    assert log["path"] == "/items/7"
    assert log["route"] == "/items/{item_id}"
    assert log["http_method"] == "GET"
    assert log["item_id"] == 7


def test_every_request_ends_with_one_request_line(
    client: TestClient, output: Callable[[], Output]
) -> None:
    output()  # discard anything already written
    client.get("/items/7", headers={"x-correlation-id": "line-1"})
    client.post("/items", json={"name": "Widget"})
    client.get("/items/-1")
    client.get("/items/abc")
    client.get("/no-such-route")
    with client.stream("GET", "/stream", params={"count": 2}) as response:
        response.read()

    lines = output().request_lines()
    assert len(lines) == 6
    expected = [
        ("GET", "/items/7", "/items/{item_id}", 200),
        ("POST", "/items", "/items", 201),
        ("GET", "/items/-1", "/items/{item_id}", 400),
        ("GET", "/items/abc", "/items/{item_id}", 422),
        ("GET", "/no-such-route", "UNMATCHED", 404),
        ("GET", "/stream", "/stream", 200),
    ]
    for line, request in zip(lines, expected, strict=True):
        assert_request_line(line, *request)
    assert lines[0]["client_correlation_id"] == "line-1"
    assert all("client_correlation_id" not in line for line in lines[1:])
    assert "item_id" not in lines[0]  # a key of the route's own line, not of the request line


def test_the_request_line_is_the_one_logging_writes(
    client: TestClient, output: Callable[[], Output], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_request_log`` builds the line itself while the logger is as generated; with a filter
    of your own on the logger's handler, the line goes through ``logging`` and reads the same."""
    handler = logger.registered_handler
    through_logging: list[str] = []
    handle = handler.handle

    def counting_handle(record: logging.LogRecord) -> bool:
        through_logging.append(record.getMessage())
        return handle(record)

    monkeypatch.setattr(handler, "handle", counting_handle)
    logger.append_keys(deployment="blue")
    try:
        output()
        client.get("/items/7", headers={"x-correlation-id": "same-1"})
        assert "Request completed" not in through_logging  # built by _request_log
        with_filter = logging.Filter()
        handler.addFilter(with_filter)
        try:
            client.get("/items/7", headers={"x-correlation-id": "same-1"})
        finally:
            handler.removeFilter(with_filter)
        assert through_logging.count("Request completed") == 1
    finally:
        logger.remove_keys(["deployment"])

    built, logged = output().request_lines()
    for line in (built, logged):
        del line["timestamp"], line["latency_ms"], line["correlation_id"]
    assert list(built.items()) == list(logged.items())  # the same keys, in the same order
    assert built["deployment"] == "blue"


def test_correlation_id_is_generated_when_absent(client: TestClient) -> None:
    first = client.get("/echo").headers["x-correlation-id"]
    second = client.get("/echo").headers["x-correlation-id"]
    assert first != second
    for correlation_id in (first, second):
        parsed = uuid.UUID(correlation_id)
        assert str(parsed) == correlation_id
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122


def test_an_oversized_client_correlation_id_is_dropped(
    client: TestClient, output: Callable[[], Output]
) -> None:
    output()
    client.get("/echo", headers={"x-correlation-id": "x" * 500})
    [line] = output().request_lines()
    assert "client_correlation_id" not in line


def test_errors_carry_the_correlation_id(client: TestClient, output: Callable[[], Output]) -> None:
    output()
    paths = ("/items/-1", "/items/abc", "/no-such-route")
    ids = [client.get(path).headers["x-correlation-id"] for path in paths]
    assert [line["correlation_id"] for line in output().request_lines()] == ids


def test_unhandled_exception_returns_a_safe_500(
    client: TestClient, failing_route: str, output: Callable[[], Output]
) -> None:
    response = client.get(failing_route, headers={"x-correlation-id": "boom-1"})

    assert response.status_code == 500
    correlation_id = response.headers["x-correlation-id"]
    assert response.json() == {"detail": "Internal Server Error", "correlation_id": correlation_id}
    assert "hunter2" not in response.text

    captured = output()
    [error] = [log for log in captured.logs if log["level"] == "ERROR"]
    assert error["message"] == "Unhandled exception"
    assert error["correlation_id"] == correlation_id
    assert error["client_correlation_id"] == "boom-1"
    assert error["route"] == failing_route
    assert error["exception_name"] == "RuntimeError"
    assert "Traceback" in error["exception"]
    # ... and the request still ends with its one request line.
    [line] = captured.request_lines()
    assert_request_line(line, "GET", failing_route, failing_route, 500)
    assert line["correlation_id"] == correlation_id


def _docs_status(env: dict[str, str]) -> int:
    """``GET /docs`` from a fresh interpreter with ``env`` (the app reads it on import)."""
    code = (
        "from fastapi.testclient import TestClient\n"
        "from {{ module }}.main import app\n"
        "print(TestClient(app).get('/docs').status_code)"
    )
    unset = {"AWS_LAMBDA_FUNCTION_NAME", "API_DOCS"}
    base = {key: value for key, value in os.environ.items() if key not in unset}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.splitlines()[-1])  # after the request's log line


{% if snap_start %}
def test_environments_restored_from_one_snapshot_draw_different_ids() -> None:
    """SnapStart clones the state at the end of init into every restored environment: two
    forks of an initialised process, each put back to its state (a fork reseeds `random`
    itself) before running the after-restore hooks, stand in for two of them."""
    code = """
import os, random, sys, types
hooks = []
sys.modules["snapshot_restore_py"] = types.SimpleNamespace(register_after_restore=hooks.append)
from fastapi.testclient import TestClient
from {{ module }}.main import app
client = TestClient(app)
assert hooks, "no after-restore hook"
snapshot = random.getstate()
for _ in range(2):
    read, write = os.pipe()
    if os.fork() == 0:
        random.setstate(snapshot)
        for hook in hooks:
            hook()
        drawn = f"{random.random()} {client.get('/echo').headers['x-correlation-id']}"
        os.write(write, drawn.encode())
        os._exit(0)
    os.wait()
    print("DRAWN", os.read(read, 200).decode())
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    drawn = [line.split()[1:] for line in result.stdout.splitlines() if line.startswith("DRAWN")]
    first, second = drawn
    assert first[0] != second[0], "random draws the same after each restore"
    assert first[1] != second[1], "the same correlation id after each restore"


{% endif %}
def test_aws_sdk_calls_are_traced_once_the_app_imports_it() -> None:
    """In Lambda, the tracer patches botocore for X-Ray when the app imports it, and does not
    import it at cold start itself."""
    code = (
        "import sys\n"
        "import {{ module }}.main\n"
        "print('botocore.client' in sys.modules)\n"
        "import botocore.session\n"  # as boto3 does
        "print(hasattr(botocore.client.BaseClient._make_api_call, '__wrapped__'))"
    )
    lambda_env = {"LAMBDA_TASK_ROOT": "/var/task", "AWS_LAMBDA_FUNCTION_NAME": "handler"}
    base = {key: value for key, value in os.environ.items() if key != "POWERTOOLS_TRACE_DISABLED"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, **lambda_env, "AWS_REGION": "us-east-1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["False", "True"]


def test_docs_are_served_outside_lambda_only_unless_asked_for() -> None:
    in_lambda = {"AWS_LAMBDA_FUNCTION_NAME": "handler"}  # set by the Lambda runtime
    assert _docs_status({}) == 200  # serve, tests
    assert _docs_status(in_lambda) == 404
    assert _docs_status({**in_lambda, "API_DOCS": "true"}) == 200
