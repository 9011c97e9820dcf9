{% import "macros.rs" as m %}{% import "rust.rs" as r %}{% include "preamble.rs" %}
{%- macro json_body(value, media) -%}
{%- match media %}{% when Some(media) %}Body::json_as({{ value }}, {{ media|lit }}){% when None %}Body::json({{ value }}){% endmatch -%}
{%- endmacro -%}
{%- macro part(p, prefix, value) -%}
{%- if p.file %}{{ prefix }}{{ value }}.to_part({{ p.wire|lit }}){% else %}MultipartPart::text({{ p.wire|lit }}, {{ prefix }}{{ value }}.to_string()){% endif -%}
{%- endmacro %}
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
        self.{{ s.name }} = Some({% if s.into %}value.into(){% else %}value{% endif %});
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
{% for s in v.statements %}
{%- match s %}
{%- when Stmt::Check(c) %}
        {% call r::check(c, "\"\"") %}{% endcall %}.map_err(crate::runtime::Error::InvalidRequest)?;
{%- when Stmt::ValidateBody %}
        self.body.validate("body").map_err(crate::runtime::Error::InvalidRequest)?;
{%- when Stmt::ValidateOptionalBody %}
        validate::nested("", "body", self.body.as_ref()).map_err(crate::runtime::Error::InvalidRequest)?;
{%- when Stmt::PathStart %}
        let mut path = UrlPath::new();
{%- when Stmt::PathLiteral(text) %}
        path.literal({{ text|lit }});
{%- when Stmt::PathParam with { wire, name, display } %}
        path.param({{ wire|lit }}, &self.{{ name }}{% if display %}.to_string(){% endif %}).map_err(crate::runtime::Error::InvalidRequest)?;
{%- when Stmt::QueryStart with { mutable } %}
        let {% if mutable %}mut {% endif %}query = Query::new();
{%- when Stmt::Query with { wire, name, required, list } %}
{%- if required %}
        query.{% if list %}push_each{% else %}push{% endif %}({{ wire|lit }}, {% if list %}&{% endif %}self.{{ name }});
{%- else %}
        if let Some(value) = &self.{{ name }} { query.{% if list %}push_each{% else %}push{% endif %}({{ wire|lit }}, value); }
{%- endif %}
{%- when Stmt::QueryDeep with { wire, name, required } %}
{%- if required %}
        query.push_deep_object({{ wire|lit }}, &self.{{ name }}, true).map_err(crate::runtime::Error::InvalidRequest)?;
{%- else %}
        if let Some(value) = &self.{{ name }} { query.push_deep_object({{ wire|lit }}, value, false).map_err(crate::runtime::Error::InvalidRequest)?; }
{%- endif %}
{%- when Stmt::HeaderStart %}
        let mut options = self.options;
{%- when Stmt::Header with { wire, name, required } %}
{%- if required %}
        options = options.param_header({{ wire|lit }}, &self.{{ name }}).map_err(crate::runtime::Error::InvalidRequest)?;
{%- else %}
        if let Some(value) = &self.{{ name }} { options = options.param_header({{ wire|lit }}, value).map_err(crate::runtime::Error::InvalidRequest)?; }
{%- endif %}
{%- when Stmt::BodyEmpty %}
        let body = Body::Empty;
{%- when Stmt::BodyJson with { required, media } %}
{%- if required %}
        let body = {% call json_body("&self.body", media) %}{% endcall %}.map_err(crate::runtime::Error::InvalidRequest)?;
{%- else %}
        let body = match &self.body { Some(body) => {% call json_body("body", media) %}{% endcall %}.map_err(crate::runtime::Error::InvalidRequest)?, None => Body::Empty };
{%- endif %}
{%- when Stmt::BodyForm with { required } %}
{%- if required %}
        let body = Body::form(&self.body).map_err(crate::runtime::Error::InvalidRequest)?;
{%- else %}
        let body = match &self.body { Some(body) => Body::form(body).map_err(crate::runtime::Error::InvalidRequest)?, None => Body::Empty };
{%- endif %}
{%- when Stmt::BodyRaw with { required, media, text } %}
{%- if required %}
        let body = Body::Raw(self.body{% if text %}.into(){% endif %}, {{ media|lit }});
{%- else %}
        let body = match self.body { Some(body) => Body::Raw(body{% if text %}.into(){% endif %}, {{ media|lit }}), None => Body::Empty };
{%- endif %}
{%- when Stmt::Parts with { mutable, required } %}
        let {% if mutable %}mut {% endif %}parts = vec![{% for p in required %}{% if !loop.first %}, {% endif %}{% call part(p, "self.", p.name) %}{% endcall %}{% endfor %}];
{%- when Stmt::OptionalPart(p) %}
        if let Some(value) = &self.{{ p.name }} { parts.push({% call part(p, "", "value") %}{% endcall %}); }
{%- when Stmt::BodyMultipart %}
        let body = Body::Multipart(parts);
{%- endmatch %}
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
            {% if v.header_options %}options{% else %}options: self.options{% endif %},
        };
{% if op.success.ty.is_some() %}        self.client.execute_json(request).await
{% else if let Some(raw) = op.success.raw %}{% if raw.text %}        self.client.execute_text(request).await
{% else %}        self.client.execute_bytes(request).await
{% endif %}{% else %}        self.client.execute_empty(request).await
{% endif %}
    }
{% if let Some(pages) = v.pages %}

    /// Every item of the list, across pages fetched lazily one at a time as the stream
    /// is polled, {% if pages.backward %}newest first (pages come newest first, and each page's items
    /// are reversed){% else %}in the list's order{% endif %}: follows `{{ pages.cursor_wire }}` from `{{ pages.next_field }}` while there
    /// are more. Ends after the first error, and with [`Error::Pagination`](crate::Error::Pagination) when the
    /// server's pages make no progress (a cursor seen before, a repeated page, a run of
    /// empty pages) or after [`DEFAULT_MAX_PAGES`](crate::DEFAULT_MAX_PAGES) pages with more to follow;
    /// [`Items::max_pages`](crate::Items::max_pages) sets another bound, [`Items::without_page_limit`](crate::Items::without_page_limit) lifts it.
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
{%- match pages.set_cursor %}
{%- when SetCursor::Param with { name, required } %}
        request.{{ name }} = {% if required %}cursor{% else %}Some(cursor){% endif %};
{%- when SetCursor::Member with { param, required, member, clears } %}
        let page = {% if required %}&mut request.{{ param }}{% else %}request.{{ param }}.get_or_insert_with(Default::default){% endif %};
        page.{{ member.rust_name }} = {% call r::store(member.presence, "cursor") %}{% endcall %};
{%- for c in clears %}
        page.{{ c.rust_name }} = {% call r::absent(c.presence) %}{% endcall %};
{%- endfor %}
{%- endmatch %}
    }

    fn next_cursor(page: &Self::Body) -> Option<String> {
{%- if let Some(more) = pages.has_more %}
        if {% call r::chain("page", more) %}{% endcall %}.copied() == Some(true) { {% call r::chain("page", pages.next_cursor) %}{% endcall %}.cloned() } else { None }
{%- else %}
        {% call r::chain("page", pages.next_cursor) %}{% endcall %}.cloned()
{%- endif %}
    }

    fn items(page: &Self::Body) -> &[Self::Item] {
        {% if pages.items_required %}&page.{{ pages.items }}{% else %}page.{{ pages.items }}.as_deref().unwrap_or_default(){% endif %}
    }

    fn into_items(page: Self::Body) -> Vec<Self::Item> {
        {% if pages.items_required %}page.{{ pages.items }}{% else %}page.{{ pages.items }}.unwrap_or_default(){% endif %}
    }

    fn fetch(self) -> paginate::Fetch<'a, Self::Body, Self::Error> {
        Box::pin(self.send())
    }
}
{% endif %}
