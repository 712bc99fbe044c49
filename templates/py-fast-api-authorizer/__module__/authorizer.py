{% set rest = compute_type.rest %}
"""The Lambda authorizer of {{ class_name }}.

API Gateway calls `handler` before any operation of the API runs, with the request's
headers, query string and path ({{ "a REST API REQUEST authorizer event" if rest else "an HTTP API REQUEST authorizer event, payload 2.0" }}), and
caches the answer per `Authorization` header (five minutes unless the infrastructure says
otherwise): a request without that header is refused with 401 before the authorizer runs.

Every request is denied until `authenticate` says who is calling: put your check there.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.data_classes import event_source
from aws_lambda_powertools.utilities.data_classes.api_gateway_authorizer_event import (
{% if rest %}
    APIGatewayAuthorizerRequestEvent,
    APIGatewayAuthorizerResponse,
{% else %}
    APIGatewayAuthorizerEventV2,
    APIGatewayAuthorizerResponseV2,
{% endif %}
)
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="{{ class_name }}Authorizer")


@dataclass(frozen=True)
class Caller:
    """Who is calling{{ ": the principal API Gateway logs, and the context the app receives\n    in `requestContext.authorizer`" if rest else ", and the context the app receives in\n    `requestContext.authorizer.lambda`" }} (strings, numbers and booleans only)."""

    principal_id: str
    context: dict[str, str | int | float | bool] = field(default_factory=dict)


def authenticate(headers: Mapping[str, str]) -> Caller | None:
    """The caller of a request with these headers (names in any case), or None to deny it.

    Replace this with your check: verify the token in `headers.get("authorization")`
    (a signature and expiry, or a call to your identity provider) and return who it
    names, e.g. `Caller(principal_id=claims["sub"], context={"tenant": claims["tenant"]})`.
    The answer is cached per Authorization header, so it must not depend on the path.
    """
    return None


@logger.inject_lambda_context
{% if rest %}
@event_source(data_class=APIGatewayAuthorizerRequestEvent)
def handler(event: APIGatewayAuthorizerRequestEvent, context: LambdaContext) -> dict[str, Any]:
    """Answers API Gateway with an IAM policy that allows or denies every operation."""
    caller = authenticate(event.headers)
    arn = event.parsed_arn
    response = APIGatewayAuthorizerResponse(
        principal_id=caller.principal_id if caller else "anonymous",
        region=arn.region,
        aws_account_id=arn.aws_account_id,
        api_id=arn.api_id,
        stage=arn.stage,
        context=caller.context if caller else None,
        partition=arn.partition,
    )
    # The policy covers every operation, not only this request's: API Gateway caches it
    # for the caller and applies it to the next requests, whatever their path.
    if caller is None:
        logger.info("Denied", path=event.path, http_method=event.http_method)
        response.deny_all_routes()
    else:
        response.allow_all_routes()
    return response.asdict()
{% else %}
@event_source(data_class=APIGatewayAuthorizerEventV2)
def handler(event: APIGatewayAuthorizerEventV2, context: LambdaContext) -> dict[str, Any]:
    """Answers API Gateway with a simple response: authorized or not, and the context."""
    caller = authenticate(event.headers)
    if caller is None:
        logger.info("Denied", route_key=event.route_key, path=event.raw_path)
        return APIGatewayAuthorizerResponseV2(authorize=False).asdict()
    return APIGatewayAuthorizerResponseV2(authorize=True, context=caller.context).asdict()
{% endif %}
