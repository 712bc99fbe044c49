{# The ID and static ensure() of a construct that exists once per stack, for cdk-constructs' RuntimeConfig and UserIdentity; `what` names it in the doc comment. #}
{% macro once_per_stack(class_name, what) %}
  private static readonly ID = '{{ class_name }}';

  /** Returns the {{ what }} of `scope`'s stack, creating it on first use. */
  public static ensure(scope: Construct): {{ class_name }} {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild({{ class_name }}.ID);
    return existing instanceof {{ class_name }}
      ? existing
      : new {{ class_name }}(stack, {{ class_name }}.ID);
  }
{%- endmacro %}
