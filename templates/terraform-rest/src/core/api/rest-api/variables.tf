{% import "_partials/terraform/variables.tf" as v %}
{% import "_partials/terraform/core-api.tf" as api %}
{{ api.api_inputs("REST", "GET /items/{item_id}") }}

{{ v.one_of("auth_type", "How callers authenticate: IAM (SigV4-signed requests), COGNITO (a Cognito user pool token in the Authorization header), CUSTOM (a Lambda authorizer decides, given the request) or NONE.", ["IAM", "COGNITO", "CUSTOM", "NONE"]) }}

{{ api.custom_authorizer_inputs() }}

{{ api.cognito_user_pool_arn("ARN of the Cognito user pool whose ID tokens callers present. Required when auth_type is COGNITO.") }}

{{ v.one_of("response_transfer_mode", "How API Gateway returns the integrations' responses: BUFFERED (whole, at most 10 MB and the integration's timeout) or STREAM (as the functions write them, through Lambda's response-streaming invocations: the functions must stream, e.g. behind the Lambda Web Adapter).", ["BUFFERED", "STREAM"], "BUFFERED") }}

{{ v.cors_variables(preflight=true) }}

{{ v.variable("stage_name", "string", "Name of the stage that serves the API (the first segment of its URL path).", '"prod"', 'can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))', "stage_name may only contain letters, digits, hyphens and underscores.") }}

{{ v.throttling_variables() }}

{{ v.one_of("execution_logging_level", "Execution logging of the stage: OFF, ERROR or INFO (INFO logs every request; mind the cost).", ["OFF", "ERROR", "INFO"], "ERROR") }}

{{ v.log_retention_in_days("Days to keep the stage's access and execution logs.") }}

{{ v.variable("log_kms_key_arn", "string", "ARN of a KMS key to encrypt the log groups with (its key policy must allow CloudWatch Logs). null uses CloudWatch Logs' own encryption.", "null") }}

variable "redeployment_triggers" {
  description = "Extra values whose change redeploys the stage, e.g. `[sha1(jsonencode([aws_api_gateway_integration.extra]))]` for methods you add next to the module's."
  type        = list(string)
  default     = []
}

{{ v.tags() }}
