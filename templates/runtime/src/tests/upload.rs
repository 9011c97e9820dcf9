//! Unit tests of `runtime/upload.rs`.

use crate::runtime::upload::*;

#[test]
fn becomes_a_file_part_and_debug_hides_bytes() {
    let file = FileUpload::new("a.png", vec![1u8, 2, 3]).content_type("image/png");
    let part = file.to_part("source");
    assert_eq!(part.name, "source");
    assert_eq!(part.file_name.as_deref(), Some("a.png"));
    assert_eq!(part.content_type.as_deref(), Some("image/png"));
    assert_eq!(&part.data[..], &[1, 2, 3]);
    assert_eq!(format!("{file:?}"), "FileUpload { file_name: \"a.png\", content_type: Some(\"image/png\"), len: 3 }");
}
