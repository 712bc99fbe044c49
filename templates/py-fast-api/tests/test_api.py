"""Route behaviour through FastAPI's TestClient (the app as served by uvicorn)."""

import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient

from {{ module }}.main import Chunk

from .helpers import Output


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


def test_correlation_id_is_taken_from_the_request(
    client: TestClient, output: Callable[[], Output]
) -> None:
    response = client.get("/items/7", headers={"x-correlation-id": "abc-123"})
    assert response.headers["x-correlation-id"] == "abc-123"
    [log] = [log for log in output().logs if log["message"] == "Fetching item"]
    assert log["correlation_id"] == "abc-123"
    assert log["path"] == "/items/7"
    assert log["route"] == "/items/{item_id}"
    assert log["method"] == "GET"
    assert log["item_id"] == 7


def test_correlation_id_is_generated_when_absent(client: TestClient) -> None:
    first = client.get("/echo").headers["x-correlation-id"]
    second = client.get("/echo").headers["x-correlation-id"]
    assert first != second
    for correlation_id in (first, second):
        parsed = uuid.UUID(correlation_id)
        assert str(parsed) == correlation_id
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122


def test_oversized_correlation_id_is_replaced(client: TestClient) -> None:
    response = client.get("/echo", headers={"x-correlation-id": "x" * 500})
    assert uuid.UUID(response.headers["x-correlation-id"])


def test_errors_keep_the_correlation_id(client: TestClient) -> None:
    for path in ("/items/-1", "/items/abc", "/no-such-route"):
        response = client.get(path, headers={"x-correlation-id": "err-1"})
        assert response.headers["x-correlation-id"] == "err-1", path


def test_unhandled_exception_returns_a_safe_500(
    client: TestClient, failing_route: str, output: Callable[[], Output]
) -> None:
    response = client.get(failing_route, headers={"x-correlation-id": "boom-1"})

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error", "correlation_id": "boom-1"}
    assert response.headers["x-correlation-id"] == "boom-1"
    assert "hunter2" not in response.text

    [error] = [log for log in output().logs if log["level"] == "ERROR"]
    assert error["message"] == "Unhandled exception"
    assert error["correlation_id"] == "boom-1"
    assert error["route"] == failing_route
    assert error["exception_name"] == "RuntimeError"
    assert "Traceback" in error["exception"]
