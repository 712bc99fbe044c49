{% from "_partials/terraform/versions.tf" import terraform_block %}
{# response_transfer_mode, on aws_api_gateway_integration since 6.25.0. #}
{{ terraform_block(aws=">= 6.25.0") }}
