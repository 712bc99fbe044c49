{% from "_partials/terraform/versions.tf" import terraform_block %}
{% set backend %}
  # The state is kept in this folder (terraform.tfstate, git-ignored) until you configure
  # a shared backend, e.g. an S3 bucket (use_lockfile needs Terraform >= 1.10):
  #
  # backend "s3" {
  #   bucket       = "my-terraform-state"
  #   key          = "{{ scope }}/infra.tfstate"
  #   region       = "eu-west-1"
  #   use_lockfile = true
  # }
{% endset %}
{# The root module pins the provider majors fastgen checks its modules against (HashiCorp's advice for root modules); the modules it calls set lower bounds only. #}
{{ terraform_block(archive=true, extra=backend, root=true) }}
