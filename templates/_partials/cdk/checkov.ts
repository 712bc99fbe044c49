{# checkov skips that several constructs share, for cdk-api, cdk-function-url, cdk-rest and cdk-http (each imports skipCheckov from core/checkov.ts). #}

{# The log group `log_group` (a variable holding a LogGroup) keeps CloudWatch Logs' own encryption: CKV_AWS_158 asks for a customer-managed KMS key. #}
{% macro skip_log_group_kms(log_group, indent="    ") %}
{{ indent }}skipCheckov({{ log_group }}, {
{{ indent }}  id: 'CKV_AWS_158',
{{ indent }}  comment:
{{ indent }}    'CloudWatch Logs encrypts every log group at rest; a customer-managed KMS key (encryptionKey) is yours to add where policy asks for one',
{{ indent }}});
{%- endmacro %}
