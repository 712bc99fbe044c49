# The application's resources: the APIs of the workspace and anything you add.

locals {
  common_tags = merge(
    {
      Project     = "{{ scope }}"
      Environment = var.environment
      ManagedBy   = "terraform"
    },
    var.tags,
  )
}

# fastgen:apis - `fastgen g py#fast-api` adds each new API above this line.
