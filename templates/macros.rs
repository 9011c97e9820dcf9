{% macro docs(lines) %}{% for line in lines %}///{% if !line.is_empty() %} {{ line }}{% endif %}
{% endfor %}{% endmacro %}

{% macro inner_docs(lines) %}{% for line in lines %}//!{% if !line.is_empty() %} {{ line }}{% endif %}
{% endfor %}{% endmacro %}
