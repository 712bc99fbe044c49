{# Variable blocks of the Terraform modules, for the variables.tf of terraform-api, terraform-function-url, terraform-rest, terraform-http and terraform-infra. A `default` or `condition` is HCL; a description or error message is plain text (its quotes are escaped here). #}

{# One variable block: required when `default` is none, validated when `condition` is given; every macro here and in core-api.tf renders through it, and the modules for their one-off variables. #}
{% macro variable(name, type, description, default=none, condition=none, error_message=none) %}
variable "{{ name }}" {
  description = "{{ description | replace('"', '\\"') }}"
  type        = {{ type }}
{% if default is not none %}
  default     = {{ default }}
{% endif %}
{% if condition is not none %}

  validation {
    condition     = {{ condition }}
    error_message = "{{ error_message | replace('"', '\\"') }}"
  }
{% endif %}
}
{%- endmacro %}

{# A string of 1 to `max` letters, digits, hyphens or underscores, fit for resource names: the API modules' name (function_inputs: 37, what an IAM name prefix leaves of its 38), the root module's environment (16, so that "<api>-<environment>" fits 37). #}
{% macro resource_name(name, description, default, max) %}
{% set condition = 'can(regex("^[A-Za-z0-9_-]{1,%s}$", var.%s))' | format(max, name) %}
{{ variable(name, "string", description, default | tojson, condition, "%s must be 1 to %s letters, digits, hyphens or underscores." | format(name, max)) }}
{%- endmacro %}

{# A number from `min` to `max`: memory_size and timeout (function_settings), the HTTP API's integration_timeout_milliseconds. #}
{% macro number_between(name, description, default, min, max) %}
{% set condition = "var.%s >= %s && var.%s <= %s" | format(name, min, name, max) %}
{{ variable(name, "number", description, default, condition, "%s must be between %s and %s." | format(name, min, max)) }}
{%- endmacro %}

{# A string that is one of `values`: log_level (function_settings), the core APIs' auth_type, the REST API's execution_logging_level. #}
{% macro one_of(name, description, values, default=none) %}
{% set condition = "contains([%s], var.%s)" | format(values | map("tojson") | join(", "), name) %}
{% set error_message = "%s must be %s or %s." | format(name, values[:-1] | join(", "), values[-1]) %}
{{ variable(name, "string", description, default | tojson if default is not none else none, condition, error_message) }}
{%- endmacro %}

{# The module's tags, in every module (the root module's: extra tags). #}
{% macro tags(description="Tags for every resource of the module.") %}
{{ variable("tags", "map(string)", description, "{}") }}
{%- endmacro %}

{# How long CloudWatch keeps the module's logs, a retention it supports: function_settings and the core APIs. #}
{% macro log_retention_in_days(description) %}
{% set days = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] %}
{% set condition = "contains([%s], var.log_retention_in_days)" | format(days | join(", ")) %}
{% set error_message = "log_retention_in_days must be a retention CloudWatch Logs supports (%s or %s)." | format(days[:-1] | join(", "), days[-1]) %}
{{ variable("log_retention_in_days", "number", description, 30, condition, error_message) }}
{%- endmacro %}

{# The CORS origins, methods and headers of an API Gateway API: terraform-api (`app`: the origins also go to the app, so they are checked), terraform-rest (`preflight`: named after the preflight headers they fill), terraform-http. #}
{% macro cors_variables(app=false, preflight=false) %}
{% if app %}
{% set condition = 'length(var.cors_allow_origins) > 0 && alltrue([for origin in var.cors_allow_origins : origin == "*" || can(regex("^https?://[^/*,]+$", origin))])' %}
{{ variable("cors_allow_origins", "list(string)", 'Origins allowed to call the API from a browser (["*"]: any). Also given to the app as ALLOWED_ORIGINS.', '["*"]', condition, 'cors_allow_origins must list "*" or origins such as "https://example.com" (scheme and host, no path).') }}
{% else %}
{{ variable("cors_allow_origins", "list(string)", 'Origins allowed to call the API from a browser. ["*"] allows any origin.', '["*"]', "length(var.cors_allow_origins) > 0", 'cors_allow_origins must list at least one origin (or "*").') }}
{% endif %}

{{ variable("cors_allow_methods", "list(string)", "HTTP methods allowed in CORS requests" ~ (" (the Access-Control-Allow-Methods of preflight responses)" if preflight else "") ~ ".", '["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]') }}

{{ cors_allow_headers("Request headers allowed in CORS requests" ~ (" (the Access-Control-Allow-Headers of preflight responses)" if preflight else "") ~ ".") }}
{%- endmacro %}

{# The request headers CORS allows (`sigv4`: those of SigV4-signed requests; `api_key`: x-api-key), for cors_variables and terraform-function-url. #}
{% macro cors_allow_headers(description, sigv4=true, api_key=true) %}
variable "cors_allow_headers" {
  description = "{{ description }}"
  type        = list(string)
  default = [
    "authorization",
    "content-type",
{% if sigv4 %}
    "x-amz-content-sha256",
    "x-amz-date",
    "x-amz-security-token",
{% endif %}
{% if api_key %}
    "x-api-key",
{% endif %}
    "x-correlation-id",
  ]
}
{%- endmacro %}

{# The first inputs of the API modules (terraform-api, terraform-function-url): the name, the function's environment and extra permissions, the tags. #}
{% macro function_inputs(name_description, env_description, default_name) %}
{{ resource_name("name", name_description, default_name, 37) }}

{{ variable("env", "map(string)", env_description, "{}") }}

{% set condition = 'can(length(var.additional_iam_policy_statements)) && alltrue([for statement in var.additional_iam_policy_statements : contains(["Allow", "Deny"], try(statement.Effect, ""))])' %}
{{ variable("additional_iam_policy_statements", "any", "IAM policy statements added to the Lambda function's role, in the JSON policy shape: [{ Effect = \"Allow\", Action = [\"s3:GetObject\"], Resource = \"arn:aws:s3:::my-bucket/*\" }].", "[]", condition, 'additional_iam_policy_statements must be a list of IAM policy statements, each with Effect = "Allow" or "Deny".') }}

{{ tags() }}
{%- endmacro %}

{# The VPC of the API modules' Lambda function: subnets and security groups, both or neither. #}
{% macro vpc_variables() %}
{{ variable("vpc_subnet_ids", "list(string)", "Subnets to run the Lambda function in (with vpc_security_group_ids). Empty: outside any VPC.", "[]") }}

{{ variable("vpc_security_group_ids", "list(string)", "Security groups of the Lambda function in the VPC (with vpc_subnet_ids).", "[]") }}
{%- endmacro %}

{# The API modules' Lambda function settings: memory, timeout, concurrency (10 reserved for a `public_url`, none otherwise), log level, log retention and KMS key. #}
{% macro function_settings(memory_size, timeout_description, timeout, log_retention_description, kms_description, public_url=false) %}
{{ number_between("memory_size", "Memory of the Lambda function in MB (CPU grows with it).", memory_size, 128, 10240) }}

{{ number_between("timeout", timeout_description, timeout, 1, 900) }}

{% if public_url %}
{{ variable("reserved_concurrent_executions", "number", "Concurrent executions reserved for (and limiting) the Lambda function. Its URL is public, so this bounds what anyone can make it run (and cost): raise it for your traffic. -1 reserves none, which an account whose concurrency quota is still 10 (as new accounts' may be) needs.", 10) }}
{% else %}
{{ variable("reserved_concurrent_executions", "number", "Concurrent executions reserved for (and limiting) the Lambda function; -1 reserves none.", -1) }}
{% endif %}

{{ one_of("log_level", "Log level of the app (POWERTOOLS_LOG_LEVEL).", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], "INFO") }}

{{ log_retention_in_days(log_retention_description) }}

{{ variable("kms_key_arn", "string", kms_description, "null") }}
{%- endmacro %}

{# The throttling of an API's stage, for terraform-api (passed on, not `validated`) and the core APIs (which reject limits that are not positive). #}
{% macro throttling_variables(stage="the stage", validated=true) %}
{{ variable("throttling_rate_limit", "number", "Steady-state requests per second allowed on " ~ stage ~ ".", 100, "var.throttling_rate_limit > 0" if validated else none, "throttling_rate_limit must be positive.") }}

{{ variable("throttling_burst_limit", "number", "Burst of requests allowed on " ~ stage ~ ".", 200, "var.throttling_burst_limit > 0" if validated else none, "throttling_burst_limit must be positive.") }}
{%- endmacro %}
