//! The crate's modules form layers along the data flow (`docs/ARCHITECTURE.md`, "Module
//! map"): a module may use the modules of its own layer's earlier entries and of earlier
//! layers, never a later one. Import circles are how a "small" change to a report ends
//! up rebuilding and re-testing the readers; this test keeps them from coming back.
//!
//! It reads every `src/**/*.rs`, collects each `crate::<top-level module>` path outside
//! comments and test-only code, and checks it against [`LAYERS`]. Test-only code is
//! exempt because it may build fixtures with any stage (a reader's test writes a ledger,
//! a contract test loads a frozen audit): `#[cfg(test)]` items and files, and the
//! `testkit` generators (`synth`), which release builds do not compile.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Top-level modules in data-flow order. A module may use itself and anything listed
/// before it.
const LAYERS: &[&str] = &[
    // Leaves: dates, random numbers, progress output, the enum-as-string machinery.
    "civil",
    "rng",
    "progress",
    "wire",
    // One record as readers yield it and detectors see it, with its layout kind.
    "record",
    // Where bytes come from: the trait, then the object stores behind it.
    "bytesource",
    "remote",
    // Walk, sources and declarations, sharding.
    "discover",
    // Readers.
    "formats",
    // Per-record engines (PII, licenses, language, quality, fingerprints).
    "analyze",
    // The user's settings files: `--config` rules and checks, `--policy` gates.
    "config",
    // Figures that merge.
    "aggregate",
    // The audit directory's writer and its row, summary and finding types.
    "ledger",
    // Detectors: records in, aggregate figures and ledger findings out.
    "detect",
    // Reading an audit directory back.
    "contract",
    // Verbs over audit directories.
    "audit",
    // Sampled human review: draws records from an audit, records the verdicts.
    "review",
    "report",
    // Measuring the PII detector on labelled text (`eval-pii`).
    "eval",
    // Orchestration and the command line.
    "scan",
    "cli",
];

/// Modules outside the layering: test-data generators compiled only for tests.
const EXEMPT: &[&str] = &["synth"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`None` for `lib.rs` and `main.rs`).
fn top_module(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (rel.components().count() > 1 || (name != "lib" && name != "main")).then_some(name)
}

/// Blanks comments, string and char literals (keeping newlines), so a path named in
/// a doc comment or a message is not taken for a use.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |c: u8| if c == b'\n' { b'\n' } else { b' ' };
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                out.push(b' ');
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
        } else if b[i] == b'r' && (b[i + 1..].starts_with(b"\"") || b[i + 1..].starts_with(b"#")) {
            // A raw string r"..." or r#"..."#.
            let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
            if b.get(i + 1 + hashes) != Some(&b'"') || (i > 0 && is_ident(b[i - 1])) {
                out.push(b[i]);
                i += 1;
                continue;
            }
            let mut end = b"\"".to_vec();
            end.extend(std::iter::repeat_n(b'#', hashes));
            let start = i + 2 + hashes;
            let close = b[start..]
                .windows(end.len())
                .position(|w| w == end.as_slice())
                .map_or(b.len(), |p| start + p + end.len());
            out.extend(b[i..close].iter().map(|&c| blank(c)));
            i = close;
        } else if b[i] == b'"' {
            out.push(b' ');
            i += 1;
            while i < b.len() && b[i] != b'"' {
                let n = if b[i] == b'\\' { 2 } else { 1 };
                for k in 0..n {
                    if let Some(&c) = b.get(i + k) {
                        out.push(blank(c));
                    }
                }
                i += n;
            }
            out.push(b' ');
            i += 1;
        } else if b[i] == b'\'' && char_literal_len(&b[i..]).is_some() {
            let n = char_literal_len(&b[i..]).unwrap_or(1);
            out.extend(std::iter::repeat_n(b' ', n));
            i += n;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The length of a char literal starting at `b[0] == '\''`, or `None` for a lifetime.
fn char_literal_len(b: &[u8]) -> Option<usize> {
    if b.get(1) == Some(&b'\\') {
        let close = b[2..].iter().position(|&c| c == b'\'')?;
        return Some(close + 3);
    }
    let s = std::str::from_utf8(&b[1..b.len().min(6)])
        .unwrap_or_else(|e| std::str::from_utf8(&b[1..1 + e.valid_up_to()]).unwrap_or_default());
    let c = s.chars().next()?;
    (s[c.len_utf8()..].starts_with('\'')).then_some(c.len_utf8() + 2)
}

/// Blanks the items an attribute gates to tests (`#[cfg(test)]`, `#[cfg(any(test, ...))]`):
/// the attribute and the item after it, up to its `;` or its closing brace.
fn without_test_items(code: &str) -> String {
    let mut out = code.as_bytes().to_vec();
    let mut from = 0;
    while let Some(at) = code[from..].find("#[cfg(").map(|p| p + from) {
        let attr_end = code[at..].find(']').map_or(code.len(), |p| at + p + 1);
        from = attr_end;
        if !is_test_cfg(&code[at..attr_end]) {
            continue;
        }
        let end = item_end(code.as_bytes(), attr_end);
        for c in &mut out[at..end] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
        from = end;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_test_cfg(attr: &str) -> bool {
    let inner = attr.trim_start_matches("#[cfg(");
    inner.starts_with("test)") || (inner.starts_with("any(") && inner.contains("test"))
}

/// Where the item starting after `from` ends: after its first `;` at depth 0 or after
/// the brace that closes its first `{`.
fn item_end(b: &[u8], from: usize) -> usize {
    let mut depth = 0usize;
    for (i, &c) in b.iter().enumerate().skip(from) {
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            b';' if depth == 0 => return i + 1,
            _ => {}
        }
    }
    b.len()
}

/// Files declared as test-only modules (`#[cfg(test)] mod tests;`) anywhere in `src`.
fn test_only_files(files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for file in files {
        let code = code_only(&std::fs::read_to_string(file).unwrap());
        let mut from = 0;
        while let Some(at) = code[from..].find("#[cfg(").map(|p| p + from) {
            let attr_end = code[at..].find(']').map_or(code.len(), |p| at + p + 1);
            from = attr_end;
            if !is_test_cfg(&code[at..attr_end]) {
                continue;
            }
            let item = &code[attr_end..item_end(code.as_bytes(), attr_end)];
            let words: Vec<&str> = item
                .split(|c: char| !is_ident(c as u8) || !c.is_ascii())
                .filter(|w| !w.is_empty())
                .collect();
            if let Some(pos) = words.iter().position(|w| *w == "mod")
                && item.trim_end().ends_with(';')
                && let Some(name) = words.get(pos + 1)
            {
                out.extend(module_files(file, name));
            }
        }
    }
    out
}

/// The files of module `name` declared in `parent` (`name.rs` or `name/` beside a
/// `mod.rs`/`lib.rs`, under `parent`'s own folder otherwise), with everything below.
fn module_files(parent: &Path, name: &str) -> Vec<PathBuf> {
    let dir = parent.parent().unwrap();
    let stem = parent.file_stem().unwrap().to_str().unwrap();
    let base = if matches!(stem, "mod" | "lib" | "main") {
        dir.to_path_buf()
    } else {
        dir.join(stem)
    };
    let mut out = vec![base.join(format!("{name}.rs"))];
    if base.join(name).is_dir() {
        rust_files(&base.join(name), &mut out);
    }
    out
}

/// Every `crate::a` and every `a` directly inside a `crate::{...}` group, with its line.
fn crate_uses(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let b = code.as_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find("crate::").map(|p| p + from) {
        from = at + 7;
        if at > 0 && (is_ident(b[at - 1]) || b[at - 1] == b':') {
            continue; // `$crate::`, `provaudit_crate::`, `super::crate`
        }
        let line = code[..at].matches('\n').count() + 1;
        let rest = &code[from..];
        if rest.starts_with('{') {
            for name in group_heads(rest) {
                out.push((line, name));
            }
        } else {
            let name: String = rest.chars().take_while(|&c| is_ident(c as u8)).collect();
            out.push((line, name));
        }
    }
    out
}

/// The first segment of each path in a `{...}` group (nested groups belong to them).
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut expect_head = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => {
                depth += 1;
                expect_head = depth == 1;
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => expect_head = true,
            c if depth == 1 && expect_head && is_ident(c as u8) => {
                let name: String = group[i..]
                    .chars()
                    .take_while(|&c| is_ident(c as u8))
                    .collect();
                heads.push(name);
                expect_head = false;
            }
            _ => {}
        }
    }
    heads
}

