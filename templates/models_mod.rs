{% import "macros.rs" as m %}{% include "preamble.rs" %}
//!
//! Request and response types of the API, one per schema.

{% for model in models %}mod {{ model.module }};
{% endfor %}

{% for model in models %}pub use {{ model.module }}::{{ model.name }};
{% endfor %}
