{% set rest = compute_type.rest %}
"""The Lambda authorizer, called with the {{ "REST API REQUEST authorizer event (payload 1.0)" if rest else "HTTP API REQUEST authorizer event (payload 2.0)" }}
that API Gateway sends: it denies by default and allows whom `authenticate` names."""

from typing import Any

import pytest

from {{ module }} import authorizer
from {{ module }}.authorizer import Caller

from .api_gateway import ACCOUNT_ID, API_ID, FakeLambdaContext

TOKEN = "Bearer a-token"
CONTEXT = {"tenant": "acme", "admin": False}
# API Gateway passes the header as the client sent it{{ "" if rest else " (an HTTP API lowercases it)" }};
# `authenticate` looks it up in the other case.
SENT_AS, READ_AS = {{ '"Authorization", "authorization"' if rest else '"authorization", "Authorization"' }}


@pytest.fixture
def headers_read(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """Make ``authenticate`` allow every request as ``user-1`` with ``CONTEXT``; the list
    returned collects the Authorization header of each request, as ``authenticate`` read it."""
    read: list[str | None] = []

    def authenticate(headers: Any) -> Caller:
        read.append(headers.get(READ_AS))
        return Caller(principal_id="user-1", context=CONTEXT)

    monkeypatch.setattr(authorizer, "authenticate", authenticate)
    return read


{% if rest %}
def authorizer_event(headers: dict[str, str]) -> dict[str, Any]:
    """What API Gateway sends a REST API's REQUEST authorizer for `GET /items/42` on `prod`."""
    return {
        "type": "REQUEST",
        "methodArn": f"arn:aws:execute-api:us-east-1:{ACCOUNT_ID}:{API_ID}/prod/GET/items/42",
        "resource": "/items/{item_id}",
        "path": "/items/42",
        "httpMethod": "GET",
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": {},
        "multiValueQueryStringParameters": {},
        "pathParameters": {"item_id": "42"},
        "stageVariables": {},
        "requestContext": {
            "resourceId": "a1b2c3",
            "resourcePath": "/items/{item_id}",
            "httpMethod": "GET",
            "extendedRequestId": "Z2SvbH3_PHcFjzg=",
            "requestTime": "01/Dec/2026:12:00:00 +0000",
            "path": "/prod/items/42",
            "accountId": ACCOUNT_ID,
            "protocol": "HTTP/1.1",
            "stage": "prod",
            "domainPrefix": API_ID,
            "requestTimeEpoch": 1796126400000,
            "requestId": "d1e2f3a4-0000-4000-8000-000000000001",
            "identity": {"sourceIp": "203.0.113.7", "userAgent": "pytest"},
            "domainName": f"{API_ID}.execute-api.us-east-1.amazonaws.com",
            "apiId": API_ID,
        },
    }


def statements(response: dict[str, Any]) -> list[tuple[str, str]]:
    """The (effect, resource) of each statement of the policy."""
    return [
        (statement["Effect"], resource)
        for statement in response["policyDocument"]["Statement"]
        for resource in statement["Resource"]
    ]


EVERY_OPERATION = f"arn:aws:execute-api:us-east-1:{ACCOUNT_ID}:{API_ID}/prod/*/*"


def test_denies_by_default() -> None:
    response = authorizer.handler(authorizer_event({SENT_AS: TOKEN}), FakeLambdaContext())
    assert response["principalId"] == "anonymous"
    assert statements(response) == [("Deny", EVERY_OPERATION)]
    assert "context" not in response


def test_allows_every_operation_for_the_caller(headers_read: list[str | None]) -> None:
    response = authorizer.handler(authorizer_event({SENT_AS: TOKEN}), FakeLambdaContext())
    assert headers_read == [TOKEN], "headers are read whatever their case"
    assert response["principalId"] == "user-1"
    # Cached per Authorization header, the policy must cover the caller's next requests too.
    assert statements(response) == [("Allow", EVERY_OPERATION)]
    assert response["context"] == CONTEXT
{% else %}
def authorizer_event(headers: dict[str, str]) -> dict[str, Any]:
    """What API Gateway sends an HTTP API's REQUEST authorizer (payload 2.0) for `GET /items/42`."""
    return {
        "version": "2.0",
        "type": "REQUEST",
        "routeArn": f"arn:aws:execute-api:us-east-1:{ACCOUNT_ID}:{API_ID}/$default/GET/items/42",
        "identitySource": [headers.get("authorization", "")],
        "routeKey": "GET /items/{item_id}",
        "rawPath": "/items/42",
        "rawQueryString": "",
        "cookies": [],
        "headers": headers,
        "queryStringParameters": {},
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": API_ID,
            "domainName": f"{API_ID}.execute-api.us-east-1.amazonaws.com",
            "domainPrefix": API_ID,
            "http": {
                "method": "GET",
                "path": "/items/42",
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "pytest",
            },
            "requestId": "JKJaXmPLvHcESHA=",
            "routeKey": "GET /items/{item_id}",
            "stage": "$default",
            "time": "01/Dec/2026:12:00:00 +0000",
            "timeEpoch": 1796126400000,
        },
        "pathParameters": {"item_id": "42"},
        "stageVariables": {},
    }


def test_denies_by_default() -> None:
    response = authorizer.handler(authorizer_event({SENT_AS: TOKEN}), FakeLambdaContext())
    assert response == {"isAuthorized": False}


def test_allows_the_caller_with_its_context(headers_read: list[str | None]) -> None:
    response = authorizer.handler(authorizer_event({SENT_AS: TOKEN}), FakeLambdaContext())
    assert headers_read == [TOKEN], "headers are read whatever their case"
    assert response == {"isAuthorized": True, "context": CONTEXT}
{% endif %}


def test_a_failing_check_denies(monkeypatch: pytest.MonkeyPatch) -> None:
    """An error in `authenticate` fails the invocation, which API Gateway answers with a
    500 for the request: never an allow."""

    def authenticate(headers: Any) -> Caller:
        raise RuntimeError("the identity provider is down")

    monkeypatch.setattr(authorizer, "authenticate", authenticate)
    with pytest.raises(RuntimeError):
        authorizer.handler(authorizer_event({SENT_AS: TOKEN}), FakeLambdaContext())
