import type { Duration } from 'aws-cdk-lib';
import type { Integration, MethodOptions } from 'aws-cdk-lib/aws-apigateway';
import type {
  AddRoutesOptions,
  HttpRouteIntegration,
} from 'aws-cdk-lib/aws-apigatewayv2';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';

/** An HTTP method an operation can be served on. */
export type HttpMethod =
  'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** Where an operation lives: its path (OpenAPI syntax, e.g. `/items/{item_id}`) and method. */
export interface OperationDetails {
  readonly path: string;
  readonly method: HttpMethod;
}

/** The details of every operation of an API, keyed by operation name. */
export type OperationDetailsMap<TOperation extends string> = Readonly<
  Record<TOperation, OperationDetails>
>;

/**
 * How callers authenticate with an API.
 *
 * - `iam`: every method/route requires SigV4-signed requests (`AWS_IAM`); allow callers
 *   with the API's `grantInvokeAccess`.
 * - `cognito`: every method/route requires a token issued by the user pool for one of its
 *   clients (a user pool authorizer on REST APIs, a JWT authorizer on HTTP APIs).
 * - `custom`: a Lambda REQUEST authorizer decides for every method/route, given the
 *   request; its answer is cached per `Authorization` header for `resultsCacheTtl`.
 * - `none`: no authorizer; the API is public and must authenticate in code if needed.
 */
export type ApiAuth =
  | { readonly type: 'iam' }
  | {
      readonly type: 'cognito';
      readonly userPool: IUserPool;
      readonly userPoolClient: IUserPoolClient;
    }
  | {
      readonly type: 'custom';
      readonly authorizer: IFunction;
      /** @default Duration.minutes(5) */
      readonly resultsCacheTtl?: Duration;
    }
  | { readonly type: 'none' };

/** The identity provider of an API that uses Cognito auth. */
export interface ApiIdentity {
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
}

/** CORS settings shared by the REST and HTTP API constructs. */
export interface ApiCorsOptions {
  /**
   * Origins allowed to call the API from a browser.
   *
   * Restrict this for production, e.g. `['https://app.example.com']`.
   *
   * @default ['*'] every origin
   */
  readonly allowOrigins?: string[];

  /**
   * Request headers browsers may send.
   *
   * @default the headers SigV4 and bearer-token clients need, plus `x-correlation-id`
   */
  readonly allowHeaders?: string[];
}

/** The request headers allowed by CORS unless `allowHeaders` says otherwise. */
export const DEFAULT_CORS_ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'x-amz-content-sha256',
  'x-amz-date',
  'x-amz-security-token',
  'x-api-key',
  'x-correlation-id',
];

/** Stage-wide request throttling. */
export interface ApiThrottling {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Requests allowed in a burst above the rate limit. */
  readonly burstLimit: number;
}

/** The throttling applied unless `throttling` says otherwise. */
export const DEFAULT_THROTTLING: ApiThrottling = {
  rateLimit: 100,
  burstLimit: 200,
};

/** The integration of one REST API operation, and optionally its method options (e.g. an authorizer). */
export interface RestApiIntegration {
  readonly integration: Integration;
  readonly options?: MethodOptions;
}

/** Route options an HTTP API operation may override. */
export type HttpApiRouteOptions = Pick<
  AddRoutesOptions,
  'authorizer' | 'authorizationScopes'
>;

/** The integration of one HTTP API operation, and optionally its route options (e.g. an authorizer). */
export interface HttpApiIntegration {
  readonly integration: HttpRouteIntegration;
  readonly options?: HttpApiRouteOptions;
}

/** An integration for every operation of a REST API. */
export type RestApiIntegrations<TOperation extends string> = Record<
  TOperation,
  RestApiIntegration
>;

/** An integration for every operation of an HTTP API. */
export type HttpApiIntegrations<TOperation extends string> = Record<
  TOperation,
  HttpApiIntegration
>;

/** What an {@link IntegrationBuilder} needs to build the default integration of each operation. */
export interface IntegrationBuilderProps<
  TOperation extends string,
  TDefaultIntegrationOptions extends object,
  TDefaultIntegration,
> {
  /** Every operation of the API. */
  readonly operations: readonly TOperation[];
  /** The options passed to `buildDefaultIntegration`; `withDefaultOptions` changes them. */
  readonly defaultIntegrationOptions: TDefaultIntegrationOptions;
  /** Builds the integration of an operation that has no override. */
  readonly buildDefaultIntegration: (
    operation: TOperation,
    options: TDefaultIntegrationOptions,
  ) => TDefaultIntegration;
}

/** The integrations `build()` returns: each override as given, the default for every other operation. */
export type BuiltIntegrations<
  TOperation extends string,
  TDefaultIntegration,
  TOverrides,
> = {
  [K in TOperation]: K extends keyof TOverrides
    ? TOverrides[K]
    : TDefaultIntegration;
};

