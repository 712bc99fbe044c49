{% import "_partials/cdk/core-api.ts" as api %}
{% from "_partials/cdk/checkov.ts" import skip_log_group_kms %}
import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi as CdkHttpApi,
  type HttpStage,
  HttpMethod,
  HttpNoneAuthorizer,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import {
  HttpIamAuthorizer,
  HttpLambdaAuthorizer,
  HttpLambdaResponseType,
  HttpUserPoolAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { skipCheckov } from '../checkov.js';
import {
  type ApiAuth,
  type ApiCorsOptions,
  type ApiThrottling,
  DEFAULT_CORS_ALLOW_HEADERS,
  DEFAULT_THROTTLING,
  type HttpApiIntegrations,
  type OperationDetailsMap,
} from './utils.js';

/** Settings of an HTTP API that its users may change. */
export interface HttpApiOptions extends ApiCorsOptions {
  /** @default DEFAULT_THROTTLING (100 requests/s, bursts of 200) */
  readonly throttling?: ApiThrottling;
  /** Retention of the access log group. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

{{ api.api_props("HttpApi") }}

/**
 * An API Gateway HTTP API serving the operations of an API, typed by those operations.
 *
 * Comes with CORS (API Gateway answers preflight requests and adds the CORS headers),
 * JSON access logs, stage throttling and the authorizer of the chosen auth on every
 * route. HTTP APIs do not support X-Ray; the Lambda functions trace themselves.
 */
export class HttpApi<
  TOperation extends string,
  TIntegrations extends HttpApiIntegrations<TOperation>,
> extends Construct {
  /** The underlying CDK HTTP API. */
  public readonly api: CdkHttpApi;
  /** The `$default` stage, deployed automatically. */
  public readonly stage: HttpStage;
  /** The integration of every operation, e.g. `integrations.getItem.handler`. */
  public readonly integrations: TIntegrations;
  /** The URL of the API, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/`. */
  public readonly url: string;

  constructor(
    scope: Construct,
    id: string,
    props: HttpApiProps<TOperation, TIntegrations>,
  ) {
    super(scope, id);
    this.integrations = props.integrations;

    const throttling = props.throttling ?? DEFAULT_THROTTLING;
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
{{ skip_log_group_kms("accessLogs") }}

    this.api = new CdkHttpApi(this, 'Api', {
      apiName: props.apiName,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.allowOrigins ?? ['*'],
        allowMethods: [CorsHttpMethod.ANY],
        allowHeaders: props.allowHeaders ?? DEFAULT_CORS_ALLOW_HEADERS,
      },
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: throttling,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
{{ api.access_log_format("format", rest=false) }}
      },
    });
    this.url = this.stage.url;

    const defaultAuthorizer = this.defaultAuthorizer(props.auth);
{% call api.for_each_operation() %}
      this.api.addRoutes({
        path,
        methods: [HttpMethod[method]],
        integration,
        authorizer: defaultAuthorizer,
        ...options,
      });
{%- endcall %}
  }

  /**
   * Grants `grantee` (a role, user, identity pool role, ...) permission to call every
   * route of this API, and nothing else. Needed by callers of routes that use IAM auth.
   *
   * It adds to the grantee's identity policy, which is enough in this account only: a
   * grantee of another account gets nothing from it (HTTP APIs have no resource policy;
   * let such callers assume a role of this account instead).
   */
{{ api.grant_invoke_access() }}

  private defaultAuthorizer(auth: ApiAuth): IHttpRouteAuthorizer {
    switch (auth.type) {
      case 'iam':
        return new HttpIamAuthorizer();
      case 'cognito':
        return new HttpUserPoolAuthorizer('Authorizer', auth.userPool, {
          userPoolClients: [auth.userPoolClient],
        });
      case 'custom':
        return new HttpLambdaAuthorizer('Authorizer', auth.authorizer, {
          responseTypes: [HttpLambdaResponseType.SIMPLE],
          identitySource: ['$request.header.Authorization'],
          resultsCacheTtl: auth.resultsCacheTtl ?? Duration.minutes(5),
        });
      case 'none':
        return new HttpNoneAuthorizer();
    }
  }
}
