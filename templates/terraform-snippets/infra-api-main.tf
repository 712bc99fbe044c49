{% import "_partials/terraform/root.tf" as root %}
{% set rest = compute_type.rest %}
{% set auth_label = {"iam": "IAM", "cognito": "Cognito", "custom": "Lambda authorizer", "none": "no"}[auth | string] %}
# {{ class_name }} ({{ project_root }}): {{ "REST" if rest else "HTTP" }} API, {{ auth_label }} auth.
{% call root.api_module() %}
{% if auth.cognito %}
{% if rest %}
  cognito_user_pool_arn            = aws_cognito_user_pool.user_pool.arn
{% else %}
  cognito_user_pool_arn            = aws_cognito_user_pool.user_pool.arn
  cognito_user_pool_client_ids     = [aws_cognito_user_pool_client.user_pool_client.id]
{% endif %}
{% endif %}
  tags                             = local.common_tags
{% if rest %}

  # REST API logging needs API Gateway's account-wide CloudWatch role (api-gateway-account.tf).
  depends_on = [terraform_data.api_gateway_account]
{% endif %}
{% endcall %}

{% if auth.iam %}
# Callers of {{ class_name }} sign their requests (SigV4) with credentials allowed by this
# policy: attach it to their roles, e.g.
#
# resource "aws_iam_role_policy_attachment" "{{ module }}_invoke" {
#   role       = aws_iam_role.authenticated_user_role.name
#   policy_arn = aws_iam_policy.{{ module }}_invoke.arn
# }
resource "aws_iam_policy" "{{ module }}_invoke" {
  name_prefix = "{{ class_name }}Invoke-${var.environment}-"
  description = "Allows calling every operation of {{ class_name }}."
  tags        = local.common_tags

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "execute-api:Invoke"
        Resource = "${module.{{ module }}.api_execution_arn}/*/*"
      },
    ]
  })
}

{% endif %}
