{# Parts of the two core API modules, for terraform-rest (rest-api) and terraform-http (http-api): variables, locals and blocks; a `kind` is REST or HTTP. #}
{% import "_partials/terraform/variables.tf" as v %}

{# The local `name` that maps auth_type (IAM, COGNITO, NONE) to what API Gateway calls it, `cognito` for COGNITO. #}
{% macro authorization(name, cognito) %}
  {{ name }} = {
    IAM     = "AWS_IAM"
    COGNITO = "{{ cognito }}"
    CUSTOM  = "CUSTOM"
    NONE    = "NONE"
  }[var.auth_type]
{%- endmacro %}

{# The API's lifecycle check that auth_type COGNITO comes with its settings: `condition` holds when they are set, `settings` names them. #}
{% macro cognito_precondition(condition, settings) %}
    precondition {
      condition     = var.auth_type != "COGNITO" || {{ condition }}
      error_message = "auth_type COGNITO needs {{ settings }}."
    }
{%- endmacro %}

{# The API's name and description in API Gateway, its routes and the Lambda functions they send requests to (`example`: a route key of this kind of API). #}
{% macro api_inputs(kind, example) %}
{{ v.variable("name", "string", "Name of the " ~ kind ~ " API in API Gateway.", none, "length(var.name) > 0 && length(var.name) <= 128", "name must be 1 to 128 characters long.") }}

{{ v.variable("description", "string", "Description of the " ~ kind ~ " API.", "null") }}

{{ v.variable("integrations", "map(string)", "Invoke ARN of each Lambda function that serves routes, by a name that routes refer to: { app = aws_lambda_function.<name>.invoke_arn }.") }}

{{ v.variable("routes", "map(string)", "The integration (a key of integrations) of each route, by route key: \"<METHOD> <path>\" with path parameters as in OpenAPI, e.g. \"" ~ example ~ "\".", none, 'alltrue([for key in keys(var.routes) : can(regex("^(ANY|GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /", key))])', 'Each of routes\' keys must be \"<METHOD> /<path>\".') }}
{%- endmacro %}

{# The Lambda authorizer of auth_type CUSTOM: its invoke ARN and how long API Gateway caches its answers. #}
{% macro custom_authorizer_inputs() %}
{{ v.variable("authorizer_invoke_arn", "string", "Invoke ARN of the Lambda authorizer (a REQUEST authorizer given the Authorization header). Required when auth_type is CUSTOM.", "null") }}

{{ v.number_between("authorizer_result_ttl_in_seconds", "How long API Gateway caches the authorizer's answer per Authorization header (0 to 3600 s; 0 calls it for every request).", 300, 0, 3600) }}
{%- endmacro %}

{# The API's lifecycle check that auth_type CUSTOM comes with its authorizer. #}
{% macro custom_precondition() %}
    precondition {
      condition     = var.auth_type != "CUSTOM" || var.authorizer_invoke_arn != null
      error_message = "auth_type CUSTOM needs authorizer_invoke_arn."
    }
{%- endmacro %}

{# The API's lifecycle check that every route names one of the integrations. #}
{% macro routes_precondition() %}
    precondition {
      condition     = alltrue([for integration in values(var.routes) : contains(keys(var.integrations), integration)])
      error_message = "Each of routes' values must be a key of integrations."
    }
{%- endmacro %}

{# The Cognito user pool of auth_type COGNITO: its ARN, checked. #}
{% macro cognito_user_pool_arn(description) %}
{{ v.variable("cognito_user_pool_arn", "string", description, "null", 'var.cognito_user_pool_arn == null || can(regex("^arn:[a-z-]+:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/.+$", var.cognito_user_pool_arn))', "cognito_user_pool_arn must be the ARN of a Cognito user pool (arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>).") }}
{%- endmacro %}

{# The stage's JSON access logs, in the access_logs log group: the fields both kinds of API log, and those only one of them has (`rest`: the REST API's). #}
{% macro access_log_settings(rest) %}
{% import "_partials/access-log.j2" as access_log %}
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access_logs.arn
    format = jsonencode({
      # The app logs these two ids as correlation_id and function_request_id.
{% for key, variable, only in access_log.fields if only in [none, "rest" if rest else "http"] %}
      {{ key }}{{ " " * (access_log.key_width - key | length) }} = "{{ variable }}"
{% endfor %}
    })
  }
{%- endmacro %}
