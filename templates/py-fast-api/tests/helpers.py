{% if compute_type.function_url %}
"""Test helpers: stdout parsing and the Lambda context the Lambda Web Adapter forwards."""

import json
from dataclasses import dataclass
from typing import Any

ACCOUNT_ID = "123456789012"
FUNCTION_NAME = "{{ kebab }}-handler"
REQUEST_ID = "6f6d1d3e-1a0b-4c5e-9a2f-3b7c8d9e0f11"
TRACE_ID = "Root=1-67748f00-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1"


@dataclass
class Output:
    """Stdout of the code under test, split into JSON log lines and EMF metric documents."""

    logs: list[dict[str, Any]]
    metrics: list[dict[str, Any]]

    def metric_docs(self, name: str) -> list[dict[str, Any]]:
        return [doc for doc in self.metrics if name in doc]


def lambda_context_header(request_id: str = REQUEST_ID) -> dict[str, str]:
    """The ``x-amzn-lambda-context`` header the Lambda Web Adapter adds to each request it
    forwards: the invocation's Lambda context as JSON."""
    context = {
        "request_id": request_id,
        "deadline": 1_735_689_630_000,
        "invoked_function_arn": f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:{FUNCTION_NAME}",
        "xray_trace_id": TRACE_ID,
        "client_context": None,
        "identity": None,
        "env_config": {
            "function_name": FUNCTION_NAME,
            "memory": 512,
            "version": "$LATEST",
            "log_stream": "2025/01/01/[$LATEST]0123456789abcdef",
            "log_group": f"/aws/lambda/{FUNCTION_NAME}",
        },
    }
    return {"x-amzn-lambda-context": json.dumps(context)}
{% else %}
"""Test helpers: stdout parsing, a fake Lambda context and API Gateway event defaults."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ACCOUNT_ID = "123456789012"
REQUEST_TIME_EPOCH = 1_735_689_600_000

EventFactory = Callable[..., dict[str, Any]]


@dataclass
class Output:
    """Stdout of the code under test, split into JSON log lines and EMF metric documents."""

    logs: list[dict[str, Any]]
    metrics: list[dict[str, Any]]

    def metric_docs(self, name: str) -> list[dict[str, Any]]:
        return [doc for doc in self.metrics if name in doc]


@dataclass
class FakeLambdaContext:
    function_name: str = "{{ kebab }}-handler"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:{{ kebab }}-handler"
    aws_request_id: str = "6f6d1d3e-1a0b-4c5e-9a2f-3b7c8d9e0f11"
    log_group_name: str = "/aws/lambda/{{ kebab }}-handler"
    log_stream_name: str = "2025/01/01/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def default_headers(headers: dict[str, str] | None, body: str | None) -> dict[str, str]:
    base = {
        "accept": "application/json",
        "host": "abc123defg.execute-api.us-east-1.amazonaws.com",
        "user-agent": "pytest",
        "x-forwarded-for": "203.0.113.10",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    }
    if body is not None:
        base["content-type"] = "application/json"
    return {**base, **(headers or {})}
{% endif %}
