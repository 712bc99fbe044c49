{% import "_partials/terraform/core-api.tf" as api %}
{% import "_partials/terraform/logs.tf" as logs %}
{# How deep a route's path may be: one resource block per depth. #}
{% set max_depth = 6 %}
# An API Gateway REST API (regional) whose routes send requests to Lambda functions through
# proxy integrations (one function for `ANY /{proxy+}`, or one per operation); with CORS
# preflight and CORS headers on API Gateway's own errors, the authorizer of the chosen
# auth, and a stage with X-Ray tracing, access and execution logs, metrics and throttling.
#
# Access and execution logging need API Gateway's CloudWatch role, an account-wide
# setting made once per account and region; the generated root module (packages/infra)
# sets it where the account has none (api-gateway-account.tf).

locals {
{{ api.authorization("authorization", "COGNITO_USER_POOLS") }}

  # The authorizer of the chosen auth, if it has one.
  authorizer_id = one(concat(aws_api_gateway_authorizer.cognito[*].id, aws_api_gateway_authorizer.custom[*].id))

  # Each route as its method, its resource's path and its integration:
  # "GET /items/{item_id}" is { http_method = "GET", path = "/items/{item_id}", ... }.
  routes = {
    for key, integration in var.routes : key => {
      http_method = split(" ", key)[0]
      path        = "/${trim(split(" ", key)[1], "/")}"
      integration = integration
    }
  }

  # What each integration invokes: a function's invoke ARN as given, or, to stream, its
  # response-streaming invocation (Lambda API version 2021-11-15), which STREAM requires.
  integration_uris = {
    for id, uri in var.integrations : id => (
      var.response_transfer_mode == "STREAM"
      ? replace(uri, "/2015-03-31/(.+)/invocations$/", "2021-11-15/$1/response-streaming-invocations")
      : uri
    )
  }

  # The segments of every resource below / that a route needs, and of its ancestors,
  # by path: "/items" is ["items"], "/items/{item_id}" is ["items", "{item_id}"].
  segments = merge([
    for route in values(local.routes) : {
      for depth in range(1, length(split("/", route.path))) :
      join("/", slice(split("/", route.path), 0, depth + 1)) => slice(split("/", route.path), 1, depth + 1)
    } if route.path != "/"
  ]...)

  # Every resource by path: / and the resources of each depth.
  resource_ids = merge(
    { "/" = aws_api_gateway_rest_api.api.root_resource_id },
{% for depth in range(1, max_depth + 1) %}
    { for path, resource in aws_api_gateway_resource.depth_{{ depth }} : path => resource.id },
{% endfor %}
  )

  # A header holds one origin: several origins are answered by a template that echoes the
  # request's Origin when it is allowed (the app's own responses carry the right one too).
  single_origin = length(var.cors_allow_origins) == 1
  preflight_headers = merge(
    {
      "Access-Control-Allow-Headers" = "'${join(",", var.cors_allow_headers)}'"
      "Access-Control-Allow-Methods" = "'${join(",", var.cors_allow_methods)}'"
      "Access-Control-Max-Age"       = "'600'"
    },
    local.single_origin ? { "Access-Control-Allow-Origin" = "'${var.cors_allow_origins[0]}'" } : { "Vary" = "'Origin'" },
  )
  preflight_template = join("\n", [
    "#set($origin = $input.params().header.get(\"Origin\"))",
    "#if($origin == \"\")#set($origin = $input.params().header.get(\"origin\"))#end",
    "#if(${join(" || ", [for origin in var.cors_allow_origins : "$origin == \"${origin}\""])})",
    "#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)",
    "#end",
  ])
}

