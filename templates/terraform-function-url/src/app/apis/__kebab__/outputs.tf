{% import "_partials/terraform/outputs.tf" as outputs %}
output "function_url" {
  description = "URL of the Function URL, ending with a slash, e.g. https://abc123.lambda-url.eu-west-1.on.aws/: append an operation's path without its leading slash."
  value       = aws_lambda_function_url.api_url.function_url
}

output "api_url" {
  description = "Base URL of the API, ending with a slash (the Function URL): append an operation's path without its leading slash."
  value       = aws_lambda_function_url.api_url.function_url
}

{{ outputs.lambda_outputs() }}

output "runtime_config_parameter_name" {
  description = "Name of the SSM parameter that holds the URL."
  value       = aws_ssm_parameter.runtime_config.name
}
{% if auth.iam %}

output "invoke_policy_arn" {
  description = "ARN of the IAM policy that allows calling the Function URL with SigV4-signed requests: attach it to the callers' roles."
  value       = aws_iam_policy.invoke.arn
}
{% endif %}
