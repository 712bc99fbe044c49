{% import "_partials/terraform/outputs.tf" as outputs %}
{% set core = "rest_api" if compute_type.rest else "http_api" %}
output "stage_invoke_url" {
  description = "URL of the API's stage{{ ', e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/prod' if compute_type.rest else ', e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/' }}"
  value       = module.{{ core }}.stage_invoke_url
}

output "api_url" {
  description = "Base URL of the API, ending with a slash: append an operation's path without its leading slash."
  value       = "${trimsuffix(module.{{ core }}.stage_invoke_url, "/")}/"
}

output "api_id" {
  description = "ID of the API Gateway {{ 'REST' if compute_type.rest else 'HTTP' }} API."
  value       = module.{{ core }}.api_id
}

output "api_arn" {
  description = "ARN of the API Gateway {{ 'REST' if compute_type.rest else 'HTTP' }} API."
  value       = module.{{ core }}.api_arn
}

output "api_execution_arn" {
  description = "Execution ARN of the API; append \"/*/*\" for every stage, method and path, e.g. in an execute-api:Invoke policy."
  value       = module.{{ core }}.api_execution_arn
}

{{ outputs.lambda_outputs(integration_pattern.isolated) }}
{% if auth.custom %}

output "authorizer_function_name" {
  description = "Name of the Lambda authorizer."
  value       = aws_lambda_function.authorizer.function_name
}

output "authorizer_role_name" {
  description = "Name of the Lambda authorizer's execution role, e.g. to let its check read a secret."
  value       = aws_iam_role.authorizer_role.name
}
{% endif %}
