//! User configuration: disable built-in rules, add rules of one's own.

use std::fmt;

use serde::Deserialize;

/// The `[pii]` part of provaudit's configuration.
///
/// ```toml
/// disable = ["cn_license_plate", "phone.e164"]
/// phone_regions = ["CN", "GB"]
/// placeholder_domains = ["corp.invalid-example.net"]
/// [sensitive]                    # `[pii.sensitive]` in the config file
/// terms = { health = ["long covid"] }
/// [[rules]]
/// id = "acme.employee_card"
/// type = "bank_card"
/// pattern = "8888[0-9]{12}"
/// validator = "luhn"
/// context = ["工牌", "employee"]
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PiiConfig {
    /// Rule ids (`phone.e164`) or type ids (`phone`) to switch off. A type id
    /// switches off that type's built-in rules only: user rules are explicit
    /// additions, so one can replace, say, the built-in bank card rules.
    pub disable: Vec<String>,
    /// Extra rules, tried after the built-in ones.
    pub rules: Vec<UserRule>,
    /// Regions (ISO 3166 codes such as `"GB"`) whose numbering plans
    /// national-format phone numbers are checked against; empty means the
    /// default list (`phone::DEFAULT_REGIONS`). Numbers written with `+` are
    /// always checked under the country their code names.
    pub phone_regions: Vec<String>,
    /// Domains one's own data uses as stand-ins, added to the built-in
    /// reserved and sample domains: e-mail addresses and URL credentials on
    /// them (or below them) are tagged `placeholder` and not counted.
    pub placeholder_domains: Vec<String>,
    /// `[pii.sensitive]`: terms, person cues and categories of sensitive personal
    /// information (PIPL Art. 28), on top of the built-in lexicons.
    pub sensitive: crate::analyze::sensitive::SensitiveConfig,
}

/// A user-defined rule. Its `Debug` output omits the pattern and context
/// words (a pattern may well be a literal list of values someone is hunting)
/// and any field that does not look like a name.
#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserRule {
    /// Unique id, `[A-Za-z0-9._-]`, at most 64 characters, no run of 7+
    /// digits (ids are written into every finding).
    pub id: String,
    /// A canonical PII type id such as `phone`.
    #[serde(rename = "type")]
    pub pii_type: String,
    /// A regular expression (Rust `regex` syntax). Never `\b`: edges are
    /// checked by `boundary` instead, which also works next to CJK text.
    pub pattern: String,
    /// If set, one of these words must appear near a match.
    #[serde(default)]
    pub context: Vec<String>,
    /// Name of a built-in validator: "luhn", "mod97", "gb11643", "gb32100", ...
    #[serde(default)]
    pub validator: Option<String>,
    /// Neighbours that disqualify a match: "alnum" (default), "number",
    /// "grouped", "token" or "none".
    #[serde(default)]
    pub boundary: Option<String>,
}

impl fmt::Debug for UserRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opt = |o: &Option<String>| o.as_deref().map(shown);
        f.debug_struct("UserRule")
            .field("id", &shown(&self.id))
            .field("type", &shown(&self.pii_type))
            .field("pattern", &format_args!("<{} bytes>", self.pattern.len()))
            .field("context", &format_args!("<{} words>", self.context.len()))
            .field("validator", &opt(&self.validator))
            .field("boundary", &opt(&self.boundary))
            .finish()
    }
}

/// A configuration the detector cannot use. Names the rule and field at
/// fault; never quotes a pattern or context word (they may hold raw values).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PiiConfigError {
    /// A `disable` entry names no rule and no type.
    #[error("pii config: `disable` entry `{0}` is neither a rule id nor a type id")]
    UnknownDisable(String),
    /// A user rule has an unusable field (bad pattern, unknown type or validator).
    #[error("pii rule `{rule}`: field `{field}`: {reason}")]
    Invalid {
        /// The user rule's id.
        rule: String,
        /// The field at fault (`pattern`, `type`, `validator`, ...).
        field: &'static str,
        /// Why it is unusable, without quoting the field's value.
        reason: String,
    },
    /// The rules together are too large or complex for one automaton.
    #[error("pii rules: the combined automaton could not be built: {0}")]
    Build(String),
}

impl PiiConfigError {
    pub(super) fn invalid(rule: &str, field: &'static str, reason: impl Into<String>) -> Self {
        PiiConfigError::Invalid {
            rule: shown(rule),
            field,
            reason: reason.into(),
        }
    }
}

/// A user-supplied name as errors may print it: names, ids and type ids
/// pass through; anything that could be a value someone pasted (a run of 7+
/// digits, an `@`, other characters) is withheld, so an error never carries
/// raw personal information.
pub(super) fn shown(name: &str) -> String {
    if valid_rule_id(name) {
        name.to_string()
    } else {
        "(not shown)".to_string()
    }
}

/// Rule ids are written into every finding, so they must look like names:
/// 1–64 characters of `A-Z a-z 0-9 . _ -` with no run of 7 or more digits.
pub(super) fn valid_rule_id(id: &str) -> bool {
    let mut digit_run = 0usize;
    let mut longest = 0usize;
    for b in id.bytes() {
        digit_run = if b.is_ascii_digit() { digit_run + 1 } else { 0 };
        longest = longest.max(digit_run);
    }
    !id.is_empty()
        && id.len() <= 64
        && longest < 7
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}
