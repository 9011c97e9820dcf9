{% import "macros.rs" as m %}{% include "preamble.rs" %}
{% for u in v.uses %}use {{ u }};
{% endfor %}

/// Request builder for [`Client::{{ op.method_name }}`](crate::Client::{{ op.method_name }}) ({{ op.method }} `{{ op.path|code }}`): set
/// optional parameters, then call [`send`]({{ op.builder }}::send).
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send().await`"]
pub struct {{ op.builder }}<'a> {
    client: &'a crate::Client,
{% for f in v.fields %}    {{ f.name }}: {{ f.ty }},
{% endfor %}
    options: crate::CallOptions,
}

impl<'a> {{ op.builder }}<'a> {
    /// A request with the required arguments; optional ones start unset.
{% if v.many_args %}    #[allow(clippy::too_many_arguments)]
{% endif %}
    pub(crate) fn new(client: &'a crate::Client{% for f in v.fields %}{% if f.required %}, {{ f.name }}: {{ f.ty }}{% endif %}{% endfor %}) -> Self {
        Self {
            client,
{% for f in v.fields %}            {{ f.name }}{% if !f.required %}: None{% endif %},
{% endfor %}
            options: crate::CallOptions::default(),
        }
    }

{% for s in v.setters %}
{% call m::docs(s.docs.as_slice()) %}{% endcall %}
{% if s.deprecated %}    #[deprecated(note = "the API description marks this parameter deprecated")]
{% endif %}
    pub fn {{ s.name }}(mut self, value: {{ s.arg_ty }}) -> Self {
        self.{{ s.name }} = {{ s.value }};
        self
    }

{% endfor %}
    /// Overrides the client's timeout for this call (per attempt).
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.options = self.options.timeout(timeout);
        self
    }

    /// Replaces the per-call options (headers, timeout, retry policy).
    pub fn with_options(mut self, options: crate::CallOptions) -> Self {
        self.options = options;
        self
    }

    /// Validates the request against the spec's constraints, sends it, and decodes the
    /// response by status.
    pub async fn send(self) -> Result<crate::Response<{{ v.response_ty }}>, crate::Error<{{ v.error_ty }}>> {
{% for s in v.statements %}        {{ s }}
{% endfor %}
        let request = Request {
            method: reqwest::Method::{{ op.method }},
            operation_id: {{ op.operation_id|lit }},
            path_template: {{ op.path|lit }},
            accept: {{ v.accept|lit }},
            redirects: {{ op.success.redirects }},
            empty_ok: {{ op.success.empty_ok }},
            path: path.finish(),
            query,
            body,
            options: self.options,
        };
{% if op.success.ty.is_some() %}        self.client.execute_json(request).await
{% else %}        self.client.execute_empty(request).await
{% endif %}
    }
{% if let Some(pages) = v.pages %}

    /// Every item of the list, across pages fetched lazily one at a time as the stream
    /// is polled, {% if pages.backward %}newest first (pages come newest first, and each page's items
    /// are reversed){% else %}in the list's order{% endif %}: follows `{{ pages.cursor_wire }}` from `{{ pages.next_field }}` while there
    /// are more. Ends after the first error, and with [`Error::Pagination`](crate::Error::Pagination) when the
    /// server's pages make no progress (a cursor seen before, a repeated page, a run of
    /// empty pages); [`Items::max_pages`](crate::Items::max_pages) bounds the walk.
    pub fn into_stream(self) -> crate::Items<'a, {{ pages.item_ty }}, {{ v.error_ty }}> {
        paginate::Items::new(self)
    }

    /// Every page of the list, as decoded responses (status, headers, body), fetched
    /// lazily one at a time{% if pages.backward %} (the newest page first){% endif %}; ends as [`into_stream`](Self::into_stream) does.
    pub fn into_pages(self) -> crate::Pages<'a, {{ v.response_ty }}, {{ v.error_ty }}> {
        paginate::Pages::new(self)
    }
{% endif %}
}
{% if let Some(pages) = v.pages %}

impl<'a> paginate::Paginated<'a> for {{ op.builder }}<'a> {
    type Body = {{ v.response_ty }};
    type Item = {{ pages.item_ty }};
    type Error = {{ v.error_ty }};
    const DIRECTION: paginate::Direction = paginate::Direction::{% if pages.backward %}Backward{% else %}Forward{% endif %};

    fn set_cursor(&mut self, cursor: String) {
        let request = self;
        {{ pages.set_cursor }}
    }

    fn next_cursor(page: &Self::Body) -> Option<String> {
        {{ pages.next_cursor }}
    }

    fn items(page: &Self::Body) -> &[Self::Item] {
        {{ pages.items_ref }}
    }

    fn into_items(page: Self::Body) -> Vec<Self::Item> {
        {{ pages.items }}
    }

    fn fetch(self) -> paginate::Fetch<'a, Self::Body, Self::Error> {
        Box::pin(self.send())
    }
}
{% endif %}
