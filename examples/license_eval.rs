//! License identification on real license files this project never tuned on:
//! `cargo run --release --example license_eval -- [registry] [readme] [debian]`
//! (all three when no source is named).
//!
//! - `registry`: every crate unpacked in this machine's cargo registry
//!   (`$CARGO_HOME/registry/src/*/*/`, `~/.cargo` by default). Each crate's
//!   top-level `LICENSE*`, `LICENCE*`, `COPYING*` and `UNLICENSE*` file is a
//!   case; the expected license comes from the crate's `Cargo.toml`
//!   `license =` expression. A file whose name carries a suffix
//!   (`LICENSE-MIT`, `LICENSE.BSD-3-Clause`, `license-apache-2.0`,
//!   `UNLICENSE`) expects the one id of the expression that suffix names; a
//!   plain `LICENSE` / `COPYING` expects the expression's id when it has only
//!   one. Any other file (a suffix naming no id of the expression, a plain
//!   file under a multi-license expression, a crate without `license =`, a
//!   symlink packed as a one-word file) is skipped and counted as skipped.
//! - `readme`: the same crates' top-level `README*` files that have a
//!   license section (a line that is just "License", "## Licensing", ...).
//!   A README must yield every id of the crate's expression: it states the
//!   license in notice wording ("Licensed under either of ... at your
//!   option"), the form a dataset card or a project page uses too.
//! - `debian`: `/usr/share/doc/*/copyright` files in the machine-readable
//!   (DEP-5) format whose `Files: *` paragraph names one license. The text
//!   scanned is that license's body (the paragraph's continuation lines, or
//!   the stand-alone `License:` paragraph of the same name), without the
//!   short-name line itself: the short name is the expectation, not evidence.
//!   Debian short names map to SPDX ids by [`DEBIAN_NAMES`] and the GNU
//!   `GPL-2+` convention; names that are ambiguous or not in SPDX are skipped.
//!   DEP-5's `MIT` names a family ([`DEBIAN_FAMILIES`]): any `MIT-*` variant
//!   SPDX lists satisfies it.
//!
//! Texts are deduplicated by content (many crates ship the same Apache text)
//! and split into a dev half and a held-out half by the low bit of the
//! SHA-256 of the text, a stable split that does not depend on where a text
//! was found. Set `PROVAUDIT_LICENSE_EVAL_MISSES=1` to print every dev-half
//! miss; held-out misses are never printed (tune on dev misses only).
//!
//! This is an example rather than a test: the registry and `/usr/share/doc`
//! differ from machine to machine, so its figures are comparable only on one
//! machine. Each case is scanned as `tests/license_scancode.rs` scans one:
//! the whole text as one record, plus whole-file identification when the
//! file name is a license file's; a hit is the expected id among the SPDX
//! ids detected.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use provaudit::analyze::license::{LicenseDetector, LicenseMatch, MarkerKind};
use provaudit::discover::role::is_license_file_name;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

#[path = "../tests/support/license_tally.rs"]
mod license_tally;
use license_tally::Tally;

/// Debian short license names (DEP-5 and common usage) that are not SPDX ids
/// spelled the same, with the SPDX id each means. GNU names (`GPL-2`,
/// `LGPL-2.1+`) are handled by [`gnu_id`]; names matching an SPDX id up to
/// case are taken as that id. Ambiguous names (`MIT/X11`, `BSD-variant`,
/// `Artistic`, `public-domain`, `Apache` without a version) are left out on
/// purpose and skipped.
const DEBIAN_NAMES: &[(&str, &str)] = &[
    ("expat", "MIT"),
    ("zlib", "Zlib"),
    ("libpng", "Libpng"),
    ("bitstream-vera", "Bitstream-Vera"),
    ("apache-2", "Apache-2.0"),
    ("apache-2-llvm-exceptions", "Apache-2.0"),
    ("mpl-2", "MPL-2.0"),
    ("boost", "BSL-1.0"),
    ("bsl", "BSL-1.0"),
    ("cc0", "CC0-1.0"),
    ("psf-2", "PSF-2.0"),
    ("python-2", "Python-2.0"),
    ("sgi-2", "SGI-B-2.0"),
    ("sleepycat", "Sleepycat"),
];

/// Debian short names DEP-5 defines as a family rather than one text, and
/// the SPDX id prefix of that family: DEP-5 says of `MIT` "there are many
/// versions of the MIT license; please use Expat instead, when it matches",
/// so a body labelled `MIT` may be any MIT variant SPDX lists
/// (`MIT-Modern-Variant`, `MIT-CMU`, ...), and the detector that names the
/// variant is right. Applied to both halves alike.
const DEBIAN_FAMILIES: &[(&str, &str)] = &[("mit", "MIT-")];

