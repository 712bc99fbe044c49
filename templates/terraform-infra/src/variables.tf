{% import "_partials/terraform/variables.tf" as v %}
{{ v.variable("region", "string", "AWS region to deploy to. null uses AWS_REGION or the region of the AWS profile.", "null") }}

{{ v.resource_name("environment", "Name of the environment (dev, staging, prod, ...), tagged on every resource.", "dev") }}

{{ v.tags("Extra tags for every resource.") }}
