{% import "_partials/cdk/core-api.ts" as api %}
{% from "_partials/cdk/checkov.ts" import skip_log_group_kms %}
import { Duration } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  type CfnRestApi,
  CognitoUserPoolsAuthorizer,
  Cors,
  EndpointType,
  IdentitySource,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type MethodOptions,
  RequestAuthorizer,
  ResponseType,
  RestApi as CdkRestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Function } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { skipCheckov } from '../checkov.js';
import { ApiGatewayCloudWatchRole } from './api-gateway-account.js';
import {
  type ApiAuth,
  type ApiCorsOptions,
  type ApiThrottling,
  DEFAULT_CORS_ALLOW_HEADERS,
  DEFAULT_THROTTLING,
  type OperationDetailsMap,
  type RestApiIntegration,
  type RestApiIntegrations,
} from './utils.js';

/** Settings of a REST API that its users may change. */
export interface RestApiOptions extends ApiCorsOptions {
  /** @default DEFAULT_THROTTLING (100 requests/s, bursts of 200) */
  readonly throttling?: ApiThrottling;
  /** Retention of the access log group. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default 'prod' */
  readonly stageName?: string;
}

{{ api.api_props("RestApi") }}

/**
 * An API Gateway REST API serving the operations of an API, typed by those operations.
 *
 * Comes with CORS (preflight on every resource), X-Ray tracing, JSON access logs,
 * stage throttling and the authorizer of the chosen auth on every method.
 */
export class RestApi<
  TOperation extends string,
  TIntegrations extends RestApiIntegrations<TOperation>,
> extends Construct {
  /** The underlying CDK REST API. */
  public readonly api: CdkRestApi;
  /** The integration of every operation, e.g. `integrations.getItem.handler`. */
  public readonly integrations: TIntegrations;
  /** The URL of the deployed stage, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/prod/`. */
  public readonly url: string;

  constructor(
    scope: Construct,
    id: string,
    props: RestApiProps<TOperation, TIntegrations>,
  ) {
    super(scope, id);
    this.integrations = props.integrations;

    const allowOrigins = props.allowOrigins ?? Cors.ALL_ORIGINS;
    const allowHeaders = props.allowHeaders ?? DEFAULT_CORS_ALLOW_HEADERS;
    const throttling = props.throttling ?? DEFAULT_THROTTLING;
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
{{ skip_log_group_kms("accessLogs") }}

    this.api = new CdkRestApi(this, 'Api', {
      restApiName: props.apiName,
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // API Gateway's CloudWatch role is an account-wide setting: see ApiGatewayCloudWatchRole.
      cloudWatchRole: false,
      defaultCorsPreflightOptions: {
        allowOrigins,
        allowMethods: Cors.ALL_METHODS,
        allowHeaders,
      },
      deployOptions: {
        stageName: props.stageName ?? 'prod',
        tracingEnabled: true,
        metricsEnabled: true,
        // Execution logs of failed requests (no request or response bodies).
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: throttling.rateLimit,
        throttlingBurstLimit: throttling.burstLimit,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
{{ api.access_log_format("accessLogFormat", rest=true) }}
      },
    });
    // TLS 1.2 and 1.3 with current ciphers (API Gateway's default still admits TLS 1.0),
    // on requests made to this API's own endpoint. For TLS 1.3 only, use
    // 'SecurityPolicy_TLS13_1_3_2025_09'.
    const cfnApi = this.api.node.defaultChild as CfnRestApi;
    cfnApi.securityPolicy = 'SecurityPolicy_TLS13_1_2_2021_06';
    cfnApi.endpointAccessMode = 'STRICT';
    this.api.deploymentStage.node.addDependency(
      ApiGatewayCloudWatchRole.ensure(this),
    );
    skipCheckov(this.api.deploymentStage, {
      id: 'CKV_AWS_120',
      comment:
        'No stage cache: responses are dynamic and may differ per caller, and a cache keyed by path and parameters would serve one caller the response of another; cache per method where responses are shared',
    });
    this.url = this.api.url;

    // Errors API Gateway answers itself (denied, throttled, ...) carry CORS headers too,
    // so browsers can read them. A header holds one origin: with several, the app's own
    // responses still carry the right one.
    if (allowOrigins.length === 1) {
      for (const type of [ResponseType.DEFAULT_4XX, ResponseType.DEFAULT_5XX]) {
        this.api.addGatewayResponse(`${type.responseType}Cors`, {
          type,
          responseHeaders: {
            'Access-Control-Allow-Origin': `'${allowOrigins[0]}'`,
            'Access-Control-Allow-Headers': `'${allowHeaders.join(',')}'`,
          },
        });
      }
    }

    const defaultOptions = this.defaultMethodOptions(props.auth);
{% call api.for_each_operation() %}
      const methodOptions = mergeMethodOptions(defaultOptions, options);
      const apiMethod = this.api.root
        .resourceForPath(path)
        .addMethod(method, integration, methodOptions);
      if (
        props.auth.type === 'none' &&
        methodOptions.authorizationType === AuthorizationType.NONE
      ) {
        skipCheckov(apiMethod, {
          id: 'CKV_AWS_59',
          comment:
            'The API was generated with auth None: its operations are public by choice, and the app authenticates where it must',
        });
      }
{%- endcall %}

    // The generated FastAPI app answers CORS itself (Lambda proxy responses pass through).
    for (const { handler } of Object.values<
      RestApiIntegration & { handler?: unknown }
    >(props.integrations)) {
      if (handler instanceof Function) {
        handler.addEnvironment('ALLOWED_ORIGINS', allowOrigins.join(','));
      }
    }
  }

  /**
   * Grants `grantee` (a role, user, identity pool role, ...) permission to call every
   * operation of this API, and nothing else. Needed by callers of operations that use
   * IAM auth.
   *
   * It adds to the grantee's identity policy, which is enough in this account only: a
   * grantee of another account also needs the API's resource policy to allow it (the
   * `policy` of the REST API), or a role of this account to assume.
   */
{{ api.grant_invoke_access() }}

  private defaultMethodOptions(auth: ApiAuth): MethodOptions {
    switch (auth.type) {
      case 'iam':
        return { authorizationType: AuthorizationType.IAM };
      case 'cognito':
        return {
          authorizationType: AuthorizationType.COGNITO,
          authorizer: new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
            cognitoUserPools: [auth.userPool],
          }),
        };
      case 'custom':
        return {
          authorizationType: AuthorizationType.CUSTOM,
          authorizer: new RequestAuthorizer(this, 'Authorizer', {
            handler: auth.authorizer,
            identitySources: [IdentitySource.header('Authorization')],
            resultsCacheTtl: auth.resultsCacheTtl ?? Duration.minutes(5),
          }),
        };
      case 'none':
        return { authorizationType: AuthorizationType.NONE };
    }
  }
}

/** An operation's own authorizer replaces the default authorization as a whole. */
function mergeMethodOptions(
  defaults: MethodOptions,
  options: MethodOptions | undefined,
): MethodOptions {
  if (options?.authorizer || options?.authorizationType) {
    const { authorizer, authorizationType, authorizationScopes, ...rest } =
      defaults;
    return { ...rest, ...options };
  }
  return { ...defaults, ...options };
}
