{% import "_partials/terraform/variables.tf" as v %}
{{ v.variable("region", "string", "AWS region to deploy to. null uses AWS_REGION or the region of the AWS profile.", "null") }}

{{ v.resource_name("environment", "Name of the environment (dev, staging, prod, ...): in the name of every resource, so that environments can share an account and region, and tagged on each.", "dev", 16) }}

{{ v.tags("Extra tags for every resource.") }}
