//! Conformance of license identification on real files nobody on this project
//! wrote: ScanCode toolkit's external data-driven test files (FOSSology, SLIC,
//! licensecheck, atarashi, GitHub license templates, SPDX texts), read from
//! `../shared/corpora/licenses-scancode-external` when present.
//!
//! Each file is scanned as one record, as `provaudit scan cases --text-unit
//! file` does (and, for LICENSE / COPYING / NOTICE names, identified as a whole
//! license file too). A case counts when every ScanCode key it expects maps to
//! an SPDX id (not a `LicenseRef-scancode-*`); it is a hit when the first
//! expected id is among the SPDX ids detected, or an id the [`EQUIVALENT`]
//! table accepts for a ScanCode key older than SPDX's split of its text
//! (the strict rate without that table is printed too). Misses are split
//! into found nothing / right family but wrong version or variant / wrong
//! license.
//!
//! Set `PROVAUDIT_SCANCODE_MISSES=1` to print every dev-half miss (path,
//! expected, detected) and every proprietary file that also carries a grant.
//! Cases are split into a dev half and a held-out half by a stable hash of
//! their path; both halves' rates are printed, held-out misses never are.
//!
//! Debug builds take about 1.5 to 2 minutes on two busy cores (the detector is
//! compiled without optimisation); the figure to quote is the table.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use provaudit::analyze::license::{
    Category, LicenseDetector, LicenseMatch, LicenseSummary, MarkerKind, category_of,
};
use provaudit::discover::role::is_license_file_name;
use rayon::prelude::*;

#[path = "support/license_tally.rs"]
mod license_tally;
use license_tally::Tally;

/// Primary-id rate the detector must keep (measured figure minus a margin).
const FLOOR: f64 = 0.935;
/// Largest share of counted cases where nothing at all is found.
const NOTHING_CEILING: f64 = 0.019;
/// Most files whose expected licenses all grant rights (ScanCode categories
/// Permissive, Copyleft, Copyleft Limited, Public Domain) that may read
/// `proprietary`, over all cases: a ratchet towards none (15 before the
/// grant rules `name.you_may_modify` and "permission to anyone to use"; 11
/// measured 2026-12-05, most of them an EULA, Unicode's "Terms of Use"
/// notice above its permission notice, and grants of use alone).
const GRANT_PROPRIETARY_CEILING: usize = 11;

fn corpus() -> Option<PathBuf> {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/licenses-scancode-external");
    root.join("scancode_keys.json").is_file().then_some(root)
}

/// ScanCode keys older than a more precise SPDX id of the same text family:
/// `(ScanCode key, SPDX ids also accepted for it)`. ScanCode's test data was
/// written before SPDX split these texts, so a file it labels with the old
/// key may carry exactly the newer variant, and a detector that names the
/// variant is right, not wrong. Each row is a variant SPDX lists as a
/// separate text derived from the key's own text; the table is applied to
/// both halves alike, and the strict rate (without it) is printed too.
const EQUIVALENT: &[(&str, &[&str])] = &[
    // SPDX 3.22 `X11-swapped`: the X11 text with its last two paragraphs
    // (the name clause and the disclaimer) in the other order.
    ("x11-xconsortium", &["X11-swapped"]),
    // SPDX 3.23 `IJG-short`: the IJG license without the paragraphs about
    // `ansi2knr.c` and the GIF/LZW code that older releases carried.
    ("ijg", &["IJG-short"]),
    // SPDX 3.24 `OpenSSL-standalone`: the OpenSSL license alone; before it
    // SPDX's `OpenSSL` (OpenSSL plus SSLeay) was the only id for either.
    ("openssl-ssleay", &["OpenSSL-standalone"]),
    // `Sendmail-8.23`: the Sendmail license as reissued by its later steward
    // (Proofpoint) from release 8.23 on, the terms unchanged.
    ("sendmail", &["Sendmail-8.23"]),
    // SPDX 3.23 `Latex2e-translated-notice`: the LaTeX2e manual's permission
    // notice in the form that also allows a translation of the notice.
    ("latex2e", &["Latex2e-translated-notice"]),
];

/// What ScanCode says of one key: its SPDX id (or `LicenseRef-scancode-*`)
/// and its category ("Permissive", "Copyleft", "Commercial", ...).
struct Key {
    spdx: String,
    category: String,
}

