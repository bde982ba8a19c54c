//! Reference tables the validators consult. Data only: update here when a
//! standard changes, never in validator code.

/// GB/T 2260 province-level codes: the first two digits of a resident id and
/// of a USCC's administrative-division part.
pub(super) const CN_PROVINCES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

/// GB 11643 weights for the first 17 digits of an 18-digit resident id.
pub(super) const GB11643_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// GB 11643 check characters, indexed by the weighted sum mod 11.
pub(super) const GB11643_CHECK: &[u8; 11] = b"10X98765432";

/// GB 32100 alphabet (no I, O, S, V, Z); a character's value is its index.
pub(super) const GB32100_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// GB 32100 weights: 3^i mod 31.
pub(super) const GB32100_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// GB 32100 first character: the registering authority (1–9 ministries,
/// A military reform office, N agriculture, Y others).
pub(super) const GB32100_AUTHORITIES: &[u8] = b"123456789ANY";

/// GB 11714 organisation-code weights (embedded in characters 9–17 of a USCC).
pub(super) const GB11714_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// IBAN length per ISO 13616 country (SWIFT IBAN registry).
#[rustfmt::skip]
pub(super) const IBAN_LENGTHS: &[(&str, u8)] = &[
    ("AD", 24), ("AE", 23), ("AL", 28), ("AT", 20), ("AZ", 28), ("BA", 20), ("BE", 16),
    ("BG", 22), ("BH", 22), ("BI", 27), ("BR", 29), ("BY", 28), ("CH", 21), ("CR", 22),
    ("CY", 28), ("CZ", 24), ("DE", 22), ("DJ", 27), ("DK", 18), ("DO", 28), ("EE", 20),
    ("EG", 29), ("ES", 24), ("FI", 18), ("FK", 18), ("FO", 18), ("FR", 27), ("GB", 22),
    ("GE", 22), ("GI", 23), ("GL", 18), ("GR", 27), ("GT", 28), ("HR", 21), ("HU", 28),
    ("IE", 22), ("IL", 23), ("IQ", 23), ("IS", 26), ("IT", 27), ("JO", 30), ("KW", 30),
    ("KZ", 20), ("LB", 28), ("LC", 32), ("LI", 21), ("LT", 20), ("LU", 20), ("LV", 21),
    ("LY", 25), ("MC", 27), ("MD", 24), ("ME", 22), ("MK", 19), ("MN", 20), ("MR", 27),
    ("MT", 31), ("MU", 30), ("NI", 28), ("NL", 18), ("NO", 15), ("OM", 23), ("PK", 24),
    ("PL", 28), ("PS", 29), ("PT", 25), ("QA", 29), ("RO", 24), ("RS", 22), ("RU", 33),
    ("SA", 24), ("SC", 31), ("SD", 18), ("SE", 24), ("SI", 19), ("SK", 24), ("SM", 27),
    ("SO", 23), ("ST", 25), ("SV", 28), ("TL", 23), ("TN", 24), ("TR", 26), ("UA", 29),
    ("VA", 22), ("VG", 24), ("XK", 20), ("YE", 30),
];

/// ITU-T E.164 country calling codes of two digits. Codes starting with 1 or
/// 7 are one digit; every other code is three digits (the plan is prefix-free).
pub(super) const CALLING_CODES_2: &[u16] = &[
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
    57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];

/// Three-digit calling codes as inclusive ranges of assigned codes.
#[rustfmt::skip]
pub(super) const CALLING_CODES_3: &[(u16, u16)] = &[
    (211, 213), (216, 216), (218, 218), (220, 258), (260, 269), (290, 291), (297, 299),
    (350, 359), (370, 383), (385, 387), (389, 389), (420, 421), (423, 423), (500, 509),
    (590, 599), (670, 670), (672, 683), (685, 692), (800, 800), (808, 808), (850, 850),
    (852, 853), (855, 856), (870, 870), (878, 878), (880, 883), (886, 886), (888, 888),
    (960, 968), (970, 977), (979, 979), (992, 996), (998, 998),
];