/// One text to identify.
struct Case {
    /// `registry` or `debian`.
    set: &'static str,
    /// Where it was first found (for the misses printout).
    path: PathBuf,
    /// File name the scan sees (decides whole-file identification).
    name: String,
    text: String,
    /// Every id the text must yield (one for license files and Debian
    /// bodies, every id of the expression for a README).
    expected: Vec<String>,
    /// An SPDX id prefix whose ids also satisfy the expectation
    /// ([`DEBIAN_FAMILIES`]).
    family_prefix: Option<&'static str>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let want = |s: &str| args.is_empty() || args.iter().any(|a| a == s);
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    let mut cases = Vec::new();
    if want("registry") || want("readme") {
        registry_cases(&mut cases, &mut skipped, want("registry"), want("readme"));
    }
    if want("debian") {
        debian_cases(&mut cases, &mut skipped);
    }
    // Deduplicate by content: the first place a text was found speaks for it.
    let mut seen = HashSet::new();
    let mut duplicates: BTreeMap<&str, usize> = BTreeMap::new();
    cases.retain(|c| {
        let fresh = seen.insert((c.set, digest(&c.text)));
        if !fresh {
            *duplicates.entry(c.set).or_default() += 1;
        }
        fresh
    });

    let detector = LicenseDetector::builtin();
    let started = std::time::Instant::now();
    let detected: Vec<(BTreeSet<String>, bool)> = cases
        .par_iter()
        .map(|c| detect(&detector, &c.name, &c.text))
        .collect();
    let elapsed = started.elapsed();
    let show_misses = std::env::var_os("PROVAUDIT_LICENSE_EVAL_MISSES").is_some();

    let mut tallies: BTreeMap<(&str, bool), Tally> = BTreeMap::new();
    for (case, (ids, any)) in cases.iter().zip(&detected) {
        let dev = digest(&case.text)[0] & 1 == 0;
        let mut one = Tally {
            n: 1,
            ..Tally::default()
        };
        let in_family = |e: &String| {
            case.family_prefix.is_some_and(|p| {
                ids.iter().any(|d| d.starts_with(p)) && e.starts_with(p.trim_end_matches('-'))
            })
        };
        if case
            .expected
            .iter()
            .all(|e| ids.contains(e) || in_family(e))
        {
            one.hit = 1;
        } else if !any {
            one.nothing = 1;
        } else if ids
            .iter()
            .any(|d| case.expected.iter().any(|e| family(d) == family(e)))
        {
            one.variant = 1;
        } else {
            one.wrong = 1;
        }
        tallies.entry((case.set, dev)).or_default().add(&one);
        if show_misses && dev && one.hit == 0 {
            println!(
                "MISS {} {} expected {:?} got {ids:?}",
                case.set,
                case.path.display(),
                case.expected
            );
        }
    }
    println!(
        "{:<22} {:>5} {:>7} {:>8} {:>8} {:>8}",
        "set", "texts", "primary", "nothing", "variant", "wrong"
    );
    for set in ["registry", "readme", "debian"] {
        let mut all = Tally::default();
        for (dev, half) in [(true, "dev"), (false, "held-out")] {
            if let Some(t) = tallies.get(&(set, dev)) {
                println!("{}", t.row(&format!("{set} {half}")));
                all.add(t);
            }
        }
        if all.n > 0 {
            println!("{}", all.row(&format!("{set} all")));
            println!(
                "{:<22} skipped {}, duplicate texts {}",
                "",
                skipped.get(set).copied().unwrap_or(0),
                duplicates.get(set).copied().unwrap_or(0)
            );
        }
    }
    println!(
        "{} distinct texts in {:.1} s",
        cases.len(),
        elapsed.as_secs_f64()
    );
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// SPDX ids detected in one text, and whether any license was found at all.
fn detect(detector: &LicenseDetector, name: &str, text: &str) -> (BTreeSet<String>, bool) {
    let mut found: Vec<LicenseMatch> = Vec::new();
    detector.scan_text(text, &mut found);
    if is_license_file_name(name)
        && let Some(m) = detector.identify_license_file(text)
    {
        found.push(m);
    }
    let licenses: Vec<&str> = found
        .iter()
        .filter(|m| m.kind == MarkerKind::License)
        .filter_map(|m| m.license.as_deref())
        .collect();
    (
        licenses
            .iter()
            .flat_map(|l| ids(l))
            .map(str::to_string)
            .collect(),
        !licenses.is_empty(),
    )
}

/// License words of an expression, in order, without operators or the
/// exception after `WITH`. Old-style `/` separators count as `OR`.
fn ids(expr: &str) -> impl Iterator<Item = &str> {
    let mut after_with = false;
    expr.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '/'))
        .filter(move |w| {
            if w.is_empty() {
                return false;
            }
            let upper = w.to_ascii_uppercase();
            let exception = std::mem::replace(&mut after_with, upper == "WITH");
            !exception && !matches!(upper.as_str(), "AND" | "OR" | "WITH")
        })
}

