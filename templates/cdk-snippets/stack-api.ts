{% import "_partials/cdk/layout.ts" as layout %}
{# The construct call, laid out as prettier lays it out for a name of any length (`_partials/cdk/layout.ts`). #}
{% if auth.iam %}
    // IAM auth: allow callers with `grantInvokeAccess`, e.g. `api.grantInvokeAccess(role)`.
{% endif %}
{% set args = ["this", "'" ~ class_name ~ "'"] %}
{% if compute_type.function_url %}
{{ layout.call(4, "new " ~ class_name, args, ";") }}
{% else %}
{% call(indent) layout.call(4, "new " ~ class_name, args, ";") %}
{% call(indent) layout.assignment(indent, "integrations:", class_name ~ ".defaultIntegrations(this).build()", ",") %}
{{ layout.call(indent, class_name ~ ".defaultIntegrations", ["this"], ".build(),") }}
{%- endcall %}
{% if auth.cognito %}

{{ " " * indent }}identity: UserIdentity.ensure(this),
{%- endif %}
{%- endcall %}
{% endif %}
