{# The Lambda function of an API module and what it needs, for terraform-api and terraform-function-url (whose function runs behind the Lambda Web Adapter: `web_adapter`). #}
{% import "_partials/terraform/iam.tf" as iam %}
{% import "_partials/terraform/logs.tf" as logs %}

{# The zip of the bundle that `nx run <module>:bundle` writes (`executable`: every file stored 0755, for run.sh); `openapi_of`: the module whose OpenAPI spec (local.openapi_path) must exist too. #}
{% macro bundle_zip(project_root, executable=false, openapi_of=none) %}
data "archive_file" "lambda_zip" {
{% if executable %}
  type        = "zip"
  source_dir  = "${local.workspace_root}/dist/{{ project_root }}/bundle"
  output_path = "${local.workspace_root}/dist/{{ project_root }}/bundle.zip"
  # run.sh is the handler: the adapter executes it, so every file is stored executable
  # (one fixed mode keeps the zip, and so the deployment, the same on every machine).
  output_file_mode = "0755"
{% else %}
  type             = "zip"
  source_dir       = "${local.workspace_root}/dist/{{ project_root }}/bundle"
  output_path      = "${local.workspace_root}/dist/{{ project_root }}/bundle.zip"
  output_file_mode = "0644"
{% endif %}
{% if openapi_of is not none %}

  lifecycle {
    precondition {
      condition     = fileexists(local.openapi_path)
      error_message = "The OpenAPI spec of {{ openapi_of }} is missing: run `nx run {{ openapi_of }}:openapi` (nx run infra:plan runs it first)."
    }
  }
{% endif %}
}
{%- endmacro %}

{# A role's permission to write to the log streams of `log_streams` (HCL), named `<prefix>_logs`, and X-Ray's managed policy, `<prefix>_xray`. #}
{% macro logs_and_traces(prefix, role, log_streams) %}
resource "aws_iam_role_policy" "{{ prefix }}_logs" {
  name = "write-logs"
  role = aws_iam_role.{{ role }}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = {{ log_streams }}
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "{{ prefix }}_xray" {
  role       = aws_iam_role.{{ role }}.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"
}
{%- endmacro %}

{# The function's execution role: its own log group (not AWSLambdaBasicExecutionRole's every group), X-Ray, network interfaces when in a VPC, and the module's additional_iam_policy_statements. #}
{% macro execution_role(class_name, isolated=false) %}
{{ iam.service_role("lambda_execution_role", "lambda_assume_role", "lambda.amazonaws.com", "${var.name}-", "Execution role of the " ~ class_name ~ " Lambda function" ~ ("s" if isolated else "") ~ ".", "var.tags") }}

{% if isolated %}
# Each function writes to the log groups of the API's functions only (they exist before
# the functions run).
{% else %}
# The function writes to its own log group only (the log group exists before it runs).
{% endif %}
{{ logs_and_traces("lambda", "lambda_execution_role", '[for group in aws_cloudwatch_log_group.lambda_logs : "${group.arn}:*"]' if isolated else '"${aws_cloudwatch_log_group.lambda_logs.arn}:*"') }}

# In a VPC, the function's network interfaces (AWSLambdaVPCAccessExecutionRole would
# add logs on every log group).
resource "aws_iam_role_policy_attachment" "lambda_vpc_access" {
  count = length(var.vpc_subnet_ids) > 0 ? 1 : 0

  role       = aws_iam_role.lambda_execution_role.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaENIManagementAccess"
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
{%- endmacro %}

{# The log group and the function that serves every route of the FastAPI app, traced with X-Ray, optionally in a VPC; `isolated`: one of each per operation (local.function_names), each serving its own route. #}
{% macro lambda_function(class_name, project_root, module, web_adapter=false, isolated=false) %}
{% if isolated %}
{{ logs.log_group("lambda_logs", "/aws/lambda/${local.function_names[each.key]}", "var.kms_key_arn", for_each="local.function_names") }}
{% else %}
{{ logs.log_group("lambda_logs", "/aws/lambda/${local.function_name}", "var.kms_key_arn") }}
{% endif %}

resource "aws_lambda_function" "api_lambda" {
{% if isolated %}
  for_each = local.function_names

{% endif %}
{% if web_adapter %}
  # checkov:skip=CKV2_AWS_75: the Function URL's CORS allows every origin while cors_allow_origins is ["*"], its default; it allows no credentials, so other sites cannot use a browser session. Set your front ends' origins.
{% endif %}
{% if isolated %}
  function_name                  = local.function_names[each.key]
  description                    = "{{ class_name }} ({{ project_root }}): the ${each.key} operation of the FastAPI app."
{% else %}
  function_name                  = local.function_name
  description                    = "{{ class_name }} ({{ project_root }}): every route of the FastAPI app{{ ', streamed through a Function URL' if web_adapter else '' }}."
{% endif %}
  role                           = aws_iam_role.lambda_execution_role.arn
  runtime                        = "python3.12"
{% if web_adapter %}
{# terraform fmt aligns the two comments: the handler's after as many spaces as the longer value needs. #}
  handler                        = "run.sh"{{ " " * (("[\"" ~ architecture ~ "\"]") | length - 7) }}# run by the Lambda Web Adapter: uvicorn serving {{ module }}.main:app
  architectures                  = ["{{ architecture }}"] # the platform of the bundle's wheels and of the adapter layer
{% else %}
  handler                        = "{{ module }}.main.handler"
  architectures                  = ["{{ architecture }}"] # the platform `nx run {{ module }}:bundle` installs wheels for
{% endif %}
  filename                       = data.archive_file.lambda_zip.output_path
  source_code_hash               = data.archive_file.lambda_zip.output_base64sha256
{% if web_adapter %}
  layers                         = [local.web_adapter_layer_arn]
{% endif %}
  memory_size                    = var.memory_size
  timeout                        = var.timeout
  reserved_concurrent_executions = var.reserved_concurrent_executions
  kms_key_arn                    = var.kms_key_arn
{% if snap_start %}
  publish                        = true # SnapStart snapshots published versions
{% endif %}
  tags                           = var.tags

  tracing_config {
    mode = "Active"
  }
{% if snap_start %}

  # Published versions start from a snapshot taken after the app's import.
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
{% if isolated %}
  for_each = aws_lambda_function.api_lambda

  name             = "live"
  function_name    = each.value.function_name
  function_version = each.value.version
{% else %}
  name             = "live"
  function_name    = aws_lambda_function.api_lambda.function_name
  function_version = aws_lambda_function.api_lambda.version
{% endif %}
}
{%- endif %}
{%- endmacro %}

{# The Lambda authorizer of Custom auth (terraform-api): `<module>/authorizer.py` from the API's zip, with a role of its own that writes its logs only. #}
{% macro authorizer(class_name, project_root, module) %}
# The Lambda authorizer ({{ module }}/authorizer.py, from the same zip): API Gateway calls it
# before every route and caches its answer per Authorization header. Its role writes its
# logs and traces only, whatever the app's role may do.
{{ iam.service_role("authorizer_role", "authorizer_assume_role", "lambda.amazonaws.com", "${var.name}-", "Execution role of the " ~ class_name ~ " Lambda authorizer.", "var.tags") }}

{{ logs_and_traces("authorizer", "authorizer_role", '"${aws_cloudwatch_log_group.authorizer_logs.arn}:*"') }}

{{ logs.log_group("authorizer_logs", "/aws/lambda/${var.name}-authorizer", "var.kms_key_arn") }}

resource "aws_lambda_function" "authorizer" {
  function_name    = "${var.name}-authorizer"
  description      = "{{ class_name }} ({{ project_root }}): the Lambda authorizer of every route."
  role             = aws_iam_role.authorizer_role.arn
  runtime          = "python3.12"
  handler          = "{{ module }}.authorizer.handler"
  architectures    = ["{{ architecture }}"]
  filename         = data.archive_file.lambda_zip.output_path
  source_code_hash = data.archive_file.lambda_zip.output_base64sha256
  memory_size      = var.memory_size
  timeout          = 10 # the caller waits for it before the route runs
  kms_key_arn      = var.kms_key_arn
  tags             = var.tags

  tracing_config {
    mode = "Active"
  }

  environment {
    variables = merge({ POWERTOOLS_LOG_LEVEL = var.log_level }, var.authorizer_env)
  }

  depends_on = [
    aws_cloudwatch_log_group.authorizer_logs,
    aws_iam_role_policy.authorizer_logs,
  ]
}
{%- endmacro %}
