//! Files for `multipart/form-data` uploads.

use std::fmt;

use bytes::Bytes;

use super::request::MultipartPart;

/// A file to upload in a `multipart/form-data` request: its bytes, a file name and,
/// optionally, a content type (e.g. `image/png`).
#[derive(Clone, PartialEq, Eq)]
pub struct FileUpload {
    file_name: String,
    content_type: Option<String>,
    data: Bytes,
}

impl FileUpload {
    /// A file with the given name and contents.
    pub fn new(file_name: impl Into<String>, data: impl Into<Bytes>) -> Self {
        Self { file_name: file_name.into(), content_type: None, data: data.into() }
    }

    /// Sets the part's `Content-Type`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The form part for field `name` (cheap: the bytes are shared).
    #[allow(dead_code, reason = "used by the operations that upload files, if the spec has any")]
    pub(crate) fn to_part(&self, name: &str) -> MultipartPart {
        MultipartPart::file(name, self.file_name.clone(), self.content_type.clone(), self.data.clone())
    }
}

impl fmt::Debug for FileUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileUpload")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.data.len())
            .finish()
    }
}
