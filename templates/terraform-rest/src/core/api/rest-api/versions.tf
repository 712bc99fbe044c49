{% from "_partials/terraform/versions.tf" import terraform_block %}
{{ terraform_block() }}
