import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import {
  type IRole,
  ManagedPolicy,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { type ILogGroupRef, LogGroupGrants } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * An execution role for a Lambda function that may write logs to `logGroup` only (CDK's
 * default role has AWSLambdaBasicExecutionRole, which writes to any log group). Active
 * tracing adds the X-Ray permissions itself; a function in `vpc` also gets those for its
 * network interfaces. Grant the function anything else it calls as usual.
 */
export function executionRole(
  scope: Construct,
  id: string,
  logGroup: ILogGroupRef,
  vpc?: IVpc,
): IRole {
  const role = new Role(scope, id, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: vpc
      ? [
          ManagedPolicy.fromAwsManagedPolicyName(
            'service-role/AWSLambdaENIManagementAccess',
          ),
        ]
      : [],
  });
  LogGroupGrants.fromLogGroup(logGroup).write(role);
  return role;
}
