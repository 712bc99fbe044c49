{# Parts of the API module (terraform-api) that depend on its pattern and its auth. #}
{% set rest = compute_type.rest %}
{% set core = "rest_api" if rest else "http_api" %}
{% set isolated = integration_pattern.isolated %}

{# The comment at the head of main.tf: what the module deploys, how callers are let in, where the code comes from. #}
{% macro doc() %}
# {{ class_name }}: the FastAPI app of {{ project_root }} on AWS Lambda behind an API Gateway
{% if isolated %}
# {{ "REST" if rest else "HTTP" }} API, in the isolated pattern: each operation of the app has its own Lambda function,
# log group and invoke permission (alarms and limits per operation), which runs the whole
# app and serves that operation's route only; they share one role and memory_size. The
# operations are read from the app's OpenAPI spec.
{% else %}
# {{ "REST" if rest else "HTTP" }} API, in the shared (router) pattern: one Lambda function serves every route, and
# FastAPI routes each request to its operation.
{% endif %}
#
{% if auth.iam %}
# Auth: IAM. Callers sign their requests with SigV4; grant them `execute-api:Invoke` on
# "${module.<this module>.api_execution_arn}/*/*".
{% elif auth.cognito %}
# Auth: Cognito. Callers send `Authorization: <token>` issued by the user pool
# ({{ "an ID token" if rest else "an ID or access token of one of the given clients" }}).
{% elif auth.custom %}
# Auth: custom. The Lambda authorizer {{ module }}/authorizer.py allows or denies each request
# (every request until you write its check); callers send an `Authorization` header.
{% else %}
# Auth: none. Every route is public: authenticate in the app where needed.
{% endif %}
#
# The code is the bundle that `nx run {{ module }}:bundle` writes to
# dist/{{ project_root }}/bundle (dependencies for Lambda's Python 3.12 on {{ architecture }}, plus the
{% if isolated %}
# `{{ module }}` package), zipped by Terraform once for every function: build the bundle and
# the OpenAPI spec (`nx run {{ module }}:openapi`) before `terraform plan`.
#
# To serve an operation from another integration, give module.{{ core }} its route in
# `routes` and the integration in `integrations`.
{% else %}
# `{{ module }}` package), zipped by Terraform: build the bundle before `terraform plan`.
#
# To serve an operation from its own function or another integration, give module.{{ core }}
# its route in `routes` and the integration in `integrations`: a route of its own wins over
# the proxy routes.
{% endif %}
{% endmacro %}

{# The auth arguments of the core API module (module.rest_api or module.http_api), after a blank line; nothing for IAM and None. #}
{% macro core_auth_arguments() %}
{% if auth.cognito and rest %}

  cognito_user_pool_arn = var.cognito_user_pool_arn
{% elif auth.cognito %}

  cognito_user_pool_arn        = var.cognito_user_pool_arn
  cognito_user_pool_client_ids = var.cognito_user_pool_client_ids
{% elif auth.custom %}

  authorizer_invoke_arn = aws_lambda_function.authorizer.invoke_arn
{% endif %}
{% endmacro %}
