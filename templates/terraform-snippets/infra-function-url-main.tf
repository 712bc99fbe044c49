# {{ class_name }} ({{ project_root }}): streaming Lambda Function URL, {{ "IAM" if auth.iam else "no" }} auth.
module "{{ module }}" {
  source = "../../common/terraform/src/app/apis/{{ kebab }}"

  # Its resources are named after the API and the environment, so that environments can
  # share an account and region.
  name = "{{ api_name_part }}-${var.environment}"

  env = {
    ENVIRONMENT = var.environment
  }
  additional_iam_policy_statements = []
  runtime_config_parameter_name    = "/runtime-config/${var.environment}/apis/{{ class_name }}"
  tags                             = local.common_tags
}

{% if auth.iam %}
# Callers of {{ class_name }} sign their requests (SigV4, service "lambda") with credentials
# allowed by module.{{ module }}.invoke_policy_arn: attach it to their roles, e.g.
#
# resource "aws_iam_role_policy_attachment" "{{ module }}_invoke" {
#   role       = aws_iam_role.authenticated_user_role.name
#   policy_arn = module.{{ module }}.invoke_policy_arn
# }

{% endif %}
