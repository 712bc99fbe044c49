{# The Lambda Web Adapter's layer, for the modules whose function streams through it: terraform-function-url, and terraform-api with `streaming`. #}

{# The layer's ARN, local.web_adapter_layer_arn: var.web_adapter_layer_arn, else version 24 in the region `region` (HCL), which `region_from` explains. At 2 spaces, in a locals block. #}
{% macro layer_local(region, region_from) %}
  # The Lambda Web Adapter for {{ architecture }}, published by AWS in every commercial region. The
  # region is read from {{ region_from }}.
  web_adapter_layer_arn = coalesce(
    var.web_adapter_layer_arn,
    "arn:${data.aws_partition.current.partition}:lambda:${ {{- region -}} }:753240598075:layer:LambdaAdapterLayer{{ 'Arm64' if architecture.arm64 else 'X86' }}:24",
  )
{%- endmacro %}

{# The variable that overrides the layer's ARN. #}
{% macro layer_variable() %}
variable "web_adapter_layer_arn" {
  description = "ARN of the Lambda Web Adapter layer ({{ architecture }}). null: version 24 that AWS publishes in the function's region (arn:aws:lambda:<region>:753240598075:layer:LambdaAdapterLayer{{ 'Arm64' if architecture.arm64 else 'X86' }}:24); set it for another version or partition."
  type        = string
  default     = null

  validation {
    condition     = var.web_adapter_layer_arn == null || can(regex("^arn:[a-z-]+:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", var.web_adapter_layer_arn))
    error_message = "web_adapter_layer_arn must be the ARN of a layer version, e.g. arn:aws:lambda:eu-west-1:753240598075:layer:LambdaAdapterLayer{{ 'Arm64' if architecture.arm64 else 'X86' }}:24."
  }
}
{%- endmacro %}
