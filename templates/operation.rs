{% import "macros.rs" as m %}{% include "preamble.rs" %}
{% for u in op.uses %}use {{ u }};
{% endfor %}

impl Client {
{% call m::docs(op.docs.as_slice()) %}{% endcall %}
{% if op.many_args %}    #[allow(clippy::too_many_arguments)]
{% endif %}
    pub fn {{ op.method_name }}(&self{% for p in op.params %}{% if p.required %}, {{ p.rust_name }}: {{ p.arg_ty }}{% endif %}{% endfor %}{% if let Some(body) = op.body %}{% if body.encoding == BodyEncoding::Json && body.required %}, body: impl Into<{{ body.ty }}>{% endif %}{% for part in body.required_parts %}, {{ part.rust_name }}: {{ part.arg_ty }}{% endfor %}{% endif %}) -> {{ op.builder }}<'_> {
        {{ op.builder }} {
            client: self,
{% for p in op.params %}{% if p.required %}            {{ p.rust_name }}: {{ p.rust_name }}.into(),
{% else %}            {{ p.rust_name }}: None,
{% endif %}{% endfor %}
{% if let Some(body) = op.body %}{% match body.encoding %}{% when BodyEncoding::Json %}{% if body.required %}            body: body.into(),
{% else %}            body: None,
{% endif %}{% when BodyEncoding::Multipart %}{% for part in body.required_parts %}            {{ part.rust_name }}{% if !part.file %}: {{ part.rust_name }}.into(){% endif %},
{% endfor %}{% for part in body.optional_parts %}            {{ part.rust_name }}: None,
{% endfor %}{% endmatch %}{% endif %}
            options: CallOptions::default(),
        }
    }
}

