{% macro docs(lines) %}{% for line in lines %}///{% if !line.is_empty() %} {{ line }}{% endif %}
{% endfor %}{% endmacro %}

{% macro inner_docs(lines) %}{% for line in lines %}//!{% if !line.is_empty() %} {{ line }}{% endif %}
{% endfor %}{% endmacro %}

{% macro example(e) %}///
/// # Example
///
/// ```
/// # async fn example(client: &{{ e.lib }}::Client) -> Result<(), Box<dyn std::error::Error>> {
{% if e.uses_models %}/// use {{ e.lib }}::models;
///
{% endif %}{% for s in e.setup %}{% match s %}{% when Setup::File with { name } %}/// let {{ name }} = {{ e.lib }}::FileUpload::new("report.pdf", b"%PDF-1.7 ...".to_vec()).content_type("application/pdf");
{% when Setup::Json with { name, ty, hashes, lines } %}{% for line in lines %}/// {% if loop.first %}let {{ name }}: {{ ty }} = serde_json::from_str(r{{ hashes }}"{% endif %}{{ line }}{% if loop.last %}"{{ hashes }})?;{% endif %}
{% endfor %}{% endmatch %}{% endfor %}{% if e.deprecated %}/// #[allow(deprecated)]
{% endif %}/// let response = client.{{ e.method }}({% for a in e.args %}{% if !loop.first %}, {% endif %}{% match a %}{% when Arg::Str(text) %}{{ text|lit }}{% when Arg::Int(n, ty) %}{{ n }}_{{ ty }}{% when Arg::Float(n) %}{{ n }}_f64{% when Arg::Bool(b) %}{{ b }}{% when Arg::Name(name) %}{{ name }}{% endmatch %}{% endfor %}).send().await?;
{% if e.body %}/// println!("{} {:?}", response.status(), response.body());
{% else %}/// println!("{}", response.status());
{% endif %}/// # Ok(())
/// # }
/// # fn main() {
/// #     // Run against a port nothing listens on: the client accepts the example (it fails
/// #     // to connect, never its own validation of the values).
/// #     let client = {{ e.lib }}::Client::builder("http://127.0.0.1:9")
/// #         .retry_policy({{ e.lib }}::RetryPolicy::none())
/// #         .configure_http(|http| http.no_proxy())
/// #         .build()
/// #         .unwrap();
/// #     let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// #     let error = runtime.block_on(example(&client)).expect_err("nothing listens on port 9");
/// #     let error = error.downcast_ref::<{{ e.lib }}::Error<{{ e.error_ty }}>>();
/// #     assert!(matches!(error, Some({{ e.lib }}::Error::Transport(_))), "the example is refused: {error:?}");
/// # }
/// ```
{% endmacro %}
