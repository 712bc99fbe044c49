{# The Lambda function settings of an API construct, for cdk-api and cdk-function-url (whose function runs behind the Lambda Web Adapter: `web_adapter`). #}

{% import "_partials/cdk/layout.ts" as layout %}

{# The import of aws-cdk-lib/aws-lambda: what function_props and the construct's function use, with the construct's `extra` names and `extra_types` (type-only), sorted by name. #}
{% macro lambda_import(snap_start, extra=[], extra_types=[]) %}
{% set types = ["FunctionProps"] + extra_types %}
{% set names = ["Architecture", "Code", "Function", "Runtime", "Tracing"] + types + extra + (["Alias", "SnapStartConf"] if snap_start else []) %}
import {
{% for name in names | sort %}
  {{ "type " if name in types else "" }}{{ name }},
{% endfor %}
} from 'aws-cdk-lib/aws-lambda';
{% endmacro %}

{# The static functionProps() method: runtime, architecture, handler, the bundle of `project_root`, memory, timeout, tracing and the Powertools settings (its doc comment stays with each construct). Behind API Gateway (even when it streams through the adapter, `web_adapter`), the timeout stays below the integration's 29 s, so callers never get a 504 from a function that goes on running. #}
{% macro function_props(class_name, project_root, handler, web_adapter=false) %}
  public static functionProps(): FunctionProps {
    return {
      runtime: Runtime.PYTHON_3_12,
      architecture: Architecture.{{ "ARM_64" if architecture.arm64 else "X86_64" }},
{{ layout.assignment(6, "handler:", "'" ~ handler ~ "'", ",") }}
      code: Code.fromAsset(
        url.fileURLToPath(
{{ layout.call(10, "new URL", ["'../../../../../../dist/" ~ project_root ~ "/bundle'", "import.meta.url"], ",") }}
        ),
      ),
      memorySize: {{ memory_size }},
{% if compute_type.function_url %}
      timeout: Duration.seconds(30),
{% else %}
      // Below API Gateway's 29 s: a slow request fails here rather than running on unseen.
      timeout: Duration.seconds(28),
{% endif %}
      tracing: Tracing.ACTIVE,
{% if snap_start %}
      // Published versions start from a snapshot taken after the app's import.
      snapStart: SnapStartConf.ON_PUBLISHED_VERSIONS,
{% endif %}
      environment: {
{% if web_adapter %}
        // The Lambda Web Adapter: run `run.sh` (uvicorn on PORT) and stream its responses.
        AWS_LAMBDA_EXEC_WRAPPER: '/opt/bootstrap',
        AWS_LWA_INVOKE_MODE: 'response_stream',
        PORT: '8000',
{% endif %}
{{ layout.assignment(8, "POWERTOOLS_SERVICE_NAME:", "'" ~ class_name ~ "'", ",") }}
{{ layout.assignment(8, "POWERTOOLS_METRICS_NAMESPACE:", "'" ~ class_name ~ "'", ",") }}
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // Responses may hold personal data and outgrow X-Ray's 64 KB segments: not traced.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      },
    };
  }
{%- endmacro %}

{# The Lambda Web Adapter's layer, added to `function` (a Function variable) in `scope` under the construct id `id` (TypeScript), for the region `region`; `at` spaces in. #}
{% macro web_adapter_layer(function, scope, id, region, at) %}
{% filter indent(at, true) %}
// The Lambda Web Adapter ({{ architecture }}), published by AWS in every commercial region.
{{ function }}.addLayers(
  LayerVersion.fromLayerVersionArn(
    {{ scope }},
    {{ id }},
    `arn:aws:lambda:${ {{- region -}} }:753240598075:layer:LambdaAdapterLayer{{ 'Arm64' if architecture.arm64 else 'X86' }}:24`,
  ),
);
{%- endfilter %}
{%- endmacro %}
