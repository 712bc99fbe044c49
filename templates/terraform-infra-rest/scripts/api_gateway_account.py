"""Sets API Gateway's CloudWatch role once per account and region.

`terraform apply` runs this (api-gateway-account.tf) with the credentials of the
environment (AWS_PROFILE, AWS_ACCESS_KEY_ID, ...). Run it by hand with
`uv run --no-project --with boto3 python scripts/api_gateway_account.py <region> <partition>`.
"""

import json
import sys
import time

import boto3
from botocore.exceptions import ClientError

{% include "_partials/python/api_gateway_account.py" %}


if __name__ == "__main__":
    region, partition = sys.argv[1:3]
    arn = ensure_cloudwatch_role(region, partition)
    print(f"API Gateway logs to CloudWatch in {region} with {arn}")
