# A Cognito user pool and an app client for the APIs that use Cognito auth, shared by
# every such API. Users sign in with their email address; sign-up is by invitation (an
# administrator creates users). Adjust the settings to taste.

resource "aws_cognito_user_pool" "user_pool" {
  name                     = "{{ scope }}-${var.environment}-users"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  mfa_configuration        = "OPTIONAL"
  # The pool holds your users: Cognito refuses to delete it, and so does Terraform (even
  # `terraform destroy`). To remove it, set "INACTIVE", drop prevent_destroy and apply first.
  deletion_protection = "ACTIVE"
  tags                = local.common_tags

  # Sign-in ignores the case of the email address (Alice@example.com is alice@example.com).
  username_configuration {
    case_sensitive = false
  }

  # A changed email address takes effect once verified; until then the old one signs in.
  user_attribute_update_settings {
    attributes_require_verification_before_update = ["email"]
  }

  lifecycle {
    prevent_destroy = true
  }

  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  password_policy {
    minimum_length                   = 12
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 7
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool_client" "user_pool_client" {
  name                          = "{{ scope }}-${var.environment}-client"
  user_pool_id                  = aws_cognito_user_pool.user_pool.id
  generate_secret               = false
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  enable_token_revocation       = true
  access_token_validity         = 60
  id_token_validity             = 60
  refresh_token_validity        = 30

  token_validity_units {
    access_token  = "minutes"
    id_token      = "minutes"
    refresh_token = "days"
  }
}

output "cognito_user_pool_id" {
  description = "ID of the Cognito user pool of the APIs with Cognito auth."
  value       = aws_cognito_user_pool.user_pool.id
}

output "cognito_user_pool_client_id" {
  description = "ID of the user pool's app client (no secret), for sign-in from your front end."
  value       = aws_cognito_user_pool_client.user_pool_client.id
}
