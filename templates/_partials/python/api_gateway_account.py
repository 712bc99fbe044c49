{# The logic that sets API Gateway's account-wide CloudWatch role once, shared by cdk-rest's custom resource handler and terraform-infra-rest's script. The includer imports json, time, boto3 and botocore's ClientError, and adds its entry point below. #}
# One role serves every region: IAM is global, the API Gateway setting is per region.
ROLE_NAME = "ApiGatewayCloudWatchLogsRole"
MANAGED_POLICY = "service-role/AmazonAPIGatewayPushToCloudWatchLogs"
TRUST_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "apigateway.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
# API Gateway refuses a new role until IAM has propagated it, which takes seconds.
ATTEMPTS = 12
RETRY_DELAY_SECONDS = 5.0
RETRIED_ERRORS = {"BadRequestException", "TooManyRequestsException"}


def ensure_cloudwatch_role(region: str, partition: str) -> str:
    """Returns the ARN of the role API Gateway logs with in `region`.

    A role the account already uses is kept. Only when the setting is empty, or names
    a role that no longer exists, is it set to ROLE_NAME, created if needed.
    """
    apigateway = boto3.client("apigateway", region_name=region)
    iam = boto3.client("iam")
    current = apigateway.get_account().get("cloudwatchRoleArn")
    if current and _role_arn(iam, current.rsplit("/", 1)[-1]):
        return current
    arn = _role_arn(iam, ROLE_NAME) or _create_role(iam, partition)
    _set_account_role(apigateway, arn)
    return arn


def _role_arn(iam, name: str) -> str | None:
    try:
        return iam.get_role(RoleName=name)["Role"]["Arn"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "NoSuchEntity":
            return None
        raise


def _create_role(iam, partition: str) -> str:
    try:
        arn = iam.create_role(
            RoleName=ROLE_NAME,
            AssumeRolePolicyDocument=TRUST_POLICY,
            Description="Lets API Gateway write REST API logs to CloudWatch Logs.",
        )["Role"]["Arn"]
    except ClientError as error:
        # Another deployment created it a moment ago.
        if error.response["Error"]["Code"] != "EntityAlreadyExists":
            raise
        arn = iam.get_role(RoleName=ROLE_NAME)["Role"]["Arn"]
    iam.attach_role_policy(
        RoleName=ROLE_NAME,
        PolicyArn=f"arn:{partition}:iam::aws:policy/{MANAGED_POLICY}",
    )
    return arn


def _set_account_role(apigateway, arn: str) -> None:
    operation = {"op": "replace", "path": "/cloudwatchRoleArn", "value": arn}
    for attempt in range(1, ATTEMPTS + 1):
        try:
            apigateway.update_account(patchOperations=[operation])
            return
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code not in RETRIED_ERRORS or attempt == ATTEMPTS:
                raise
            time.sleep(RETRY_DELAY_SECONDS)
