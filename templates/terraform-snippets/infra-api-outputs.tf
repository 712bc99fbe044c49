{% from "_partials/terraform/outputs.tf" import api_outputs %}
{{ api_outputs(module, class_name, "URL of " ~ class_name ~ ": append an operation's path without its leading slash.", "aws_iam_policy." ~ module ~ "_invoke.arn" if auth.iam else none, integration_pattern.isolated) }}
