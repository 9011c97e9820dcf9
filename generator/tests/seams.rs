//! Render tested at its seam: small IRs built by hand, not from a spec, rendered with
//! [`generator::render`]. Each isolates what one template prints for one construct, so
//! a change of a template shows here as a small snapshot, whatever normalise does.
//!
//! `cargo xtask test` also compiles them: with `SEAM_CRATES_DIR` set, each crate is
//! written there, and the fixture step builds, lints and tests them with the fixture
//! crates (`xtask/src/tasks.rs`).

use std::collections::BTreeMap;

use generator::ir::*;

fn krate(package: &str) -> Krate {
    Krate {
        package: package.into(),
        lib: package.replace('-', "_"),
        spec_file: "(built by hand)".into(),
        command: "generator/tests/seams.rs".into(),
        title: "Seam".into(),
        api_version: "1".into(),
        summary: "Seam".into(),
        description: "A crate rendered from an IR built by hand".into(),
        keywords: Vec::new(),
        docs: vec!["Rendered from an IR built by hand.".into()],
        standalone: false,
        guide: Vec::new(),
        examples: Vec::new(),
        version: "0.1.0".into(),
        repository: None,
        documentation: None,
        changelog: None,
        env_prefix: package.to_uppercase().replace('-', "_"),
    }
}

fn api(package: &str, models: Vec<Model>, operations: Vec<Operation>) -> Api {
    let mut models = models;
    models.sort_by(|a, b| a.name.cmp(&b.name));
    Api {
        krate: krate(package),
        servers: vec![Server {
            variant: "Default".into(),
            docs: vec!["`http://localhost`".into()],
            url: "http://localhost".into(),
            parts: vec![UrlPart::Literal("http://localhost".into())],
        }],
        security: Vec::new(),
        models,
        tags: vec![Tag { name: "Other".into(), module: "other".into(), docs: Vec::new() }],
        operations,
        webhooks: Vec::new(),
        scopes: Vec::new(),
        default_error: None,
        recursion_limit: None,
        key_header: "X-API-Key".into(),
        left_out: Vec::new(),
    }
}

fn model(name: &str, kind: ModelKind, in_request: bool, in_response: bool) -> Model {
    Model {
        name: name.into(),
        module: name.to_lowercase(),
        docs: vec![format!("The {name} model.")],
        source: format!("/components/schemas/{name}"),
        in_request,
        in_response,
        deprecated: false,
        error_text: None,
        kind,
    }
}

/// `afterCursor` → `after_cursor`.
fn snake(name: &str) -> String {
    name.chars().fold(String::new(), |mut out, c| {
        if c.is_uppercase() && !out.is_empty() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
        out
    })
}

fn field(name: &str, ty: Ty, presence: Presence, constraints: Constraints) -> Field {
    Field {
        rust_name: snake(name),
        wire_name: name.into(),
        docs: vec![format!("The {name}.")],
        ty,
        required: presence == Presence::Required,
        presence,
        indirect: false,
        read_only: false,
        write_only: false,
        deprecated: false,
        constraints,
        setter: (presence != Presence::Required).then(|| snake(name)),
        clear_setter: (presence == Presence::TriState).then(|| format!("clear_{}", snake(name))),
        each_on_its_own: false,
    }
}

fn operation(
    id: &str,
    method: Method,
    path: &str,
    params: Vec<Param>,
    body: Option<Ty>,
    success: Option<Ty>,
) -> Operation {
    let snake = snake(id);
    let mut parts = Vec::new();
    for piece in path.split_inclusive(['{', '}']) {
        if let Some(name) = piece.strip_suffix('}') {
            parts.push(PathPart::Param(name.to_string()));
        } else {
            parts.push(PathPart::Literal(piece.trim_end_matches('{').to_string()));
        }
    }
    parts.retain(|p| !matches!(p, PathPart::Literal(text) if text.is_empty()));
    Operation {
        operation_id: id.into(),
        method_name: snake.clone(),
        builder: format!("{id}Request"),
        mock_marker: id.into(),
        mock_method: snake.clone(),
        module: snake,
        summary: Some(format!("{id}.")),
        description: Vec::new(),
        tags: Vec::new(),
        group: "Other".into(),
        deprecated: false,
        method,
        idempotent: !matches!(method, Method::Post | Method::Patch),
        path: path.into(),
        path_parts: parts,
        params,
        body: body.map(|ty| RequestBody {
            media_type: "application/json".into(),
            required: true,
            docs: Vec::new(),
            content: BodyContent::Json(ty),
        }),
        responses: vec![ResponseCase {
            status: Status::Code(200),
            docs: vec!["OK.".into()],
            media_types: vec!["application/json".into()],
            ty: success.clone(),
        }],
        success: Success { status: 200, ty: success, raw: None, empty_ok: false, redirects: false, example: None },
        error: None,
        accept: vec!["application/json".into()],
        security: Vec::new(),
        pagination: None,
        request_example: None,
    }
}

