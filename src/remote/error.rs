//! Errors of the remote layer, worded for the person running the audit.
//!
//! Each variant names the URL (and key) it is about and says what to do next, because
//! a bare "403" or "connection refused" from a cloud SDK leaves users guessing which of
//! several roots failed and whether the fix is credentials, region or patience.

/// Why a remote root could not be opened, listed or read.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The URL's scheme or shape is not one this build can read.
    #[error("{url}: {reason}")]
    UnsupportedUrl {
        /// The root as given.
        url: String,
        /// What about it is unsupported.
        reason: String,
    },
    /// The store client could not be built (bad URL parts, missing account, credentials).
    #[error("{url}: cannot set up the object store: {message}")]
    Store {
        /// The root's URL.
        url: String,
        /// The client's explanation.
        message: String,
    },
    /// Listing the objects under the prefix failed.
    #[error("{url}: cannot list objects: {message}")]
    List {
        /// The root's URL.
        url: String,
        /// The store's explanation.
        message: String,
    },
    /// Reading one object failed.
    #[error("{url}: cannot read `{key}`: {message}")]
    Read {
        /// The root's URL.
        url: String,
        /// The object's key.
        key: String,
        /// The store's explanation.
        message: String,
    },
    /// Writing (uploading or deleting) one object failed.
    #[error("{url}: cannot write `{key}`: {message}")]
    Write {
        /// The prefix's URL.
        url: String,
        /// The object's key.
        key: String,
        /// The store's explanation.
        message: String,
    },
    /// A prefix holds no finished audit.
    #[error(
        "{url}: not an audit: there is no summary.json under it (an upload that was \
         interrupted leaves none); check the URL, or run the scan or merge that writes it again"
    )]
    NotAnAudit {
        /// The prefix's URL.
        url: String,
    },
    /// A local file or folder of a transfer could not be used.
    #[error("{path}: {message}")]
    Local {
        /// The local path.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A small side file (manifest, dataset card) is larger than the caller accepts.
    #[error(
        "{url}: `{key}` is {size} bytes, more than the {limit} bytes read for such files; \
         remove or shrink it, or exclude it from the audit"
    )]
    TooLarge {
        /// The root's URL.
        url: String,
        /// The object's key.
        key: String,
        /// The object's listed size in bytes.
        size: u64,
        /// The largest size accepted, in bytes.
        limit: u64,
    },
    /// The shared async runtime that drives network I/O could not be started.
    #[error("cannot start the network runtime: {0}; check the process's thread and file limits")]
    Runtime(String),
}
