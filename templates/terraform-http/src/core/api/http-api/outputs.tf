output "api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.api.id
}

output "api_arn" {
  description = "ARN of the HTTP API (for API Gateway management permissions and tags)."
  value       = aws_apigatewayv2_api.api.arn
}

output "api_execution_arn" {
  description = "Execution ARN of the HTTP API: append `/<stage>/<METHOD>/<path>` (or `/*/*`) for `execute-api:Invoke` policies and Lambda permissions."
  value       = aws_apigatewayv2_api.api.execution_arn
}

output "api_endpoint" {
  description = "Default endpoint of the API, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com"
  value       = aws_apigatewayv2_api.api.api_endpoint
}

output "api_name" {
  description = "Name of the HTTP API."
  value       = aws_apigatewayv2_api.api.name
}

output "authorizer_id" {
  description = "ID of the authorizer: the JWT (Cognito) or the Lambda authorizer (null unless auth_type is COGNITO or CUSTOM)."
  value       = local.authorizer_id
}

output "authorization_type" {
  description = "The `authorization_type` of the module's routes (AWS_IAM, JWT, CUSTOM or NONE), for routes you add."
  value       = local.authorization_type
}

output "integration_ids" {
  description = "IDs of the Lambda proxy integrations by their key in integrations, for routes you add (`target = \"integrations/<id>\"`)."
  value       = { for name, integration in aws_apigatewayv2_integration.lambda_integration : name => integration.id }
}

output "stage_name" {
  description = "Name of the stage ($default)."
  value       = aws_apigatewayv2_stage.default.name
}

output "stage_arn" {
  description = "ARN of the stage."
  value       = aws_apigatewayv2_stage.default.arn
}

output "stage_invoke_url" {
  description = "URL of the $default stage, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/"
  value       = aws_apigatewayv2_stage.default.invoke_url
}

output "access_log_group_name" {
  description = "Name of the log group of the stage's access logs."
  value       = aws_cloudwatch_log_group.access_logs.name
}
