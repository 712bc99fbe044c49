{# Blocks of the root module (packages/infra) that every API adds: its main.tf snippets (terraform-snippets). #}

{# The module block of one API, named after the API and the environment; the call block's body adds the arguments of its compute type and auth. #}
{% macro api_module() %}
module "{{ module }}" {
  source = "../../common/terraform/src/app/apis/{{ kebab }}"

  # Its resources are named after the API and the environment, so that environments can
  # share an account and region.
  name = "{{ api_name_part }}-${var.environment}"

  env = {
    ENVIRONMENT = var.environment
  }
  additional_iam_policy_statements = []
{{ caller() -}}
}
{% endmacro %}
