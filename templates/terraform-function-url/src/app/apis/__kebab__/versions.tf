{% from "_partials/terraform/versions.tf" import terraform_block %}
{% if auth.iam %}
{{ terraform_block(archive=true) }}
{% else %}
# AWS provider 6.29 added invoked_via_function_url, which keeps the public invoke permission
# (main.tf) to calls through the Function URL.
{{ terraform_block(archive=true, aws=">= 6.29.0") }}
{% endif %}
