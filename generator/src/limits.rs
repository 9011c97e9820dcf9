//! The bounds that keep generation finite on hostile input. A spec that goes past one
//! is refused with a diagnostic naming the limit, never with a crash or a hang.
//!
//! Every recursive walk of the document is bounded by [`MAX_DEPTH`]; the walks that
//! would otherwise follow the document's own links (`$ref` between models) are worklists,
//! so a long chain of models costs no stack at all.

/// How deep any walk of the document goes: `$ref` hops in one chain, schemas nested
/// inside one model (`items`, `additionalProperties`, `allOf`, inline `oneOf`/`anyOf`
/// branches), and `allOf` flattening. A chain of 40 references is ordinary; 128 levels
/// leave room for any real spec while keeping the stack use of one walk (and of
/// formatting the type it yields) far below [`STACK_BYTES`].
pub const MAX_DEPTH: usize = 128;

/// Nesting of YAML flow collections (`[`, `{`) accepted before parsing. The YAML
/// parser's work grows with the flow depth times the number of tokens, so a deep
/// flow nest of a few hundred kilobytes would take a minute; real specs nest a few
/// levels.
pub const MAX_FLOW_NESTING: usize = 32;

/// Largest spec text accepted, in bytes.
pub const MAX_SPEC_BYTES: usize = 32 << 20;

/// Nodes (values, keys excluded) the parsed document may have: a budget proportional
/// to the text, so YAML aliases cannot expand a small file into a huge tree. Without
/// aliases a document has fewer nodes than bytes.
pub fn max_nodes(text_len: usize) -> usize {
    text_len.saturating_mul(2).saturating_add(10_000)
}

/// Largest generated output (all files but the fixed runtime), in bytes: a multiple
/// of the input, with a floor for tiny specs. The upstream document yields about 4
/// bytes per spec byte (`spec/` about 3); a hostile spec that would yield far more
/// (e.g. thousands of one-line operations, each a file of its own) is refused before
/// formatting, which costs about 0.2 s per MB: so a 1 MB spec stays under 5 s.
pub fn max_output_bytes(text_len: usize) -> usize {
    text_len.saturating_mul(8).saturating_add(4 << 20)
}

/// Diagnostics kept per run; the rest are counted in a final one.
pub const MAX_DIAGNOSTICS: usize = 500;

/// Stack of the threads that normalise and format: enough for [`MAX_DEPTH`] levels of
/// schema nesting through every stage (measured by the `hostile` tests at the bound).
pub const STACK_BYTES: usize = 64 << 20;

/// Longest file or module name stem, in bytes; longer names are shortened with a hash.
pub const MAX_NAME_BYTES: usize = 64;

/// Longest overlay `target` (a JSONPath query) accepted, in bytes: real targets fit on
/// a line.
pub const MAX_TARGET_BYTES: usize = 1024;

/// Descendant segments (`..`) an overlay `target` may have. Each one can multiply the
/// nodes a query visits (or lists) by the document's depth, and inside filters they
/// nest: two keep every query polynomial of low degree in the document's size.
pub const MAX_DESCENDANT_SEGMENTS: usize = 2;

/// Brackets (`[`) nested in an overlay `target`. The JSONPath parser takes time
/// exponential in the nesting of filter selectors (about twice as long per level: 20
/// levels take seconds, 24 a minute), so deeper targets are refused before parsing;
/// real ones nest two or three.
pub const MAX_TARGET_NESTING: usize = 8;
