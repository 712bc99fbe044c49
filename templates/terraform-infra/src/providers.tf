provider "aws" {
  # null: the region of the environment (AWS_REGION) or of the AWS profile.
  region = var.region
}