/// The family of an SPDX id: its leading letters (`GPL-2.0-only` -> `gpl`).
fn family(id: &str) -> String {
    id.chars()
        .take_while(char::is_ascii_alphabetic)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Lowercase letters and digits only: `Apache-2.0` -> `apache20`.
fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// What a license file's name says about which license it holds: `Some("")`
/// for a plain `LICENSE`, `Some(suffix)` squashed for `LICENSE-MIT`, `None`
/// when the name is not a license file's.
fn name_suffix(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let stem = [".md", ".txt", ".markdown", ".rst"]
        .iter()
        .find_map(|e| lower.strip_suffix(e))
        .unwrap_or(&lower);
    if stem.starts_with("unlicense") {
        return Some("unlicense".into());
    }
    let rest = ["license", "licence", "copying"]
        .iter()
        .find_map(|p| stem.strip_prefix(p))?;
    if rest.is_empty() {
        return Some(String::new());
    }
    let suffix = rest.strip_prefix(['-', '.', '_'])?;
    Some(squash(suffix))
}

/// The id of `expr` a license file named with `suffix` holds (see the module doc).
fn expected_for(expr: &str, suffix: &str) -> Option<String> {
    let mut distinct: Vec<&str> = Vec::new();
    for id in ids(expr) {
        if !distinct.contains(&id) {
            distinct.push(id);
        }
    }
    if suffix.is_empty() {
        return match distinct.as_slice() {
            [one] => Some((*one).to_string()),
            _ => None,
        };
    }
    if let Some(id) = distinct.iter().find(|id| squash(id) == suffix) {
        return Some((*id).to_string());
    }
    // `apache` names `Apache-2.0`; `apache20withllvmexception` names it too.
    let near: Vec<&&str> = distinct
        .iter()
        .filter(|id| {
            let s = squash(id);
            s.starts_with(suffix) || suffix.starts_with(&s)
        })
        .collect();
    match near.as_slice() {
        [one] => Some((**one).to_string()),
        _ => None,
    }
}

fn registry_cases(
    cases: &mut Vec<Case>,
    skipped: &mut BTreeMap<&'static str, usize>,
    want_licenses: bool,
    want_readmes: bool,
) {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_default();
    let mut crates: Vec<PathBuf> = Vec::new();
    for index in read_dir(&home.join("registry/src")) {
        crates.extend(read_dir(&index));
    }
    crates.sort();
    for krate in crates {
        let manifest = std::fs::read_to_string(krate.join("Cargo.toml")).unwrap_or_default();
        let expr = toml::from_str::<toml::Table>(&manifest).ok().and_then(|t| {
            t.get("package")?
                .get("license")?
                .as_str()
                .map(str::to_string)
        });
        for file in read_dir(&krate) {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if want_readmes && name.to_ascii_lowercase().starts_with("readme") && file.is_file() {
                readme_case(cases, skipped, &file, &name, expr.as_deref());
                continue;
            }
            let Some(suffix) = name_suffix(&name) else {
                continue;
            };
            if !want_licenses || !file.is_file() {
                continue;
            }
            let expected = expr.as_deref().and_then(|e| expected_for(e, &suffix));
            let Some(expected) = expected else {
                *skipped.entry("registry").or_default() += 1;
                continue;
            };
            let text =
                String::from_utf8_lossy(&std::fs::read(&file).unwrap_or_default()).into_owned();
            // A symlink packed as a file holds only its target (`../LICENSE`).
            if !text.trim().contains(char::is_whitespace) {
                *skipped.entry("registry").or_default() += 1;
                continue;
            }
            cases.push(Case {
                set: "registry",
                path: file,
                name,
                text,
                expected: vec![expected],
                family_prefix: None,
            });
        }
    }
}

/// A crate's README with a license section (a heading or a line that is
/// just "License"): it must yield every id of the crate's expression. A
/// README without one is not counted (it may say nothing of the license).
fn readme_case(
    cases: &mut Vec<Case>,
    skipped: &mut BTreeMap<&'static str, usize>,
    file: &Path,
    name: &str,
    expr: Option<&str>,
) {
    let text = String::from_utf8_lossy(&std::fs::read(file).unwrap_or_default()).into_owned();
    let has_section = text.lines().any(|l| {
        let t = l
            .trim()
            .trim_start_matches(['#', '=', '*', ' '])
            .trim_end_matches(['#', ':', '*', ' '])
            .to_ascii_lowercase();
        t.starts_with("licen") && t.split_whitespace().count() <= 3
    });
    if !has_section {
        return;
    }
    let mut expected: Vec<String> = Vec::new();
    for id in expr.map(ids).into_iter().flatten() {
        if !expected.iter().any(|e| e == id) {
            expected.push(id.to_string());
        }
    }
    if expected.is_empty() {
        *skipped.entry("readme").or_default() += 1;
        return;
    }
    cases.push(Case {
        set: "readme",
        path: file.to_path_buf(),
        name: name.to_string(),
        text,
        expected,
        family_prefix: None,
    });
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// An SPDX id for a GNU short name as Debian writes it: `GPL-2+`,
/// `LGPL-2.1`, `GPL-2.0+`, `AGPL-3+`, `GFDL-1.3+`.
fn gnu_id(name: &str) -> Option<String> {
    let (base, later) = match name.strip_suffix('+') {
        Some(b) => (b, true),
        None => (name, false),
    };
    let (family, version) = base.split_once('-')?;
    let family = family.to_ascii_uppercase();
    if !matches!(family.as_str(), "GPL" | "LGPL" | "AGPL" | "GFDL") {
        return None;
    }
    let version = if version.contains('.') {
        version.to_string()
    } else {
        format!("{version}.0")
    };
    let id = format!(
        "{family}-{version}-{}",
        if later { "or-later" } else { "only" }
    );
    spdx::license_id(&id).map(|_| id)
}

/// The SPDX id a Debian short name means, if it names exactly one license.
fn debian_id(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    if lower.contains(" or ") || lower.contains(" and ") || lower.contains(',') {
        return None;
    }
    if lower.contains(' ') {
        return None;
    }
    if let Some(id) = gnu_id(name) {
        return Some(id);
    }
    if let Some((_, id)) = DEBIAN_NAMES.iter().find(|(d, _)| *d == lower) {
        return Some((*id).to_string());
    }
    spdx::identifiers::LICENSES
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(name))
        .map(|l| l.name.to_string())
}

/// A DEP-5 paragraph: field name (lowercase) -> first line and continuation lines.
type Paragraph = Vec<(String, String, Vec<String>)>;

fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = vec![Vec::new()];
    for line in text.lines() {
        if line.trim().is_empty() {
            if out.last().is_some_and(|p| !p.is_empty()) {
                out.push(Vec::new());
            }
        } else if line.starts_with([' ', '\t']) {
            if let Some((_, _, body)) = out.last_mut().and_then(|p| p.last_mut()) {
                let l = line.strip_prefix([' ', '\t']).unwrap_or(line);
                body.push(if l.trim() == "." {
                    String::new()
                } else {
                    l.to_string()
                });
            }
        } else if let Some((field, value)) = line.split_once(':')
            && let Some(p) = out.last_mut()
        {
            p.push((
                field.trim().to_ascii_lowercase(),
                value.trim().to_string(),
                Vec::new(),
            ));
        }
    }
    out
}