resource "aws_api_gateway_rest_api" "api" {
  name        = var.name
  description = var.description
  tags        = var.tags

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    # Should the API ever be replaced, its successor is ready before it goes.
    create_before_destroy = true

{{ api.cognito_precondition("var.cognito_user_pool_arn != null", "cognito_user_pool_arn") }}

{{ api.custom_precondition() }}

{{ api.routes_precondition() }}

    precondition {
      condition     = alltrue([for segments in values(local.segments) : length(segments) <= {{ max_depth }}])
      error_message = "A route's path is more than {{ max_depth }} segments deep: add a depth_{{ max_depth + 1 }} block like depth_{{ max_depth }} (and to resource_ids and the deployment's triggers)."
    }
  }
}

# The resources of the routes' paths. Each is the child of the one a segment shorter, and
# Terraform cannot make instances of one block the parents of others, so each depth has
# its own block: /items is depth 1, /items/{item_id} depth 2.
{% for depth in range(1, max_depth + 1) %}
resource "aws_api_gateway_resource" "depth_{{ depth }}" {
  for_each = { for path, segments in local.segments : path => segments if length(segments) == {{ depth }} }

  rest_api_id = aws_api_gateway_rest_api.api.id
{% if depth == 1 %}
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
{% else %}
  parent_id   = aws_api_gateway_resource.depth_{{ depth - 1 }}["/${join("/", slice(each.value, 0, {{ depth - 1 }}))}"].id
{% endif %}
  path_part   = each.value[{{ depth - 1 }}]
}

{% endfor %}
resource "aws_api_gateway_authorizer" "cognito" {
  count = var.auth_type == "COGNITO" ? 1 : 0

  name            = "${var.name}-cognito"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "COGNITO_USER_POOLS"
  provider_arns   = [var.cognito_user_pool_arn]
  identity_source = "method.request.header.Authorization"
}

# A REQUEST authorizer (not TOKEN): the function gets the whole request, as the REST API
# REQUEST event, and answers with an IAM policy; cached per Authorization header.
resource "aws_api_gateway_authorizer" "custom" {
  count = var.auth_type == "CUSTOM" ? 1 : 0

  name                             = "${var.name}-custom"
  rest_api_id                      = aws_api_gateway_rest_api.api.id
  type                             = "REQUEST"
  authorizer_uri                   = var.authorizer_invoke_arn
  identity_source                  = "method.request.header.Authorization"
  authorizer_result_ttl_in_seconds = var.authorizer_result_ttl_in_seconds
}

# Every route, authorized by the chosen auth, goes to its Lambda function.
resource "aws_api_gateway_method" "app" {
  # checkov:skip=CKV_AWS_59: the methods are public only when the API's auth is None (auth_type = "NONE"), a deliberate choice; IAM and Cognito set AWS_IAM and COGNITO_USER_POOLS.
  # checkov:skip=CKV2_AWS_53: a proxy method has no model to validate against; the FastAPI app validates every request against its own models (422).
  for_each = local.routes

  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = local.resource_ids[each.value.path]
  http_method   = each.value.http_method
  authorization = local.authorization
  authorizer_id = local.authorizer_id
}

resource "aws_api_gateway_integration" "lambda_integration" {
  for_each = local.routes

  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = local.resource_ids[each.value.path]
  http_method             = aws_api_gateway_method.app[each.key].http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = local.integration_uris[each.value.integration]
  response_transfer_mode  = var.response_transfer_mode
}

