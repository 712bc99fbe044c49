{% from "_partials/cdk/singleton.ts" import once_per_stack %}
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  Mfa,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { RuntimeConfig } from './runtime-config.js';

/**
 * A Cognito user pool and an app client for the APIs that use Cognito auth: one per
 * stack, shared by every such API. Users sign in with their email address; sign-up is
 * by invitation (an administrator creates users). Adjust the settings below to taste.
 */
export class UserIdentity extends Construct {
{{ once_per_stack("UserIdentity", "user identity") }}

  public readonly userPool: UserPool;
  public readonly userPoolClient: UserPoolClient;

  private constructor(scope: Stack, id: string) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      // Alice@example.com signs in as alice@example.com.
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed email address takes effect once verified; until then the old one signs in.
      keepOriginal: { email: true },
      // The pool holds your users: it outlives the stack (delete it by hand if you must).
      removalPolicy: RemovalPolicy.RETAIN,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
    });

    this.userPoolClient = this.userPool.addClient('Client', {
      authFlows: { userSrp: true },
      // Sign-in through the SDK (SRP); enable OAuth (hosted UI, callback URLs) when needed.
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', {
      value: this.userPoolClient.userPoolClientId,
    });
    RuntimeConfig.ensure(this).config.cognito = {
      region: scope.region,
      userPoolId: this.userPool.userPoolId,
      userPoolClientId: this.userPoolClient.userPoolClientId,
    };
  }
}
