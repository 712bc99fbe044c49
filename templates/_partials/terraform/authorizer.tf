{# The Lambda authorizer of Custom auth, for terraform-api. #}
{% import "_partials/terraform/iam.tf" as iam %}
{% import "_partials/terraform/logs.tf" as logs %}

{# The Lambda authorizer of Custom auth (terraform-api): `<module>/authorizer.py` from the API's zip, with a role of its own that writes its logs only. #}
{% macro authorizer(class_name, project_root, module, core) %}
# The Lambda authorizer ({{ module }}/authorizer.py, from the same zip): API Gateway calls it
# before every route and caches its answer per Authorization header. Its role writes its
# logs and traces only, whatever the app's role may do.
{{ iam.service_role("authorizer_role", "authorizer_assume_role", "lambda.amazonaws.com", "${var.name}-", "Execution role of the " ~ class_name ~ " Lambda authorizer.", "var.tags") }}

{{ iam.logs_and_traces("authorizer", "authorizer_role", '"${aws_cloudwatch_log_group.authorizer_logs.arn}:*"') }}

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

# API Gateway may invoke the authorizer for this API's authorizers only.
resource "aws_lambda_permission" "authorizer" {
  statement_id  = "AllowInvokeFromApiGatewayAuthorizers"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.authorizer.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${module.{{ core }}.api_execution_arn}/authorizers/*"
}
{%- endmacro %}
