import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
// fastgen:imports — `fastgen g py#fast-api` adds the import of each new API above this line.

/** The application's resources: the APIs of the workspace and anything you add. */
export class ApplicationStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // fastgen:apis — `fastgen g py#fast-api` adds each new API above this line.
  }
}
