{% if compute_type.function_url %}
"""{{ class_name }}: a FastAPI application served by AWS Lambda behind a streaming Function URL."""
{% else %}
"""{{ class_name }}: a FastAPI application served by AWS Lambda behind API Gateway."""
{% endif %}
