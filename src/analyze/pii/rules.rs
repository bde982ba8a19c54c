//! The built-in rule table. Data, not code: to add a detector, add a row.
//!
//! Row order is priority. When several rules match at the same start the
//! longest valid match wins and ties go to the earlier row, so stricter
//! (checksummed) rules come before looser ones of the same shape.
//!
//! Patterns describe shape only; word boundaries are never written as `\b`
//! (it fails next to CJK text) but as `left`/`right` edges, checked after the
//! automaton reports a candidate.

use super::PiiType;
use super::edge::Edge;
use super::engine::GroupKey;
use super::validate::Validator;
use super::veto::Veto;

/// Which candidate end to prefer when a pattern matches several lengths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum EndPref {
    /// Greedy: the longest end that passes the checks.
    Longest,
    /// The first complete unit, e.g. one PEM block rather than two merged.
    Shortest,
}

impl EndPref {
    pub(super) fn name(self) -> &'static str {
        match self {
            EndPref::Longest => "longest",
            EndPref::Shortest => "shortest",
        }
    }
}

/// One row of the rule table.
pub(super) struct RuleDef {
    pub id: &'static str,
    pub pii_type: PiiType,
    pub pattern: &'static str,
    /// Matches a prefix of every valid match; what the candidate finder looks
    /// for instead of `pattern` (empty: the pattern itself). See
    /// `engine::PatternSpec::start` for why.
    pub start: &'static str,
    pub validator: Validator,
    /// When non-empty, one of these words (ASCII case-insensitive) must occur
    /// near the candidate; for shapes too common to report on their own.
    pub context: &'static [&'static str],
    /// Words that, right before the candidate, mean it is something else.
    pub deny_before: &'static [&'static str],
    /// Checks on the surrounding text that reject look-alikes (see `veto`).
    pub vetoes: &'static [Veto],
    pub left: Edge,
    pub right: Edge,
    pub ends: EndPref,
    /// Confidence 0–100, for consumers that rank findings.
    pub score: u8,
    /// Finder group. `NearDigits` is a promise that every valid match holds
    /// a digit near its start (see `window`); a test checks it against a
    /// whole-text search.
    pub group: GroupKey,
}

/// Finder groups of the full-text rules (see `engine`).
pub(super) const GROUP_SECRETS: GroupKey = GroupKey::Text(0);
pub(super) const GROUP_EMAIL: GroupKey = GroupKey::Text(1);
pub(super) const GROUP_USER: GroupKey = GroupKey::Text(2);
pub(super) const GROUP_URL_CREDENTIALS: GroupKey = GroupKey::NearSchemeSeparator;

/// A digit, ASCII or full-width: Chinese text often uses ０-９.
macro_rules! d {
    () => {
        "[0-9０-９]"
    };
}

const CTX_ID: &[&str] = super::veto::ID_WORDS;
const CTX_CARD: &[&str] = &[
    "银行卡",
    "銀行卡",
    "卡号",
    "卡號",
    "信用卡",
    "借记卡",
    "储蓄卡",
    "账号",
    "帐号",
    "賬號",
    "账户",
    "card",
    "account",
    "acct",
];
const CTX_PHONE: &[&str] = super::veto::PHONE_WORDS;
const CTX_SSN: &[&str] = &["ssn", "social security", "社会安全", "社會安全"];
const CTX_PASSPORT: &[&str] = &["护照", "護照", "passport"];
/// Every number-shaped rule: an operand of arithmetic is no identifier.
const NUMBER_VETOES: &[Veto] = &[Veto::Arithmetic];
const GROUPED_VETOES: &[Veto] = &[Veto::Arithmetic, Veto::Quantities];
const PHONE_VETOES: &[Veto] = &[
    Veto::Arithmetic,
    Veto::Quantities,
    Veto::Date,
    Veto::OtherShape,
];
const CARD_VETOES: &[Veto] = &[Veto::Arithmetic, Veto::Quantities, Veto::IdentityNumber];

const NONE: &[&str] = &[];

/// The armour line that opens a PEM private key.
macro_rules! pem_begin {
    () => {
        "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
    };
}
const PEM_BEGIN: &str = pem_begin!();

/// An optional extension after a phone number: `x123`, `ext. 12`, `分机 12`.
macro_rules! extension {
    () => {
        "(?:[ ,]{0,2}(?:[xX]|[eE]xt\\.?|[eE]xtension|分机|分機|转|轉)[ .:：]{0,2}[0-9０-９]{1,6})?"
    };
}

