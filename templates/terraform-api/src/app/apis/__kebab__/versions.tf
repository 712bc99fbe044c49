{% from "_partials/terraform/versions.tf" import terraform_block %}
{# Streaming: its REST core module's response_transfer_mode (6.25.0), and aws_region.region (6.0). #}
{{ terraform_block(archive=true, aws=">= 6.25.0" if streaming else ">= 5.40.0") }}
