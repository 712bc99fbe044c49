{# Parts of the two core API constructs, for cdk-rest (RestApi) and cdk-http (HttpApi); `kind` is RestApi or HttpApi. #}

{# The props of the construct: the API's name, its operations, their integrations and the auth. #}
{% macro api_props(kind) %}
export interface {{ kind }}Props<
  TOperation extends string,
  TIntegrations extends {{ kind }}Integrations<TOperation>,
> extends {{ kind }}Options {
  /** The name of the API in API Gateway. */
  readonly apiName: string;
  /** The path and method of every operation. */
  readonly operations: OperationDetailsMap<TOperation>;
  /** The integration of every operation. */
  readonly integrations: TIntegrations;
  /** How callers authenticate; applies to every operation without its own `options`. */
  readonly auth: ApiAuth;
}
{%- endmacro %}

{# A loop over the operations that finds each one's path, method, integration and options; the call block's body adds it to the API. #}
{% macro for_each_operation() %}
    for (const operation of Object.keys(props.operations) as TOperation[]) {
      const { path, method } = props.operations[operation];
      const entry = props.integrations[operation];
      if (!entry) {
        throw new Error(`${id}: no integration for operation ${operation}`);
      }
      const { integration, options } = entry;
{{ caller() }}
    }
{% endmacro %}

{# The grantInvokeAccess method: execute-api:Invoke on every stage, method and path of `this.api` (its doc comment stays with each construct). #}
{% macro grant_invoke_access() %}
  public grantInvokeAccess(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.api.arnForExecuteApi('*', '/*', '*')],
    });
  }
{%- endmacro %}

{# The stage's JSON access log format, the fields of the Terraform stages (_partials/terraform/core-api.tf) under the same keys; `rest`: the REST API's fields, else the HTTP API's. A property at 8 spaces, with its key. #}
{% macro access_log_format(key, rest) %}
{% import "_partials/access-log.j2" as access_log %}
        {{ key }}: AccessLogFormat.custom(
          JSON.stringify({
            // The app logs these two ids as correlation_id and function_request_id.
{% for key, variable, only in access_log.fields if only in [none, "rest" if rest else "http"] %}
            {{ key }}: '{{ variable }}',
{% endfor %}
          }),
        ),
{%- endmacro %}
