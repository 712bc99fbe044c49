{% import "_partials/terraform/variables.tf" as v %}
{% import "_partials/terraform/core-api.tf" as api %}
{{ api.api_inputs("HTTP", "GET /items/{item_id}") }}

{{ v.number_between("integration_timeout_milliseconds", "How long API Gateway waits for the Lambda function (50 to 30000 ms).", 30000, 50, 30000) }}

{{ v.one_of("auth_type", "How callers authenticate: IAM (SigV4-signed requests), COGNITO (a JWT of a Cognito user pool in the Authorization header), CUSTOM (a Lambda authorizer decides, given the request) or NONE.", ["IAM", "COGNITO", "CUSTOM", "NONE"]) }}

{{ api.custom_authorizer_inputs() }}

{{ api.cognito_user_pool_arn("ARN of the Cognito user pool that issues the tokens callers present. Required when auth_type is COGNITO.") }}

variable "cognito_user_pool_client_ids" {
  description = "IDs of the user pool's app clients whose tokens are accepted (the JWT audience). Required when auth_type is COGNITO."
  type        = list(string)
  default     = []
}

{{ v.cors_variables() }}

{{ v.throttling_variables() }}

{{ v.log_retention_in_days("Days to keep the stage's access logs.") }}

{{ v.variable("log_kms_key_arn", "string", "ARN of a KMS key to encrypt the access log group with (its key policy must allow CloudWatch Logs). null uses CloudWatch Logs' own encryption.", "null") }}

{{ v.tags() }}
