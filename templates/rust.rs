{#-
  The shapes of the Rust statements and expressions the generated code is made of, one
  macro each. Render decides which shape (the enums of `generator/src/render/shapes.rs`);
  these macros hold its text, so every line of generated Rust comes from a template.
  Output goes through prettyplease: spaces and line breaks here do not matter.
-#}

{#- A value held with some presence, as the `Option<_>` a check takes (`place` is a field
    of `self`). The one place that reads a value through its presence. -#}
{%- macro option_of(o) -%}
{%- match o.presence -%}
{%- when Presence::Required -%}
{%- match o.read -%}
{%- when Read::Str -%} Some(self.{{ o.place }}.as_str())
{%- when Read::Int -%} Some(i128::from(self.{{ o.place }}))
{%- when Read::Num -%} Some(self.{{ o.place }})
{%- when Read::Len -%} Some(self.{{ o.place }}.len())
{%- when Read::Slice -%} Some(self.{{ o.place }}.as_slice())
{%- when Read::Boxed -%} Some(&*self.{{ o.place }})
{%- when Read::Ref -%} Some(&self.{{ o.place }})
{%- endmatch -%}
{%- when Presence::Optional -%}
{%- match o.read -%}
{%- when Read::Str -%} self.{{ o.place }}.as_deref()
{%- when Read::Int -%} self.{{ o.place }}.map(i128::from)
{%- when Read::Num -%} self.{{ o.place }}
{%- when Read::Len -%} self.{{ o.place }}.as_ref().map(Vec::len)
{%- when Read::Slice -%} self.{{ o.place }}.as_deref()
{%- when Read::Boxed -%} self.{{ o.place }}.as_deref()
{%- when Read::Ref -%} self.{{ o.place }}.as_ref()
{%- endmatch -%}
{%- when Presence::TriState -%}
{%- match o.read -%}
{%- when Read::Str -%} self.{{ o.place }}.as_value().map(String::as_str)
{%- when Read::Int -%} self.{{ o.place }}.as_value().map(|v| i128::from(*v))
{%- when Read::Num -%} self.{{ o.place }}.as_value().copied()
{%- when Read::Len -%} self.{{ o.place }}.as_value().map(Vec::len)
{%- when Read::Slice -%} self.{{ o.place }}.as_value().map(Vec::as_slice)
{%- when Read::Boxed -%} self.{{ o.place }}.as_value().map(|v| &**v)
{%- when Read::Ref -%} self.{{ o.place }}.as_value()
{%- endmatch -%}
{%- endmatch -%}
{%- endmacro -%}

{#- A value stored in a field held with some presence. -#}
{%- macro store(presence, value) -%}
{%- match presence -%}
{%- when Presence::Required -%} {{ value }}
{%- when Presence::Optional -%} Some({{ value }})
{%- when Presence::TriState -%} crate::Nullable::Value({{ value }})
{%- endmatch -%}
{%- endmacro -%}

{#- An empty (absent) field held with some presence (never `Required`). -#}
{%- macro absent(presence) -%}
{%- match presence -%}
{%- when Presence::TriState -%} crate::Nullable::Absent
{%- else -%} None
{%- endmatch -%}
{%- endmacro -%}

{#- One step of an `Option<&_>` chain from a struct reference `v`. -#}
{%- macro step(s) -%}
{%- match s.presence -%}
{%- when Presence::Required -%} .map(|v| &v.{{ s.rust_name }})
{%- when Presence::Optional -%} .and_then(|v| v.{{ s.rust_name }}.as_ref())
{%- when Presence::TriState -%} .and_then(|v| v.{{ s.rust_name }}.as_value())
{%- endmatch -%}
{%- endmacro -%}

{#- An `Option<&T>` of the value at the end of `steps` from `root` (a reference). -#}
{%- macro chain(root, steps) -%}
Some({{ root }}){% for s in steps %}{% call step(s) %}{% endcall %}{% endfor %}
{%- endmacro -%}

{#- A field read as `Option<&T>` (or `Option<&str>`) from `x`, for accessor chains. -#}
{%- macro field_read(r, at) -%}
{%- match r.how -%}
{%- when FieldRead::Str -%} Some({{ at }}.{{ r.name }}.as_str())
{%- when FieldRead::Boxed -%} Some(&*{{ at }}.{{ r.name }})
{%- when FieldRead::Ref -%} Some(&{{ at }}.{{ r.name }})
{%- when FieldRead::Deref -%} {{ at }}.{{ r.name }}.as_deref()
{%- when FieldRead::AsRef -%} {{ at }}.{{ r.name }}.as_ref()
{%- when FieldRead::ValueStr -%} {{ at }}.{{ r.name }}.as_value().map(String::as_str)
{%- when FieldRead::ValueBoxed -%} {{ at }}.{{ r.name }}.as_value().map(|x| &**x)
{%- when FieldRead::Value -%} {{ at }}.{{ r.name }}.as_value()
{%- endmatch -%}
{%- endmacro -%}

{#- The same read after the first step: `Some(e)` maps, the others chain. -#}
{%- macro field_then(r) -%}
{%- match r.how -%}
{%- when FieldRead::Str -%} .map(|x| x.{{ r.name }}.as_str())
{%- when FieldRead::Boxed -%} .map(|x| &*x.{{ r.name }})
{%- when FieldRead::Ref -%} .map(|x| &x.{{ r.name }})
{%- else -%} .and_then(|x| {% call field_read(r, "x") %}{% endcall %})
{%- endmatch -%}
{%- endmacro -%}

{#- A shared value's accessor arm: its reads from `value`. -#}
{%- macro accessor(reads, root) -%}
{%- for r in reads -%}
{%- if loop.first -%}{% call field_read(r, root) %}{% endcall %}{%- else -%}{% call field_then(r) %}{% endcall %}{%- endif -%}
{%- endfor -%}
{%- endmacro -%}

{#- `Some(n)` or `None`, a number printed as Rust reads it (`1.0` for a float). -#}
{%- macro count(n) -%}
{%- match n -%}{%- when Some(n) -%} Some({{ n }}){%- when None -%} None{%- endmatch -%}
{%- endmacro -%}
{%- macro float(n) -%}
{%- match n -%}{%- when Some(n) -%} Some({{ n|fmt("{:?}") }}){%- when None -%} None{%- endmatch -%}
{%- endmacro -%}

{#- A client-side check: `validate::<function>(at, "name", value, args...)`. -#}
{%- macro check(c, at) -%}
validate::{{ c.function }}({{ at }}, {{ c.wire|lit }}, {% call option_of(c.value) %}{% endcall %}
{%- match c.args -%}
{%- when CheckArgs::None -%}
{%- when CheckArgs::Counts(min, max) -%}, {% call count(min) %}{% endcall %}, {% call count(max) %}{% endcall %}
{%- when CheckArgs::Integer(min, max) -%}, {% call count(min) %}{% endcall %}, {% call count(max) %}{% endcall %}
{%- when CheckArgs::Range with { min, max, exclusive_min, exclusive_max } -%}, {% call float(min) %}{% endcall %}, {% call float(max) %}{% endcall %}, {{ exclusive_min }}, {{ exclusive_max }}
{%- endmatch -%})
{%- endmacro -%}

{#- The condition under which an untagged union chooses a branch. -#}
{%- macro shape(t) -%}
{%- match t -%}
{%- when ShapeTest::Union(name) -%} <{{ name }} as json::Matches>::matches(value)
{%- when ShapeTest::Object with { required, members } -%}
json::object_matches(value, &[{% for r in required %}{{ r|lit }}, {% endfor %}], &[{% for m in members %}json::Member::new({{ m.name|lit }}, json::Kind::{{ m.kind }}, {{ m.nullable }}), {% endfor %}])
{%- when ShapeTest::Kind(kind) -%} json::Kind::{{ kind }}.matches(value)
{%- endmatch -%}
{%- endmacro -%}

{#- The decoder of a union branch, for `json::branch`. -#}
{%- macro branch(variant, other) -%}
json::branch(v, {% if variant.indirect %}|v| Self::{{ variant.rust_name }}(Box::new(v)){% else %}Self::{{ variant.rust_name }}{% endif %}, Self::{{ other }})
{%- endmacro -%}

{#- The `Auth` an auth method sets from its arguments. -#}
{%- macro auth(a) -%}
{%- match a -%}
{%- when AuthCall::Basic -%} crate::Auth::basic(user, password)
{%- when AuthCall::Bearer -%} crate::Auth::bearer(token)
{%- when AuthCall::Jwt(claim) -%} crate::Auth::jwt(key_id, secret, {{ claim|lit }}, scope.as_str())
{%- when AuthCall::Header(name) -%} crate::Auth::header({{ name|lit }}, key)
{%- when AuthCall::Query(name) -%} crate::Auth::query({{ name|lit }}, key)
{%- when AuthCall::Cookie(format) -%} crate::Auth::header("cookie", format!({{ format|lit }}, key.into()))
{%- endmatch -%}
{%- endmacro -%}

{#- A field's value taken from `value`'s field, from the source's presence to the
    target's (`copy`: the value is `Copy`, no `clone`). Absent stays absent, never `null`. -#}
{%- macro carry(source, from, to, copy) -%}
{%- match (from, to) -%}
{%- when (Presence::Required, Presence::Optional) -%} Some(value.{{ source }}{% if !copy %}.clone(){% endif %})
{%- when (Presence::Required, Presence::TriState) -%} crate::Nullable::Value(value.{{ source }}{% if !copy %}.clone(){% endif %})
{%- when (Presence::Optional, Presence::TriState) -%} value.{{ source }}{% if !copy %}.clone(){% endif %}.map_or(crate::Nullable::Absent, crate::Nullable::Value)
{%- else -%} value.{{ source }}{% if !copy %}.clone(){% endif %}
{%- endmatch -%}
{%- endmacro -%}

{#- What a `Client` method passes its builder for one required field. -#}
{%- macro init(i) -%}
{%- match i -%}
{%- when Init::Into(name) -%} {{ name }}.into()
{%- when Init::Move(name) -%} {{ name }}
{%- when Init::Bound(name) -%} self.{{ name }}.clone()
{%- endmatch -%}
{%- endmacro -%}
