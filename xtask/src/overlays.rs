//! `--overlay FILE` arguments and the overlay files they name.

use std::path::PathBuf;

use crate::regen;

/// Reads overlay files for `generator::Options::overlays`, each named by its display path.
pub(crate) fn read(paths: &[PathBuf]) -> Result<Vec<generator::Overlay>, String> {
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Ok(generator::Overlay { file: regen::display_path(path), text })
        })
        .collect()
}

/// Splits `--overlay FILE` pairs from the other arguments.
pub(crate) fn args(args: &[String]) -> Result<(Vec<PathBuf>, Vec<String>), String> {
    let mut overlays = Vec::new();
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if arg == "--overlay" {
            overlays.push(PathBuf::from(it.next().ok_or("--overlay needs a file")?));
        } else {
            rest.push(arg.clone());
        }
    }
    Ok((overlays, rest))
}