fn field<'a>(p: &'a Paragraph, name: &str) -> Option<&'a (String, String, Vec<String>)> {
    p.iter().find(|(f, _, _)| f == name)
}

fn debian_cases(cases: &mut Vec<Case>, skipped: &mut BTreeMap<&'static str, usize>) {
    for doc in read_dir(Path::new("/usr/share/doc")) {
        let path = doc.join("copyright");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let paras = paragraphs(&text);
        let machine_readable = paras
            .first()
            .and_then(|p| field(p, "format"))
            .is_some_and(|(_, v, _)| v.contains("copyright-format"));
        if !machine_readable {
            continue;
        }
        let Some((_, short, body)) = paras
            .iter()
            .find(|p| field(p, "files").is_some_and(|(_, v, _)| v == "*"))
            .and_then(|p| field(p, "license"))
        else {
            continue;
        };
        let mut body = body.clone();
        if body.iter().all(|l| l.trim().is_empty()) {
            // The text is in a stand-alone paragraph of the same name.
            if let Some((_, _, b)) = paras
                .iter()
                .filter(|p| field(p, "files").is_none())
                .filter_map(|p| field(p, "license"))
                .find(|(_, v, _)| v.eq_ignore_ascii_case(short))
            {
                body.clone_from(b);
            }
        }
        let expected = debian_id(short);
        let text = body.join("\n");
        let (Some(expected), false) = (expected, text.trim().is_empty()) else {
            *skipped.entry("debian").or_default() += 1;
            continue;
        };
        let lower = short.to_ascii_lowercase();
        cases.push(Case {
            set: "debian",
            path,
            name: "copyright".into(),
            text,
            expected: vec![expected],
            family_prefix: DEBIAN_FAMILIES
                .iter()
                .find(|(d, _)| *d == lower)
                .map(|(_, p)| *p),
        });
    }
}
