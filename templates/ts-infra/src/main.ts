import { App } from 'aws-cdk-lib';
import { ApplicationStack } from './stacks/application-stack.js';

const app = new App();

// Deploys to the account and region of the AWS credentials `cdk deploy` runs with; set
// `env` to fixed values to pin them.
new ApplicationStack(app, '{{ scope }}-infra', {
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  },
});

app.synth();
