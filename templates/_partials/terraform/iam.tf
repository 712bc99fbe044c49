{# An IAM role that an AWS service assumes, with its trust policy, for lambda.tf (the function's role) and terraform-infra-rest (API Gateway's CloudWatch role). #}
{% macro service_role(role, trust_policy, service, name_prefix, description, tags) %}
data "aws_iam_policy_document" "{{ trust_policy }}" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["{{ service }}"]
    }
  }
}

resource "aws_iam_role" "{{ role }}" {
  name_prefix        = "{{ name_prefix }}"
  description        = "{{ description }}"
  assume_role_policy = data.aws_iam_policy_document.{{ trust_policy }}.json
  tags               = {{ tags }}
}
{%- endmacro %}
