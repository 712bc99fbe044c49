{% if auth.iam %}
    // IAM auth: allow callers with `grantInvokeAccess`, e.g. `api.grantInvokeAccess(role)`.
{% endif %}
{% if compute_type.function_url %}
    new {{ class_name }}(this, '{{ class_name }}');
{% else %}
    new {{ class_name }}(this, '{{ class_name }}', {
      integrations: {{ class_name }}.defaultIntegrations(this).build(),
{% if auth.cognito %}
      identity: UserIdentity.ensure(this),
{% endif %}
    });
{% endif %}
