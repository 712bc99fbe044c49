{% import "_partials/terraform/lambda.tf" as lambda %}
{% import "_partials/terraform/bundle.tf" as bundle %}
{% import "_partials/terraform/iam.tf" as roles %}
{% import "_partials/terraform/authorizer.tf" as authorizer %}
{% import "_partials/terraform/api-module.tf" as module_doc %}
{% set rest = compute_type.rest %}
{% set core = "rest_api" if rest else "http_api" %}
{% set isolated = integration_pattern.isolated %}
{% set target = "aws_lambda_alias.live" if snap_start else "aws_lambda_function.api_lambda" %}
{{ module_doc.doc() | trim("\n") }}

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

{{ bundle.bundle_zip(project_root, executable=streaming, openapi_of=module if isolated else none) }}

{{ roles.execution_role(class_name, isolated) }}

{{ lambda.lambda_function(class_name, project_root, module, web_adapter=streaming, isolated=isolated) }}
{% if auth.custom %}

{{ authorizer.authorizer(class_name, project_root, module, core) }}
{% endif %}

module "{{ core }}" {
  source = "../../../core/api/{{ compute_type }}-api"

  name         = var.name
  description  = "{{ class_name }} ({{ project_root }})"
  integrations = {{ "{ for id, function in " ~ target ~ " : id => function.invoke_arn }" if isolated else "{ app = " ~ target ~ ".invoke_arn }" }}
  routes       = local.routes
  auth_type    = "{{ auth | upper }}"
{{ module_doc.core_auth_arguments() }}
  cors_allow_origins = var.cors_allow_origins
  cors_allow_methods = var.cors_allow_methods
  cors_allow_headers = var.cors_allow_headers

{% if rest %}
  stage_name             = var.stage_name
  response_transfer_mode = "{{ 'STREAM' if streaming else 'BUFFERED' }}"
{% endif %}
  throttling_rate_limit  = var.throttling_rate_limit
  throttling_burst_limit = var.throttling_burst_limit
  log_retention_in_days  = var.log_retention_in_days
  log_kms_key_arn        = var.kms_key_arn
  tags                   = var.tags
}

{% set each_function = "[each.key]" if isolated else "" %}
{% if isolated %}
# API Gateway may invoke each function for its own route of this API only (any stage): one
# small policy per function, however many operations the app has.
resource "aws_lambda_permission" "api_gateway" {
  for_each = local.operations

{% else %}
# API Gateway may invoke the function for this API only (any stage, method and path).
resource "aws_lambda_permission" "api_gateway" {
{% endif %}
  statement_id  = "AllowInvokeFromApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api_lambda{{ each_function }}.function_name
{% if snap_start %}
  qualifier     = aws_lambda_alias.live{{ each_function }}.name
{% endif %}
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${module.{{ core }}.api_execution_arn}/*/{{ '${each.value.route_arn}' if isolated else '*' }}"
}