/** Rejects override keys that are not operations of the API (typos, removed operations). */
type KnownOperationsOnly<TOperation extends string, TOverrides> = {
  readonly [K in Exclude<keyof TOverrides, TOperation>]: never;
};

/**
 * Builds the integrations of an API's operations, keeping their types: the default
 * integration (e.g. a Lambda function per operation) for each operation, unless overridden.
 *
 * ```ts
 * MyApi.defaultIntegrations(this)
 *   .withDefaultOptions({ vpc })
 *   .withOverrides({ getItem: { integration: new HttpIntegration('https://example.com') } })
 *   .build();
 * ```
 */
export class IntegrationBuilder<
  TOperation extends string,
  TBaseIntegration,
  TDefaultIntegrationOptions extends object,
  TDefaultIntegration extends TBaseIntegration,
  TOverrides extends Partial<Record<TOperation, TBaseIntegration>> = {},
> {
  /** A builder for the integrations of a REST API (API Gateway v1). */
  public static rest<
    TOperation extends string,
    TDefaultIntegrationOptions extends object,
    TDefaultIntegration extends RestApiIntegration,
  >(
    props: IntegrationBuilderProps<
      TOperation,
      TDefaultIntegrationOptions,
      TDefaultIntegration
    >,
  ): IntegrationBuilder<
    TOperation,
    RestApiIntegration,
    TDefaultIntegrationOptions,
    TDefaultIntegration
  > {
    return new IntegrationBuilder<
      TOperation,
      RestApiIntegration,
      TDefaultIntegrationOptions,
      TDefaultIntegration
    >(props, props.defaultIntegrationOptions, {});
  }

  /** A builder for the integrations of an HTTP API (API Gateway v2). */
  public static http<
    TOperation extends string,
    TDefaultIntegrationOptions extends object,
    TDefaultIntegration extends HttpApiIntegration,
  >(
    props: IntegrationBuilderProps<
      TOperation,
      TDefaultIntegrationOptions,
      TDefaultIntegration
    >,
  ): IntegrationBuilder<
    TOperation,
    HttpApiIntegration,
    TDefaultIntegrationOptions,
    TDefaultIntegration
  > {
    return new IntegrationBuilder<
      TOperation,
      HttpApiIntegration,
      TDefaultIntegrationOptions,
      TDefaultIntegration
    >(props, props.defaultIntegrationOptions, {});
  }

  private constructor(
    private readonly props: IntegrationBuilderProps<
      TOperation,
      TDefaultIntegrationOptions,
      TDefaultIntegration
    >,
    private readonly defaultOptions: TDefaultIntegrationOptions,
    private readonly overrides: Partial<Record<TOperation, TBaseIntegration>>,
  ) {}

  /**
   * Changes the options every default integration is built with, e.g. `{ vpc }` to put
   * every default Lambda function in a VPC. Merged shallowly over the current options.
   */
  public withDefaultOptions(
    options: Partial<TDefaultIntegrationOptions>,
  ): IntegrationBuilder<
    TOperation,
    TBaseIntegration,
    TDefaultIntegrationOptions,
    TDefaultIntegration,
    TOverrides
  > {
    return new IntegrationBuilder<
      TOperation,
      TBaseIntegration,
      TDefaultIntegrationOptions,
      TDefaultIntegration,
      TOverrides
    >(this.props, { ...this.defaultOptions, ...options }, this.overrides);
  }

  /**
   * Replaces the default integration of some operations. Each override needs an
   * `integration` (and may set `options`); any other property you add stays typed on
   * the API's `integrations`, e.g. `api.integrations.getFile.bucket`.
   * Overridden operations get no default integration, so no `handler` either.
   */
  public withOverrides<
    TNewOverrides extends Partial<Record<TOperation, TBaseIntegration>>,
  >(
    overrides: TNewOverrides & KnownOperationsOnly<TOperation, TNewOverrides>,
  ): IntegrationBuilder<
    TOperation,
    TBaseIntegration,
    TDefaultIntegrationOptions,
    TDefaultIntegration,
    Omit<TOverrides, keyof TNewOverrides> & TNewOverrides
  > {
    return new IntegrationBuilder<
      TOperation,
      TBaseIntegration,
      TDefaultIntegrationOptions,
      TDefaultIntegration,
      Omit<TOverrides, keyof TNewOverrides> & TNewOverrides
    >(this.props, this.defaultOptions, { ...this.overrides, ...overrides });
  }

  /** Builds every operation's integration: its override, else its default integration. */
  public build(): BuiltIntegrations<
    TOperation,
    TDefaultIntegration,
    TOverrides
  > {
    const integrations: Partial<Record<TOperation, TBaseIntegration>> = {};
    for (const operation of this.props.operations) {
      integrations[operation] =
        this.overrides[operation] ??
        this.props.buildDefaultIntegration(operation, this.defaultOptions);
    }
    return integrations as BuiltIntegrations<
      TOperation,
      TDefaultIntegration,
      TOverrides
    >;
  }
}
