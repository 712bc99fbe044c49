"""{{ class_name }}

{% if compute_type.function_url %}
A FastAPI application served by AWS Lambda behind a streaming Function URL.
{% else %}
A FastAPI application served by AWS Lambda behind API Gateway.
{% endif %}
"""
