variable "region" {
  description = "AWS region to deploy to. null uses AWS_REGION or the region of the AWS profile."
  type        = string
  default     = null
}

variable "environment" {
  description = "Name of the environment (dev, staging, prod, ...), tagged on every resource."
  type        = string
  default     = "dev"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,32}$", var.environment))
    error_message = "environment must be 1 to 32 letters, digits, hyphens or underscores."
  }
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}
