{% import "macros.rs" as m %}{% include "preamble.rs" %}
//!
//! Request builders, one per operation. Start from the methods on [`crate::Client`].

{% for op in operations %}mod {{ op.module }};
{% endfor %}

{% for op in operations %}pub use {{ op.module }}::{{ op.builder }};
{% endfor %}
