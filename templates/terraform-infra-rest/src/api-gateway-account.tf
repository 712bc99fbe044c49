{% from "_partials/terraform/iam.tf" import service_role %}
# API Gateway REST APIs write access and execution logs to CloudWatch with a role that is
# an account-wide setting, one per account and region. This sets it; the REST API modules
# depend on it. If your account already has it (e.g. set by another Terraform
# configuration or a CDK app), delete this file and the `depends_on` of those modules.

data "aws_partition" "api_gateway" {}

{{ service_role("api_gateway_cloudwatch", "api_gateway_assume_role", "apigateway.amazonaws.com", "api-gateway-cloudwatch-", "Lets API Gateway write REST API logs to CloudWatch Logs.", "local.common_tags") }}

resource "aws_iam_role_policy_attachment" "api_gateway_cloudwatch" {
  role       = aws_iam_role.api_gateway_cloudwatch.name
  policy_arn = "arn:${data.aws_partition.api_gateway.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "api_gateway" {
  cloudwatch_role_arn = aws_iam_role.api_gateway_cloudwatch.arn

  depends_on = [aws_iam_role_policy_attachment.api_gateway_cloudwatch]
}
