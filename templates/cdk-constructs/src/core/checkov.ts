import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A checkov check that a resource is exempt from, and why. */
export interface CheckovSkip {
  /** The check's id, e.g. `CKV_AWS_158`. */
  readonly id: string;
  /** Why the resource may fail the check: checkov's report shows it. */
  readonly comment: string;
}

/**
 * Exempts the CloudFormation resource of `construct` (the construct itself, or its
 * default child: the `CfnLogGroup` of a `LogGroup`, ...) from checkov checks, each with
 * its reason, in the resource's `Metadata.checkov.skip`. `nx run infra:checkov` reports
 * them as skipped, with the reasons.
 */
export function skipCheckov(construct: IConstruct, ...skips: CheckovSkip[]) {
  const resource = CfnResource.isCfnResource(construct)
    ? construct
    : construct.node.defaultChild;
  if (!CfnResource.isCfnResource(resource)) {
    throw new Error(
      `${construct.node.path} is not a CloudFormation resource: checkov skips go on one`,
    );
  }
  const previous =
    (resource.getMetadata('checkov') as { skip?: CheckovSkip[] } | undefined)
      ?.skip ?? [];
  resource.addMetadata('checkov', { skip: [...previous, ...skips] });
}
