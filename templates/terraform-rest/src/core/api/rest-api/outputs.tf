output "api_id" {
  description = "ID of the REST API."
  value       = aws_api_gateway_rest_api.api.id
}

output "api_arn" {
  description = "ARN of the REST API (for API Gateway management permissions and tags)."
  value       = aws_api_gateway_rest_api.api.arn
}

output "api_execution_arn" {
  description = "Execution ARN of the REST API: append `/<stage>/<METHOD>/<path>` (or `/*/*`) for `execute-api:Invoke` policies and Lambda permissions."
  value       = aws_api_gateway_rest_api.api.execution_arn
}

output "api_root_resource_id" {
  description = "ID of the API's root resource (/), the parent of resources you add."
  value       = aws_api_gateway_rest_api.api.root_resource_id
}

output "api_name" {
  description = "Name of the REST API."
  value       = aws_api_gateway_rest_api.api.name
}

output "authorizer_id" {
  description = "ID of the authorizer: Cognito's or the Lambda authorizer (null unless auth_type is COGNITO or CUSTOM)."
  value       = local.authorizer_id
}

output "authorization" {
  description = "The `authorization` of the module's methods (AWS_IAM, COGNITO_USER_POOLS, CUSTOM or NONE), for methods you add."
  value       = local.authorization
}

output "deployment_id" {
  description = "ID of the current deployment."
  value       = aws_api_gateway_deployment.api_deployment.id
}

output "stage_name" {
  description = "Name of the stage."
  value       = aws_api_gateway_stage.stage.stage_name
}

output "stage_arn" {
  description = "ARN of the stage (e.g. to associate a WAF web ACL)."
  value       = aws_api_gateway_stage.stage.arn
}

output "stage_invoke_url" {
  description = "URL of the stage, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/prod"
  value       = aws_api_gateway_stage.stage.invoke_url
}

output "access_log_group_name" {
  description = "Name of the log group of the stage's access logs."
  value       = aws_cloudwatch_log_group.access_logs.name
}

output "execution_log_group_name" {
  description = "Name of the log group of the stage's execution logs."
  value       = aws_cloudwatch_log_group.execution_logs.name
}
