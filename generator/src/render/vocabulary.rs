//! The names the generated code uses itself, derived rather than listed: read from the
//! runtime's source and from the templates rendered once for a probe API, so a name a
//! spec chooses is never given to something that would clash with them.
//!
//! Computed once per process (the inputs are part of the generator).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use askama::Template;

use super::templates::{LibRs, ModelFile, OperationFile, ServerRs, TestingRs, WebhooksRs};
use crate::ir::{
    Api, Constraints, EnumVariant, Example, Field, Krate, Location, Method, Model, ModelKind, Operation, Param,
    Presence, Server, ServerVariable, StringEnum, Struct, Success, Ty, Union, UnionVariant, UrlPart, Webhook,
};

/// What each namespace of the generated crate already holds.
#[derive(Debug)]
pub(crate) struct Vocabulary {
    client: BTreeSet<String>,
    client_builder: BTreeSet<String>,
    call_options: BTreeSet<String>,
    mock: BTreeSet<String>,
    request_builder: BTreeSet<String>,
    testing: BTreeSet<String>,
    webhooks: BTreeSet<String>,
    model_imports: BTreeSet<String>,
    struct_methods: BTreeSet<String>,
    union_methods: BTreeSet<String>,
    server_variants: BTreeSet<String>,
    root: BTreeSet<String>,
}

fn list(set: &BTreeSet<String>) -> Vec<&str> {
    set.iter().map(String::as_str).collect()
}

impl Vocabulary {
    /// Methods of `Client` (operation methods must not take them).
    pub(crate) fn client_methods(&self) -> Vec<&str> {
        list(&self.client)
    }

    /// Methods of `ClientBuilder` (auth methods must not take them).
    pub(crate) fn builder_methods(&self) -> Vec<&str> {
        list(&self.client_builder)
    }

    /// Names at the crate root (handle types must not take them).
    pub(crate) fn root_names(&self) -> Vec<&str> {
        list(&self.root)
    }

    /// Methods of `CallOptions` (which gets the auth methods `ClientBuilder` gets).
    pub(crate) fn call_options_methods(&self) -> Vec<&str> {
        list(&self.call_options)
    }

    /// Methods of `testing::MockApi`.
    pub(crate) fn mock_methods(&self) -> Vec<&str> {
        list(&self.mock)
    }

    /// Fields and methods of every request builder (parameters must not take them).
    pub(crate) fn request_builder(&self) -> Vec<&str> {
        list(&self.request_builder)
    }

    /// Names in the `testing` module besides the operations' markers.
    pub(crate) fn testing_names(&self) -> Vec<&str> {
        list(&self.testing)
    }

    /// Names in the `webhooks` module besides the decoding functions.
    pub(crate) fn webhook_names(&self) -> Vec<&str> {
        list(&self.webhooks)
    }

    /// Names model files import (model types must not take them).
    pub(crate) fn model_imports(&self) -> Vec<&str> {
        list(&self.model_imports)
    }

    /// Methods of every struct model besides its setters.
    pub(crate) fn struct_methods(&self) -> Vec<&str> {
        list(&self.struct_methods)
    }

    /// Methods of every union besides its accessors.
    pub(crate) fn union_methods(&self) -> Vec<&str> {
        list(&self.union_methods)
    }

    /// Variants of `Server` besides the spec's servers.
    pub(crate) fn server_variants(&self) -> Vec<&str> {
        list(&self.server_variants)
    }
}

/// The vocabulary, computed on first use.
pub(crate) fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(derive)
}

/// Methods every type has through blanket implementations of the standard library
/// (`value.into()`, `value.to_owned()`, ...): an inherent method of that name would
/// take their place.
const BLANKET_METHODS: &[&str] =
    &["borrow", "borrow_mut", "clone_into", "from", "into", "to_owned", "try_from", "try_into", "type_id"];

