{# The Lambda function of an API module, for terraform-api and terraform-function-url (whose function runs behind the Lambda Web Adapter: `web_adapter`). #}
{% import "_partials/terraform/logs.tf" as logs %}

{# The log group and the function that serves every route of the FastAPI app, traced with X-Ray, optionally in a VPC; `isolated`: one of each per operation (local.function_names), each serving its own route. #}
{% macro lambda_function(class_name, project_root, module, web_adapter=false, isolated=false) %}
{% set function_name = "local.function_names[each.key]" if isolated else "local.function_name" %}
{{ logs.log_group("lambda_logs", "/aws/lambda/${" ~ function_name ~ "}", "var.kms_key_arn", for_each="local.function_names" if isolated else none) }}

resource "aws_lambda_function" "api_lambda" {
{% if isolated %}
  for_each = local.function_names

{% endif %}
{% if compute_type.function_url %}
  # checkov:skip=CKV2_AWS_75: the Function URL's CORS allows every origin while cors_allow_origins is ["*"], its default; it allows no credentials, so other sites cannot use a browser session. Set your front ends' origins.
{% endif %}
  function_name                  = {{ function_name }}
  description                    = "{{ class_name }} ({{ project_root }}): {{ 'the ${each.key} operation' if isolated else 'every route' }} of the FastAPI app{{ ', streamed through a Function URL' if compute_type.function_url else ', streamed by API Gateway' if web_adapter else '' }}."
  role                           = aws_iam_role.lambda_execution_role.arn
  runtime                        = "python3.12"
{% if web_adapter %}
{# terraform fmt aligns the two comments: the handler's after as many spaces as the longer value needs. #}
  handler                        = "run.sh"{{ " " * (("[\"" ~ architecture ~ "\"]") | length - 7) }}# run by the Lambda Web Adapter: uvicorn serving {{ module }}.main:app
  architectures                  = ["{{ architecture }}"] # the platform of the bundle's wheels and of the adapter layer
  layers                         = [local.web_adapter_layer_arn]
{% else %}
  handler                        = "{{ module }}.main.handler"
  architectures                  = ["{{ architecture }}"] # the platform `nx run {{ module }}:bundle` installs wheels for
{% endif %}
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
{% if snap_start %}

  # Published versions start from a snapshot taken after the app's import: SnapStart
  # snapshots published versions only, so each apply publishes one.
  publish = true
  snap_start {
    apply_on = "PublishedVersions"
  }
{% endif %}

  environment {
    variables = merge(
      {
        POWERTOOLS_SERVICE_NAME      = "{{ class_name }}"
        POWERTOOLS_METRICS_NAMESPACE = "{{ class_name }}"
        POWERTOOLS_LOG_LEVEL         = var.log_level
        # Responses may hold personal data and outgrow X-Ray's 64 KB segments: not traced.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE = "false"
        # The app answers CORS for these origins (comma-separated).
        ALLOWED_ORIGINS = join(",", var.cors_allow_origins)
{% if web_adapter %}
        # The Lambda Web Adapter: run run.sh (uvicorn on PORT) and stream its responses.
        AWS_LAMBDA_EXEC_WRAPPER = "/opt/bootstrap"
        AWS_LWA_INVOKE_MODE     = "response_stream"
        PORT                    = "8000"
{% endif %}
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
{% if isolated %}

    precondition {
      condition     = length(local.function_names[each.key]) <= 64
      error_message = "The function name ${local.function_names[each.key]} is longer than Lambda's 64 characters: shorten var.name or the route function's name."
    }

    precondition {
      condition     = length(local.routes_by_id[each.key]) == 1
      error_message = "The operationId ${each.key} names ${length(local.routes_by_id[each.key])} routes, and each operation has its own function: give each route function its own name (or operation_id)."
    }
{% endif %}
  }

  depends_on = [
    aws_cloudwatch_log_group.lambda_logs,
    aws_iam_role_policy.lambda_logs,
    aws_iam_role_policy_attachment.lambda_vpc_access,
  ]
}
{%- if snap_start %}


# SnapStart restores published versions only: {{ "the Function URL" if web_adapter else "API Gateway" }} invokes this alias, which
# follows each version that `terraform apply` publishes.
resource "aws_lambda_alias" "live" {
{% set function = "each.value" if isolated else "aws_lambda_function.api_lambda" %}
{% if isolated %}
  for_each = aws_lambda_function.api_lambda

{% endif %}
  name             = "live"
  function_name    = {{ function }}.function_name
  function_version = {{ function }}.version
}
{%- endif %}
{%- endmacro %}
