//! Per-record analysis: pure functions from a record to facts about it.
//!
//! Nothing here does I/O or keeps global state; a [`RecordFacts`] is everything the
//! aggregate stage needs to know about one record.

pub mod fingerprint;
pub mod kind;
pub mod language;
pub mod profile;
pub mod quality;

use crate::record::Record;
use fingerprint::Fingerprint;
use kind::RecordKind;
use profile::TextProfile;

/// Everything the aggregate stage learns from one record.
#[derive(Debug, Clone)]
pub struct RecordFacts {
    pub kind: RecordKind,
    pub profile: TextProfile,
    pub language: &'static str,
    pub exact: Fingerprint,
    pub normalized: Fingerprint,
    pub lossy_utf8: bool,
}

/// Analyses one record. Language is decided on the record's fields together, since a
/// chat turn of three words tells less than the conversation.
pub fn analyze(record: &Record<'_>) -> RecordFacts {
    let mut profile = TextProfile::default();
    for field in &record.fields {
        profile.add(&field.text);
    }
    let language = identify_record_language(record, &profile);
    RecordFacts {
        kind: record.kind,
        profile,
        language,
        exact: fingerprint::exact(&record.raw),
        normalized: fingerprint::normalized(record.fields.iter().map(|f| f.text.as_ref())),
        lossy_utf8: record.lossy_utf8,
    }
}

fn identify_record_language(record: &Record<'_>, profile: &TextProfile) -> &'static str {
    match record.fields.as_slice() {
        [] => "und",
        [only] => language::identify(&only.text, profile),
        // Latin stop words need running text: look at the longest field, which is the
        // document body rather than an id or a label.
        fields => {
            let longest = fields
                .iter()
                .max_by_key(|f| f.text.len())
                .map(|f| f.text.as_ref());
            language::identify(longest.unwrap_or(""), profile)
        }
    }
}
