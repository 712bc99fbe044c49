{% import "_partials/terraform/web-adapter.tf" as web_adapter %}
# {{ class_name }} streams its responses: API Gateway invokes {{ "each function" if integration_pattern.isolated else "the function" }} through Lambda's
# response-streaming invocations, and the Lambda Web Adapter (this layer) runs the bundle's
# `run.sh`, which serves the app under uvicorn, and streams each response as the app writes it.

data "aws_region" "current" {}

locals {
{{ web_adapter.layer_local("data.aws_region.current.region", "the aws_region data source") }}
}

{{ web_adapter.layer_variable() }}
