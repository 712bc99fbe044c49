"""What the Lambda Web Adapter adds to each request it forwards to the app: the invocation's
Lambda context, as JSON in ``x-amzn-lambda-context``."""

import json

ACCOUNT_ID = "123456789012"
FUNCTION_NAME = "{{ kebab }}-handler"
REQUEST_ID = "6f6d1d3e-1a0b-4c5e-9a2f-3b7c8d9e0f11"
TRACE_ID = "Root=1-67748f00-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1"


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
    return {"x-amzn-lambda-context": json.dumps(context)}
