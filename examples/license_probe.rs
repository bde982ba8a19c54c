//! License identification on the SPDX list's own material, in the forms a
//! license takes in real files: `cargo run --release --example license_probe
//! [kind]` (with a kind, its misses are printed).
//!
//! No corpus is read: every probe is built from the spdx crate's license
//! list, so it measures general coverage (every license, not the ones a
//! test set happens to hold) and cannot be fitted to a held-out set. Kinds:
//! `text` (the license text alone), `text_code` (a text under 3 KB as a C
//! header comment above code), `text_plain` (the same text between a README
//! title and prose), `full_name` / `released` (notices naming the SPDX full
//! name), `id` (a notice naming the id), `spdx_url` / `osi_url` (license
//! URLs), `exc_text` (an exception text alone), `exc_with` (an SPDX tag with
//! the exception). A hit is the probe's id among the ids detected. GNU texts
//! are reported `-only` by design (see the module doc of
//! `provaudit::analyze::license`), so their `-or-later` ids miss as `text`.

use std::collections::BTreeMap;

use provaudit::analyze::license::{LicenseDetector, MarkerKind};
use rayon::prelude::*;

/// License and exception words of an expression, without operators.
fn ids(expr: &str) -> impl Iterator<Item = &str> {
    expr.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| {
            !w.is_empty() && !matches!(w.to_ascii_uppercase().as_str(), "AND" | "OR" | "WITH")
        })
}

fn detect(d: &LicenseDetector, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    d.scan_text(text, &mut found);
    let mut v: Vec<String> = found
        .iter()
        .filter(|m| m.kind == MarkerKind::License)
        .filter_map(|m| m.license.as_deref())
        .flat_map(|l| ids(l).map(str::to_string).collect::<Vec<_>>())
        .collect();
    v.sort();
    v.dedup();
    v
}

type Probe = (&'static str, String, String);

fn license_probes(out: &mut Vec<Probe>) {
    let code = "static int count_items(struct list *l)\n{\n    int n = 0;\n    while (l) { n++; l = l->next; }\n    return n;\n}\n".repeat(40);
    let prose = "The tool reads each record and writes a summary of what it found.\nRun it on a folder to see the report.\n\n".repeat(30);
    for l in spdx::identifiers::LICENSES {
        let Some(id) = spdx::license_id(l.name).filter(|id| !id.is_deprecated()) else {
            continue;
        };
        let (name, text) = (l.name.to_string(), id.text());
        out.push(("text", name.clone(), text.to_string()));
        if text.len() < 3000 {
            let wrapped: String = text.lines().map(|l| format!(" * {l}\n")).collect();
            out.push((
                "text_code",
                name.clone(),
                format!("/*\n{wrapped} */\n\n#include <stdio.h>\n\n{code}"),
            ));
            out.push((
                "text_plain",
                name.clone(),
                format!("README for the example package\n\n{text}\n\n{prose}"),
            ));
        }
        out.push((
            "full_name",
            name.clone(),
            format!(
                "/*\n * Copyright (c) 2011 A. Author\n *\n * This file is licensed under the {}.\n */\n",
                l.full_name
            ),
        ));
        out.push((
            "released",
            name.clone(),
            format!("This project is released under the {}.\n", l.full_name),
        ));
        out.push((
            "id",
            name.clone(),
            format!("# Distributed under the terms of the {name} license.\n"),
        ));
        out.push((
            "spdx_url",
            name.clone(),
            format!("// See https://spdx.org/licenses/{name}.html for the license terms.\n"),
        ));
        if id.is_osi_approved() {
            out.push((
                "osi_url",
                name.clone(),
                format!("// License: https://opensource.org/licenses/{name}\n"),
            ));
        }
    }
}

fn exception_probes(out: &mut Vec<Probe>) {
    for e in spdx::identifiers::EXCEPTIONS {
        let Some(id) = spdx::exception_id(e.name).filter(|id| !id.is_deprecated()) else {
            continue;
        };
        out.push(("exc_text", e.name.to_string(), id.text().to_string()));
        out.push((
            "exc_with",
            e.name.to_string(),
            format!(
                "// SPDX-License-Identifier: GPL-2.0-or-later WITH {}\n",
                e.name
            ),
        ));
    }
}

fn main() {
    let d = LicenseDetector::builtin();
    let show: Option<String> = std::env::args().nth(1);
    let mut probes: Vec<Probe> = Vec::new();
    license_probes(&mut probes);
    exception_probes(&mut probes);
    let results: Vec<Vec<String>> = probes.par_iter().map(|(_, _, t)| detect(&d, t)).collect();
    let mut tally: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for ((kind, want, _), got) in probes.iter().zip(&results) {
        let hit = got.iter().any(|g| g == want);
        let t = tally.entry(kind).or_default();
        t.0 += 1;
        t.1 += usize::from(hit);
        t.2 += usize::from(got.is_empty());
        if !hit && show.as_deref() == Some(*kind) {
            println!("MISS {kind} {want} got {got:?}");
        }
    }
    println!("kind        probes   hits  nothing");
    for (k, (n, h, z)) in tally {
        println!(
            "{k:<10} {n:>7} {h:>6} ({:.1}%) {z:>7}",
            100.0 * h as f64 / n.max(1) as f64
        );
    }
}