/// The methods a derive brings.
fn derived_methods(derive: &str) -> &'static [&'static str] {
    match derive {
        "Clone" => &["clone", "clone_from"],
        "Debug" => &["fmt"],
        "PartialEq" => &["eq", "ne"],
        "Hash" => &["hash", "hash_slice"],
        "Default" => &["default"],
        "Serialize" => &["serialize"],
        "Deserialize" => &["deserialize", "deserialize_in_place"],
        "PartialOrd" => &["partial_cmp", "lt", "le", "gt", "ge"],
        "Ord" => &["cmp", "max", "min", "clamp"],
        _ => &[],
    }
}

fn derive() -> Vocabulary {
    let runtime: Vec<syn::File> =
        super::runtime::FILES.iter().filter_map(|(_, text)| syn::parse_file(text).ok()).collect();
    let in_runtime = |ty: &str| -> BTreeSet<String> {
        let mut names: BTreeSet<String> = BLANKET_METHODS.iter().map(|s| s.to_string()).collect();
        for file in &runtime {
            names.extend(members(&file.items, ty));
        }
        names
    };
    let probe = Probe::new();
    let operation = probe.render_operation();
    let mut request_builder = members(&operation.items, PROBE_BUILDER);
    request_builder.extend(BLANKET_METHODS.iter().map(|s| s.to_string()));
    request_builder.remove(PROBE_PARAM);
    let testing_file = probe.render_testing();
    let mut testing = module_names(&testing_file.items);
    testing.remove(PROBE_MARKER);
    // `MockApi` gets methods in the runtime and in the generated module.
    let mut mock = in_runtime("MockApi");
    mock.extend(members(&testing_file.items, "MockApi"));
    mock.remove(PROBE_MOCK_METHOD);
    let mut webhooks = module_names(&probe.render_webhooks().items);
    webhooks.remove(PROBE_FUNCTION);
    let mut model_imports = BTreeSet::new();
    let mut struct_methods: BTreeSet<String> = BLANKET_METHODS.iter().map(|s| s.to_string()).collect();
    let mut union_methods = struct_methods.clone();
    for model in &probe.api.models {
        let file = probe.render_model(model);
        // Sibling models are imported too: those are the probe's own.
        let siblings: BTreeSet<String> = probe.api.models.iter().map(|m| m.name.clone()).collect();
        model_imports.extend(use_leaves(&file.items).into_iter().filter(|name| !siblings.contains(name)));
        match &model.kind {
            ModelKind::Struct(_) => struct_methods.extend(members(&file.items, &model.name)),
            ModelKind::Union(_) => union_methods.extend(members(&file.items, &model.name)),
            ModelKind::StringEnum(_) => {}
        }
    }
    // Structs keeping undeclared members implement `Deserialize` through a macro.
    struct_methods.extend(derived_methods("Deserialize").iter().map(|s| s.to_string()));
    struct_methods.remove(PROBE_FIELD);
    union_methods.remove(PROBE_ACCESSOR);
    let mut server_variants = enum_variants(&probe.render_server().items, "Server");
    server_variants.remove(PROBE_SERVER);
    Vocabulary {
        client: in_runtime("Client"),
        client_builder: in_runtime("ClientBuilder"),
        call_options: in_runtime("CallOptions"),
        mock,
        request_builder,
        testing,
        webhooks,
        model_imports,
        struct_methods,
        union_methods,
        server_variants,
        root: module_names(&probe.render_lib().items),
    }
}

