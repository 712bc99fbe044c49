{% from "_partials/cdk/singleton.ts" import once_per_stack %}
import { CfnOutput, Lazy, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Settings clients need at runtime, e.g. the URL of each API. */
export interface IRuntimeConfig {
  /** API URLs keyed by API name (`MyApi`). */
  apis: Record<string, string>;
  [key: string]: unknown;
}

/**
 * The runtime configuration of a stack: one per stack, shared by every construct in it.
 *
 * Constructs add their settings to `RuntimeConfig.ensure(this).config`; the stack outputs
 * the whole configuration as JSON (`RuntimeConfig` output) once synthesized.
 */
export class RuntimeConfig extends Construct {
{{ once_per_stack("RuntimeConfig", "runtime configuration") }}

  public readonly config: IRuntimeConfig = { apis: {} };

  private constructor(scope: Stack, id: string) {
    super(scope, id);

    new CfnOutput(this, 'Output', {
      key: 'RuntimeConfig',
      description: 'Runtime configuration (API URLs, ...) as JSON',
      value: Lazy.string({
        produce: () => Stack.of(this).toJsonString(this.config),
      }),
    });
  }
}