/// ScanCode key -> its SPDX id and category.
fn load_keys(root: &Path) -> HashMap<String, Key> {
    let text = std::fs::read_to_string(root.join("scancode_keys.json")).unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let field = |v: &serde_json::Value, f: &str| v.get(f)?.as_str().map(str::to_string);
    json.as_object()
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| {
                    let key = Key {
                        spdx: field(v, "spdx")?,
                        category: field(v, "category").unwrap_or_default(),
                    };
                    Some((k.clone(), key))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// ScanCode categories of licenses that grant the usual rights to anyone: a
/// file whose every expected key is in one of them must never read as
/// `proprietary`.
const GRANTING: &[&str] = &[
    "Permissive",
    "Copyleft",
    "Copyleft Limited",
    "Public Domain",
];
/// ScanCode categories of terms that grant no free license ("Commercial",
/// and "Proprietary Free": proprietary terms free of charge, EULAs).
const RESERVING: &[&str] = &["Commercial", "Proprietary Free"];

/// What ScanCode's expectation says a file's terms are, by the categories of
/// every key it expects: all granting, all reserving, or neither (mixed, or
/// a category such as "Source-available" or "CLA" that is neither).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expected {
    Grant,
    Reserved,
    Other,
}

/// The `license_expressions` list of a case's `.yml`.
fn expressions(yml: &str) -> Vec<String> {
    yml.lines()
        .filter_map(|l| l.trim_start().strip_prefix("- "))
        .map(|e| e.trim().trim_matches(['"', '\'']).to_string())
        .filter(|e| !e.is_empty())
        .collect()
}

/// License and exception words of an expression, in order, without operators.
fn ids(expr: &str) -> impl Iterator<Item = &str> {
    expr.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| {
            !w.is_empty() && !matches!(w.to_ascii_uppercase().as_str(), "AND" | "OR" | "WITH")
        })
}

/// The family of an SPDX id: its leading letters (`GPL-2.0-only` -> `gpl`,
/// `BSD-3-Clause` -> `bsd`, `CC-BY-SA-4.0` -> `cc`).
fn family(id: &str) -> String {
    id.chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase()
}

struct Case {
    group: String,
    /// Which half the case falls in (see [`half`]).
    dev: bool,
    path: PathBuf,
    /// SPDX ids of every expected key; `None` when some key has no SPDX id.
    expected: Option<Vec<String>>,
    /// SPDX ids [`EQUIVALENT`] also accepts for the primary key.
    also: &'static [&'static str],
    /// Whether ScanCode's keys grant rights or reserve them (see [`Expected`]).
    terms: Expected,
}

fn cases(root: &Path, keys: &HashMap<String, Key>) -> Vec<Case> {
    let cases_dir = root.join("cases");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&cases_dir).sort_by_file_name() {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        let mut yml = path.as_os_str().to_owned();
        yml.push(".yml");
        let yml = PathBuf::from(yml);
        if !entry.file_type().is_file() || !yml.is_file() {
            continue;
        }
        let group = path
            .strip_prefix(&cases_dir)
            .ok()
            .and_then(|p| p.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        let exprs = expressions(&std::fs::read_to_string(&yml).unwrap_or_default());
        let mapped: Option<Vec<String>> = exprs
            .iter()
            .flat_map(|e| ids(e))
            .map(|k| {
                keys.get(k)
                    .map(|key| key.spdx.clone())
                    .filter(|s| !s.starts_with("LicenseRef-"))
            })
            .collect();
        let categories: Vec<&str> = exprs
            .iter()
            .flat_map(|e| ids(e))
            .map(|k| keys.get(k).map_or("", |key| key.category.as_str()))
            .collect();
        let all_in =
            |set: &[&str]| !categories.is_empty() && categories.iter().all(|c| set.contains(c));
        let terms = if all_in(GRANTING) {
            Expected::Grant
        } else if all_in(RESERVING) {
            Expected::Reserved
        } else {
            Expected::Other
        };
        let primary_key = exprs.iter().flat_map(|e| ids(e)).next().unwrap_or("");
        let also = EQUIVALENT
            .iter()
            .find(|(k, _)| *k == primary_key)
            .map_or(&[][..], |(_, a)| *a);
        out.push(Case {
            dev: half(path.strip_prefix(root).unwrap_or(path)),
            group,
            path: path.to_path_buf(),
            expected: mapped.filter(|v| !v.is_empty()),
            also,
            terms,
        });
    }
    out
}

/// Whether a case is in the dev half (`true`) or the held-out half: FNV-1a of
/// its path relative to the corpus root, `/`-separated, low bit clear. Rules
/// are tuned on dev-half misses only; a held-out rate well below the dev rate
/// means the rules fit the corpus rather than the wording licenses use.
fn half(rel: &Path) -> bool {
    let key: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.join("/").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h & 1 == 0
}

/// What the scan of one file reports.
struct Detected {
    ids: BTreeSet<String>,
    any_license: bool,
    category: Category,
}