/// Fields, methods (inherent and of traits implemented or derived) of the type `ty`.
fn members(items: &[syn::Item], ty: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for item in items {
        match item {
            syn::Item::Struct(s) if s.ident == ty => {
                names.extend(s.fields.iter().filter_map(|f| f.ident.as_ref().map(ToString::to_string)));
                names.extend(derives(&s.attrs));
            }
            syn::Item::Enum(e) if e.ident == ty => names.extend(derives(&e.attrs)),
            syn::Item::Impl(block) if self_type(&block.self_ty).as_deref() == Some(ty) => {
                for member in &block.items {
                    if let syn::ImplItem::Fn(f) = member {
                        names.insert(f.sig.ident.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    names
}

fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            let name = meta.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            out.extend(derived_methods(&name).iter().map(|m| m.to_string()));
            Ok(())
        });
    }
    out
}

fn self_type(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// Names a module defines or imports.
fn module_names(items: &[syn::Item]) -> BTreeSet<String> {
    let mut names = use_leaves(items);
    for item in items {
        let ident = match item {
            syn::Item::Fn(f) => Some(&f.sig.ident),
            syn::Item::Struct(s) => Some(&s.ident),
            syn::Item::Enum(e) => Some(&e.ident),
            syn::Item::Const(c) => Some(&c.ident),
            syn::Item::Static(s) => Some(&s.ident),
            syn::Item::Type(t) => Some(&t.ident),
            syn::Item::Trait(t) => Some(&t.ident),
            syn::Item::Mod(m) => Some(&m.ident),
            _ => None,
        };
        names.extend(ident.map(ToString::to_string));
    }
    names
}

/// The names `use` items bring into scope.
fn use_leaves(items: &[syn::Item]) -> BTreeSet<String> {
    fn walk(tree: &syn::UseTree, parent: Option<&syn::Ident>, out: &mut BTreeSet<String>) {
        match tree {
            syn::UseTree::Path(path) => walk(&path.tree, Some(&path.ident), out),
            // `use a::{self, B}` brings `a` in.
            syn::UseTree::Name(name) if name.ident == "self" => out.extend(parent.map(ToString::to_string)),
            syn::UseTree::Name(name) => {
                out.insert(name.ident.to_string());
            }
            syn::UseTree::Rename(rename) => {
                out.insert(rename.rename.to_string());
            }
            syn::UseTree::Group(group) => group.items.iter().for_each(|t| walk(t, parent, out)),
            syn::UseTree::Glob(_) => {}
        }
    }
    let mut out = BTreeSet::new();
    for item in items {
        if let syn::Item::Use(u) = item {
            walk(&u.tree, None, &mut out);
        }
    }
    out
}

fn enum_variants(items: &[syn::Item], ty: &str) -> BTreeSet<String> {
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e) if e.ident == ty => {
                Some(e.variants.iter().map(|v| v.ident.to_string()).collect::<Vec<_>>())
            }
            _ => None,
        })
        .flatten()
        .collect()
}

const PROBE_BUILDER: &str = "ProbeRequest";
const PROBE_PARAM: &str = "probe_param";
const PROBE_MARKER: &str = "ProbeMarker";
const PROBE_MOCK_METHOD: &str = "probe";
const PROBE_FUNCTION: &str = "probe_function";
const PROBE_FIELD: &str = "probe_field";
const PROBE_ACCESSOR: &str = "as_probe_variant";
const PROBE_SERVER: &str = "ProbeServer";

/// A small API that exercises every template branch that defines a name.
struct Probe {
    api: Api,
}

