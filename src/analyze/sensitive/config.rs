//! `[pii.sensitive]`: the user's additions to the built-in lexicons.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

/// The `[pii.sensitive]` part of provaudit's configuration.
///
/// ```toml
/// [pii.sensitive]
/// disable = ["whereabouts"]          # categories not to look for
/// person_cues = ["our patient"]      # more references to a person
/// [pii.sensitive.terms]              # more terms per category
/// health = ["long covid", "长新冠"]
/// specific_identity = ["party member", "党员"]
/// ```
/// Terms follow the built-in lexicons' rules (`lexicon/health.txt`): ASCII letters in
/// any case unless the term has a capital, word edges for terms that start or end with
/// an ASCII letter or digit.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SensitiveConfig {
    /// Category ids (`health`, ...) not to look for.
    pub disable: Vec<String>,
    /// Extra terms per category id, found as the built-in ones are (group `user`).
    pub terms: BTreeMap<String, Vec<String>>,
    /// Extra references to a person, like the built-in first-person cues.
    pub person_cues: Vec<String>,
}

/// Counts only: terms may name what someone is hunting for.
impl fmt::Debug for SensitiveConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let terms: usize = self.terms.values().map(Vec::len).sum();
        f.debug_struct("SensitiveConfig")
            .field("disable", &self.disable)
            .field("terms", &format_args!("<{terms} terms>"))
            .field(
                "person_cues",
                &format_args!("<{} cues>", self.person_cues.len()),
            )
            .finish()
    }
}
