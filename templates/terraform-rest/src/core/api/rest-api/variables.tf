variable "name" {
  description = "Name of the REST API in API Gateway."
  type        = string

  validation {
    condition     = length(var.name) > 0 && length(var.name) <= 128
    error_message = "name must be 1 to 128 characters long."
  }
}

variable "description" {
  description = "Description of the REST API."
  type        = string
  default     = null
}

variable "integration_uri" {
  description = "Invoke ARN of the Lambda function that serves every route (`aws_lambda_function.<name>.invoke_arn`)."
  type        = string
}

variable "auth_type" {
  description = "How callers authenticate: IAM (SigV4-signed requests), COGNITO (a Cognito user pool token in the Authorization header) or NONE."
  type        = string

  validation {
    condition     = contains(["IAM", "COGNITO", "NONE"], var.auth_type)
    error_message = "auth_type must be IAM, COGNITO or NONE."
  }
}

variable "cognito_user_pool_arn" {
  description = "ARN of the Cognito user pool whose ID tokens callers present. Required when auth_type is COGNITO."
  type        = string
  default     = null

  validation {
    condition     = var.cognito_user_pool_arn == null || can(regex("^arn:[a-z-]+:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/.+$", var.cognito_user_pool_arn))
    error_message = "cognito_user_pool_arn must be the ARN of a Cognito user pool (arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>)."
  }
}

variable "cors_allow_origins" {
  description = "Origins allowed to call the API from a browser. [\"*\"] allows any origin."
  type        = list(string)
  default     = ["*"]

  validation {
    condition     = length(var.cors_allow_origins) > 0
    error_message = "cors_allow_origins must list at least one origin (or \"*\")."
  }
}

variable "cors_allow_methods" {
  description = "HTTP methods allowed in CORS requests (the Access-Control-Allow-Methods of preflight responses)."
  type        = list(string)
  default     = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
}

variable "cors_allow_headers" {
  description = "Request headers allowed in CORS requests (the Access-Control-Allow-Headers of preflight responses)."
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

variable "stage_name" {
  description = "Name of the stage that serves the API (the first segment of its URL path)."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.stage_name))
    error_message = "stage_name may only contain letters, digits, hyphens and underscores."
  }
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second allowed on the stage."
  type        = number
  default     = 100

  validation {
    condition     = var.throttling_rate_limit > 0
    error_message = "throttling_rate_limit must be positive."
  }
}

variable "throttling_burst_limit" {
  description = "Burst of requests allowed on the stage."
  type        = number
  default     = 200

  validation {
    condition     = var.throttling_burst_limit > 0
    error_message = "throttling_burst_limit must be positive."
  }
}

variable "execution_logging_level" {
  description = "Execution logging of the stage: OFF, ERROR or INFO (INFO logs every request; mind the cost)."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["OFF", "ERROR", "INFO"], var.execution_logging_level)
    error_message = "execution_logging_level must be OFF, ERROR or INFO."
  }
}

variable "log_retention_in_days" {
  description = "Days to keep the stage's access and execution logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a retention CloudWatch Logs supports (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "log_kms_key_arn" {
  description = "ARN of a KMS key to encrypt the log groups with (its key policy must allow CloudWatch Logs). null uses CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "redeployment_triggers" {
  description = "Extra values whose change redeploys the stage, e.g. `[sha1(jsonencode([aws_api_gateway_integration.extra]))]` for methods you add next to the module's."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
