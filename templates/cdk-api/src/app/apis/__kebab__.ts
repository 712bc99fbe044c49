{% import "_partials/cdk/function.ts" as fn %}
{% from "_partials/cdk/checkov.ts" import skip_log_group_kms %}
{% import "_partials/cdk/layout.ts" as layout %}
{% import "_partials/cdk/api-construct.ts" as construct %}
{% set rest = compute_type.rest %}
{% set base = "RestApi" if rest else "HttpApi" %}
{% set builder = "rest" if rest else "http" %}
{% set integration = "LambdaIntegration" if rest else "HttpLambdaIntegration" %}
{% set integrations_module = "aws-cdk-lib/aws-apigateway" if rest else "aws-cdk-lib/aws-apigatewayv2-integrations" %}
import url from 'node:url';
import { Duration{{ ", Stack" if streaming else "" }} } from 'aws-cdk-lib';
{{ layout.import([integration] + (["ResponseTransferMode"] if streaming else []), integrations_module) }}
{{ fn.lambda_import(snap_start, ["LayerVersion"] if streaming else []) }}import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { {{ base }}, type {{ base }}Options } from '../../core/api/{{ compute_type }}-api.js';
import {
{% if auth.cognito %}
  type ApiIdentity,
{% endif %}
  type {{ base }}Integrations,
  IntegrationBuilder,
} from '../../core/api/utils.js';
import { skipCheckov } from '../../core/checkov.js';
import { executionRole } from '../../core/lambda.js';
import { RuntimeConfig } from '../../core/runtime-config.js';
import {
  OPERATION_DETAILS,
  OPERATIONS,
  type Operation,
} from '../../generated/{{ kebab }}/metadata.gen.js';

/** An operation of {{ class_name }}: a route function of `{{ module }}`, camelCased (`get_item` is `getItem`). */
{{ layout.assignment(0, "export type " ~ class_name ~ "Operation =", "Operation", ";") }}

/** An integration for every operation of {{ class_name }}. */
{{ layout.assignment(0, "export type " ~ class_name ~ "Integrations =", base ~ "Integrations<" ~ class_name ~ "Operation>", ";") }}

export interface {{ class_name }}Props<
{{ layout.assignment(2, "TIntegrations extends", class_name ~ "Integrations", ",") }}
> extends {{ base }}Options {
  /**
   * The integration of every operation: `{{ class_name }}.defaultIntegrations(this).build()`
   * ({{ "one router Lambda function for every operation" if integration_pattern.shared else "one Lambda function per operation" }}), customised with `withDefaultOptions` and
   * `withOverrides`, or an object literal with an integration for each operation.
   */
  readonly integrations: TIntegrations;
{% if auth.cognito %}
  /** The Cognito user pool and client whose tokens callers present, e.g. `UserIdentity.ensure(this)`. */
  readonly identity: ApiIdentity;
{% endif %}
}

