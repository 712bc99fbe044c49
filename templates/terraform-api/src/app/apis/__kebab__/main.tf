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
# dist/{{ project_root }}/bundle (dependencies for Lambda's Python 3.12 on x86_64, plus the
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

data "archive_file" "lambda_zip" {
  type             = "zip"
  source_dir       = "${local.workspace_root}/dist/{{ project_root }}/bundle"
  output_path      = "${local.workspace_root}/dist/{{ project_root }}/bundle.zip"
  output_file_mode = "0644"
}

data "aws_iam_policy_document" "lambda_assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda_execution_role" {
  name_prefix        = "${var.name}-"
  description        = "Execution role of the {{ class_name }} Lambda function."
  assume_role_policy = data.aws_iam_policy_document.lambda_assume_role.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "lambda_basic_execution" {
  role       = aws_iam_role.lambda_execution_role.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy_attachment" "lambda_xray" {
  role       = aws_iam_role.lambda_execution_role.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"
}

resource "aws_iam_role_policy_attachment" "lambda_vpc_access" {
  count = length(var.vpc_subnet_ids) > 0 ? 1 : 0

  role       = aws_iam_role.lambda_execution_role.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_iam_role_policy" "additional_permissions" {
  count = length(var.additional_iam_policy_statements) > 0 ? 1 : 0

  name = "${var.name}-additional-permissions"
  role = aws_iam_role.lambda_execution_role.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = var.additional_iam_policy_statements
  })
}

resource "aws_cloudwatch_log_group" "lambda_logs" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_lambda_function" "api_lambda" {
  # checkov:skip=CKV_AWS_116: API Gateway invokes the function synchronously; a dead-letter queue only receives failed asynchronous invocations.
  function_name                  = local.function_name
  description                    = "{{ class_name }} ({{ project_root }}): every route of the FastAPI app."
  role                           = aws_iam_role.lambda_execution_role.arn
  runtime                        = "python3.12"
  handler                        = "{{ module }}.main.handler"
  architectures                  = ["x86_64"] # the platform `nx run {{ module }}:bundle` installs wheels for
  filename                       = data.archive_file.lambda_zip.output_path
  source_code_hash               = data.archive_file.lambda_zip.output_base64sha256
  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions
  kms_key_arn                    = var.kms_key_arn
  tags                           = var.tags

  tracing_config {
    mode = "Active"
  }

  environment {
    variables = merge(
      {
        POWERTOOLS_SERVICE_NAME      = "{{ class_name }}"
        POWERTOOLS_METRICS_NAMESPACE = "{{ class_name }}"
        POWERTOOLS_LOG_LEVEL         = var.log_level
        # The app answers CORS for these origins (comma-separated).
        ALLOWED_ORIGINS = join(",", var.cors_allow_origins)
      },
      var.env,
    )
  }

  dynamic "vpc_config" {
    for_each = length(var.vpc_subnet_ids) > 0 ? [1] : []

    content {
      subnet_ids         = var.vpc_subnet_ids
      security_group_ids = var.vpc_security_group_ids
    }
  }

  lifecycle {
    precondition {
      condition     = (length(var.vpc_subnet_ids) == 0) == (length(var.vpc_security_group_ids) == 0)
      error_message = "Set both vpc_subnet_ids and vpc_security_group_ids to run the function in a VPC, or neither."
    }
  }

  depends_on = [
    aws_cloudwatch_log_group.lambda_logs,
    aws_iam_role_policy_attachment.lambda_basic_execution,
    aws_iam_role_policy_attachment.lambda_vpc_access,
  ]
}

module "{{ core }}" {
  source = "../../../core/api/{{ compute_type }}-api"

  name            = var.name
  description     = "{{ class_name }} ({{ project_root }})"
  integration_uri = aws_lambda_function.api_lambda.invoke_arn
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
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${module.{{ core }}.api_execution_arn}/*/*"
}
