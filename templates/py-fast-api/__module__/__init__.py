"""{{ class_name }}

{% if compute_type.function_url %}
A FastAPI application served by AWS Lambda behind a streaming Function URL.
{% elif streaming %}
A FastAPI application served by AWS Lambda behind an API Gateway REST API that streams
responses.
{% else %}
A FastAPI application served by AWS Lambda behind API Gateway.
{% endif %}
"""