/// "Top-level domains" that are really file extensions, as in `logo@2x.png`.
pub(super) const FILE_EXTENSION_TLDS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "css", "js", "ts", "json", "xml",
    "html", "htm", "txt", "md", "pdf", "zip", "gz", "tar", "mp3", "mp4", "wav", "avi", "mov",
];

/// US SSNs that were published as examples and never identify a person.
pub(super) const SSN_PUBLISHED_EXAMPLES: &[&str] = &["078051120", "219099999", "123456789"];

/// Card issuer ranges (ISO/IEC 7812 IINs as the schemes publish them):
/// (brand, first prefix, last prefix, shortest and longest card). A card
/// number counts only when its leading digits fall in a range whose scheme
/// issues cards of its length; the brand becomes the finding's tag. Prefixes
/// of one range have the same number of digits.
#[rustfmt::skip]
pub(super) const CARD_BRANDS: &[(&str, &str, &str, u8, u8)] = &[
    ("amex", "34", "34", 15, 15),
    ("amex", "37", "37", 15, 15),
    ("diners", "300", "305", 14, 19),
    ("diners", "3095", "3095", 14, 19),
    ("diners", "36", "36", 14, 19),
    ("diners", "38", "39", 16, 19),
    ("jcb", "3528", "3589", 16, 19),
    ("visa", "4", "4", 13, 19),
    ("mastercard", "51", "55", 16, 16),
    ("mastercard", "2221", "2720", 16, 16),
    ("mir", "2200", "2204", 16, 19),
    ("maestro", "50", "50", 12, 19),
    ("maestro", "56", "58", 12, 19),
    ("maestro", "6", "6", 12, 19),
    ("unionpay", "62", "62", 16, 19),
    ("unionpay", "81", "81", 16, 19),
    ("discover", "6011", "6011", 16, 19),
    ("discover", "644", "649", 16, 19),
    ("discover", "65", "65", 16, 19),
    ("rupay", "60", "60", 16, 16),
    ("rupay", "508", "508", 16, 16),
];

/// Domains reserved for examples and tests (RFC 2606, RFC 6761) and, after
/// them, ones that sample code and tutorials use as stand-ins. A domain
/// equal to an entry, or below it, is a placeholder. Extended by
/// `[pii] placeholder_domains`.
pub(super) const PLACEHOLDER_DOMAINS: &[&str] = &[
    // Reserved names and top-level domains.
    "example.com",
    "example.net",
    "example.org",
    "example",
    "test",
    "invalid",
    "localhost",
    "local",
    "localdomain",
    // Stand-ins seen in documentation and samples.
    "yourdomain.com",
    "yourcompany.com",
    "your-domain.com",
    "mydomain.com",
    "domain.com",
    "company.com",
    "email.com",
    "sample.com",
    "test.com",
    "website.com",
    "site.com",
    "somewhere.com",
    "acme.com",
    "foo.com",
    "bar.com",
    "foobar.com",
    "xxx.com",
    "abc.com",
    "example.cn",
    "example.com.cn",
    "xxx.cn",
];

/// Local parts that stand for "your address here".
pub(super) const PLACEHOLDER_LOCAL_PARTS: &[&str] = &[
    "you",
    "your",
    "yourname",
    "your.name",
    "your_name",
    "youremail",
    "your.email",
    "your_email",
    "username",
    "user.name",
    "name",
    "someone",
    "somebody",
    "xxx",
    "xxxx",
    "abc",
    "test",
    "firstname.lastname",
    "first.last",
    "john.doe",
    "jane.doe",
    "johndoe",
    "janedoe",
];

/// User names and passwords that mark a URL's credentials as a sample.
pub(super) const PLACEHOLDER_CREDENTIALS: &[&str] = &[
    "user",
    "username",
    "usr",
    "pass",
    "passwd",
    "password",
    "pwd",
    "secret",
    "login",
    "name",
    "admin",
    "root",
    "test",
    "xxx",
    "xxxx",
    "foo",
    "bar",
    "your_password",
    "yourpassword",
    "changeme",
    "token",
    "<password>",
    "<user>",
    "***",
    "****",
];