fn param(name: &str, location: Location, ty: Ty, required: bool) -> Param {
    Param {
        rust_name: name.into(),
        wire_name: name.into(),
        location,
        ty,
        required,
        deprecated: false,
        constraints: Constraints::default(),
        docs: vec![format!("The {name}.")],
        example: None,
    }
}

fn step(name: &str, presence: Presence) -> Step {
    Step { rust_name: snake(name), wire_name: name.into(), presence, indirect: false }
}

/// A request struct with every presence and a length check, sent and returned by one
/// operation with a path parameter.
fn struct_and_operation() -> Api {
    let length = Constraints { min_length: Some(1), max_length: Some(10), ..Constraints::default() };
    let note = Struct {
        fields: vec![
            field("title", Ty::String, Presence::Required, length),
            field("body", Ty::String, Presence::Optional, Constraints::default()),
            field("color", Ty::String, Presence::TriState, Constraints::default()),
        ],
        tag: None,
        extra: Some("extra".into()),
        constructors: Vec::new(),
        conversions: Vec::new(),
    };
    let update = operation(
        "UpdateNote",
        Method::Patch,
        "/notes/{id}",
        vec![param("id", Location::Path, Ty::String, true)],
        Some(Ty::Model("Note".into())),
        Some(Ty::Model("Note".into())),
    );
    api("seam-struct", vec![model("Note", ModelKind::Struct(note), true, true)], vec![update])
}

/// A tagged union of two structs, and an untagged union of a string and a struct.
fn unions() -> Api {
    let branch = |name: &str, tag: &str| {
        model(
            name,
            ModelKind::Struct(Struct {
                fields: vec![field("text", Ty::String, Presence::Required, Constraints::default())],
                tag: Some(StructTag { property: "type".into(), value: tag.into() }),
                extra: Some("extra".into()),
                constructors: Vec::new(),
                conversions: Vec::new(),
            }),
            false,
            true,
        )
    };
    let variant = |name: &str, ty: &str, tags: &[&str], shape: Option<Shape>| UnionVariant {
        rust_name: name.into(),
        ty: if ty == "String" { Ty::String } else { Ty::Model(ty.into()) },
        indirect: ty != "String",
        docs: vec![format!("A {name}.")],
        tags: tags.iter().map(|t| t.to_string()).collect(),
        from: true,
        shape,
        accessor: format!("as_{}", name.to_lowercase()),
    };
    let shared = SharedField {
        method: "text".into(),
        wire_path: vec!["text".into()],
        ty: Ty::String,
        steps: vec![
            Some(vec![Step {
                rust_name: "text".into(),
                wire_name: "text".into(),
                presence: Presence::Required,
                indirect: false,
            }]),
            Some(vec![Step {
                rust_name: "text".into(),
                wire_name: "text".into(),
                presence: Presence::Required,
                indirect: false,
            }]),
        ],
    };
    let tagged = model(
        "Content",
        ModelKind::Union(Union {
            variants: vec![
                variant("Text", "TextContent", &["text"], None),
                variant("Note", "NoteContent", &["note"], None),
            ],
            tag: Some("type".into()),
            other: "Other".into(),
            shared: vec![shared],
            scalar: false,
        }),
        false,
        true,
    );
    let object = Shape {
        kind: JsonKind::Object,
        required: vec!["text".into()],
        members: vec![ShapeMember { name: "text".into(), kind: JsonKind::String, nullable: false }],
        union: None,
    };
    let string = Shape { kind: JsonKind::String, required: Vec::new(), members: Vec::new(), union: None };
    let untagged = model(
        "TextOrNote",
        ModelKind::Union(Union {
            variants: vec![
                variant("Plain", "String", &[], Some(string)),
                variant("Note", "NoteContent", &[], Some(object)),
            ],
            tag: None,
            other: "Other".into(),
            shared: Vec::new(),
            scalar: false,
        }),
        false,
        true,
    );
    let page = Struct {
        fields: vec![
            field("content", Ty::Model("Content".into()), Presence::Required, Constraints::default()),
            field("either", Ty::Model("TextOrNote".into()), Presence::Optional, Constraints::default()),
        ],
        tag: None,
        extra: Some("extra".into()),
        constructors: Vec::new(),
        conversions: Vec::new(),
    };
    let get = operation("GetPage", Method::Get, "/page", Vec::new(), None, Some(Ty::Model("Page".into())));
    let models = vec![
        branch("TextContent", "text"),
        branch("NoteContent", "note"),
        tagged,
        untagged,
        model("Page", ModelKind::Struct(page), false, true),
    ];
    api("seam-unions", models, vec![get])
}

