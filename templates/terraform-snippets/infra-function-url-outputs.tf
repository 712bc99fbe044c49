output "{{ module }}_url" {
  description = "URL of {{ class_name }} (its Function URL): append an operation's path without its leading slash."
  value       = module.{{ module }}.api_url
}

output "{{ module }}_lambda_function_name" {
  description = "Name of the Lambda function of {{ class_name }}."
  value       = module.{{ module }}.lambda_function_name
}

{% if auth.iam %}
output "{{ module }}_invoke_policy_arn" {
  description = "ARN of the IAM policy that allows calling {{ class_name }}."
  value       = module.{{ module }}.invoke_policy_arn
}

{% endif %}