impl Probe {
    fn new() -> Self {
        let string_field = |name: &str, presence: Presence| Field {
            rust_name: name.into(),
            wire_name: name.into(),
            docs: Vec::new(),
            ty: Ty::String,
            required: presence == Presence::Required,
            presence,
            indirect: false,
            read_only: false,
            write_only: false,
            deprecated: false,
            constraints: Constraints { min_length: Some(1), ..Constraints::default() },
            setter: Some(name.into()),
            clear_setter: (presence == Presence::TriState).then(|| format!("clear_{name}")),
            each_on_its_own: false,
        };
        let model = |name: &str, kind: ModelKind| Model {
            name: name.into(),
            module: name.to_lowercase(),
            docs: Vec::new(),
            source: String::new(),
            in_request: true,
            in_response: true,
            deprecated: false,
            kind,
        };
        let strukt = model(
            "ProbeStruct",
            ModelKind::Struct(Struct {
                fields: vec![
                    string_field(PROBE_FIELD, Presence::TriState),
                    string_field("probe_required", Presence::Required),
                ],
                tag: None,
                extra: Some("probe_extra".into()),
                constructors: Vec::new(),
            }),
        );
        let variant = |name: &str, ty: Ty| UnionVariant {
            rust_name: name.into(),
            ty,
            indirect: true,
            docs: Vec::new(),
            tags: vec!["probe".into()],
            from: true,
            shape: None,
            accessor: PROBE_ACCESSOR.into(),
        };
        let tagged = model(
            "ProbeUnion",
            ModelKind::Union(Union {
                variants: vec![variant("ProbeVariant", Ty::Model("ProbeStruct".into()))],
                tag: Some("type".into()),
                other: "Other".into(),
                shared: Vec::new(),
            }),
        );
        let string_enum = model(
            "ProbeEnum",
            ModelKind::StringEnum(StringEnum {
                variants: vec![EnumVariant { rust_name: "A".into(), wire_name: "a".into() }],
                other: "Other".into(),
            }),
        );
        let operation = Operation {
            operation_id: "Probe".into(),
            method_name: "probe".into(),
            builder: PROBE_BUILDER.into(),
            mock_marker: PROBE_MARKER.into(),
            mock_method: PROBE_MOCK_METHOD.into(),
            module: "probe".into(),
            summary: None,
            description: Vec::new(),
            tags: Vec::new(),
            deprecated: false,
            method: Method::Get,
            path: "/probe".into(),
            path_parts: vec![crate::ir::PathPart::Literal("/probe".into())],
            params: vec![Param {
                rust_name: PROBE_PARAM.into(),
                wire_name: PROBE_PARAM.into(),
                location: Location::Query,
                ty: Ty::String,
                required: false,
                deprecated: false,
                constraints: Constraints::default(),
                docs: Vec::new(),
                example: None,
            }],
            body: None,
            responses: Vec::new(),
            success: Success {
                status: 200,
                ty: Some(Ty::Model("ProbeStruct".into())),
                empty_ok: false,
                redirects: false,
                example: None,
            },
            error: None,
            accept: vec!["application/json".into()],
            security: vec![vec![crate::ir::SecurityRequirement { scheme: "probe".into(), scopes: Vec::new() }]],
            pagination: Some(crate::ir::Pagination {
                direction: crate::ir::Direction::Forward,
                param: PROBE_PARAM.into(),
                member: None,
                clears: Vec::new(),
                cursor_wire: PROBE_PARAM.into(),
                next_cursor: vec![step(PROBE_FIELD, Presence::TriState)],
                has_more: None,
                items: step("probe_items", Presence::Optional),
                item: Ty::String,
            }),
            request_example: None,
        };
        let webhook = Webhook {
            name: "probe".into(),
            operation_id: "probe".into(),
            function: PROBE_FUNCTION.into(),
            method: Method::Post,
            docs: Vec::new(),
            payload: Ty::Model("ProbeStruct".into()),
            key_header: "x-probe".into(),
            examples: Vec::new(),
        };
        let server = Server {
            variant: PROBE_SERVER.into(),
            docs: Vec::new(),
            url: "https://{host}".into(),
            parts: vec![
                UrlPart::Literal("https://".into()),
                UrlPart::Variable(ServerVariable {
                    rust_name: "host".into(),
                    wire_name: "host".into(),
                    docs: Vec::new(),
                }),
            ],
        };
        let krate = Krate {
            package: "probe".into(),
            lib: "probe".into(),
            spec_file: "probe.yaml".into(),
            command: "probe".into(),
            title: "Probe".into(),
            api_version: "1".into(),
            summary: "Probe".into(),
            description: "Probe".into(),
            keywords: Vec::new(),
            docs: Vec::new(),
            standalone: true,
            guide: Vec::new(),
            examples: Vec::<Example>::new(),
            version: "0.1.0".into(),
            repository: None,
            documentation: None,
            changelog: None,
        };
        let mut models = vec![strukt, tagged, string_enum];
        models.sort_by(|a, b| a.name.cmp(&b.name));
        Probe {
            api: Api {
                krate,
                servers: vec![server],
                // A scheme minting JWTs, so the crate root has all it can have.
                security: vec![crate::ir::SecurityScheme {
                    name: "probe".into(),
                    docs: Vec::new(),
                    kind: crate::ir::SchemeKind::Bearer {
                        format: None,
                        jwt: Some(crate::ir::JwtMinting {
                            claim: "scope".into(),
                            scopes: vec![EnumVariant { rust_name: "App".into(), wire_name: "app".into() }],
                        }),
                    },
                }],
                models,
                operations: vec![operation],
                tags: vec![crate::ir::Tag { name: "Probe".into(), module: "probe".into(), docs: Vec::new() }],
                webhooks: vec![webhook],
                scopes: Vec::new(),
                default_error: None,
            },
        }
    }