/**
 * The {{ class_name }} FastAPI app (`{{ project_root }}`) on AWS Lambda behind an API Gateway
 * {{ "REST API that streams responses through the Lambda Web Adapter, with CORS, X-Ray tracing,\n * access logs and throttling." if streaming else "REST API, with CORS, X-Ray tracing, access logs and throttling." if rest else "HTTP API, with CORS, access logs and throttling." }}
 *
{{ construct.doc() | trim("\n") }}
 *
 * ```ts
 * const api = new {{ class_name }}(this, '{{ class_name }}', {
 *   integrations: {{ class_name }}.defaultIntegrations(this).build(),
{% if auth.cognito %}
 *   identity: UserIdentity.ensure(this),
{% endif %}
 * });
 * api.integrations.getItem.handler.addToRolePolicy(...);
 * ```
 */
{{ layout.class_head(class_name, "TIntegrations", class_name ~ "Integrations", base, [class_name ~ "Operation", "TIntegrations"]) }}
{% macro default_integration(indent) %}
{% filter indent(indent, true) %}
let logGroup = options.logGroup;
if (!logGroup) {
  logGroup = new LogGroup(scope, `${id}Logs`, {
    retention: RetentionDays.ONE_MONTH,
  });
{{ skip_log_group_kms("logGroup", indent="  ") }}
}
const handler = new Function(scope, `${id}Handler`, {
  ...options,
  logGroup,
  role:
    options.role ??
    executionRole(scope, `${id}Role`, logGroup, options.vpc),
});
{% if streaming %}
{{ fn.web_adapter_layer("handler", "scope", "`${id}AdapterLayer`", "Stack.of(scope).region", 0) }}
{% endif %}
{% if snap_start %}
// SnapStart restores published versions only: API Gateway invokes this alias.
const live = new Alias(scope, `${id}Live`, {
  aliasName: 'live',
  version: handler.currentVersion,
});
{% endif %}
{% endfilter %}
{% endmacro %}
{% if integration_pattern.shared %}
  /**
   * The default integrations: one router Lambda function, running the whole FastAPI app,
   * serves every operation, and FastAPI routes each request (the shared pattern). It is
   * built with the default options (`withDefaultOptions`) for the first operation that is
   * not overridden, and the others share it.
   *
   * To give an operation its own function (its own permissions, memory or alarms),
   * override it: `{{ class_name }}.defaultIntegrations(this).withOverrides({ getItem: { handler,
   * integration } }).build()`; `--integration-pattern isolated` generates one function per
   * operation.
   */
  public static defaultIntegrations = (scope: Construct) => {
    let router:
      { handler: Function; integration: {{ integration }} } | undefined;
    return IntegrationBuilder.{{ builder }}({
      operations: OPERATIONS,
{{ layout.assignment(6, "defaultIntegrationOptions:", class_name ~ ".functionProps()", ",") }}
      buildDefaultIntegration: (_operation, options) => {
        if (router) {
          return router;
        }
        const id = '{{ class_name }}Router';
{{ default_integration(8) }}
        // One permission for the whole API, not one or two per operation: the function's
        // resource policy stays small however many operations the app has.
        router = {
          handler,
{{ construct.integration(["scopePermissionToMethod: false" if rest else "scopePermissionToRoute: false"]) | trim("\n") }}
        };
        return router;
      },
    });
  };
{% else %}
  /**
   * The default integrations: one Lambda function per operation, each running the whole
   * FastAPI app, so that each can get its own permissions, memory and alarms (the
   * isolated pattern; `--integration-pattern shared` generates one router function for
   * every operation instead).
   */
  public static defaultIntegrations = (scope: Construct) => {
    return IntegrationBuilder.{{ builder }}({
      operations: OPERATIONS,
{{ layout.assignment(6, "defaultIntegrationOptions:", class_name ~ ".functionProps()", ",") }}
      buildDefaultIntegration: (operation, options) => {
        const id = `{{ class_name }}${operation.charAt(0).toUpperCase()}${operation.slice(1)}`;
{{ default_integration(8) }}
        return {
          handler,
{{ construct.integration() | trim("\n") }}
        };
      },
    });
  };
{% endif %}

  /**
   * The settings of {{ class_name }}'s Lambda functions. The code is the bundle built by
   * `nx run {{ module }}:bundle` for {{ architecture }} (change `architecture` and the bundle's
   * platform together).
   */
{{ fn.function_props(class_name, project_root, "run.sh" if streaming else module ~ ".main.handler", web_adapter=streaming) }}
{% if auth.custom %}

{{ construct.authorizer_method() }}
{% endif %}

{{ layout.call(2, "constructor", ["scope: Construct", "id: string", "props: " ~ class_name ~ "Props<TIntegrations>"], " {") }}
{{ construct.super_call() | trim("\n") }}

{% if streaming %}
    // API Gateway streams every response (responseTransferMode STREAM) as the app writes it.
{% else %}
    // Operations marked `x-streaming` are answered in one piece through API Gateway; to
    // stream them, {{ "generate the API with `--streaming`" if rest else "use a REST API generated with `--streaming`, or a Function URL" }}.
{% endif %}
    RuntimeConfig.ensure(this).config.apis = {
      ...RuntimeConfig.ensure(this).config.apis,
{{ layout.assignment(6, class_name ~ ":", "this.url", ",") }}
    };
  }
}
