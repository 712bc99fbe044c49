{% import "_partials/terraform/variables.tf" as v %}
{% set rest = compute_type.rest %}
{% set functions = "the Lambda functions (<name>-<operation>, hyphens for underscores)" if integration_pattern.isolated else "the Lambda function (<name>-handler)" %}
{{ v.function_inputs("Base name of the resources: the API, " ~ functions ~ ("" if not auth.custom else ", the authorizer (<name>-authorizer)") ~ " and the roles (<name>-...). Change it to deploy " ~ class_name ~ " more than once in an account and region.", "Environment variables of the Lambda function, added to (and overriding) the module's POWERTOOLS_* and ALLOWED_ORIGINS.", resource_name) }}

{{ v.cors_variables(app=true) }}

{{ v.vpc_variables() }}
{% if auth.custom %}

{{ v.variable("authorizer_env", "map(string)", "Environment variables of the Lambda authorizer, e.g. the issuer or the secret's ARN its check needs.", "{}") }}
{% endif %}
{% if auth.cognito %}

variable "cognito_user_pool_arn" {
  description = "ARN of the Cognito user pool whose {{ 'ID tokens' if rest else 'tokens' }} callers present in the Authorization header."
  type        = string
}
{% if not rest %}

variable "cognito_user_pool_client_ids" {
  description = "IDs of the user pool's app clients whose tokens the API accepts."
  type        = list(string)

  validation {
    condition     = length(var.cognito_user_pool_client_ids) > 0
    error_message = "cognito_user_pool_client_ids must list at least one app client."
  }
}
{% endif %}
{% endif %}

{{ v.function_settings(memory_size, "Timeout of the Lambda function in seconds, below API Gateway's integration timeout (" ~ ("29 s" if rest else "30 s by default") ~ "): a slow request then fails in the function rather than running on after API Gateway answered 504.", 28, "Days to keep the logs of the function and of the API.", "ARN of a customer managed KMS key for the function's environment variables and the log groups (its key policy must allow CloudWatch Logs). null: AWS managed keys.") }}
{% if rest %}

{{ v.variable("stage_name", "string", "Name of the API Gateway stage (the first segment of the URL path).", '"prod"') }}
{% endif %}

{{ v.throttling_variables("the API's stage", validated=false) }}