    fn parse(text: Result<String, askama::Error>) -> syn::File {
        text.ok().and_then(|t| syn::parse_file(&t).ok()).unwrap_or_else(|| syn::File {
            shebang: None,
            frontmatter: None,
            attrs: Vec::new(),
            items: Vec::new(),
        })
    }

    fn render_operation(&self) -> syn::File {
        let op = &self.api.operations[0];
        Self::parse(
            OperationFile { krate: &self.api.krate, op, v: super::operation::view(&self.api, op, &[]) }.render(),
        )
    }

    fn render_testing(&self) -> syn::File {
        let (mocks, uses_models) = super::krate::mocks(&self.api);
        let fixtures = super::krate::fixtures(&self.api);
        Self::parse(
            TestingRs { krate: &self.api.krate, mocks, uses_models, fixtures, fixtures_use_models: false }.render(),
        )
    }

    fn render_webhooks(&self) -> syn::File {
        Self::parse(WebhooksRs { krate: &self.api.krate, v: super::krate::webhooks(&self.api) }.render())
    }

    fn render_model(&self, model: &Model) -> syn::File {
        Self::parse(ModelFile { krate: &self.api.krate, model, v: super::model::view(&self.api, model) }.render())
    }

    fn render_lib(&self) -> syn::File {
        Self::parse(LibRs { krate: &self.api.krate, v: super::krate::lib(&self.api) }.render())
    }

    fn render_server(&self) -> syn::File {
        Self::parse(
            ServerRs { krate: &self.api.krate, has_variables: true, servers: super::krate::servers(&self.api) }
                .render(),
        )
    }
}

fn step(name: &str, presence: Presence) -> crate::ir::FieldStep {
    crate::ir::FieldStep { rust_name: name.into(), wire_name: name.into(), presence }
}

#[cfg(test)]
mod tests {
    use super::vocabulary;

    /// The vocabulary is read, not empty: each namespace holds what its template or
    /// the runtime defines.
    #[test]
    fn names_come_from_the_runtime_and_the_templates() {
        let v = vocabulary();
        for name in ["send_raw", "base_url", "builder", "clone", "fmt", "into"] {
            assert!(v.client_methods().contains(&name), "Client: {name} in {:?}", v.client_methods());
        }
        for name in ["auth", "build", "timeout"] {
            assert!(v.builder_methods().contains(&name), "ClientBuilder: {name}");
        }
        for name in ["client", "options", "send", "timeout", "with_options", "into_stream", "into_pages", "clone"] {
            assert!(v.request_builder().contains(&name), "request builder: {name} in {:?}", v.request_builder());
        }
        assert!(!v.request_builder().contains(&super::PROBE_PARAM));
        for name in ["start", "client", "received", "expect"] {
            assert!(v.mock_methods().contains(&name), "MockApi: {name}");
        }
        for name in ["MockApi", "Expect", "Operation", "Received", "wiremock", "models", "webhook_delivery"] {
            assert!(v.testing_names().contains(&name), "testing: {name} in {:?}", v.testing_names());
        }
        for name in ["Verifier", "WebhookError", "API_KEY_HEADER", "models"] {
            assert!(v.webhook_names().contains(&name), "webhooks: {name} in {:?}", v.webhook_names());
        }
        for name in ["Serialize", "Deserialize", "Validate", "json", "validate"] {
            assert!(v.model_imports().contains(&name), "model imports: {name} in {:?}", v.model_imports());
        }
        for name in ["new", "validate", "clone"] {
            assert!(v.struct_methods().contains(&name), "struct: {name} in {:?}", v.struct_methods());
        }
        for name in ["tag", "from_json", "other", "branch_of", "matches", "serialize", "deserialize", "from"] {
            assert!(v.union_methods().contains(&name), "union: {name} in {:?}", v.union_methods());
        }
        assert!(v.server_variants().contains(&"Custom"));
    }
}
