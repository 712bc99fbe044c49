{% import "_partials/cdk/function.ts" as fn %}
{% from "_partials/cdk/checkov.ts" import skip_log_group_kms %}
{% import "_partials/cdk/layout.ts" as layout %}
{% set iam = auth.iam %}
import url from 'node:url';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
{% if iam %}
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
{% endif %}
{{ fn.lambda_import(snap_start, ["FunctionUrlAuthType", "HttpMethod", "InvokeMode", "LayerVersion"], ["FunctionUrl"]) }}import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { skipCheckov } from '../../core/checkov.js';
import { executionRole } from '../../core/lambda.js';
import { RuntimeConfig } from '../../core/runtime-config.js';

/** Optional settings of {{ class_name }}. */
export interface {{ class_name }}Props {
  /**
   * Settings of the Lambda function that override the defaults of
   * `{{ class_name }}.functionProps()` (memory, timeout, VPC, extra environment, ...).
   */
  readonly functionProps?: Partial<FunctionProps>;
  /** Origins allowed by CORS on the Function URL. Default: every origin (`*`). */
  readonly allowedOrigins?: string[];
}

/**
 * The {{ class_name }} FastAPI app (`{{ project_root }}`) on AWS Lambda behind a Lambda
 * Function URL that streams responses (`InvokeMode.RESPONSE_STREAM`).
 *
 * The function runs the app under uvicorn through the AWS Lambda Web Adapter: the handler
 * is the bundle's `run.sh`, the adapter comes as a layer and forwards each invocation to
 * the app over HTTP, streaming the response back as the app writes it. X-Ray tracing, a
 * log group with a retention period and the Powertools settings are set up.
 *
{% if iam %}
 * Auth: IAM. Callers sign their requests with SigV4 (service `lambda`); allow them with
 * `grantInvokeAccess`.
{% else %}
 * Auth: none. The URL is public: authenticate in the app where needed.
{% endif %}
 *
 * ```ts
 * const api = new {{ class_name }}(this, '{{ class_name }}');
{% if iam %}
 * api.grantInvokeAccess(role);
{% endif %}
 * api.handler.addToRolePolicy(...);
 * ```
 */
export class {{ class_name }} extends Construct {
  /** The function that serves every route of the app. */
  public readonly handler: Function;
  /** The streaming Function URL in front of `handler`. */
  public readonly functionUrl: FunctionUrl;
  /** The URL callers use, e.g. `https://<id>.lambda-url.<region>.on.aws/`. */
  public readonly url: string;

  /**
   * The settings of {{ class_name }}'s Lambda function. The code is the bundle built by
   * `nx run {{ module }}:bundle` for {{ architecture }} (change `architecture`, the bundle's platform
   * and the adapter layer together).
   */
{{ fn.function_props(class_name, project_root, "run.sh", web_adapter=true) }}

{{ layout.call(2, "constructor", ["scope: Construct", "id: string", "props: " ~ class_name ~ "Props = {}"], " {") }}
    super(scope, id);

    const stack = Stack.of(this);
{{ layout.assignment(4, "const defaults =", class_name ~ ".functionProps()", ";") }}
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
    });
{{ skip_log_group_kms("logGroup") }}
    this.handler = new Function(this, 'Handler', {
      ...defaults,
      logGroup,
      role: executionRole(this, 'Role', logGroup, props.functionProps?.vpc),
{% if not iam %}
      // The URL is public: this bounds what anyone can make the function run (and cost).
      // Raise it for your traffic. An account whose concurrency quota is still 10 (as new
      // accounts' may be) cannot reserve any: pass `reservedConcurrentExecutions: undefined`.
      reservedConcurrentExecutions: 10,
{% endif %}
      ...props.functionProps,
      environment: {
        ...defaults.environment,
        ...props.functionProps?.environment,
      },
    });
{{ fn.web_adapter_layer("this.handler", "this", "'LambdaAdapterLayer'", "stack.region", 4) }}

    const allowedOrigins = props.allowedOrigins ?? ['*'];
{% if snap_start %}
    // SnapStart restores published versions only: the URL invokes this alias.
    const live = new Alias(this, 'Live', {
      aliasName: 'live',
      version: this.handler.currentVersion,
    });
    this.functionUrl = live.addFunctionUrl({
{% else %}
    this.functionUrl = this.handler.addFunctionUrl({
{% endif %}
      authType: FunctionUrlAuthType.{{ "AWS_IAM" if iam else "NONE" }},
      invokeMode: InvokeMode.RESPONSE_STREAM,
      cors: {
        allowedOrigins,
        allowedMethods: [HttpMethod.ALL],
{% if iam %}
        allowedHeaders: [
          'authorization',
          'content-type',
          'x-amz-content-sha256',
          'x-amz-date',
          'x-amz-security-token',
          'x-correlation-id',
        ],
{% else %}
        allowedHeaders: ['authorization', 'content-type', 'x-correlation-id'],
{% endif %}
        exposedHeaders: ['x-correlation-id'],
        maxAge: Duration.days(1),
      },
    });
    this.url = this.functionUrl.url;
{% if not iam %}
    skipCheckov(this.functionUrl, {
      id: 'CKV_AWS_258',
      comment:
        '{{ class_name }} was generated with auth None: its URL is public by choice, and the app authenticates where it must',
    });
{% endif %}
    if (allowedOrigins.includes('*')) {
      // checkov reports the open CORS of the Function URL on the function.
      skipCheckov(this.handler, {
        id: 'CKV2_AWS_75',
        comment:
          'CORS allows every origin until allowedOrigins names your front ends; it allows no credentials, so other sites cannot use a browser session',
      });
    }

{% call(indent) layout.call(4, "new CfnOutput", ["this", "'" ~ class_name ~ "Url'"], ";") %}
{{ " " * indent }}value: this.url,
{%- endcall +%}

    RuntimeConfig.ensure(this).config.apis = {
      ...RuntimeConfig.ensure(this).config.apis,
{{ layout.assignment(6, class_name ~ ":", "this.url", ",") }}
    };
  }
{% if iam %}

  /**
   * Allows `grantee` to call the Function URL with SigV4-signed requests:
   * `lambda:InvokeFunctionUrl` on this function, only through a Function URL with IAM
   * auth, and `lambda:InvokeFunction` only when invoked through a Function URL (Lambda
   * requires both).
   */
  public grantInvokeAccess(grantee: IGrantable): Grant {
    return this.functionUrl.grantInvokeUrl(grantee);
  }
{% endif %}
}
