terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.40.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4.0"
    }
  }

  # The state is kept in this folder (terraform.tfstate, git-ignored) until you configure
  # a shared backend, e.g. an S3 bucket (use_lockfile needs Terraform >= 1.10):
  #
  # backend "s3" {
  #   bucket       = "my-terraform-state"
  #   key          = "{{ scope }}/infra.tfstate"
  #   region       = "eu-west-1"
  #   use_lockfile = true
  # }
}
