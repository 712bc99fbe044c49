{# Parts of the API construct (cdk-api) that depend on its auth and on its kind of API. #}

{% import "_partials/cdk/layout.ts" as layout %}
{% from "_partials/cdk/checkov.ts" import skip_log_group_kms %}
{% set rest = compute_type.rest %}

{# The class comment's paragraph on auth: how callers are let in. #}
{% macro doc() %}
{% if auth.iam %}
 * Auth: IAM. Callers sign their requests with SigV4; allow them with `grantInvokeAccess`.
{% elif auth.cognito %}
 * Auth: Cognito. Callers send `Authorization: <token>` issued by `identity.userPool` for
 * `identity.userPoolClient` ({{ "an ID token" if rest else "an ID or access token" }}).
{% elif auth.custom %}
 * Auth: custom. The Lambda authorizer `{{ module }}/authorizer.py` allows or denies each
 * request (every request until you write its check); callers send an `Authorization` header.
{% else %}
 * Auth: none. Every operation is public: authenticate in the app where needed.
{% endif %}
{%- endmacro %}

{# The static authorizer() method of auth custom: the Lambda authorizer from the app's bundle. #}
{% macro authorizer_method() %}
  /**
   * The Lambda authorizer of {{ class_name }}: `{{ module }}/authorizer.py`, from the same bundle.
   * API Gateway calls it before every operation and caches its answer per `Authorization`
   * header for five minutes.
   */
{{ layout.call(2, "public static authorizer", ["scope: Construct", "id: string"], ": Function {") }}
    const logGroup = new LogGroup(scope, `${id}AuthorizerLogs`, {
      retention: RetentionDays.ONE_MONTH,
    });
{{ skip_log_group_kms("logGroup", indent="    ") }}
    return new Function(scope, `${id}Authorizer`, {
      ...{{ class_name }}.functionProps(),
{{ layout.assignment(6, "handler:", "'" ~ module ~ ".authorizer.handler'", ",") }}
{% if snap_start %}
      // API Gateway invokes an authorizer's latest version, which SnapStart does not restore.
      snapStart: undefined,
{% endif %}
      // The caller waits for the authorizer before the operation runs.
      timeout: Duration.seconds(10),
      // Its own settings, not the app's: it runs without the Lambda Web Adapter.
      environment: { POWERTOOLS_LOG_LEVEL: 'INFO' },
      logGroup,
      role: executionRole(scope, `${id}AuthorizerRole`, logGroup),
    });
  }
{%- endmacro %}

{# The constructor's super() call: the core API with the construct's operations and auth. #}
{% macro super_call() %}
{% if auth.cognito %}
    const { identity, ...options } = props;
    super(scope, id, {
      ...options,
{{ layout.assignment(6, "apiName:", "'" ~ class_name ~ "'", ",") }}
      operations: OPERATION_DETAILS,
      auth: { type: 'cognito', ...identity },
    });
{% elif auth.custom %}
    super(scope, id, {
      ...props,
{{ layout.assignment(6, "apiName:", "'" ~ class_name ~ "'", ",") }}
      operations: OPERATION_DETAILS,
      auth: {
        type: 'custom',
        authorizer: {{ class_name }}.authorizer(scope, id),
      },
    });
{% else %}
    super(scope, id, {
      ...props,
{{ layout.assignment(6, "apiName:", "'" ~ class_name ~ "'", ",") }}
      operations: OPERATION_DETAILS,
      auth: { type: '{{ auth }}' },
    });
{% endif %}
{%- endmacro %}

{# The `integration:` property of a default integration, for `handler` (or its `live` alias with SnapStart): REST's LambdaIntegration or the HTTP API's HttpLambdaIntegration, with `options` (lines of TypeScript), and streamed responses with `streaming`. #}
{% macro integration(options=[]) %}
{% set target = "live" if snap_start else "handler" %}
{% set options = options + (["responseTransferMode: ResponseTransferMode.STREAM"] if streaming else []) %}
{% set head = "new LambdaIntegration(" ~ target if rest else "new HttpLambdaIntegration(`${id}Integration`, " ~ target %}
{% if options %}
          integration: {{ head }}, {
{% for option in options %}
            {{ option }},
{% endfor %}
          }),
{% else %}
          integration: {{ head }}),
{% endif %}
{%- endmacro %}
