{% import "_partials/terraform/core-api.tf" as api %}
{% import "_partials/terraform/logs.tf" as logs %}
# An API Gateway HTTP API whose routes send requests to Lambda functions (payload format
# 2.0; one function for every route, or one per operation); with CORS (API Gateway answers
# a preflight request itself when no route matches OPTIONS), the authorizer of the chosen
# auth, and the automatically deployed $default stage with access logs, metrics and
# throttling.
# HTTP APIs do not support X-Ray: the Lambda function traces itself.

locals {
{{ api.authorization("authorization_type", "JWT") }}

  # The authorizer of the chosen auth, if it has one.
  authorizer_id = one(concat(aws_apigatewayv2_authorizer.cognito[*].id, aws_apigatewayv2_authorizer.custom[*].id))

  # arn:<partition>:cognito-idp:<region>:<account>:userpool/<user pool id>
  cognito_issuer = var.cognito_user_pool_arn == null ? null : format(
    "https://cognito-idp.%s.%s/%s",
    split(":", var.cognito_user_pool_arn)[3],
    data.aws_partition.current.dns_suffix,
    split("/", var.cognito_user_pool_arn)[1],
  )
}

data "aws_partition" "current" {}

resource "aws_apigatewayv2_api" "api" {
  name          = var.name
  description   = var.description
  protocol_type = "HTTP"
  tags          = var.tags

  cors_configuration {
    allow_origins = var.cors_allow_origins
    allow_methods = var.cors_allow_methods
    allow_headers = var.cors_allow_headers
    max_age       = 600
  }

  lifecycle {
{{ api.cognito_precondition("(var.cognito_user_pool_arn != null && length(var.cognito_user_pool_client_ids) > 0)", "cognito_user_pool_arn and at least one of cognito_user_pool_client_ids") }}

{{ api.custom_precondition() }}

{{ api.routes_precondition() }}
  }
}

resource "aws_apigatewayv2_authorizer" "cognito" {
  count = var.auth_type == "COGNITO" ? 1 : 0

  name             = "${var.name}-cognito"
  api_id           = aws_apigatewayv2_api.api.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = local.cognito_issuer
    audience = var.cognito_user_pool_client_ids
  }
}

# A REQUEST authorizer with payload 2.0 and simple responses: the function gets the HTTP
# API REQUEST event and answers { isAuthorized, context }; cached per Authorization header.
resource "aws_apigatewayv2_authorizer" "custom" {
  count = var.auth_type == "CUSTOM" ? 1 : 0

  name                              = "${var.name}-custom"
  api_id                            = aws_apigatewayv2_api.api.id
  authorizer_type                   = "REQUEST"
  authorizer_uri                    = var.authorizer_invoke_arn
  authorizer_payload_format_version = "2.0"
  enable_simple_responses           = true
  identity_sources                  = ["$request.header.Authorization"]
  authorizer_result_ttl_in_seconds  = var.authorizer_result_ttl_in_seconds
}

resource "aws_apigatewayv2_integration" "lambda_integration" {
  for_each = var.integrations

  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = each.value
  payload_format_version = "2.0"
  timeout_milliseconds   = var.integration_timeout_milliseconds
}

# Every route, authorized by the chosen auth, goes to its integration. Leave OPTIONS
# unrouted: API Gateway answers a CORS preflight from cors_configuration only when no
# route matches it; a route would send the preflight through the authorizer, and the
# browser would get a 401 for every cross-origin call.
resource "aws_apigatewayv2_route" "app" {
  # checkov:skip=CKV_AWS_309: the routes are public only when the API's auth is None (auth_type = "NONE"), a deliberate choice; IAM and Cognito set AWS_IAM and JWT.
  for_each = var.routes

  api_id             = aws_apigatewayv2_api.api.id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.lambda_integration[each.value].id}"
  authorization_type = local.authorization_type
  authorizer_id      = local.authorizer_id
}

{{ logs.log_group("access_logs", "/aws/apigateway/${aws_apigatewayv2_api.api.id}/default/access-logs", "var.log_kms_key_arn") }}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.api.id
  name        = "$default"
  auto_deploy = true
  tags        = var.tags

  default_route_settings {
    detailed_metrics_enabled = true
    throttling_rate_limit    = var.throttling_rate_limit
    throttling_burst_limit   = var.throttling_burst_limit
  }

{{ api.access_log_settings(rest=false) }}
}
