{% import "macros.rs" as m %}{% import "rust.rs" as r %}{% include "preamble.rs" %}
{% for u in v.uses %}use {{ u }};
{% endfor %}
{% match model.kind %}{% when ModelKind::Struct(s) %}{% include "model_struct.rs" %}{% when ModelKind::StringEnum(e) %}{% include "model_enum.rs" %}{% when ModelKind::Union(u) %}{% include "model_union.rs" %}{% endmatch %}