/// Every card layout the validator accepts opens with 4 unseparated digits.
const FIRST_GROUP: &str = concat!(d!(), "{4}");

/// Defaults for a row: a number-shaped rule (edges reject glued letters,
/// digits and decimal points; searched near digits), no context needed.
const ROW: RuleDef = RuleDef {
    id: "",
    pii_type: PiiType::Phone,
    pattern: "",
    start: "",
    validator: Validator::None,
    context: NONE,
    deny_before: NONE,
    vetoes: NUMBER_VETOES,
    left: Edge::Number,
    right: Edge::Number,
    ends: EndPref::Longest,
    score: 90,
    group: GroupKey::NearDigits,
};

/// Defaults for a secret: token edges, searched with the other
/// literal-prefixed rules, so the regex engine's literal prefilter (the
/// keyword step) runs before any pattern; validators add entropy checks.
const SECRET: RuleDef = RuleDef {
    pii_type: PiiType::Secret,
    vetoes: &[],
    left: Edge::Token,
    right: Edge::Token,
    group: GROUP_SECRETS,
    ..ROW
};

use PiiType as T;
use Validator as V;

pub(super) const BUILTIN: &[RuleDef] = &[
    RuleDef {
        id: "cn_resident_id.gb11643",
        pii_type: T::CnResidentId,
        pattern: concat!(d!(), "{17}[0-9０-９XxＸｘ]"),
        validator: V::Gb11643,
        score: 98,
        ..ROW
    },
    RuleDef {
        id: "cn_resident_id.legacy15",
        pii_type: T::CnResidentId,
        pattern: concat!(d!(), "{15}"),
        validator: V::Gb11643Legacy,
        context: CTX_ID,
        ..ROW
    },
    RuleDef {
        id: "cn_uscc.gb32100",
        pii_type: T::CnUscc,
        pattern: "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}",
        start: "[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}",
        validator: V::Gb32100,
        left: Edge::Alnum,
        right: Edge::Alnum,
        score: 97,
        ..ROW
    },
    RuleDef {
        id: "bank_card.pan",
        pii_type: T::BankCard,
        pattern: concat!(d!(), "(?:[ \\-]?", d!(), "){15,18}"),
        start: FIRST_GROUP,
        validator: V::CardLong,
        vetoes: CARD_VETOES,
        left: Edge::Grouped,
        right: Edge::Grouped,
        ..ROW
    },
    RuleDef {
        id: "bank_card.amex",
        pii_type: T::BankCard,
        pattern: concat!(
            "[3３][47４７]",
            d!(),
            "{2}[ \\-]?",
            d!(),
            "{6}[ \\-]?",
            d!(),
            "{5}"
        ),
        start: concat!("[3３][47４７]", d!(), "{2}"),
        validator: V::CardAmex,
        vetoes: CARD_VETOES,
        left: Edge::Grouped,
        right: Edge::Grouped,
        ..ROW
    },
    RuleDef {
        id: "bank_card.pan_short",
        pii_type: T::BankCard,
        pattern: concat!(d!(), "(?:[ \\-]?", d!(), "){11,14}"),
        start: FIRST_GROUP,
        validator: V::CardShort,
        context: CTX_CARD,
        vetoes: CARD_VETOES,
        left: Edge::Grouped,
        right: Edge::Grouped,
        ..ROW
    },
    RuleDef {
        id: "phone.cn_mobile",
        pii_type: T::Phone,
        pattern: concat!(
            "(?:(?:\\+|00)86[ \\-]?|86-|[(（]\\+?86[)）][ \\-]?)?[1１][3-9３-９]",
            d!(),
            "(?:",
            d!(),
            "{8}|[ \\-]",
            d!(),
            "{4}[ \\-]",
            d!(),
            "{4})"
        ),
        start: concat!(
            "(?:(?:\\+|00)86[ \\-]?|86-|[(（]\\+?86[)）][ \\-]?)?[1１][3-9３-９]",
            d!()
        ),
        validator: V::CnMobile,
        vetoes: GROUPED_VETOES,
        ..ROW
    },
    RuleDef {
        id: "phone.cn_landline",
        pii_type: T::Phone,
        pattern: concat!(
            "(?:[(（][0０]",
            d!(),
            "{2,3}[)）][ \\-]?|[0０]",
            d!(),
            "{2,3}[ \\-])",
            d!(),
            "{7,8}"
        ),
        start: concat!("[(（]?[0０]", d!(), "{2}"),
        validator: V::CnLandline,
        vetoes: GROUPED_VETOES,
        ..ROW
    },
    RuleDef {
        id: "phone.cn_landline_compact",
        pii_type: T::Phone,
        pattern: concat!("[0０]", d!(), "{9,11}"),
        validator: V::CnLandline,
        context: CTX_PHONE,
        ..ROW
    },
    RuleDef {
        id: "phone.nanp",
        pii_type: T::Phone,
        pattern: "(?:\\+1[ .\\-]?)?(?:\\([2-9][0-9]{2}\\)[ ]?|[2-9][0-9]{2}[ .\\-])[2-9][0-9]{2}[ .\\-][0-9]{4}|\\+1[2-9][0-9]{2}[2-9][0-9]{6}",
        start: "\\+1|\\([2-9][0-9]{2}\\)|[2-9][0-9]{2}[ .\\-]",
        validator: V::Nanp,
        ..ROW
    },
    RuleDef {
        id: "phone.e164",
        pii_type: T::Phone,
        pattern: concat!(
            "\\+[1-9]",
            d!(),
            "{0,3}[ .\\-]?(?:[(（]0[)）][ .\\-]?)?(?:[(（]",
            d!(),
            "{1,4}[)）][ .\\-]?)?",
            d!(),
            "{1,4}(?:[ .\\-]?",
            d!(),
            "{1,4}){1,6}",
            extension!()
        ),
        start: "\\+[1-9]",
        validator: V::E164,
        ..ROW
    },
    RuleDef {
        id: "us_ssn.dashed",
        pii_type: T::UsSsn,
        pattern: "[0-9]{3}-[0-9]{2}-[0-9]{4}",
        validator: V::UsSsn,
        score: 85,
        ..ROW
    },
    RuleDef {
        id: "us_ssn.compact",
        pii_type: T::UsSsn,
        pattern: "[0-9]{3} [0-9]{2} [0-9]{4}|[0-9]{9}",
        validator: V::UsSsn,
        context: CTX_SSN,
        ..ROW
    },
    RuleDef {
        id: "cn_passport.number",
        pii_type: T::CnPassport,
        pattern: "[EG][0-9]{8}|E[A-HJ-NP-Z][0-9]{7}|[DSP]E?[0-9]{7,8}",
        validator: V::CnPassport,
        context: CTX_PASSPORT,
        left: Edge::Alnum,
        score: 80,
        ..ROW
    },
    RuleDef {
        id: "email.address",
        pii_type: T::Email,
        // The local part is bounded (RFC 5321 allows 64) so the anchored
        // search cannot run on through a long dotted or hyphenated run.
        pattern: "[A-Za-z0-9._%+\\-]{1,64}@[A-Za-z0-9\\-]+(?:\\.[A-Za-z0-9\\-]+)+",
        validator: V::Email,
        left: Edge::EmailLocal,
        right: Edge::Domain,
        group: GROUP_EMAIL,
        ..ROW
    },
    RuleDef {
        id: "ip_address.v4",
        pii_type: T::IpAddress,
        pattern: "[0-9]{1,3}(?:\\.[0-9]{1,3}){3}(?:/[0-9]{1,2})?",
        validator: V::Ipv4,
        vetoes: &[Veto::Arithmetic, Veto::NotAnAddress],
        score: 80,
        ..ROW
    },
    RuleDef {
        id: "ip_address.v6",
        pii_type: T::IpAddress,
        // Every textual form: full, `::`-compressed, a trailing embedded IPv4,
        // a `%zone` (link-local) and a `/len` prefix.
        pattern: "[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\\.[0-9]{1,3}){0,3}(?:%[0-9A-Za-z_.\\-]{1,32})?(?:/[0-9]{1,3})?",
        start: "[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:",
        validator: V::Ipv6,
        left: Edge::Ipv6,
        right: Edge::Ipv6,
        score: 80,
        group: GroupKey::NearColonPair,
        ..ROW
    },
    RuleDef {
        id: "iban.mod97",
        pii_type: T::Iban,
        pattern: "[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}",
        start: "[A-Z]{2}[0-9]{2}",
        validator: V::Mod97,
        left: Edge::Alnum,
        right: Edge::Alnum,
        score: 97,
        ..ROW
    },
    RuleDef {
        id: "cn_license_plate.standard",
        pii_type: T::CnLicensePlate,
        pattern: "[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•・ ]?[A-HJ-NP-Z0-9]{5,6}",
        validator: V::CnPlate,
        left: Edge::Alnum,
        right: Edge::Alnum,
        score: 75,
        ..ROW
    },
    // Looser phone shapes come after every specific rule: a tie at the same
    // span (an SSN, a dotted quad) goes to the earlier row.
    RuleDef {
        id: "phone.national",
        pii_type: T::Phone,
        pattern: concat!(
            "(?:[(（]",
            d!(),
            "{2,5}[)）][ ]?)?",
            d!(),
            "{2,5}(?:[ .\\-]",
            d!(),
            "{2,8}){1,4}",
            extension!()
        ),
        validator: V::PhonePlan,
        context: CTX_PHONE,
        vetoes: PHONE_VETOES,
        left: Edge::Grouped,
        right: Edge::Grouped,
        score: 75,
        ..ROW
    },
    RuleDef {
        id: "phone.local",
        pii_type: T::Phone,
        pattern: concat!(
            "[2-9２-９]",
            d!(),
            "{2,3}[ .\\-]?",
            d!(),
            "{4}",
            extension!()
        ),
        validator: V::PhoneShape,
        context: CTX_PHONE,
        left: Edge::Grouped,
        right: Edge::Grouped,
        vetoes: &[
            Veto::Arithmetic,
            Veto::Date,
            Veto::OtherShape,
            Veto::PhoneWordBefore,
        ],
        score: 60,
        ..ROW
    },
    RuleDef {
        id: "secret.pem_private_key",
        // The body never holds `-----`, so the search from a BEGIN stops at the
        // next marker (its END, or another BEGIN) instead of running on to the
        // end of the text: repeated BEGIN lines cost linear, not quadratic, time.
        pattern: concat!(
            pem_begin!(),
            "(?:-{0,4}[A-Za-z0-9+/=\\s:,.\\\\])+?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
        ),
        start: PEM_BEGIN,
        validator: V::PemBlock,
        left: Edge::None,
        right: Edge::None,
        ends: EndPref::Shortest,
        ..SECRET
    },
    RuleDef {
        id: "secret.pem_private_key_header",
        pattern: PEM_BEGIN,
        validator: V::PemBlock,
        left: Edge::None,
        right: Edge::None,
        ..SECRET
    },
    RuleDef {
        id: "secret.url_credentials",
        // `scheme://user:password@host`: a password written into a URL. The
        // validator tags sample ones (`user:pass@…`, example hosts) `placeholder`.
        pattern: "(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp][Ss]?|sftp|ssh|git|mysql|postgres(?:ql)?|mongodb(?:\\+srv)?|redis|amqps?|smtps?|ldaps?|jdbc:[a-z]+)://[^\\s:/@]{1,64}:[^\\s/@]{1,128}@[A-Za-z0-9.\\-]{1,253}",
        start: "(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp][Ss]?|sftp|ssh|git|mysql|postgres(?:ql)?|mongodb(?:\\+srv)?|redis|amqps?|smtps?|ldaps?|jdbc:[a-z]+)://[^\\s:/@]{1,64}:",
        validator: V::UrlCredentials,
        right: Edge::Domain,
        group: GROUP_URL_CREDENTIALS,
        ..SECRET
    },
    RuleDef {
        id: "secret.aws_access_key_id",
        pattern: "(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}",
        validator: V::AwsKeyId,
        ..SECRET
    },
    RuleDef {
        id: "secret.github_token",
        pattern: "gh[pousr]_[A-Za-z0-9]{36}",
        validator: V::GithubToken,
        ..SECRET
    },
    RuleDef {
        id: "secret.github_pat",
        pattern: "github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}",
        validator: V::GithubToken,
        ..SECRET
    },
    RuleDef {
        id: "secret.slack_token",
        pattern: "xox[baprs]-[0-9A-Za-z\\-]{10,}",
        validator: V::SlackToken,
        ..SECRET
    },
    RuleDef {
        id: "secret.openai_key",
        pattern: "sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\\-]{20,}",
        validator: V::OpenAiKey,
        ..SECRET
    },
    RuleDef {
        id: "secret.jwt",
        pattern: "eyJ[A-Za-z0-9_\\-]{8,}\\.eyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{16,}",
        validator: V::Jwt,
        ..SECRET
    },
];
