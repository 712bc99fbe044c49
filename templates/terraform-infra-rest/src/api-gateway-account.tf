# API Gateway REST APIs write access and execution logs to CloudWatch with a role that is
# an account-wide setting, one per account and region. Terraform cannot set it only
# where it is missing, so scripts/api_gateway_account.py does, on the first apply: it
# keeps a role the account already uses, and otherwise creates ApiGatewayCloudWatchLogsRole
# and sets it. Neither is in Terraform's state, so `terraform destroy` never removes
# them while other APIs of the account still log with them.

data "aws_region" "api_gateway" {}

data "aws_partition" "api_gateway" {}

resource "terraform_data" "api_gateway_account" {
  # Runs again only for another region.
  triggers_replace = [data.aws_region.api_gateway.region]

  provisioner "local-exec" {
    command     = "uv run --no-project --with boto3 python ../scripts/api_gateway_account.py ${data.aws_region.api_gateway.region} ${data.aws_partition.api_gateway.partition}"
    working_dir = path.module
  }
}