#[test]
fn no_module_uses_a_later_stage() {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let test_only = test_only_files(&files);
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut problems = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap();
        let Some(module) = top_module(rel) else {
            continue;
        };
        if EXEMPT.contains(&module.as_str()) || test_only.contains(file) {
            continue;
        }
        let Some(own) = rank(&module) else {
            problems.push(format!(
                "src/{}: module `{module}` is not in LAYERS (tests/layering.rs): add it where it belongs in the data flow",
                rel.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        let code = without_test_items(&code_only(&text));
        for (line, used) in crate_uses(&code) {
            if EXEMPT.contains(&used.as_str()) {
                continue;
            }
            match rank(&used) {
                Some(r) if r <= own => {}
                Some(_) => problems.push(format!(
                    "src/{}:{line}: `{module}` uses `crate::{used}`, a later stage; move what it needs down to `{module}` or an earlier module",
                    rel.display()
                )),
                None => problems.push(format!(
                    "src/{}:{line}: `crate::{used}` is not a module in LAYERS (tests/layering.rs)",
                    rel.display()
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_top_level_module_is_placed() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    let declared: BTreeSet<String> = code_only(&lib)
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').trim().to_string())
        .collect();
    let placed: BTreeSet<String> = LAYERS.iter().chain(EXEMPT).map(|m| m.to_string()).collect();
    assert_eq!(declared, placed, "lib.rs's modules and LAYERS differ");
}

#[test]
fn the_scanner_sees_grouped_and_nested_uses() {
    let code = "use crate::{a::{b, c}, d, e::f};\nfn x() { crate::g::h(); }\n";
    let uses: Vec<String> = crate_uses(code).into_iter().map(|(_, m)| m).collect();
    assert_eq!(uses, ["a", "d", "e", "g"]);
    let gated = without_test_items(
        "#[cfg(test)]\nmod tests {\n use crate::x;\n}\nuse crate::y;\n#[cfg(any(test, feature = \"t\"))]\npub mod synth;\n",
    );
    let uses: Vec<String> = crate_uses(&gated).into_iter().map(|(_, m)| m).collect();
    assert_eq!(uses, ["y"]);
    let commented =
        code_only("// crate::a\nlet s = \"crate::b\"; let c = '\"'; /* crate::d */ crate::e");
    let uses: Vec<String> = crate_uses(&commented).into_iter().map(|(_, m)| m).collect();
    assert_eq!(uses, ["e"]);
}
