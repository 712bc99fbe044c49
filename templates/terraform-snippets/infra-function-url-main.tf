{% import "_partials/terraform/root.tf" as root %}
# {{ class_name }} ({{ project_root }}): streaming Lambda Function URL, {{ "IAM" if auth.iam else "no" }} auth.
{% call root.api_module() %}
  runtime_config_parameter_name    = "/runtime-config/${var.environment}/apis/{{ class_name }}"
  tags                             = local.common_tags
{% endcall %}

{% if auth.iam %}
# Callers of {{ class_name }} sign their requests (SigV4, service "lambda") with credentials
# allowed by module.{{ module }}.invoke_policy_arn: attach it to their roles, e.g.
#
# resource "aws_iam_role_policy_attachment" "{{ module }}_invoke" {
#   role       = aws_iam_role.authenticated_user_role.name
#   policy_arn = module.{{ module }}.invoke_policy_arn
# }

{% endif %}
