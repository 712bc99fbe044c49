"""The custom resource that sets API Gateway's CloudWatch role once per account and region.

CloudFormation calls `handler` on create, update and delete. Delete does nothing: the
role and the setting outlive every stack, since other REST APIs may log with them.
"""

import json
import os
import time
import urllib.request

import boto3
from botocore.exceptions import ClientError

{% include "_partials/python/api_gateway_account.py" %}


def handler(event, context):
    """Answers CloudFormation with the role's ARN, or with why it could not be set."""
    response = {
        "Status": "SUCCESS",
        "PhysicalResourceId": "ApiGatewayCloudWatchRole",
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "Data": {},
    }
    try:
        if event["RequestType"] != "Delete":
            partition = event["ResourceProperties"]["Partition"]
            arn = ensure_cloudwatch_role(os.environ["AWS_REGION"], partition)
            response["Data"]["RoleArn"] = arn
    except Exception as error:  # CloudFormation must hear of every failure.
        response["Status"] = "FAILED"
        response["Reason"] = f"{error} (log stream {context.log_stream_name})"
    request = urllib.request.Request(
        event["ResponseURL"],
        data=json.dumps(response).encode(),
        method="PUT",
        headers={"Content-Type": ""},
    )
    with urllib.request.urlopen(request, timeout=30):
        pass
