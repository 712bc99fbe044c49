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
{{ terraform_block(archive=true, extra=backend) }}
