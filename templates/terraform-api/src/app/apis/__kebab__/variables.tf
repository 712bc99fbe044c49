{% set rest = compute_type.rest %}
variable "name" {
  description = "Base name of the resources: the API, the Lambda function (<name>-handler) and its role (<name>-...). Change it to deploy {{ class_name }} more than once in an account and region."
  type        = string
  default     = "{{ kebab }}"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,32}$", var.name))
    error_message = "name must be 1 to 32 letters, digits, hyphens or underscores."
  }
}

variable "env" {
  description = "Environment variables of the Lambda function, added to (and overriding) the module's POWERTOOLS_* and ALLOWED_ORIGINS."
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
  description = "Origins allowed to call the API from a browser ([\"*\"]: any). Also given to the app as ALLOWED_ORIGINS."
  type        = list(string)
  default     = ["*"]

  validation {
    condition     = length(var.cors_allow_origins) > 0 && alltrue([for origin in var.cors_allow_origins : origin == "*" || can(regex("^https?://[^/*,]+$", origin))])
    error_message = "cors_allow_origins must list \"*\" or origins such as \"https://example.com\" (scheme and host, no path)."
  }
}

variable "cors_allow_methods" {
  description = "HTTP methods allowed in CORS requests."
  type        = list(string)
  default     = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
}

variable "cors_allow_headers" {
  description = "Request headers allowed in CORS requests."
  type        = list(string)
  default = [
    "authorization",
    "content-type",
    "x-amz-content-sha256",
    "x-amz-date",
    "x-amz-security-token",
    "x-api-key",
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
  description = "Timeout of the Lambda function in seconds. API Gateway gives up after {{ '29' if rest else '30' }} s by default."
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
  description = "Days to keep the logs of the function and of the API."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a retention CloudWatch Logs supports (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "kms_key_arn" {
  description = "ARN of a customer managed KMS key for the function's environment variables and the log groups (its key policy must allow CloudWatch Logs). null: AWS managed keys."
  type        = string
  default     = null
}
{% if rest %}

variable "stage_name" {
  description = "Name of the API Gateway stage (the first segment of the URL path)."
  type        = string
  default     = "prod"
}
{% endif %}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second allowed on the API's stage."
  type        = number
  default     = 100
}

variable "throttling_burst_limit" {
  description = "Burst of requests allowed on the API's stage."
  type        = number
  default     = 200
}
