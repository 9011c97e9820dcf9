//! Mutations of a seed, by family: [`mutate_tree`] applies one structural mutation to the
//! parsed document, [`mutate_text`] one byte- or line-level mutation to its text,
//! [`mutate_options`] changes the generator options. Every draw comes from the case's
//! [`Rng`] in a fixed order, so an iteration number reproduces its input exactly: a
//! change here changes every input after it (`FUZZ_DUMP` shows by how much).

mod generic;
mod hostile;
mod http;
mod names;
mod openapi31;
mod options;
mod refs;
mod schema;
mod text;
mod values;

use serde_json::Value;

use crate::rng::Rng;
use crate::tree::component_refs;

pub(crate) use options::mutate_options;
pub(crate) use text::mutate_text;

/// Applies one structural mutation (retrying a few times when one does not apply).
pub(crate) fn mutate_tree(rng: &mut Rng, root: &mut Value, log: &mut Vec<String>) {
    for _ in 0..8 {
        if let Some(done) = try_mutation(rng, root) {
            log.push(done);
            return;
        }
    }
}

/// One draw among the structural families (weights: the number of values each takes).
/// `None` when the drawn mutation found nothing to apply to (the tree may have changed).
fn try_mutation(rng: &mut Rng, root: &mut Value) -> Option<String> {
    let comps = component_refs(root);
    match rng.below(30) {
        // Generic: delete, replace, duplicate, swap.
        0 | 1 => generic::delete(rng, root),
        2 | 3 => generic::replace(rng, root, &comps),
        4 => generic::duplicate(rng, root),
        5 => generic::swap(rng, root),
        // Schemas (3.0 shapes).
        6 | 7 => schema::set_type(rng, root, &comps),
        12 => schema::set_required(rng, root),
        13 | 14 => schema::set_composition(rng, root, &comps),
        15 => schema::set_enum(rng, root, &comps),
        23 => schema::set_constraint(rng, root, &comps),
        27 => schema::untagged_discriminator(rng, root),
        // References: random, nonexistent, self and parent pointers; cycles; long chains.
        8 | 9 => refs::set_ref(rng, root, &comps),
        10 | 11 => refs::make_cycle(rng, root, &comps),
        26 => refs::ref_chain(rng, root),
        // Hostile names and text.
        16 | 17 => names::rename_member(rng, root),
        18 => names::name_value(rng, root),
        22 => names::weird_string(rng, root),
        // Paths, parameters, media types, response codes, servers.
        19 => http::rename_path(rng, root),
        20 => http::mutate_parameter(rng, root, &comps),
        21 => http::rename_media_type_or_status(rng, root),
        25 => http::add_server(rng, root, &comps),
        // OpenAPI 3.1 constructs.
        28 | 29 => openapi31::mutate_31(rng, root, &comps),
        // Rename a component, sometimes following the references; or nest deeply.
        _ => {
            if rng.one_in(3) {
                return schema::nest(rng, root);
            }
            refs::rename_component(rng, root, &comps)
        }
    }
}
