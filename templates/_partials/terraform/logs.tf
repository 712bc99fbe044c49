{# A CloudWatch log group kept var.log_retention_in_days days and encrypted with `kms_key_arn` (an HCL expression), for lambda.tf and the core API modules (terraform-rest, terraform-http); one per element of `for_each` (HCL) when given. #}
{% macro log_group(resource, name, kms_key_arn, for_each=none) %}
resource "aws_cloudwatch_log_group" "{{ resource }}" {
  # checkov:skip=CKV_AWS_338: logs are kept var.log_retention_in_days days (30 by default, for cost); set 365 or more where your policy asks for a year.
{% if for_each is not none %}
  for_each = {{ for_each }}

{% endif %}
  name              = "{{ name }}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = {{ kms_key_arn }}
  tags              = var.tags
}
{%- endmacro %}
