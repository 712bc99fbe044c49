"""How AWS Lambda runs this app: Mangum's handler called with an API Gateway REST API (v1)
or HTTP API (v2) event, one invocation per request."""

from collections.abc import Callable
from typing import Any

from {{ module }}.main import handler

from .api_gateway import FakeLambdaContext, Request, http_event, rest_event


def _invoke_with(to_event: Callable[[Request], dict[str, Any]]) -> Callable[[str], int]:
    def get(path: str) -> int:
        response = handler(to_event(Request("GET", path)), FakeLambdaContext())
        return response["statusCode"]

    return get


# Each way Lambda invokes the app, as ``get(path) -> status code``.
INVOCATIONS: dict[str, Callable[[str], int]] = {
    "rest": _invoke_with(rest_event),
    "http": _invoke_with(http_event),
}
