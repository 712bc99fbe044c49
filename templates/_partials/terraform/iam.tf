{# IAM roles and policies: a service role (the functions' roles, and terraform-infra-rest's API Gateway CloudWatch role), log and trace permissions, and the API functions' execution role. #}

{# An IAM role that an AWS service assumes, with its trust policy. #}
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

{# A role's permission to write to the log streams of `log_streams` (HCL), named `<prefix>_logs`, and X-Ray's managed policy, `<prefix>_xray`. #}
{% macro logs_and_traces(prefix, role, log_streams) %}
resource "aws_iam_role_policy" "{{ prefix }}_logs" {
  name = "write-logs"
  role = aws_iam_role.{{ role }}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = {{ log_streams }}
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "{{ prefix }}_xray" {
  role       = aws_iam_role.{{ role }}.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"
}
{%- endmacro %}

{# The function's execution role: its own log group (not AWSLambdaBasicExecutionRole's every group), X-Ray, network interfaces when in a VPC, and the module's additional_iam_policy_statements. #}
{% macro execution_role(class_name, isolated=false) %}
{{ service_role("lambda_execution_role", "lambda_assume_role", "lambda.amazonaws.com", "${var.name}-", "Execution role of the " ~ class_name ~ " Lambda function" ~ ("s" if isolated else "") ~ ".", "var.tags") }}

{% if isolated %}
# Each function writes to the log groups of the API's functions only (they exist before
# the functions run).
{% else %}
# The function writes to its own log group only (the log group exists before it runs).
{% endif %}
{{ logs_and_traces("lambda", "lambda_execution_role", '[for group in aws_cloudwatch_log_group.lambda_logs : "${group.arn}:*"]' if isolated else '"${aws_cloudwatch_log_group.lambda_logs.arn}:*"') }}

# In a VPC, the function's network interfaces (AWSLambdaVPCAccessExecutionRole would
# add logs on every log group).
resource "aws_iam_role_policy_attachment" "lambda_vpc_access" {
  count = length(var.vpc_subnet_ids) > 0 ? 1 : 0

  role       = aws_iam_role.lambda_execution_role.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaENIManagementAccess"
}

resource "aws_iam_role_policy" "additional_permissions" {
  count = length(var.additional_iam_policy_statements) > 0 ? 1 : 0

  name = "${var.name}-additional-permissions"
  role = aws_iam_role.lambda_execution_role.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = var.additional_iam_policy_statements
  })
}
{%- endmacro %}
