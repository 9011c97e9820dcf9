//! A schema's type where it is used: the [`Ty`], its flags and its constraints.

use crate::ir::{Constraints, Ty};

/// The type of a schema where it is used.
#[derive(Debug, Clone)]
pub(crate) struct TypeInfo {
    pub ty: Ty,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub constraints: Constraints,
}

impl TypeInfo {
    pub(crate) fn new(ty: Ty) -> Self {
        Self {
            ty,
            nullable: false,
            read_only: false,
            write_only: false,
            deprecated: false,
            constraints: Constraints::default(),
        }
    }
}
