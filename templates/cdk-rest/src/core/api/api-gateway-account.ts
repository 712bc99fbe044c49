{% from "_partials/cdk/checkov.ts" import skip_log_group_kms %}
{% from "_partials/cdk/singleton.ts" import once_per_stack %}
import * as url from 'node:url';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Function, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { skipCheckov } from '../checkov.js';
import { executionRole } from '../lambda.js';

/** The role the handler creates where the account has none (api-gateway-account/index.py). */
const ROLE_NAME = 'ApiGatewayCloudWatchLogsRole';

/**
 * API Gateway's CloudWatch role: REST API logging needs it, and it is one setting per
 * account and region, shared by every stack. A custom resource sets it on the first
 * deploy where the account has none and keeps a role the account already uses. Deleting
 * the stack leaves both in place, since other APIs of the account may log with them.
 */
export class ApiGatewayCloudWatchRole extends Construct {
{{ once_per_stack("ApiGatewayCloudWatchRole", "API Gateway CloudWatch role setting") }}

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const { account, partition, region } = Stack.of(this);
    const roleArn = `arn:${partition}:iam::${account}:role/${ROLE_NAME}`;

    const logGroup = new LogGroup(this, 'HandlerLogs', {
      retention: RetentionDays.ONE_MONTH,
    });
{{ skip_log_group_kms("logGroup") }}
    const handler = new Function(this, 'Handler', {
      runtime: Runtime.PYTHON_3_12,
      // Plain Python: Graviton, the cheaper architecture, whatever the APIs run on.
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromAsset(
        url.fileURLToPath(new URL('./api-gateway-account', import.meta.url)),
      ),
      // Enough for IAM to propagate a new role before API Gateway accepts it.
      timeout: Duration.minutes(2),
      logGroup,
      role: executionRole(this, 'HandlerRole', logGroup),
    });
    handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['apigateway:GET', 'apigateway:PATCH'],
        resources: [`arn:${partition}:apigateway:${region}::/account`],
      }),
    );
    // It reads whichever role the account names, but creates and passes only its own.
    handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:GetRole'],
        resources: [`arn:${partition}:iam::${account}:role/*`],
      }),
    );
    handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:CreateRole', 'iam:PassRole'],
        resources: [roleArn],
      }),
    );
    handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:AttachRolePolicy'],
        resources: [roleArn],
        conditions: {
          ArnEquals: {
            'iam:PolicyARN': `arn:${partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
          },
        },
      }),
    );

    new CustomResource(this, 'Resource', {
      serviceToken: handler.functionArn,
      resourceType: 'Custom::ApiGatewayCloudWatchRole',
      properties: { Partition: partition },
    });
  }
}
