"""How AWS Lambda runs this app: the Lambda Web Adapter forwards each invocation to uvicorn
as an HTTP request that carries the invocation's context."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from {{ module }}.main import app

from .web_adapter import lambda_headers


def _invoke(path: str) -> int:
    with TestClient(app) as client:
        return client.get(path, headers=lambda_headers()).status_code


# Each way Lambda invokes the app, as ``get(path) -> status code``.
INVOCATIONS: dict[str, Callable[[str], int]] = {"lambda": _invoke}