# CORS preflight (OPTIONS) on every resource is answered by API Gateway itself, without
# auth: browsers send it without credentials.
resource "aws_api_gateway_method" "cors_preflight" {
  # checkov:skip=CKV2_AWS_53: a mock integration answers CORS preflight; there is no request to validate.
  for_each = local.resource_ids

  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = each.value
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "cors_preflight" {
  for_each = local.resource_ids

  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = each.value
  http_method = aws_api_gateway_method.cors_preflight[each.key].http_method
  type        = "MOCK"

  request_templates = {
    "application/json" = jsonencode({ statusCode = 200 })
  }
}

resource "aws_api_gateway_method_response" "cors_preflight" {
  for_each = local.resource_ids

  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = each.value
  http_method = aws_api_gateway_method.cors_preflight[each.key].http_method
  status_code = "204"

  response_parameters = merge(
    { for header in keys(local.preflight_headers) : "method.response.header.${header}" => true },
    { "method.response.header.Access-Control-Allow-Origin" = true },
  )
}

resource "aws_api_gateway_integration_response" "cors_preflight" {
  for_each = local.resource_ids

  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = each.value
  http_method = aws_api_gateway_method.cors_preflight[each.key].http_method
  status_code = aws_api_gateway_method_response.cors_preflight[each.key].status_code

  response_parameters = {
    for header, value in local.preflight_headers : "method.response.header.${header}" => value
  }
  response_templates = local.single_origin ? {} : {
    "application/json" = local.preflight_template
  }

  depends_on = [aws_api_gateway_integration.cors_preflight]
}

# Errors API Gateway answers itself (denied, throttled, ...) carry CORS headers too, so
# browsers can read them. With several allowed origins there is no single header value.
resource "aws_api_gateway_gateway_response" "cors" {
  for_each = local.single_origin ? toset(["DEFAULT_4XX", "DEFAULT_5XX"]) : toset([])

  rest_api_id   = aws_api_gateway_rest_api.api.id
  response_type = each.key

  response_parameters = {
    "gatewayresponse.header.Access-Control-Allow-Origin"  = "'${var.cors_allow_origins[0]}'"
    "gatewayresponse.header.Access-Control-Allow-Headers" = "'${join(",", var.cors_allow_headers)}'"
  }
}

# A new deployment whenever the API changes; the stage moves to it, then the old one goes.
resource "aws_api_gateway_deployment" "api_deployment" {
  rest_api_id = aws_api_gateway_rest_api.api.id

  triggers = {
    redeployment = sha1(jsonencode([
{% for depth in range(1, max_depth + 1) %}
      aws_api_gateway_resource.depth_{{ depth }},
{% endfor %}
      aws_api_gateway_authorizer.cognito,
      aws_api_gateway_authorizer.custom,
      aws_api_gateway_method.app,
      aws_api_gateway_integration.lambda_integration,
      aws_api_gateway_method.cors_preflight,
      aws_api_gateway_integration.cors_preflight,
      aws_api_gateway_method_response.cors_preflight,
      aws_api_gateway_integration_response.cors_preflight,
      aws_api_gateway_gateway_response.cors,
      var.redeployment_triggers,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

{{ logs.log_group("access_logs", "/aws/apigateway/${aws_api_gateway_rest_api.api.id}/${var.stage_name}/access-logs", "var.log_kms_key_arn") }}

# API Gateway writes execution logs to this group; created here so that it has a retention.
{{ logs.log_group("execution_logs", "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api.id}/${var.stage_name}", "var.log_kms_key_arn") }}

resource "aws_api_gateway_stage" "stage" {
  # checkov:skip=CKV2_AWS_51: client certificates authenticate API Gateway to HTTP backends; this stage's only backend is a Lambda function.
  # checkov:skip=CKV_AWS_120: no stage cache: responses are dynamic and may differ per caller, and a cache keyed by path and parameters would serve one caller the response of another; cache per method where responses are shared.
  # checkov:skip=CKV2_AWS_29: WAF needs a web ACL you own and pay for: associate one with this stage (aws_wafv2_web_acl_association); the stage's throttling limits request rates meanwhile.
  rest_api_id          = aws_api_gateway_rest_api.api.id
  deployment_id        = aws_api_gateway_deployment.api_deployment.id
  stage_name           = var.stage_name
  xray_tracing_enabled = true
  tags                 = var.tags

{{ api.access_log_settings(rest=true) }}

  depends_on = [aws_cloudwatch_log_group.execution_logs]
}

resource "aws_api_gateway_method_settings" "all" {
  # checkov:skip=CKV_AWS_225: no method cache, as for the stage (CKV_AWS_120): responses are dynamic and may differ per caller; cache per method where responses are shared.
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.stage.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = var.execution_logging_level
    data_trace_enabled     = false
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
  }
}
