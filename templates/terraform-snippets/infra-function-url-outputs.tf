{% from "_partials/terraform/outputs.tf" import api_outputs %}
{{ api_outputs(module, class_name, "URL of " ~ class_name ~ " (its Function URL): append an operation's path without its leading slash.", "module." ~ module ~ ".invoke_policy_arn" if auth.iam else none) }}