fn detect(detector: &LicenseDetector, path: &Path) -> Detected {
    let bytes = std::fs::read(path).unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let mut found: Vec<LicenseMatch> = Vec::new();
    detector.scan_text(&text, &mut found);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if is_license_file_name(&name)
        && let Some(m) = detector.identify_license_file(&text)
    {
        found.push(m);
    }
    let mut summary = LicenseSummary::default();
    summary.add_record(&found);
    summary.close_file(true);
    let licenses: Vec<&str> = found
        .iter()
        .filter(|m| m.kind == MarkerKind::License)
        .filter_map(|m| m.license.as_deref())
        .collect();
    Detected {
        ids: licenses
            .iter()
            .flat_map(|l| ids(l))
            .map(str::to_string)
            .collect(),
        any_license: !licenses.is_empty(),
        category: summary.category(),
    }
}

/// One case's outcome: a hit when the primary id (or an id [`EQUIVALENT`]
/// accepts for its key) is detected, else the kind of miss.
fn outcome(got: &Detected, primary: &str, also: &[&str]) -> Tally {
    let mut one = Tally {
        n: 1,
        ..Tally::default()
    };
    if got.ids.contains(primary) || also.iter().any(|a| got.ids.contains(*a)) {
        one.hit = 1;
    } else if !got.any_license {
        one.nothing = 1;
    } else if got.ids.iter().any(|d| family(d) == family(primary)) {
        one.variant = 1;
    } else {
        one.wrong = 1;
    }
    one
}

/// Category confusion against ScanCode's own license categories, over every
/// case (counted or not): files whose expected licenses all grant rights but
/// read `proprietary`, and files whose expected terms all reserve them but
/// read as something else (by the category they read as).
#[derive(Default)]
struct Terms {
    grant: usize,
    grant_proprietary: usize,
    reserved: usize,
    reserved_as: BTreeMap<String, usize>,
}

impl Terms {
    fn add(&mut self, case: &Case, got: &Detected) {
        let proprietary = got.category == Category::Proprietary;
        match case.terms {
            Expected::Grant => {
                self.grant += 1;
                self.grant_proprietary += usize::from(proprietary);
            }
            Expected::Reserved => {
                self.reserved += 1;
                if !proprietary {
                    *self
                        .reserved_as
                        .entry(got.category.as_str().to_string())
                        .or_default() += 1;
                }
            }
            Expected::Other => {}
        }
    }

    /// Prints a dev-half case whose category contradicts ScanCode's.
    fn show(&self, root: &Path, case: &Case, got: &Detected) {
        let proprietary = got.category == Category::Proprietary;
        let label = match case.terms {
            Expected::Grant if proprietary => "GRANT-AS-PROPRIETARY",
            Expected::Reserved if !proprietary => "RESERVED-AS-GRANT",
            _ => return,
        };
        let rel = case.path.strip_prefix(root).unwrap_or(&case.path);
        println!(
            "{label} {} {} {:?}",
            rel.display(),
            got.category.as_str(),
            got.ids
        );
    }

    fn summary(&self) -> String {
        let elsewhere: usize = self.reserved_as.values().sum();
        format!(
            "by ScanCode's categories: granting {}, of them proprietary {}; reserving {}, of them read as another category {elsewhere} {:?}",
            self.grant, self.grant_proprietary, self.reserved, self.reserved_as
        )
    }
}