/// A list operation paging forward through a deepObject parameter's `after` member.
fn pagination() -> Api {
    let cursor = |name: &str| field(name, Ty::String, Presence::Optional, Constraints::default());
    let page = Struct {
        fields: vec![cursor("after"), cursor("before")],
        tag: None,
        extra: None,
        constructors: Vec::new(),
        conversions: Vec::new(),
    };
    let meta = Struct {
        fields: vec![field("hasMore", Ty::Boolean, Presence::Required, Constraints::default()), cursor("afterCursor")],
        tag: None,
        extra: Some("extra".into()),
        constructors: Vec::new(),
        conversions: Vec::new(),
    };
    let list = Struct {
        fields: vec![
            field("items", Ty::List(Box::new(Ty::String)), Presence::Required, Constraints::default()),
            field("meta", Ty::Model("Meta".into()), Presence::Required, Constraints::default()),
        ],
        tag: None,
        extra: Some("extra".into()),
        constructors: Vec::new(),
        conversions: Vec::new(),
    };
    let mut op = operation(
        "ListItems",
        Method::Get,
        "/items",
        vec![param("page", Location::DeepObject, Ty::Model("Page".into()), false)],
        None,
        Some(Ty::Model("ItemList".into())),
    );
    op.pagination = Some(Pagination {
        direction: Direction::Forward,
        param: "page".into(),
        member: Some(step("after", Presence::Optional)),
        clears: vec![step("before", Presence::Optional)],
        cursor_wire: "page[after]".into(),
        next_cursor: vec![step("meta", Presence::Required), step("afterCursor", Presence::Optional)],
        has_more: Some(vec![step("meta", Presence::Required), step("hasMore", Presence::Required)]),
        items: step("items", Presence::Required),
        item: Ty::String,
    });
    let models = vec![
        model("Page", ModelKind::Struct(page), true, false),
        model("Meta", ModelKind::Struct(meta), false, true),
        model("ItemList", ModelKind::Struct(list), false, true),
    ];
    api("seam-pagination", models, vec![op])
}

/// The crate's own Rust (the runtime is the same for every crate and left out).
fn own_rust(files: &BTreeMap<String, String>) -> String {
    files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs") && !path.starts_with("src/runtime/"))
        .filter(|(path, _)| path.starts_with("src/models/") || path.starts_with("src/operations/"))
        .filter(|(path, _)| !path.ends_with("/mod.rs"))
        .map(|(path, text)| format!("// ===== {path} =====\n{text}\n"))
        .collect()
}

#[test]
fn render_at_the_seam() {
    for (name, api) in [("struct", struct_and_operation()), ("unions", unions()), ("pagination", pagination())] {
        let files = generator::render(&api).unwrap_or_else(|failure| panic!("{name}: {failure}"));
        insta::assert_snapshot!(name, own_rust(&files));
        if let Some(dir) = std::env::var_os("SEAM_CRATES_DIR") {
            let dir = std::path::Path::new(&dir).join(&api.krate.package);
            for (path, text) in &files {
                let path = dir.join(path);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, text).unwrap();
            }
        }
    }
}
