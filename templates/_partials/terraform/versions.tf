{# The `terraform` block of every module's versions.tf: Terraform and provider versions (`archive` for the modules that zip a bundle), then `extra` lines (the root module's backend). #}
{% macro terraform_block(archive=false, extra="") %}
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40.0"
    }
{% if archive %}
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4.0"
    }
{% endif %}
  }
{% if extra %}

{{ extra }}
{%- endif %}
}
{%- endmacro %}
