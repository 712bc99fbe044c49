"""What the Lambda Web Adapter adds to each request it forwards to the app: the invocation's
Lambda context, as JSON in ``x-amzn-lambda-context``{{ "" if compute_type.function_url else ", and API Gateway's request context in\n``x-amzn-request-context``" }}."""

import json

ACCOUNT_ID = "123456789012"
FUNCTION_NAME = "{{ kebab }}-handler"
REQUEST_ID = "6f6d1d3e-1a0b-4c5e-9a2f-3b7c8d9e0f11"
TRACE_ID = "Root=1-67748f00-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1"
{% if streaming %}
# API Gateway's id of the request: in its access logs, and the app's correlation id.
API_REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
CORRELATION_ID = API_REQUEST_ID
{% else %}
# A Function URL has no access log of its own: the Lambda request id is the correlation id.
CORRELATION_ID = REQUEST_ID
{% endif %}


def lambda_headers() -> dict[str, str]:
    """The headers of one forwarded invocation."""
    context = {
        "request_id": REQUEST_ID,
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
{% if streaming %}
    # The REST API's request context, as the event of a Lambda proxy integration carries it.
    request_context = {
        "resourcePath": "/items/{item_id}",
        "httpMethod": "GET",
        "path": "/prod/items/3",
        "accountId": ACCOUNT_ID,
        "stage": "prod",
        "requestId": API_REQUEST_ID,
        "extendedRequestId": "c6af9ac67b6111e6=",
        "requestTimeEpoch": 1_735_689_600_000,
        "identity": {"sourceIp": "203.0.113.10", "userAgent": "pytest"},
        "apiId": "abc123defg",
    }
    return {
        "x-amzn-lambda-context": json.dumps(context),
        "x-amzn-request-context": json.dumps(request_context),
    }
{% else %}
    return {"x-amzn-lambda-context": json.dumps(context)}
{% endif %}
