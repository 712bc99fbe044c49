{# Shapes of generated TypeScript whose width depends on a name, laid out as prettier lays them out (80 columns): on one line while it fits, else broken where prettier breaks them. `indent` is the shape's column, `tail` what ends its last line (`;`, `,`, ` {`). #}

{# `left right` then `tail` (`export type A = B;`, `key: 'value',`, `const a = b();`, `T extends U,`), else broken after `left` with the right side on the next line, indented; when a call block is given, it renders that right side (at the indent it is passed), for a right side that breaks further. #}
{% macro assignment(indent, left, right, tail) %}
{% set pad = " " * indent %}
{% if (pad ~ left ~ " " ~ right ~ tail) is fitting(80) %}
{{ pad }}{{ left }} {{ right }}{{ tail }}
{%- elif caller is defined %}
{{ pad }}{{ left }}
{{ caller(indent + 2) }}
{%- else %}
{{ pad }}{{ left }}
{{ pad }}  {{ right }}{{ tail }}
{%- endif %}
{%- endmacro %}

{# A call, `new` or parameter list `callee(a, b)` then `tail`, else one argument a line (with a trailing comma). When a call block is given, its output is the properties of a last argument, an object literal written expanded (prettier keeps it so): the call hugs it (`callee(a, b, {` … `})`) while that first line fits. #}
{% macro call(indent, callee, args, tail) %}
{% set pad = " " * indent %}
{% set object = caller is defined %}
{% set line = pad ~ callee ~ "(" ~ (args + ["{"] if object else args) | join(", ") %}
{% if (line if object else line ~ ")" ~ tail) is fitting(80) %}
{{ line }}
{{- ("\n" ~ caller(indent + 2) ~ "\n" ~ pad ~ "}") if object else "" }}){{ tail }}
{%- else %}
{{ pad }}{{ callee }}(
{% for arg in args %}
{{ pad }}  {{ arg }},
{% endfor %}
{% if object %}
{{ pad }}  {
{{ caller(indent + 4) }}
{{ pad }}  },
{% endif %}
{{ pad }}){{ tail }}
{%- endif %}
{%- endmacro %}

{# The head of a generic class, `export class <name><<parameter> extends <constraint>> extends <base><<arguments>> {`: its type parameter on the first line while that line fits up to `<base><`, else on a line of its own; the base's type arguments on the rest of their line while it fits, else one a line. #}
{% macro class_head(name, parameter, constraint, base, arguments) %}
{% set first = "export class " ~ name ~ "<" ~ parameter ~ " extends " ~ constraint ~ "> extends " ~ base ~ "<" %}
{% set last = first if first is fitting(80) else "> extends " ~ base ~ "<" %}
{% if last != first %}
export class {{ name }}<
{{ assignment(2, parameter ~ " extends", constraint, ",") }}
{% endif %}
{{ last }}
{%- if (last ~ arguments | join(", ") ~ "> {") is fitting(80) %}
{{ arguments | join(", ") }}> {
{%- else %}

  {{ arguments | join(",\n  ") }}
> {
{%- endif %}
{%- endmacro %}

{# An import of the named `names` from `module`: on one line while it fits (prettier keeps a single name on one line however long), else one name a line. #}
{% macro import(names, module) %}
{% set line = "import { " ~ names | join(", ") ~ " } from '" ~ module ~ "';" %}
{% if names | length == 1 or line is fitting(80) %}
{{ line }}
{%- else %}
import {
{% for name in names %}
  {{ name }},
{% endfor %}
} from '{{ module }}';
{%- endif %}
{%- endmacro %}