#[test]
fn scancode_external_primary_ids() {
    let Some(root) = corpus() else {
        println!("SKIPPED: ../shared/corpora/licenses-scancode-external is absent");
        return;
    };
    let keys = load_keys(&root);
    let cases = cases(&root, &keys);
    assert!(
        !keys.is_empty() && !cases.is_empty(),
        "corpus present but empty"
    );
    let detector = LicenseDetector::builtin();
    let started = std::time::Instant::now();
    let detected: Vec<Detected> = cases
        .par_iter()
        .map(|c| detect(&detector, &c.path))
        .collect();
    let elapsed = started.elapsed();
    let show_misses = std::env::var_os("PROVAUDIT_SCANCODE_MISSES").is_some();

    let mut groups: BTreeMap<&str, Tally> = BTreeMap::new();
    let (mut dev, mut held_out) = (Tally::default(), Tally::default());
    // The same tallies without the `EQUIVALENT` table.
    let (mut strict, mut strict_dev, mut strict_held) =
        (Tally::default(), Tally::default(), Tally::default());
    let (mut proprietary, mut proprietary_with_grant, mut reserved_over_grant) = (0, 0, 0);
    let mut terms = Terms::default();
    for (case, got) in cases.iter().zip(&detected) {
        terms.add(case, got);
        if show_misses && case.dev {
            terms.show(&root, case, got);
        }
        if got.category == Category::Proprietary {
            proprietary += 1;
            let cats: Vec<Category> = got.ids.iter().map(|id| category_of(id)).collect();
            let granted = cats
                .iter()
                .any(|c| *c != Category::Proprietary && *c != Category::Unknown);
            proprietary_with_grant += usize::from(granted);
            // Proprietary only because of a reservation, though a license grants rights.
            let by_reservation = granted && !cats.contains(&Category::Proprietary);
            reserved_over_grant += usize::from(by_reservation);
            if granted && show_misses && case.dev {
                let rel = case.path.strip_prefix(&root).unwrap_or(&case.path);
                println!("PROPRIETARY {} with {:?}", rel.display(), got.ids);
            }
        }
        let Some(expected) = &case.expected else {
            // Not counted (a ScanCode-only key), but a file with license
            // terms still should not read as carrying none.
            if show_misses && case.dev && !got.any_license {
                let rel = case.path.strip_prefix(&root).unwrap_or(&case.path);
                println!("UNCOUNTED-NOTHING {}", rel.display());
            }
            continue;
        };
        let Some(primary) = expected.first() else {
            continue;
        };
        let one = outcome(got, primary, case.also);
        let one_strict = outcome(got, primary, &[]);
        groups.entry(case.group.as_str()).or_default().add(&one);
        if case.dev { &mut dev } else { &mut held_out }.add(&one);
        strict.add(&one_strict);
        if case.dev {
            &mut strict_dev
        } else {
            &mut strict_held
        }
        .add(&one_strict);
        // Held-out misses stay hidden: tuning looks at the dev half only.
        if show_misses && one.hit == 0 && case.dev {
            let rel = case.path.strip_prefix(&root).unwrap_or(&case.path);
            println!(
                "MISS {} expected {expected:?} got {:?}",
                rel.display(),
                got.ids
            );
        }
    }

    let mut total = Tally::default();
    println!(
        "{:<20} {:>5} {:>7} {:>8} {:>8} {:>8}",
        "group", "cases", "primary", "nothing", "variant", "wrong"
    );
    for (g, t) in &groups {
        println!("{}", t.row(g));
        total.add(t);
    }
    println!("{}", total.row("all"));
    println!("{}", dev.row("dev half"));
    println!("{}", held_out.row("held-out half"));
    println!("without the EQUIVALENT table:");
    println!("{}", strict.row("all (strict)"));
    println!("{}", strict_dev.row("dev half (strict)"));
    println!("{}", strict_held.row("held-out (strict)"));
    let nothing_share = total.nothing as f64 / total.n.max(1) as f64;
    println!(
        "{} files ({} counted) in {:.1} s; found nothing {:.1}%; proprietary {proprietary}, of them with a grant {proprietary_with_grant} ({reserved_over_grant} by a reservation alone)",
        cases.len(),
        total.n,
        elapsed.as_secs_f64(),
        100.0 * nothing_share
    );
    println!("{}", terms.summary());
    assert!(
        terms.grant_proprietary <= GRANT_PROPRIETARY_CEILING,
        "{} files whose expected licenses all grant rights are categorised proprietary (ceiling {GRANT_PROPRIETARY_CEILING})",
        terms.grant_proprietary
    );
    assert!(
        total.rate() >= FLOOR,
        "primary-id rate {:.3} fell below {FLOOR}",
        total.rate()
    );
    assert_eq!(
        reserved_over_grant, 0,
        "files with a license grant made proprietary by 'all rights reserved'"
    );
    assert!(
        nothing_share < NOTHING_CEILING,
        "found-nothing share {nothing_share:.3} reached {NOTHING_CEILING}"
    );
}

/// Tuning aid: every match the detector reports for the file named by
/// `PROVAUDIT_LICENSE_EXPLAIN`, with its rule and the text it covers.
#[test]
#[ignore = "tuning aid: PROVAUDIT_LICENSE_EXPLAIN=path cargo test --test license_scancode explain -- --ignored --nocapture"]
fn explain() {
    let Some(path) = std::env::var_os("PROVAUDIT_LICENSE_EXPLAIN") else {
        return;
    };
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned();
    let mut found = Vec::new();
    LicenseDetector::builtin().scan_text(&text, &mut found);
    for m in &found {
        let covered: String = text[m.start..m.end].chars().take(160).collect();
        println!(
            "{} {:?} {:?} {} {:?}",
            m.kind.as_str(),
            m.license,
            m.evidence,
            m.rule,
            covered.replace('\n', "⏎")
        );
    }
}
