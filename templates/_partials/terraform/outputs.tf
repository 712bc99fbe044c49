{# Output blocks of the Terraform modules: the outputs.tf of terraform-api and terraform-function-url, and the root module's outputs of each API (terraform-snippets). #}

{# One output block, for api_outputs. #}
{% macro output(name, description, value) %}
output "{{ name }}" {
  description = "{{ description }}"
  value       = {{ value }}
}
{%- endmacro %}

{# The outputs of the API modules' Lambda function, its role and its log group (terraform-api, terraform-function-url). #}
{% macro lambda_outputs() %}
output "lambda_function_name" {
  description = "Name of the Lambda function that serves every route."
  value       = aws_lambda_function.api_lambda.function_name
}

output "lambda_function_arn" {
  description = "ARN of the Lambda function that serves every route."
  value       = aws_lambda_function.api_lambda.arn
}

output "lambda_execution_role_arn" {
  description = "ARN of the Lambda function's execution role."
  value       = aws_iam_role.lambda_execution_role.arn
}

output "lambda_execution_role_name" {
  description = "Name of the Lambda function's execution role, e.g. to attach policies with aws_iam_role_policy."
  value       = aws_iam_role.lambda_execution_role.name
}

output "lambda_log_group_name" {
  description = "Name of the Lambda function's log group."
  value       = aws_cloudwatch_log_group.lambda_logs.name
}
{%- endmacro %}

{# The root module's outputs of one API (terraform-snippets/infra-*-outputs.tf): its URL, its function and (`invoke_policy_arn`, IAM auth) the policy that allows calling it. #}
{% macro api_outputs(module, class_name, url_description, invoke_policy_arn=none) %}
{{ output(module ~ "_url", url_description, "module." ~ module ~ ".api_url") }}

{{ output(module ~ "_lambda_function_name", "Name of the Lambda function of " ~ class_name ~ ".", "module." ~ module ~ ".lambda_function_name") }}
{% if invoke_policy_arn is not none %}

{{ output(module ~ "_invoke_policy_arn", "ARN of the IAM policy that allows calling " ~ class_name ~ ".", invoke_policy_arn) }}
{% endif %}
{%- endmacro %}
