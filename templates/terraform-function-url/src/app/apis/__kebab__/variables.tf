{% set iam = auth.iam %}
variable "name" {
  description = "Base name of the resources: the Lambda function (<name>-handler), its role (<name>-...) and its log group. Change it (and runtime_config_parameter_name) to deploy {{ class_name }} more than once in an account and region."
  type        = string
  default     = "{{ kebab }}"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,32}$", var.name))
    error_message = "name must be 1 to 32 letters, digits, hyphens or underscores."
  }
}

variable "env" {
  description = "Environment variables of the Lambda function, added to (and overriding) the module's POWERTOOLS_*, ALLOWED_ORIGINS and Lambda Web Adapter settings (AWS_LAMBDA_EXEC_WRAPPER, AWS_LWA_INVOKE_MODE, PORT)."
  type        = map(string)
  default     = {}
}

variable "additional_iam_policy_statements" {
  description = "IAM policy statements added to the Lambda function's role, in the JSON policy shape: [{ Effect = \"Allow\", Action = [\"s3:GetObject\"], Resource = \"arn:aws:s3:::my-bucket/*\" }]."
  type        = any
  default     = []

  validation {
    condition     = can(length(var.additional_iam_policy_statements)) && alltrue([for statement in var.additional_iam_policy_statements : contains(["Allow", "Deny"], try(statement.Effect, ""))])
    error_message = "additional_iam_policy_statements must be a list of IAM policy statements, each with Effect = \"Allow\" or \"Deny\"."
  }
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}

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

variable "cors_allow_headers" {
  description = "Request headers allowed in CORS requests."
  type        = list(string)
  default = [
    "authorization",
    "content-type",
{% if iam %}
    "x-amz-content-sha256",
    "x-amz-date",
    "x-amz-security-token",
{% endif %}
    "x-correlation-id",
  ]
}

variable "vpc_subnet_ids" {
  description = "Subnets to run the Lambda function in (with vpc_security_group_ids). Empty: outside any VPC."
  type        = list(string)
  default     = []
}

variable "vpc_security_group_ids" {
  description = "Security groups of the Lambda function in the VPC (with vpc_subnet_ids)."
  type        = list(string)
  default     = []
}

variable "memory_size" {
  description = "Memory of the Lambda function in MB (CPU grows with it)."
  type        = number
  default     = 512

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be between 128 and 10240."
  }
}

variable "timeout" {
  description = "Timeout of the Lambda function in seconds: the longest a request, streamed response included, may take."
  type        = number
  default     = 30

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900
    error_message = "timeout must be between 1 and 900."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrent executions reserved for (and limiting) the Lambda function; -1 reserves none."
  type        = number
  default     = -1
}

variable "log_level" {
  description = "Log level of the app (POWERTOOLS_LOG_LEVEL)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARNING, ERROR or CRITICAL."
  }
}

variable "log_retention_in_days" {
  description = "Days to keep the logs of the function."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a retention CloudWatch Logs supports (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key for the function's environment variables and its log group (its key policy must allow CloudWatch Logs). null: AWS managed keys."
  type        = string
  default     = null
}

variable "web_adapter_layer_arn" {
  description = "ARN of the Lambda Web Adapter layer (x86_64). null: version 24 that AWS publishes in the function's region (arn:aws:lambda:<region>:753240598075:layer:LambdaAdapterLayerX86:24); set it for another version or partition."
  type        = string
  default     = null

  validation {
    condition     = var.web_adapter_layer_arn == null || can(regex("^arn:[a-z-]+:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", var.web_adapter_layer_arn))
    error_message = "web_adapter_layer_arn must be the ARN of a layer version, e.g. arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayerX86:24."
  }
}

variable "runtime_config_parameter_name" {
  description = "Name of the SSM parameter that holds the URL of {{ class_name }} (the runtime configuration clients read)."
  type        = string
  default     = "/runtime-config/apis/{{ class_name }}"

  validation {
    condition     = can(regex("^/[A-Za-z0-9_./-]+$", var.runtime_config_parameter_name))
    error_message = "runtime_config_parameter_name must be an SSM parameter path such as /runtime-config/apis/{{ class_name }}."
  }
}
