{% import "macros.rs" as m %}{% include "preamble.rs" %}
//!
//! The operations' methods on [`Client`](crate::Client), one `impl` block per group
//! (tag) of the API description.

{% for tag in tags %}mod {{ tag.module }};
{% endfor %}
