{# Output blocks of the Terraform modules: the outputs.tf of terraform-api and terraform-function-url, and the root module's outputs of each API (terraform-snippets). #}

{# One output block, for api_outputs. #}
{% macro output(name, description, value) %}
output "{{ name }}" {
  description = "{{ description }}"
  value       = {{ value }}
}
{%- endmacro %}

{# The outputs of the API modules' Lambda function, its role and its log group (terraform-api, terraform-function-url); `isolated`: of the functions and log groups by operation. #}
{% macro lambda_outputs(isolated=false) %}
{% if isolated %}
output "lambda_function_names" {
  description = "Names of the Lambda functions by operation (the route function's name)."
  value       = { for id, function in aws_lambda_function.api_lambda : id => function.function_name }
}

output "lambda_function_arns" {
  description = "ARNs of the Lambda functions by operation."
  value       = { for id, function in aws_lambda_function.api_lambda : id => function.arn }
}
{% else %}
output "lambda_function_name" {
  description = "Name of the Lambda function that serves every route."
  value       = aws_lambda_function.api_lambda.function_name
}

output "lambda_function_arn" {
  description = "ARN of the Lambda function that serves every route."
  value       = aws_lambda_function.api_lambda.arn
}
{% endif %}

output "lambda_execution_role_arn" {
  description = "ARN of the Lambda function{{ "s'" if isolated else "'s" }} execution role."
  value       = aws_iam_role.lambda_execution_role.arn
}

output "lambda_execution_role_name" {
  description = "Name of the Lambda function{{ "s'" if isolated else "'s" }} execution role, e.g. to attach policies with aws_iam_role_policy."
  value       = aws_iam_role.lambda_execution_role.name
}

{% if isolated %}
output "lambda_log_group_names" {
  description = "Names of the Lambda functions' log groups by operation."
  value       = { for id, group in aws_cloudwatch_log_group.lambda_logs : id => group.name }
}
{% else %}
output "lambda_log_group_name" {
  description = "Name of the Lambda function's log group."
  value       = aws_cloudwatch_log_group.lambda_logs.name
}
{% endif %}
{%- endmacro %}

{# The root module's outputs of one API (terraform-snippets/infra-*-outputs.tf): its URL, its function and (`invoke_policy_arn`, IAM auth) the policy that allows calling it. #}
{% macro api_outputs(module, class_name, url_description, invoke_policy_arn=none, isolated=false) %}
{{ output(module ~ "_url", url_description, "module." ~ module ~ ".api_url") }}

{% if isolated %}
{{ output(module ~ "_lambda_function_names", "Names of the Lambda functions of " ~ class_name ~ " by operation.", "module." ~ module ~ ".lambda_function_names") }}
{% else %}
{{ output(module ~ "_lambda_function_name", "Name of the Lambda function of " ~ class_name ~ ".", "module." ~ module ~ ".lambda_function_name") }}
{% endif %}
{% if invoke_policy_arn is not none %}

{{ output(module ~ "_invoke_policy_arn", "ARN of the IAM policy that allows calling " ~ class_name ~ ".", invoke_policy_arn) }}
{% endif %}
{%- endmacro %}
