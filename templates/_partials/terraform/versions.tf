{# The `terraform` block of every module's versions.tf: Terraform and provider versions (`archive` for the modules that zip a bundle), then `extra` lines (the root module's backend). Shared modules set lower bounds only (`aws`); the root module pins the majors it was tested with (`root`). #}
{% macro terraform_block(archive=false, extra="", aws=">= 5.40.0", root=false) %}
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "{{ '~> 6.0' if root else aws }}"
    }
{% if archive %}
    archive = {
      source  = "hashicorp/archive"
      version = "{{ '~> 2.4' if root else '>= 2.4.0' }}"
    }
{% endif %}
  }
{% if extra %}

{{ extra }}
{%- endif %}
}
{%- endmacro %}
