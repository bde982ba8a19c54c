//! Object-store roots in a build without the `object-store` feature.
//!
//! The rest of the crate keeps one code path for local and remote roots; here every
//! remote root is refused at [`RemoteRoot::open`], with the way to a build that reads it,
//! so a lean build fails loudly instead of, say, writing `-o s3://…` to a local folder.

use std::convert::Infallible;
use std::path::Path;
use std::sync::Arc;

use super::{RemoteError, RemoteObject, RemoteOptions, RemoteStats};
use crate::bytesource::ByteSource;

/// A remote root; none can exist in this build, so its methods are never reached.
#[derive(Debug, Clone)]
pub struct RemoteRoot {
    never: Infallible,
}

/// What an upload or download moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Transferred {
    /// Files moved.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
}

/// The error every object-store URL gets in this build, after the checks every build
/// makes (so a malformed URL gets the same message either way).
pub(super) fn refusal(url: &str) -> RemoteError {
    if let Err(malformed) = super::url::parse(url) {
        return malformed;
    }
    RemoteError::UnsupportedUrl {
        url: super::url::redact_url(url),
        reason: "this provaudit was built without object-store support (the default \
                 `object-store` feature); build it with `cargo build --release` or \
                 `--features object-store`, or copy the data to a local folder"
            .to_string(),
    }
}

// The methods mirror `root.rs`, whose documentation applies; none can be called.
#[allow(missing_docs)]
impl RemoteRoot {
    /// Refuses `url`: this build has no object-store client.
    pub fn open(
        url: &str,
        _options: &RemoteOptions,
        _stats: Arc<RemoteStats>,
    ) -> Result<RemoteRoot, RemoteError> {
        Err(refusal(url))
    }

    pub fn url(&self) -> &str {
        match self.never {}
    }

    pub fn root_name(&self) -> String {
        match self.never {}
    }

    pub fn stats(&self) -> &Arc<RemoteStats> {
        match self.never {}
    }

    pub fn list(&self) -> Result<Vec<RemoteObject>, RemoteError> {
        match self.never {}
    }

    pub fn list_counted(
        &self,
        _found: &(dyn Fn(u64) + Sync),
    ) -> Result<Vec<RemoteObject>, RemoteError> {
        match self.never {}
    }

    pub fn read_small(&self, _rel: &str, _limit: u64) -> Result<Option<Vec<u8>>, RemoteError> {
        match self.never {}
    }

    pub fn url_of(&self, _rel: &str) -> String {
        match self.never {}
    }

    pub fn listing_base(&self) -> Option<&str> {
        match self.never {}
    }

    pub fn assume_listing_base(&self, _base: &str) {
        match self.never {}
    }

    pub(crate) fn key_of(&self, _rel: &str) -> String {
        match self.never {}
    }

    pub fn open_object(&self, _object: &RemoteObject, _name: String) -> Arc<dyn ByteSource> {
        match self.never {}
    }

    pub fn upload_audit(&self, _dir: &Path) -> Result<Transferred, RemoteError> {
        match self.never {}
    }

    pub fn download_audit(&self, _dir: &Path) -> Result<Transferred, RemoteError> {
        match self.never {}
    }
}
