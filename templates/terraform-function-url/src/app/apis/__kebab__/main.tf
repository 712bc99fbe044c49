{% import "_partials/terraform/lambda.tf" as lambda %}
{% import "_partials/terraform/bundle.tf" as bundle %}
{% import "_partials/terraform/iam.tf" as roles %}
{% import "_partials/terraform/web-adapter.tf" as web_adapter %}
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
# dist/{{ project_root }}/bundle (dependencies for Lambda's Python 3.12 on {{ architecture }}, the
# `{{ module }}` package and run.sh), zipped by Terraform: build the bundle before `terraform plan`.
#
# The URL is also published in SSM Parameter Store (`runtime_config_parameter_name`) for
# clients that look APIs up by name.

locals {
  # This module lives in <workspace>/packages/common/terraform/src/app/apis/{{ kebab }}.
  workspace_root = "${path.module}/../../../../../../.."
  function_name  = "${var.name}-handler"
{{ web_adapter.layer_local("data.aws_arn.log_group.region", "the ARN of the function's log group: the attributes of the\n  # aws_region data source that name it differ between the AWS provider's v5 and v6") }}
}

data "aws_partition" "current" {}

data "aws_arn" "log_group" {
  arn = aws_cloudwatch_log_group.lambda_logs.arn
}

{{ bundle.bundle_zip(project_root, executable=true) }}

{{ roles.execution_role(class_name) }}

{{ lambda.lambda_function(class_name, project_root, module, web_adapter=true) }}

resource "aws_lambda_function_url" "api_url" {
{% if not iam %}
  # checkov:skip=CKV_AWS_258: auth none was chosen for {{ class_name }}: the URL is public and the app authenticates where needed.
{% endif %}
  function_name      = aws_lambda_function.api_lambda.function_name
{% if snap_start %}
  qualifier          = aws_lambda_alias.live.name
{% endif %}
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
# The AWS provider adds similar statements itself (FunctionURLAllowPublicAccess and
# FunctionURLAllowInvokeAction) but leaves them out of the state: these are managed.
resource "aws_lambda_permission" "public_function_url" {
  # checkov:skip=CKV_AWS_301: auth none was chosen for {{ class_name }}: its Function URL is public.
  statement_id           = "AllowPublicFunctionUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.api_lambda.function_name
{% if snap_start %}
  qualifier              = aws_lambda_alias.live.name
{% endif %}
  principal              = "*"
  function_url_auth_type = "NONE"
}

# Only through the Function URL (the condition lambda:InvokedViaFunctionUrl): without it,
# any principal of any account could invoke the function directly, asynchronous Event
# invokes included.
resource "aws_lambda_permission" "public_invoke" {
  # checkov:skip=CKV_AWS_301: principal "*" is bounded by invoked_via_function_url: only requests through {{ class_name }}'s public Function URL (auth none, chosen) may invoke it; checkov does not read the condition.
  statement_id             = "AllowPublicInvokeThroughFunctionUrl"
  action                   = "lambda:InvokeFunction"
  function_name            = aws_lambda_function.api_lambda.function_name
{% if snap_start %}
  qualifier                = aws_lambda_alias.live.name
{% endif %}
  principal                = "*"
  invoked_via_function_url = true
}
{% else %}

# What callers need to call the URL with SigV4-signed requests: lambda:InvokeFunctionUrl
# through an IAM-authenticated Function URL, and (since October 2025) lambda:InvokeFunction
# when invoked through a Function URL. Attach it to the callers' roles.
resource "aws_iam_policy" "invoke" {
  name_prefix = "${var.name}-invoke-"
  description = "Allows calling every route of {{ class_name }} through its Function URL."
  tags        = var.tags

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "lambda:InvokeFunctionUrl"
        Resource = {{ "aws_lambda_alias.live" if snap_start else "aws_lambda_function.api_lambda" }}.arn
        Condition = {
          StringEquals = {
            "lambda:FunctionUrlAuthType" = "AWS_IAM"
          }
        }
      },
      {
        Effect   = "Allow"
        Action   = "lambda:InvokeFunction"
        Resource = {{ "aws_lambda_alias.live" if snap_start else "aws_lambda_function.api_lambda" }}.arn
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
