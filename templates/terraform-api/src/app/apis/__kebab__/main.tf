{% import "_partials/terraform/lambda.tf" as lambda %}
{% set rest = compute_type.rest %}
{% set core = "rest_api" if rest else "http_api" %}
# {{ class_name }}: the FastAPI app of {{ project_root }} on AWS Lambda behind an API Gateway
# {{ "REST" if rest else "HTTP" }} API, in the router pattern: one Lambda function serves every route, and
# FastAPI routes each request to its operation.
#
{% if auth.iam %}
# Auth: IAM. Callers sign their requests with SigV4; grant them `execute-api:Invoke` on
# "${module.<this module>.api_execution_arn}/*/*".
{% elif auth.cognito %}
# Auth: Cognito. Callers send `Authorization: <token>` issued by the user pool
# ({{ "an ID token" if rest else "an ID or access token of one of the given clients" }}).
{% else %}
# Auth: none. Every route is public: authenticate in the app where needed.
{% endif %}
#
# The code is the bundle that `nx run {{ module }}:bundle` writes to
# dist/{{ project_root }}/bundle (dependencies for Lambda's Python 3.12 on {{ architecture }}, plus the
# `{{ module }}` package), zipped by Terraform: build the bundle before `terraform plan`.
#
# To serve some operations from their own functions or other integrations, add them next
# to this module's resources (module.{{ core }} exposes {% if rest %}api_root_resource_id, authorization
# and authorizer_id; pass their integrations to its `redeployment_triggers`{% else %}authorization_type,
# authorizer_id and integration_id; more specific routes win over the proxy routes{% endif %}).

locals {
  # This module lives in <workspace>/packages/common/terraform/src/app/apis/{{ kebab }}.
  workspace_root = "${path.module}/../../../../../../.."
  function_name  = "${var.name}-handler"
}

data "aws_partition" "current" {}

{{ lambda.bundle_zip(project_root) }}

{{ lambda.execution_role(class_name) }}

{{ lambda.lambda_function(class_name, project_root, module) }}

module "{{ core }}" {
  source = "../../../core/api/{{ compute_type }}-api"

  name            = var.name
  description     = "{{ class_name }} ({{ project_root }})"
  integration_uri = {{ "aws_lambda_alias.live" if snap_start else "aws_lambda_function.api_lambda" }}.invoke_arn
  auth_type       = "{{ auth | upper }}"
{% if auth.cognito and rest %}

  cognito_user_pool_arn = var.cognito_user_pool_arn
{% elif auth.cognito %}

  cognito_user_pool_arn        = var.cognito_user_pool_arn
  cognito_user_pool_client_ids = var.cognito_user_pool_client_ids
{% endif %}

  cors_allow_origins = var.cors_allow_origins
  cors_allow_methods = var.cors_allow_methods
  cors_allow_headers = var.cors_allow_headers

{% if rest %}
  stage_name             = var.stage_name
{% endif %}
  throttling_rate_limit  = var.throttling_rate_limit
  throttling_burst_limit = var.throttling_burst_limit
  log_retention_in_days  = var.log_retention_in_days
  log_kms_key_arn        = var.kms_key_arn
  tags                   = var.tags
}

# API Gateway may invoke the function for this API only (any stage, method and path).
resource "aws_lambda_permission" "api_gateway" {
  statement_id  = "AllowInvokeFromApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api_lambda.function_name
{% if snap_start %}
  qualifier     = aws_lambda_alias.live.name
{% endif %}
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${module.{{ core }}.api_execution_arn}/*/*"
}
