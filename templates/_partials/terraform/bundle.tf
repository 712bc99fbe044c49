{# The zip of an API module's bundle, for terraform-api and terraform-function-url. #}

{# The zip of the bundle that `nx run <module>:bundle` writes (`executable`: every file stored 0755, for run.sh); `openapi_of`: the module whose OpenAPI spec (local.openapi_path) must exist too. #}
{% macro bundle_zip(project_root, executable=false, openapi_of=none) %}
data "archive_file" "lambda_zip" {
{% if executable %}
  type        = "zip"
  source_dir  = "${local.workspace_root}/dist/{{ project_root }}/bundle"
  output_path = "${local.workspace_root}/dist/{{ project_root }}/bundle.zip"
  # run.sh is the handler: the adapter executes it, so every file is stored executable
  # (one fixed mode keeps the zip, and so the deployment, the same on every machine).
  output_file_mode = "0755"
{% else %}
  type             = "zip"
  source_dir       = "${local.workspace_root}/dist/{{ project_root }}/bundle"
  output_path      = "${local.workspace_root}/dist/{{ project_root }}/bundle.zip"
  output_file_mode = "0644"
{% endif %}
{% if openapi_of is not none %}

  lifecycle {
    precondition {
      condition     = fileexists(local.openapi_path)
      error_message = "The OpenAPI spec of {{ openapi_of }} is missing: run `nx run {{ openapi_of }}:openapi` (nx run infra:plan runs it first)."
    }
  }
{% endif %}
}
{%- endmacro %}