/// Request builder for [`Client::{{ op.method_name }}`]: set optional parameters, then
/// call [`send`]({{ op.builder }}::send).
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send().await`"]
pub struct {{ op.builder }}<'a> {
    client: &'a Client,
{% for p in op.params %}    {{ p.rust_name }}: {{ p.field_ty }},
{% endfor %}
{% if let Some(body) = op.body %}{% match body.encoding %}{% when BodyEncoding::Json %}{% if body.required %}    body: {{ body.ty }},
{% else %}    body: Option<{{ body.ty }}>,
{% endif %}{% when BodyEncoding::Multipart %}{% for part in body.required_parts %}    {{ part.rust_name }}: {{ part.field_ty }},
{% endfor %}{% for part in body.optional_parts %}    {{ part.rust_name }}: {{ part.field_ty }},
{% endfor %}{% endmatch %}{% endif %}
    options: CallOptions,
}

impl<'a> {{ op.builder }}<'a> {
{% for p in op.params %}{% if !p.required %}
{% call m::docs(p.docs.as_slice()) %}{% endcall %}
    pub fn {{ p.rust_name }}(mut self, value: {{ p.arg_ty }}) -> Self {
        self.{{ p.rust_name }} = Some(value.into());
        self
    }

{% endif %}{% endfor %}
{% if let Some(body) = op.body %}{% for part in body.optional_parts %}
{% call m::docs(part.docs.as_slice()) %}{% endcall %}
    pub fn {{ part.rust_name }}(mut self, value: {{ part.arg_ty }}) -> Self {
        self.{{ part.rust_name }} = Some(value{% if !part.file %}.into(){% endif %});
        self
    }

{% endfor %}{% if body.encoding == BodyEncoding::Json && !body.required %}
    /// Sets the request body.
    pub fn body(mut self, body: impl Into<{{ body.ty }}>) -> Self {
        self.body = Some(body.into());
        self
    }

{% endif %}{% endif %}
    /// Overrides the client's timeout for this call (per attempt).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.timeout(timeout);
        self
    }

    /// Replaces the per-call options (headers, timeout, retry policy).
    pub fn with_options(mut self, options: CallOptions) -> Self {
        self.options = options;
        self
    }

    /// Validates the request against the spec's constraints, sends it, and decodes the
    /// response by status.
    pub async fn send(self) -> Result<Response<{{ op.response_ty }}>, Error<{{ op.error_ty }}>> {
{% for p in op.params %}{% for c in p.checks %}        validate::{{ c.function }}("", {{ p.wire_name|lit }}, {{ c.value }}{% if !c.args.is_empty() %}, {{ c.args }}{% endif %}).map_err(Error::InvalidRequest)?;
{% endfor %}{% endfor %}
{% if let Some(body) = op.body %}{% if body.validate %}{% if body.required %}        self.body.validate("body").map_err(Error::InvalidRequest)?;
{% else %}        validate::nested("", "body", self.body.as_ref()).map_err(Error::InvalidRequest)?;
{% endif %}{% endif %}{% endif %}
        let mut path = UrlPath::new();
{% for part in op.path_parts %}{% if part.param_field.is_empty() %}        path.literal({{ part.literal|lit }});
{% else if part.is_string %}        path.param({{ part.param_wire|lit }}, &self.{{ part.param_field }}).map_err(Error::InvalidRequest)?;
{% else %}        path.param({{ part.param_wire|lit }}, &self.{{ part.param_field }}.to_string()).map_err(Error::InvalidRequest)?;
{% endif %}{% endfor %}
{% if op.has_query %}        let mut query = Query::new();
{% else %}        let query = Query::new();
{% endif %}
{% for p in op.params %}{% match p.location %}{% when Location::Query %}{% if p.required %}{% if p.is_list %}        query.push_each({{ p.wire_name|lit }}, &self.{{ p.rust_name }});
{% else %}        query.push({{ p.wire_name|lit }}, self.{{ p.rust_name }});
{% endif %}{% else %}        if let Some(value) = &self.{{ p.rust_name }} {
{% if p.is_list %}            query.push_each({{ p.wire_name|lit }}, value);
{% else %}            query.push({{ p.wire_name|lit }}, value);
{% endif %}        }
{% endif %}{% when Location::DeepObject %}{% if p.required %}        query.push_deep_object({{ p.wire_name|lit }}, &self.{{ p.rust_name }}, true).map_err(Error::InvalidRequest)?;
{% else %}        if let Some(value) = &self.{{ p.rust_name }} {
            query.push_deep_object({{ p.wire_name|lit }}, value, false).map_err(Error::InvalidRequest)?;
        }
{% endif %}{% else %}{% endmatch %}{% endfor %}
{% match op.body %}{% when Some(body) %}{% if body.encoding == BodyEncoding::Multipart %}        let {% if !body.optional_parts.is_empty() %}mut {% endif %}parts = vec![{% for part in body.required_parts %}{% if part.file %}self.{{ part.rust_name }}.to_part({{ part.wire_name|lit }}){% else %}MultipartPart::text({{ part.wire_name|lit }}, self.{{ part.rust_name }}.to_string()){% endif %}{% if !loop.last %}, {% endif %}{% endfor %}];
{% for part in body.optional_parts %}        if let Some(value) = &self.{{ part.rust_name }} {
{% if part.file %}            parts.push(value.to_part({{ part.wire_name|lit }}));
{% else %}            parts.push(MultipartPart::text({{ part.wire_name|lit }}, value.to_string()));
{% endif %}        }
{% endfor %}        let body = Body::Multipart(parts);
{% else if body.required %}        let body = Body::json(&self.body).map_err(Error::InvalidRequest)?;
{% else %}        let body = match &self.body {
            Some(body) => Body::json(body).map_err(Error::InvalidRequest)?,
            None => Body::Empty,
        };
{% endif %}{% when None %}        let body = Body::Empty;
{% endmatch %}
        let request = Request {
            method: Method::{{ op.http_method }},
            operation_id: {{ op.operation_id|lit }},
            path_template: {{ op.path|lit }},
            accept: {{ op.accept|lit }},
            redirects: {{ op.redirects }},
            empty_ok: {{ op.empty_ok }},
            path: path.finish(),
            query,
            body,
            options: self.options,
        };
{% if op.response_json %}        self.client.execute_json(request).await
{% else %}        self.client.execute_empty(request).await
{% endif %}
    }
{% if let Some(pages) = op.pagination %}

    /// Every item of the list, across pages fetched lazily one at a time as the stream
    /// is polled, {% if pages.direction == Direction::Backward %}newest first (pages come newest first, and each page's items
    /// are reversed){% else %}in the list's order{% endif %}: follows `{{ pages.cursor_param }}` from `{{ pages.next_cursor_field }}` while there
    /// are more. Ends after the first error, and with [`Error::Pagination`] when the
    /// server's pages make no progress (a cursor seen before, a repeated page, a run of
    /// empty pages); [`Items::max_pages`](paginate::Items::max_pages) bounds the walk.
    pub fn into_stream(self) -> paginate::Items<'a, {{ pages.item_ty }}, {{ op.error_ty }}> {
        paginate::Items::new(self)
    }

    /// Every page of the list, as decoded responses (status, headers, body), fetched
    /// lazily one at a time{% if pages.direction == Direction::Backward %} (the newest page first){% endif %}; ends as [`into_stream`](Self::into_stream) does.
    pub fn into_pages(self) -> paginate::Pages<'a, {{ op.response_ty }}, {{ op.error_ty }}> {
        paginate::Pages::new(self)
    }
{% endif %}
}
{% if let Some(pages) = op.pagination %}

impl<'a> paginate::Paginated<'a> for {{ op.builder }}<'a> {
    type Body = {{ op.response_ty }};
    type Item = {{ pages.item_ty }};
    type Error = {{ op.error_ty }};
    const DIRECTION: paginate::Direction = paginate::Direction::{% if pages.direction == Direction::Backward %}Backward{% else %}Forward{% endif %};

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
