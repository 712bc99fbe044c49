"""Realistic API Gateway REST API (payload v1) and HTTP API (payload v2) events, and a fake
Lambda context, for calling the Lambda handler as AWS Lambda does."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

ACCOUNT_ID = "123456789012"
API_ID = "abc123defg"
DOMAIN_NAME = f"{API_ID}.execute-api.us-east-1.amazonaws.com"
REQUEST_TIME_EPOCH = 1_735_689_600_000
FUNCTION_NAME = "{{ kebab }}-handler"
# API Gateway's id of the request: in its access logs, and the app's correlation id.
REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"


@dataclass(frozen=True)
class Request:
    """The HTTP request an event carries."""

    method: str
    path: str
    query: dict[str, str] | None = None
    headers: dict[str, str] | None = None
    body: str | None = None

    def all_headers(self) -> dict[str, str]:
        """``headers`` over those API Gateway always passes on."""
        base = {
            "accept": "application/json",
            "host": DOMAIN_NAME,
            "user-agent": "pytest",
            "x-forwarded-for": "203.0.113.10",
            "x-forwarded-port": "443",
            "x-forwarded-proto": "https",
        }
        if self.body is not None:
            base["content-type"] = "application/json"
        return {**base, **(self.headers or {})}


def rest_event(request: Request) -> dict[str, Any]:
    """API Gateway REST API proxy event (payload v1), as sent to a ``/{proxy+}`` resource."""
    headers = request.all_headers()
    query = request.query
    return {
        "resource": "/{proxy+}",
        "path": request.path,
        "httpMethod": request.method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": {"proxy": request.path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "resourceId": "a1b2c3",
            "resourcePath": "/{proxy+}",
            "httpMethod": request.method,
            "path": f"/prod{request.path}",
            "stage": "prod",
            "protocol": "HTTP/1.1",
            "requestId": REQUEST_ID,
            "extendedRequestId": "BQGojE9CoAMFQ0A=",
            "requestTimeEpoch": REQUEST_TIME_EPOCH,
            "domainName": DOMAIN_NAME,
            "identity": {"sourceIp": "203.0.113.10", "userAgent": "pytest"},
        },
        "body": request.body,
        "isBase64Encoded": False,
    }


def http_event(request: Request) -> dict[str, Any]:
    """API Gateway HTTP API event (payload v2) for the ``$default`` route and stage."""
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": request.path,
        "rawQueryString": urlencode(request.query or {}),
        "headers": request.all_headers(),
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "domainName": DOMAIN_NAME,
            "domainPrefix": API_ID,
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.10",
                "userAgent": "pytest",
            },
            "requestId": REQUEST_ID,
            "routeKey": "$default",
            "stage": "$default",
            "time": "01/Jan/2025:00:00:00 +0000",
            "timeEpoch": REQUEST_TIME_EPOCH,
        },
        "isBase64Encoded": False,
    }
    if request.query:
        event["queryStringParameters"] = request.query
    if request.body is not None:
        event["body"] = request.body
    return event


@dataclass
class FakeLambdaContext:
    function_name: str = FUNCTION_NAME
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = f"arn:aws:lambda:us-east-1:{ACCOUNT_ID}:function:{FUNCTION_NAME}"
    aws_request_id: str = "6f6d1d3e-1a0b-4c5e-9a2f-3b7c8d9e0f11"
    log_group_name: str = f"/aws/lambda/{FUNCTION_NAME}"
    log_stream_name: str = "2025/01/01/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000
