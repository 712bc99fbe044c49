{% set iam = auth.iam %}
# {{ class_name }}: the FastAPI app of {{ project_root }} on AWS Lambda behind a Lambda Function URL
# that streams responses (invoke mode RESPONSE_STREAM; API Gateway cannot stream). One function
# serves every route: the Lambda Web Adapter (a layer, switched on by AWS_LAMBDA_EXEC_WRAPPER)
# runs the bundle's `run.sh`, which starts the app under uvicorn on PORT, then forwards each
# request to it over HTTP and streams the response back as the app writes it.
#
{% if iam %}
# Auth: IAM. Callers sign their requests with SigV4 (service "lambda"); attach the policy of
# the `invoke_policy_arn` output to their roles.
{% else %}
# Auth: none. The URL is public: authenticate in the app where needed.
{% endif %}
#
# The code is the bundle that `nx run {{ module }}:bundle` writes to
# dist/{{ project_root }}/bundle (dependencies for Lambda's Python 3.12 on x86_64, the
# `{{ module }}` package and run.sh), zipped by Terraform: build the bundle before `terraform plan`.
#
# The URL is also published in SSM Parameter Store (`runtime_config_parameter_name`) for
# clients that look APIs up by name.

locals {
  # This module lives in <workspace>/packages/common/terraform/src/app/apis/{{ kebab }}.
  workspace_root = "${path.module}/../../../../../../.."
  function_name  = "${var.name}-handler"
  # The Lambda Web Adapter for x86_64, published by AWS in every commercial region. The
  # region is read from the ARN of the function's log group: the attributes of the
  # aws_region data source that name it differ between the AWS provider's v5 and v6.
  web_adapter_layer_arn = coalesce(
    var.web_adapter_layer_arn,
    "arn:${data.aws_partition.current.partition}:lambda:${data.aws_arn.log_group.region}:753240598075:layer:LambdaAdapterLayerX86:24",
  )
}

data "aws_partition" "current" {}

data "aws_arn" "log_group" {
  arn = aws_cloudwatch_log_group.lambda_logs.arn
}

data "archive_file" "lambda_zip" {
  type        = "zip"
  source_dir  = "${local.workspace_root}/dist/{{ project_root }}/bundle"
  output_path = "${local.workspace_root}/dist/{{ project_root }}/bundle.zip"
  # run.sh is the handler: the adapter executes it, so every file is stored executable
  # (one fixed mode keeps the zip, and so the deployment, the same on every machine).
  output_file_mode = "0755"
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
  # checkov:skip=CKV_AWS_116: the Function URL invokes the function synchronously; a dead-letter queue only receives failed asynchronous invocations.
  function_name                  = local.function_name
  description                    = "{{ class_name }} ({{ project_root }}): every route of the FastAPI app, streamed through a Function URL."
  role                           = aws_iam_role.lambda_execution_role.arn
  runtime                        = "python3.12"
  handler                        = "run.sh"   # run by the Lambda Web Adapter: uvicorn serving {{ module }}.main:app
  architectures                  = ["x86_64"] # the platform of the bundle's wheels and of the adapter layer
  filename                       = data.archive_file.lambda_zip.output_path
  source_code_hash               = data.archive_file.lambda_zip.output_base64sha256
  layers                         = [local.web_adapter_layer_arn]
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
        # The Lambda Web Adapter: run run.sh (uvicorn on PORT) and stream its responses.
        AWS_LAMBDA_EXEC_WRAPPER = "/opt/bootstrap"
        AWS_LWA_INVOKE_MODE     = "response_stream"
        PORT                    = "8000"
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

resource "aws_lambda_function_url" "api_url" {
{% if not iam %}
  # checkov:skip=CKV_AWS_258: auth none was chosen for {{ class_name }}: the URL is public and the app authenticates where needed.
{% endif %}
  function_name      = aws_lambda_function.api_lambda.function_name
  authorization_type = "{{ 'AWS_IAM' if iam else 'NONE' }}"
  invoke_mode        = "RESPONSE_STREAM"

  cors {
    allow_credentials = false
    allow_origins     = var.cors_allow_origins
    allow_methods     = var.cors_allow_methods
    allow_headers     = var.cors_allow_headers
    expose_headers    = ["x-correlation-id"]
    max_age           = 86400
  }
}
{% if not iam %}

# Anyone may call the public URL: Lambda checks both actions for each request through a
# Function URL (lambda:InvokeFunctionUrl, and since October 2025 lambda:InvokeFunction).
# The AWS provider adds similar statements itself (FunctionURLAllowPublicAccess, and from
# v6.29 FunctionURLAllowInvokeAction) but leaves them out of the state: these are managed.
resource "aws_lambda_permission" "public_function_url" {
  # checkov:skip=CKV_AWS_301: auth none was chosen for {{ class_name }}: its Function URL is public.
  statement_id           = "AllowPublicFunctionUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.api_lambda.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}

resource "aws_lambda_permission" "public_invoke" {
  # checkov:skip=CKV_AWS_301: auth none was chosen for {{ class_name }}: a public Function URL needs lambda:InvokeFunction for everyone (the AWS provider >= 6.29 can narrow it with invoked_via_function_url = true).
  statement_id  = "AllowPublicInvokeThroughFunctionUrl"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api_lambda.function_name
  principal     = "*"
}
{% else %}

# What callers need to call the URL with SigV4-signed requests: lambda:InvokeFunctionUrl
# through an IAM-authenticated Function URL, and (since October 2025) lambda:InvokeFunction
# when invoked through a Function URL. Attach it to the callers' roles.
resource "aws_iam_policy" "invoke" {
  name_prefix = "{{ class_name }}Invoke"
  description = "Allows calling every route of {{ class_name }} through its Function URL."
  tags        = var.tags

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "lambda:InvokeFunctionUrl"
        Resource = aws_lambda_function.api_lambda.arn
        Condition = {
          StringEquals = {
            "lambda:FunctionUrlAuthType" = "AWS_IAM"
          }
        }
      },
      {
        Effect   = "Allow"
        Action   = "lambda:InvokeFunction"
        Resource = aws_lambda_function.api_lambda.arn
        Condition = {
          Bool = {
            "lambda:InvokedViaFunctionUrl" = "true"
          }
        }
      },
    ]
  })
}
{% endif %}

# The runtime configuration: clients look the URL up by the API's name.
resource "aws_ssm_parameter" "runtime_config" {
  # checkov:skip=CKV2_AWS_34: the value is the API's URL, not a secret; a String parameter can be read without kms:Decrypt.
  name        = var.runtime_config_parameter_name
  description = "URL of the {{ class_name }} Function URL."
  type        = "String"
  value       = aws_lambda_function_url.api_url.function_url
  tags        = var.tags
}
