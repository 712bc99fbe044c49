{% import "_partials/terraform/web-adapter.tf" as web_adapter %}
{% import "_partials/terraform/variables.tf" as v %}
{{ v.function_inputs("Base name of the resources: the Lambda function (<name>-handler), its role (<name>-...) and its log group. Change it (and runtime_config_parameter_name) to deploy " ~ class_name ~ " more than once in an account and region.", "Environment variables of the Lambda function, added to (and overriding) the module's POWERTOOLS_*, ALLOWED_ORIGINS and Lambda Web Adapter settings (AWS_LAMBDA_EXEC_WRAPPER, AWS_LWA_INVOKE_MODE, PORT).", resource_name) }}

variable "cors_allow_origins" {
  description = "Origins allowed to call the Function URL from a browser ([\"*\"]: any). Also given to the app as ALLOWED_ORIGINS."
  type        = list(string)
  default     = ["*"]

  validation {
    condition     = length(var.cors_allow_origins) > 0 && length(var.cors_allow_origins) <= 100 && alltrue([for origin in var.cors_allow_origins : origin == "*" || can(regex("^https?://[^/*,]+$", origin))])
    error_message = "cors_allow_origins must list up to 100 of \"*\" or origins such as \"https://example.com\" (scheme and host, no path)."
  }
}

variable "cors_allow_methods" {
  description = "HTTP methods allowed in CORS requests ([\"*\"]: any). The Function URL answers preflight (OPTIONS) requests itself."
  type        = list(string)
  default     = ["*"]

  validation {
    condition     = length(var.cors_allow_methods) > 0 && length(var.cors_allow_methods) <= 6 && alltrue([for method in var.cors_allow_methods : contains(["*", "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"], method)])
    error_message = "cors_allow_methods must list up to 6 of \"*\", GET, HEAD, POST, PUT, PATCH and DELETE (a Function URL takes no other)."
  }
}

{{ v.cors_allow_headers("Request headers allowed in CORS requests.", sigv4=auth.iam, api_key=false) }}

{{ v.vpc_variables() }}

{{ v.function_settings(memory_size, "Timeout of the Lambda function in seconds: the longest a request, streamed response included, may take.", 30, "Days to keep the logs of the function.", "ARN of a customer managed KMS key for the function's environment variables and its log group (its key policy must allow CloudWatch Logs). null: AWS managed keys.", public_url=auth.none) }}

{{ web_adapter.layer_variable() }}

variable "runtime_config_parameter_name" {
  description = "Name of the SSM parameter that holds the URL of {{ class_name }} (the runtime configuration clients read)."
  type        = string
  default     = "/runtime-config/apis/{{ class_name }}"

  validation {
    condition     = can(regex("^/[A-Za-z0-9_./-]+$", var.runtime_config_parameter_name))
    error_message = "runtime_config_parameter_name must be an SSM parameter path such as /runtime-config/apis/{{ class_name }}."
  }
}
