{% import "_partials/cdk/layout.ts" as layout %}
{# The construct call, laid out as prettier lays it out for a name of any length (`_partials/cdk/layout.ts`). #}
{% if auth.iam %}
    // IAM auth: allow callers with grantInvokeAccess, e.g.
    // `{{ stack_variable }}.grantInvokeAccess(role)`.
{% endif %}
{% set args = ["this", "'" ~ class_name ~ "'"] %}
{# prettier keeps `const x = new X(` on one line while it fits, else breaks after `=`. #}
{% set head = "const " ~ stack_variable ~ " =" %}
{% if ("    " ~ head ~ " new " ~ class_name ~ "(") is fitting(80) %}
{% set at, callee = 4, head ~ " new " ~ class_name %}
{% else %}
    {{ head }}
{% set at, callee = 6, "new " ~ class_name %}
{% endif %}
{% if compute_type.function_url %}
{{ layout.call(at, callee, args, ";") }}
{% else %}
{% call(indent) layout.call(at, callee, args, ";") %}
{% call(indent) layout.assignment(indent, "integrations:", class_name ~ ".defaultIntegrations(this).build()", ",") %}
{{ layout.call(indent, class_name ~ ".defaultIntegrations", ["this"], ".build(),") }}
{%- endcall %}
{% if auth.cognito %}

{{ " " * indent }}identity: UserIdentity.ensure(this),
{%- endif %}
{%- endcall %}
{% endif %}
