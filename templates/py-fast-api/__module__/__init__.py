"""{{ class_name }}: a FastAPI application served by AWS Lambda behind API Gateway."""
