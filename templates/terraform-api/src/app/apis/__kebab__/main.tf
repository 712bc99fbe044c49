{% import "_partials/terraform/lambda.tf" as lambda %}
{% import "_partials/terraform/bundle.tf" as bundle %}
{% import "_partials/terraform/iam.tf" as roles %}
{% import "_partials/terraform/authorizer.tf" as authorizer %}
{% set rest = compute_type.rest %}
{% set core = "rest_api" if rest else "http_api" %}
{% set isolated = integration_pattern.isolated %}
{% set target = "aws_lambda_alias.live" if snap_start else "aws_lambda_function.api_lambda" %}
# {{ class_name }}: the FastAPI app of {{ project_root }} on AWS Lambda behind an API Gateway
{% if isolated %}
# {{ "REST" if rest else "HTTP" }} API, in the isolated pattern: each operation of the app has its own Lambda function,
# log group and invoke permission (alarms and limits per operation), which runs the whole
# app and serves that operation's route only; they share one role and memory_size. The
# operations are read from the app's OpenAPI spec.
{% else %}
# {{ "REST" if rest else "HTTP" }} API, in the shared (router) pattern: one Lambda function serves every route, and
# FastAPI routes each request to its operation.
{% endif %}
#
{% if auth.iam %}
# Auth: IAM. Callers sign their requests with SigV4; grant them `execute-api:Invoke` on
# "${module.<this module>.api_execution_arn}/*/*".
{% elif auth.cognito %}
# Auth: Cognito. Callers send `Authorization: <token>` issued by the user pool
# ({{ "an ID token" if rest else "an ID or access token of one of the given clients" }}).
{% elif auth.custom %}
# Auth: custom. The Lambda authorizer {{ module }}/authorizer.py allows or denies each request
# (every request until you write its check); callers send an `Authorization` header.
{% else %}
# Auth: none. Every route is public: authenticate in the app where needed.
{% endif %}
#
# The code is the bundle that `nx run {{ module }}:bundle` writes to
# dist/{{ project_root }}/bundle (dependencies for Lambda's Python 3.12 on {{ architecture }}, plus the
{% if isolated %}
# `{{ module }}` package), zipped by Terraform once for every function: build the bundle and
# the OpenAPI spec (`nx run {{ module }}:openapi`) before `terraform plan`.
#
# To serve an operation from another integration, give module.{{ core }} its route in
# `routes` and the integration in `integrations`.
{% else %}
# `{{ module }}` package), zipped by Terraform: build the bundle before `terraform plan`.
#
# To serve an operation from its own function or another integration, give module.{{ core }}
# its route in `routes` and the integration in `integrations`: a route of its own wins over
# the proxy routes.
{% endif %}

locals {
  # This module lives in <workspace>/packages/common/terraform/src/app/apis/{{ kebab }}.
  workspace_root = "${path.module}/../../../../../../.."
{% if isolated %}

  # The app's routes, from the OpenAPI spec that `nx run {{ module }}:openapi` writes (the
  # bundle's data source checks that it exists): each operationId (the route function's
  # name) with its method and path, without a trailing slash as API Gateway matches it;
  # a `{name:path}` parameter is API Gateway's greedy `{name+}` (x-api-gateway-path).
  openapi_path = "${local.workspace_root}/dist/{{ project_root }}/openapi/openapi.json"
  openapi      = try(jsondecode(file(local.openapi_path)), { paths = {} })
  app_routes = flatten([
    for path, item in local.openapi.paths : [
      for method, operation in item : {
        id     = operation.operationId
        method = upper(method)
        path   = "/${trim(try(operation["x-api-gateway-path"], path), "/")}"
      } if contains(["get", "head", "post", "put", "patch", "delete"], method)
    ]
  ])
  # The routes of each operationId: one, or the functions' check fails.
  routes_by_id = { for route in local.app_routes : route.id => route... }
  # Each operation's route key, and its route as a Lambda permission's execution ARN
  # names it (a path parameter is a wildcard).
  operations = {
    for id, routes in local.routes_by_id : id => {
      route_key = "${routes[0].method} ${routes[0].path}"
      route_arn = "${routes[0].method}${replace(routes[0].path, "/\\{[^}]+\\}/", "*")}"
    }
  }
  function_names = {
    for id in keys(local.operations) : id => "${var.name}-${replace(id, "_", "-")}"
  }
  routes = { for id, operation in local.operations : operation.route_key => id }
{% elif rest %}
  function_name  = "${var.name}-handler"

  # / and every path below it, any method, go to the function.
  routes = {
    "ANY /"         = "app"
    "ANY /{proxy+}" = "app"
  }
{% else %}
  function_name  = "${var.name}-handler"

  # Every method but OPTIONS on / and on every path below it goes to the function.
  # OPTIONS stays unrouted: API Gateway answers a CORS preflight itself only when no
  # route matches it (a route would send it through the authorizer: a 401 for every
  # cross-origin call).
  routes = {
    for route in flatten([
      for method in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] : ["${method} /", "${method} /{proxy+}"]
    ]) : route => "app"
  }
{% endif %}
}

data "aws_partition" "current" {}

{{ bundle.bundle_zip(project_root, openapi_of=module if isolated else none) }}

{{ roles.execution_role(class_name, isolated) }}

{{ lambda.lambda_function(class_name, project_root, module, isolated=isolated) }}
{% if auth.custom %}

{{ authorizer.authorizer(class_name, project_root, module) }}
{% endif %}

module "{{ core }}" {
  source = "../../../core/api/{{ compute_type }}-api"

  name         = var.name
  description  = "{{ class_name }} ({{ project_root }})"
{% if isolated %}
  integrations = { for id, function in {{ target }} : id => function.invoke_arn }
{% else %}
  integrations = { app = {{ target }}.invoke_arn }
{% endif %}
  routes       = local.routes
  auth_type    = "{{ auth | upper }}"
{% if auth.cognito and rest %}

  cognito_user_pool_arn = var.cognito_user_pool_arn
{% elif auth.cognito %}

  cognito_user_pool_arn        = var.cognito_user_pool_arn
  cognito_user_pool_client_ids = var.cognito_user_pool_client_ids
{% elif auth.custom %}

  authorizer_invoke_arn = aws_lambda_function.authorizer.invoke_arn
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

{% if isolated %}
# API Gateway may invoke each function for its own route of this API only (any stage): one
# small policy per function, however many operations the app has.
resource "aws_lambda_permission" "api_gateway" {
  for_each = local.operations

  statement_id  = "AllowInvokeFromApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api_lambda[each.key].function_name
{% if snap_start %}
  qualifier     = aws_lambda_alias.live[each.key].name
{% endif %}
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${module.{{ core }}.api_execution_arn}/*/${each.value.route_arn}"
}
{% else %}
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
{% endif %}
{% if auth.custom %}

# API Gateway may invoke the authorizer for this API's authorizers only.
resource "aws_lambda_permission" "authorizer" {
  statement_id  = "AllowInvokeFromApiGatewayAuthorizers"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.authorizer.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${module.{{ core }}.api_execution_arn}/authorizers/*"
}
{% endif %}
