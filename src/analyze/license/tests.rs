//! Tests of the public API. The labelled accuracy suite is in
//! `tests/license_accuracy.rs`.

use std::sync::OnceLock;

use super::*;

/// One detector for all tests: loading spdx's store takes a few hundred ms.
fn detector() -> &'static LicenseDetector {
    static D: OnceLock<LicenseDetector> = OnceLock::new();
    D.get_or_init(LicenseDetector::builtin)
}

fn scan(text: &str) -> Vec<LicenseMatch> {
    let mut v = Vec::new();
    detector().scan_text(text, &mut v);
    v
}

fn licenses(text: &str) -> Vec<(String, EvidenceKind)> {
    scan(text)
        .into_iter()
        .filter_map(|m| Some((m.license?, m.evidence?)))
        .collect()
}

fn one(text: &str) -> Option<String> {
    let v = licenses(text);
    match v.as_slice() {
        [(l, _)] => Some(l.clone()),
        _ => None,
    }
}

#[test]
fn detector_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<LicenseDetector>();
}

#[test]
fn fingerprint_is_stable_hex() {
    let f = detector().rules_fingerprint();
    assert_eq!(f.len(), 64);
    assert!(f.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(f, fingerprint());
}

#[test]
fn enum_ids_match_design() {
    let ev = [
        (EvidenceKind::SpdxTag, "spdx_tag"),
        (EvidenceKind::LicenseText, "license_text"),
        (EvidenceKind::LicenseNotice, "license_notice"),
        (EvidenceKind::LicenseUrl, "license_url"),
        (EvidenceKind::LicenseName, "license_name"),
        (EvidenceKind::MetadataField, "metadata_field"),
        (EvidenceKind::DatasetCard, "dataset_card"),
        (EvidenceKind::Manifest, "manifest"),
        (EvidenceKind::LicenseFile, "license_file"),
    ];
    for (k, s) in ev {
        assert_eq!(k.as_str(), s);
    }
    assert_eq!(MarkerKind::TdmOptOut.as_str(), "tdm_opt_out");
    assert_eq!(Category::NoDerivatives.as_str(), "no_derivatives");
}

#[test]
fn spdx_tags() {
    assert_eq!(
        licenses("// SPDX-License-Identifier: MIT OR Apache-2.0"),
        vec![("MIT OR Apache-2.0".to_string(), EvidenceKind::SpdxTag)]
    );
    assert_eq!(
        one("# SPDX-License-Identifier: GPL-2.0+").as_deref(),
        Some("GPL-2.0-or-later")
    );
    assert_eq!(
        one("/* SPDX-License-Identifier: apache-2.0 */").as_deref(),
        Some("Apache-2.0")
    );
    assert_eq!(
        one("<!-- SPDX-License-Identifier: CC-BY-4.0 -->").as_deref(),
        Some("CC-BY-4.0")
    );
    assert_eq!(
        one("SPDX-License-Identifier: MIT/Apache-2.0").as_deref(),
        Some("MIT OR Apache-2.0")
    );
    assert_eq!(
        one("SPDX-License-Identifier: LicenseRef-Acme-EULA").as_deref(),
        Some("LicenseRef-Acme-EULA")
    );
    assert_eq!(
        one("SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note").as_deref(),
        Some("GPL-2.0-only WITH Linux-syscall-note")
    );
    assert!(licenses("SPDX-License-Identifier: NOASSERTION").is_empty());
    let t = "x // SPDX-License-Identifier: MIT */";
    let m = &scan(t)[0];
    assert_eq!(&t[m.start..m.end], "SPDX-License-Identifier: MIT");
}

#[test]
fn creative_commons_urls() {
    let cases = [
        (
            "https://creativecommons.org/licenses/by-nc-sa/4.0/",
            "CC-BY-NC-SA-4.0",
        ),
        (
            "http://creativecommons.org/licenses/by/3.0/deed.en",
            "CC-BY-3.0",
        ),
        (
            "https://creativecommons.org/licenses/by-sa/3.0/de/",
            "CC-BY-SA-3.0-DE",
        ),
        (
            "https://creativecommons.org/publicdomain/zero/1.0/",
            "CC0-1.0",
        ),
        (
            "https://creativecommons.org/publicdomain/mark/1.0/",
            "CC-PDM-1.0",
        ),
        (
            "https://creativecommons.org/licenses/by-nd/2.0/",
            "CC-BY-ND-2.0",
        ),
    ];
    for (url, id) in cases {
        assert_eq!(
            licenses(&format!("see {url} for terms")),
            vec![(id.to_string(), EvidenceKind::LicenseUrl)],
            "{url}"
        );
    }
}

#[test]
fn chinese_cc_names() {
    assert_eq!(
        one("本作品采用知识共享 署名-非商业性使用-相同方式共享 4.0 国际 许可协议进行许可。")
            .as_deref(),
        Some("CC-BY-NC-SA-4.0")
    );
    assert_eq!(
        one("本文采用 署名 4.0 国际 许可协议").as_deref(),
        Some("CC-BY-4.0")
    );
    assert_eq!(
        one("采用知识共享署名-禁止演绎 4.0 国际许可协议").as_deref(),
        Some("CC-BY-ND-4.0")
    );
    assert_eq!(
        one("本著作係採用創用 CC 姓名標示-非商業性 4.0 國際 授權條款授權。").as_deref(),
        Some("CC-BY-NC-4.0")
    );
    // 署名 alone is "byline", not a license
    assert!(scan("作者署名为李华。").is_empty());
}

#[test]
fn notices_names_and_evidence_kinds() {
    assert_eq!(
        licenses("Licensed under the Apache License, Version 2.0"),
        vec![("Apache-2.0".into(), EvidenceKind::LicenseNotice)]
    );
    assert_eq!(
        licenses("This project is released under the MIT license."),
        vec![("MIT".into(), EvidenceKind::LicenseNotice)]
    );
    assert_eq!(
        licenses("under the terms of the GNU Lesser General Public License version 2.1"),
        vec![("LGPL-2.1-only".into(), EvidenceKind::LicenseNotice)]
    );
    assert_eq!(
        licenses("Code: GPL-3.0-or-later"),
        vec![("GPL-3.0-or-later".into(), EvidenceKind::LicenseName)]
    );
    assert_eq!(
        licenses("License: MIT"),
        vec![("MIT".into(), EvidenceKind::LicenseName)]
    );
    assert_eq!(
        licenses("See https://www.gnu.org/licenses/gpl-3.0.html"),
        vec![("GPL-3.0-only".into(), EvidenceKind::LicenseUrl)]
    );
    assert_eq!(
        licenses("https://choosealicense.com/licenses/mit/"),
        vec![("MIT".into(), EvidenceKind::LicenseUrl)]
    );
    assert_eq!(
        one("Photo: Jane Doe / CC BY-NC 4.0").as_deref(),
        Some("CC-BY-NC-4.0")
    );
    assert_eq!(
        one("Released as CC-BY-SA-3.0.").as_deref(),
        Some("CC-BY-SA-3.0")
    );
    assert_eq!(
        one("This model is licensed under the Llama 3.1 Community License.").as_deref(),
        Some("LicenseRef-llama3.1")
    );
    // mentions are not grants
    assert!(scan("We compared the MIT license with the GPL in class.").is_empty());
    assert!(scan("She studied under MIT professors.").is_empty());
}

/// The notice and reference rules of issue 16, each with texts it must read
/// as a grant (true positives) and look-alikes it must leave alone.
#[test]
fn notices_and_references_on_real_wording() {
    let found = |t: &str| -> Vec<String> { licenses(t).into_iter().map(|(l, _)| l).collect() };
    for (text, want) in [
        // any SPDX license by id or full name after notice wording
        (
            "Licensed under the OpenSSL license (the \"License\").",
            "OpenSSL",
        ),
        ("This code is released under the libpng license.", "Libpng"),
        (
            "This software is made available under the terms of the ICU License.",
            "ICU",
        ),
        (
            "subject to version 3.01 of the PHP license; see",
            "PHP-3.01",
        ),
        (
            "LICENSE: This source file is subject to the PHP License 3.01",
            "PHP-3.01",
        ),
        (
            "it is subject to the terms of this Apple Public Source License version 2.0",
            "APSL-2.0",
        ),
        (
            "licensed under the SGI Free Software B License Version 2.0",
            "SGI-B-2.0",
        ),
        // adjectives between the article and the name
        (
            "Distributed under the OSI-approved BSD 3-Clause License.",
            "BSD-3-Clause",
        ),
        // "this file is <license>", "license terms: <license>"
        ("This file is GPLv2 as found in COPYING.", "GPL-2.0-only"),
        (
            "License terms: GNU General Public License (GPL) version 2",
            "GPL-2.0-only",
        ),
        // GNU names people write
        ("Subject to the GNU Public License, v.2", "GPL-2.0-only"),
        (
            "it under the terms of the Lesser GNU General Public License",
            "LGPL-2.1-or-later",
        ),
        (
            "forms are granted according to the OpenSSL license.",
            "OpenSSL",
        ),
        // proprietary agreements are evidence too
        (
            "END USER LICENSE AGREEMENT\nRead carefully before installing.",
            "LicenseRef-EULA",
        ),
        (
            "Use of this site is governed by the Terms of Use.",
            "LicenseRef-Terms-of-Use",
        ),
        (
            "Proprietary and Confidential. Do not distribute.",
            "LicenseRef-Proprietary",
        ),
        (
            "// Licensed under the EUPL, Version 1.1 or - as soon they",
            "EUPL-1.1",
        ),
        (
            " * Licensed under the Clear BSD license. See README.",
            "BSD-3-Clause-Clear",
        ),
        (" * @licence GNU GPL v2+", "GPL-2.0-or-later"),
        (" * @license MIT", "MIT"),
        ("license: perl", "Artistic-1.0-Perl OR GPL-1.0-or-later"),
        // names specific enough on their own
        (
            "// Do What The Fuck you Want to Public License 2 (WTFPL)",
            "WTFPL",
        ),
        (" * \"THE BEER-WARE LICENSE\" (Revision 42):", "Beerware"),
        // dual licenses: every name joined to a notice is one
        (
            "This file is licensed under a dual GPLv2 or BSD license.",
            "GPL-2.0-only",
        ),
        (
            "This file is licensed under a dual GPLv2 or BSD license.",
            "BSD-3-Clause",
        ),
        ("Available via the MIT or new BSD license.", "BSD-3-Clause"),
        (" * License: Dual MIT/GPL", "MIT OR GPL-1.0-or-later"),
        (
            "This code is released under version 2 of the GNU GPL.",
            "GPL-2.0-only",
        ),
        // references to a license file
        (
            "See LICENSE.qlge for copyright and licensing details.",
            "LicenseRef-See-License-File",
        ),
        (
            "For licensing details see the COPYING file.",
            "LicenseRef-See-License-File",
        ),
        (
            " * @remark Copyright 2004 A. Author\n * @remark Read the file COPYING\n",
            "LicenseRef-See-License-File",
        ),
        (
            " * Copyright 2009 A. Author\n * See README and LICENSE files in the lib/ directory for details.\n",
            "LicenseRef-See-License-File",
        ),
    ] {
        assert!(
            found(text).contains(&want.to_string()),
            "{text:?}: {:?}",
            found(text)
        );
    }
    for text in [
        "We discussed the OpenSSL license with the lawyers.",
        "Released under the same license as the rest of the package.",
        "The file is large, see the license for what you may do.",
        "In terms of use cases, this is fine.",
        "Our terms of service changed last week.",
        "A proprietary format, read by a proprietary tool.",
        "Please read the EULA before you ask.",
        "We studied the MIT and BSD traditions.",
        "See the license plate on the car.",
        "Email me @license holders.",
        "Copyright 2004 A. Author. Read the file README first.",
        "Copyright 2004 A. Author. I read the license yesterday.",
    ] {
        assert!(found(text).is_empty(), "{text:?}: {:?}", found(text));
    }
}

#[test]
fn whole_texts_without_strong_phrases_are_matched() {
    let apsl = spdx::license_id("APSL-2.0").map(|l| l.text()).unwrap_or("");
    assert!(found_ids(apsl).contains(&"APSL-2.0".to_string()));
    // A BSD text with its own disclaimer, wrapped so no phrase survives on one line.
    let bsd = "Copyright (c) 2011, A. Person\nAll rights reserved.\n\n\
        Redistribution and use in source and binary forms, with or without\n\
        modification, are permitted provided that the following conditions are met:\n\
        * Redistributions of source code must retain the above copyright\n\
        notice, this list of conditions and the following disclaimer.\n\
        * Redistributions in binary form must reproduce the above copyright\n\
        notice, this list of conditions and the following disclaimer in the\n\
        documentation and/or other materials provided with the distribution.\n\
        * Neither the name of the organization nor the\n\
        names of its contributors may be used to endorse or promote products\n\
        derived from this software without specific prior written permission.\n\n\
        This software is given away by A. Person as is; she is not liable for anything.";
    assert_eq!(found_ids(bsd), vec!["BSD-3-Clause".to_string()]);
}

/// A GNU header takes its version, family and "or later" from its own words,
/// whatever the matcher's closest stored header was.
#[test]
fn gnu_headers_are_read_by_their_wording() {
    let header = |leader: &str, name: &str, version: &str, later: &str| {
        [
            "This program is free software; you can redistribute it and/or modify".to_string(),
            format!("it under the terms of the GNU {name} License as published by"),
            format!("the Free Software Foundation; either version {version} of the License, or"),
            later.to_string(),
            String::new(),
            "This program is distributed in the hope that it will be useful,".to_string(),
            "but WITHOUT ANY WARRANTY; without even the implied warranty of".to_string(),
            "MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the".to_string(),
            format!("GNU {name} License for more details."),
        ]
        .iter()
        .map(|l| format!("{leader}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
    };
    let later = "(at your option) any later version.";
    assert_eq!(
        found_ids(&header(";;  ", "General Public", "2", later)),
        vec!["GPL-2.0-or-later".to_string()]
    );
    assert_eq!(
        found_ids(&header(" * ", "Lesser General Public", "3", later)),
        vec!["LGPL-3.0-or-later".to_string()]
    );
    assert_eq!(
        found_ids(&header("// ", "Affero General Public", "3", "")),
        vec!["AGPL-3.0-only".to_string()]
    );
}

/// Versions and "or later" as GNU notices write them, with look-alikes that
/// must not change the version (written for these tests, not copied).
#[test]
fn gnu_versions_in_notice_wording() {
    let cases: &[(&str, &str)] = &[
        // "version" after a comma, in parentheses, or after "under".
        (
            "This module is licensed under the terms of the GNU GPL, version 2.",
            "GPL-2.0-only",
        ),
        (
            "Distributed under the GNU General Public License (version 3) as published by the FSF.",
            "GPL-3.0-only",
        ),
        (
            "You may redistribute it under the terms of the GNU General Public License as published by the Free Software Foundation under version 2 of the License.",
            "GPL-2.0-only",
        ),
        // "of License" without "the", "and any later", "or newer".
        (
            "Released under the GNU Lesser General Public License as published by the Free Software Foundation; either version 2.1 of License, or (at your option) any later version.",
            "LGPL-2.1-or-later",
        ),
        (
            "This tool is released under GPL v3 and any later version.",
            "GPL-3.0-or-later",
        ),
        ("License: GPL version 2", "GPL-2.0-only"),
        ("License: GPLv2 or newer", "GPL-2.0-or-later"),
        // The Lesser GPL is named so from 2.1 on; the Library GPL was 2.0.
        (
            "Distributed under the GNU Lesser General Public License.",
            "LGPL-2.1-or-later",
        ),
        (
            "Distributed under the GNU Library General Public License.",
            "LGPL-2.0-or-later",
        ),
        ("Distributed under the LGPL.", "LGPL-2.0-or-later"),
        // An unversioned notice takes the version named right after it.
        (
            "The code here is licensed under the GNU General Public License. A copy of the\nGNU General Public License version 2 or later is at the FSF site.",
            "GPL-2.0-or-later",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(found_ids(text), vec![want.to_string()], "{text}");
    }
    // A versioned mention of another family, or one far away, lends no version.
    let other = "Licensed under the GNU General Public License. Parts were ported from a library under the GNU Lesser General Public License version 2.1.";
    assert!(
        found_ids(other).contains(&"GPL-1.0-or-later".to_string()),
        "{other}"
    );
    let far = format!(
        "Licensed under the GNU General Public License.\n{}\nUnrelated: a GNU General Public License version 3 program.",
        "filler words here ".repeat(30)
    );
    assert!(found_ids(&far).contains(&"GPL-1.0-or-later".to_string()));
    // "and" between unrelated words is no "or later".
    assert_eq!(
        found_ids("Licensed under GPL v2 and later we may add docs."),
        vec!["GPL-2.0-or-later".to_string()],
        "'and later' directly after the version reads as or-later"
    );
    assert_eq!(
        found_ids("Licensed under GPL v2 and the manual under CC."),
        vec!["GPL-2.0-only".to_string()]
    );
}

/// The reStructuredText `:license:` field of Python docstrings labels a license;
/// the word in a sentence after a colon does not.
#[test]
fn rst_license_field() {
    assert_eq!(
        found_ids(
            "    :copyright: 2019 by the example team.\n    :license: BSD, see LICENSE for details."
        ),
        vec!["BSD-3-Clause".to_string()]
    );
    assert_eq!(found_ids(":license: MIT"), vec!["MIT".to_string()]);
    assert!(found_ids("Note: license: the terms are discussed in chapter two.").is_empty());
}

/// Deprecated ids in tags are written as SPDX writes them today.
#[test]
fn deprecated_ids_in_tags() {
    assert_eq!(
        found_ids("// SPDX-License-Identifier: GPL-2.0-with-classpath-exception"),
        vec!["GPL-2.0-only WITH Classpath-exception-2.0".to_string()]
    );
    assert_eq!(
        found_ids("# SPDX-License-Identifier: BSD-2-Clause-NetBSD"),
        vec!["BSD-2-Clause".to_string()]
    );
    assert_eq!(
        found_ids("/* SPDX-License-Identifier: eCos-2.0 */"),
        vec!["GPL-2.0-or-later WITH eCos-exception-2.0".to_string()]
    );
}

fn found_ids(text: &str) -> Vec<String> {
    let mut ids: Vec<String> = licenses(text).into_iter().map(|(l, _)| l).collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn confidence_follows_the_evidence() {
    let conf = |t: &str| {
        scan(t)
            .into_iter()
            .map(|m| m.confidence())
            .collect::<Vec<_>>()
    };
    assert_eq!(conf("// SPDX-License-Identifier: MIT"), vec!["high"]);
    assert_eq!(
        conf("Licensed under the Apache License, Version 2.0"),
        vec!["medium"]
    );
    assert_eq!(conf("License: MIT"), vec!["low"]);
}

#[test]
fn copyright_and_reservations() {
    let kinds = |t: &str| scan(t).into_iter().map(|m| m.kind).collect::<Vec<_>>();
    assert_eq!(
        kinds("Copyright (c) 2021 Jane Doe. All rights reserved."),
        vec![MarkerKind::CopyrightNotice, MarkerKind::AllRightsReserved]
    );
    assert_eq!(
        kinds("版权所有 © 2023 某某公司"),
        vec![MarkerKind::CopyrightNotice]
    );
    assert_eq!(
        kinds("版權所有，翻印必究"),
        vec![MarkerKind::CopyrightNotice, MarkerKind::AllRightsReserved]
    );
    assert_eq!(
        kinds("版权所有，未经许可不得转载。"),
        vec![MarkerKind::CopyrightNotice, MarkerKind::AllRightsReserved]
    );
    assert_eq!(
        kinds("未经授权，禁止转载"),
        vec![MarkerKind::AllRightsReserved]
    );
    // "repost with attribution" grants reposting; it reserves nothing
    assert!(kinds("转载请注明出处。").is_empty());
    assert!(kinds("copyright law is complex").is_empty());
}

#[test]
fn tdm_opt_outs() {
    let tdm = |t: &str| {
        scan(t)
            .iter()
            .filter(|m| m.kind == MarkerKind::TdmOptOut)
            .count()
    };
    assert_eq!(tdm(r#"<meta name="robots" content="noai, noimageai">"#), 1);
    assert_eq!(tdm(r#"<meta name="tdm-reservation" content="1">"#), 1);
    assert_eq!(tdm(r#"{"tdm-reservation": 1}"#), 1);
    assert_eq!(
        tdm("User-agent: GPTBot\nDisallow: /\n\nUser-agent: CCBot\nDisallow: /\n"),
        2
    );
    assert_eq!(tdm("User-agent: GPTBot\nDisallow: /private/\n"), 0);
    assert_eq!(tdm(r#"<meta name="tdm-reservation" content="0">"#), 0);
}

#[test]
fn full_texts_and_headers() {
    let mit = spdx::license_id("MIT").map(|l| l.text()).unwrap_or("");
    let wrapped: String = mit.lines().map(|l| format!("// {l}\n")).collect();
    let v = licenses(&format!("{wrapped}fn main() {{}}\n"));
    assert_eq!(v, vec![("MIT".to_string(), EvidenceKind::LicenseText)]);
    let gpl = spdx::license_id("GPL-3.0-only")
        .map(|l| l.text())
        .unwrap_or("");
    assert_eq!(one(gpl).as_deref(), Some("GPL-3.0-only"));
}

/// A short notice in its author's own words, in a source file's header
/// comment above more code than a short text holds: too few license phrases
/// for a cluster, yet a license the matcher knows once its block is read.
#[test]
fn short_notices_in_header_comments() {
    let code = "static int count(struct node *n)\n{\n    int k = 0;\n    while (n) { k++; n = n->next; }\n    return k;\n}\n".repeat(40);
    let header = |id: &str| {
        let body = spdx::license_id(id).map(|l| l.text()).unwrap_or("");
        let lines: String = body.lines().map(|l| format!(" * {l}\n")).collect();
        format!("/*\n{lines} */\n\n#include <stdio.h>\n\n{code}")
    };
    for id in ["Zeeff", "Kastrup", "Cronyx", "ulem"] {
        assert_eq!(one(&header(id)).as_deref(), Some(id), "{id}");
    }
    // A short license on its own, shorter than a cluster worth a matcher call.
    let snprintf = spdx::license_id("snprintf").map(|l| l.text()).unwrap_or("");
    assert_eq!(one(snprintf).as_deref(), Some("snprintf"));
    // In plain text the notice is its run of paragraphs in license language.
    let prose = "The tool reads each record and writes a summary of what it found.\nRun it on a folder to see the report.\n\n".repeat(30);
    let cronyx = spdx::license_id("Cronyx").map(|l| l.text()).unwrap_or("");
    let readme = format!("Fonts for the example package\n\n{cronyx}\n\n{prose}");
    assert_eq!(one(&readme).as_deref(), Some("Cronyx"));
    let credits = format!(
        "Credits\n\nCopyright 2019 A. Author.\nThanks to everyone who sent fixes.\n\n{prose}"
    );
    assert!(licenses(&credits).is_empty());
    // A header with a copyright line that only describes the file.
    let plain = format!(
        "/*\n * Copyright (c) 2019 A. Author\n *\n * Walks the list and counts its nodes.\n * Written for the examples chapter.\n */\n\n{code}"
    );
    assert!(licenses(&plain).is_empty());
}

#[test]
fn metadata_fields() {
    let meta = |f: &str, v: &str| {
        let mut out = Vec::new();
        detector().scan_metadata(f, v, &mut out);
        out.into_iter()
            .filter_map(|m| m.license)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        meta("max_stars_repo_licenses", r#"["MIT", "Apache-2.0"]"#),
        vec!["MIT", "Apache-2.0"]
    );
    assert_eq!(
        meta("detected_licenses", "['BSD-3-Clause']"),
        vec!["BSD-3-Clause"]
    );
    assert_eq!(meta("license", "cc-by-nc-sa-4.0"), vec!["CC-BY-NC-SA-4.0"]);
    assert_eq!(
        meta("meta.license", "MIT OR Apache-2.0"),
        vec!["MIT OR Apache-2.0"]
    );
    assert_eq!(meta("gha_license_id", "NOASSERTION"), Vec::<String>::new());
    assert_eq!(meta("license_type", "permissive"), Vec::<String>::new());
    assert_eq!(meta("text", "MIT"), Vec::<String>::new());
    let mut out = Vec::new();
    detector().scan_metadata("licenses", "MIT, GPL-2.0", &mut out);
    assert_eq!(out.len(), 2);
    assert_eq!(out[1].evidence, Some(EvidenceKind::MetadataField));
    assert_eq!(&"MIT, GPL-2.0"[out[1].start..out[1].end], "GPL-2.0");
}

#[test]
fn license_files() {
    let d = detector();
    let apache = spdx::license_id("Apache-2.0")
        .map(|l| l.text())
        .unwrap_or("");
    let m = d.identify_license_file(apache);
    assert_eq!(
        m.as_ref().and_then(|m| m.license.as_deref()),
        Some("Apache-2.0")
    );
    assert_eq!(m.map(|m| m.evidence), Some(Some(EvidenceKind::LicenseFile)));
    let notice = "This product includes software licensed under the MIT License.\n";
    assert_eq!(
        d.identify_license_file(notice)
            .and_then(|m| m.license)
            .as_deref(),
        Some("MIT")
    );
    assert_eq!(d.identify_license_file("   "), None);
    let mit = spdx::license_id("MIT").map(|l| l.text()).unwrap_or("");
    let isc = spdx::license_id("ISC").map(|l| l.text()).unwrap_or("");
    let both = d.identify_license_file(&format!("{mit}\n\n-----\n\n{isc}"));
    assert_eq!(both.and_then(|m| m.license).as_deref(), Some("ISC AND MIT"));
}

#[test]
fn declared_values() {
    let d = detector();
    assert_eq!(d.normalize_declared("mit").as_deref(), Some("MIT"));
    assert_eq!(
        d.normalize_declared("cc-by-4.0").as_deref(),
        Some("CC-BY-4.0")
    );
    assert_eq!(
        d.normalize_declared("Apache 2.0").as_deref(),
        Some("Apache-2.0")
    );
    assert_eq!(
        d.normalize_declared("CC BY-NC 4.0").as_deref(),
        Some("CC-BY-NC-4.0")
    );
    assert_eq!(
        d.normalize_declared("openrail").as_deref(),
        Some("LicenseRef-openrail")
    );
    assert_eq!(
        d.normalize_declared("other").as_deref(),
        Some("LicenseRef-other")
    );
    assert_eq!(category_of("LicenseRef-openrail"), Category::ModelTerms);
}

#[test]
fn summary_conflicts_and_category() {
    let d = detector();
    let mut s = LicenseSummary::default();
    s.declare(Declared::new("CC-BY-4.0", DeclaredFrom::Manifest));
    let mut v = Vec::new();
    d.scan_text(
        "Images: https://creativecommons.org/licenses/by-nc/4.0/",
        &mut v,
    );
    v.iter().for_each(|m| s.add(m));
    assert_eq!(s.category(), Category::NonCommercial);
    let c = s.conflicts();
    assert_eq!(
        c.iter().map(|c| c.kind.clone()).collect::<Vec<_>>(),
        vec![ConflictKind::StricterThanDeclared]
    );
    assert_eq!(s.detected["CC-BY-NC-4.0"]["license_url"], 1);
    assert!(s.flags().attribution);

    let empty = LicenseSummary::default();
    assert_eq!(empty.category(), Category::Unknown);
    assert_eq!(empty.conflicts()[0].kind, ConflictKind::NoLicense);

    let mut arr = LicenseSummary::default();
    d.scan_text("All rights reserved.", &mut v);
    v.iter()
        .filter(|m| m.kind == MarkerKind::AllRightsReserved)
        .for_each(|m| arr.add(m));
    assert_eq!(arr.category(), Category::Proprietary);

    let tdm = LicenseSummary {
        tdm_opt_outs: 1,
        ..Default::default()
    };
    assert!(
        tdm.conflicts()
            .iter()
            .any(|c| c.kind == ConflictKind::TdmOptOut)
    );
}

/// Dense marker text must cost time linear in its size: every stage merges
/// its spans and the matcher has a per-text budget. A quadratic stage would
/// take hours here, not seconds.
#[test]
fn pathological_inputs_stay_bounded() {
    let d = detector();
    let inputs = [
        "Licensed under the Apache License, Version 2.0. ".repeat(20_000),
        "Licensed under the Apache License, Version 2.0.\n".repeat(20_000),
        "Copyright (c) 2020 Jane Doe\n".repeat(40_000),
        "User-agent: GPTBot\nDisallow: /\n".repeat(20_000),
        "版权所有 ".repeat(80_000),
    ];
    for t in &inputs {
        let start = std::time::Instant::now();
        let mut v = Vec::new();
        d.scan_text(t, &mut v);
        eprintln!(
            "{} bytes, {} matches, {:?}",
            t.len(),
            v.len(),
            start.elapsed()
        );
        assert!(!v.is_empty());
        assert!(
            start.elapsed().as_secs() < 60,
            "{:?} took {:?}",
            &t[..20],
            start.elapsed()
        );
    }
}

/// Deterministic pseudo-random summaries for the merge laws.
fn summaries() -> Vec<LicenseSummary> {
    let ids = [
        "MIT",
        "CC-BY-4.0",
        "GPL-3.0-only",
        "CC-BY-NC-4.0",
        "LicenseRef-x",
    ];
    let evs = [
        EvidenceKind::LicenseText,
        EvidenceKind::SpdxTag,
        EvidenceKind::LicenseUrl,
    ];
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..12)
        .map(|_| {
            let mut s = LicenseSummary::default();
            for _ in 0..next() % 6 {
                let l = ids[(next() % 5) as usize];
                let e = evs[(next() % 3) as usize];
                s.add(&LicenseMatch {
                    kind: MarkerKind::License,
                    evidence: Some(e),
                    license: Some(l.into()),
                    rule: "t",
                    start: 0,
                    end: 0,
                });
            }
            s.copyright_notices = next() % 4;
            s.all_rights_reserved = next() % 2;
            s.tdm_opt_outs = next() % 2;
            match next() % 4 {
                0 => s.declare(Declared::new(
                    ids[(next() % 5) as usize],
                    DeclaredFrom::Manifest,
                )),
                1 => s.declare(Declared::new(
                    "MIT OR Apache-2.0",
                    DeclaredFrom::DatasetCard,
                )),
                _ => {}
            }
            s
        })
        .collect()
}

fn merged(a: &LicenseSummary, b: &LicenseSummary) -> LicenseSummary {
    let mut m = a.clone();
    m.merge(b);
    m
}

#[test]
fn merge_is_associative_and_commutative() {
    let all = summaries();
    for a in &all {
        for b in &all {
            assert_eq!(merged(a, b), merged(b, a));
            for c in all.iter().take(5) {
                assert_eq!(merged(&merged(a, b), c), merged(a, &merged(b, c)));
            }
        }
        assert_eq!(merged(a, &LicenseSummary::default()), *a);
    }
}

#[test]
fn garbage_input_never_panics_and_offsets_are_boundaries() {
    let d = detector();
    let mut x = 7u64;
    let pieces = [
        "licens",
        "版权所有",
        "©",
        "(c)",
        "\u{0}",
        "\r\n",
        "é",
        "CC BY-",
        "User-agent: GPTBot\n",
        "<meta ",
        "Disallow: /",
        "🙂",
        "SPDX-License-Identifier: (",
        "\n# ",
        "hereby ",
        "GPL-3.0",
    ];
    for _ in 0..300 {
        let mut t = String::new();
        for _ in 0..40 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t.push_str(pieces[(x % pieces.len() as u64) as usize]);
        }
        let mut v = Vec::new();
        d.scan_text(&t, &mut v);
        for m in &v {
            assert!(m.start <= m.end && t.is_char_boundary(m.start) && t.is_char_boundary(m.end));
        }
        d.scan_metadata("license", &t, &mut v);
        let _ = d.identify_license_file(&t);
        let _ = d.normalize_declared(&t);
        let _ = category_of(&t);
    }
}

/// CPU seconds of this thread: wall time is meaningless on a shared, loaded
/// machine. Linux only; 10 ms resolution, so measure long loops.
fn thread_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

#[test]
#[ignore = "profiling aid: cargo test --release --lib prof_ -- --ignored --nocapture"]
fn prof_breakdown() {
    let d = LicenseDetector::builtin();
    for (name, recs) in [
        ("prose", synth::ordinary_prose(8 << 20, 42)),
        ("mix", synth::license_mix(8 << 20, 1, 42)),
    ] {
        let bytes: usize = recs.iter().map(String::len).sum();
        for pass in 0..3 {
            let c0 = thread_cpu();
            let mut hits = Vec::new();
            for _ in 0..20 {
                for r in &recs {
                    hits.clear();
                    d.gate.hits(r, &mut hits);
                }
            }
            let gate = (thread_cpu() - c0) / 20.0;
            let c0 = thread_cpu();
            let mut v = Vec::new();
            let loops = if name == "prose" { 20 } else { 2 };
            for _ in 0..loops {
                for r in &recs {
                    v.clear();
                    d.scan_text(r, &mut v);
                }
            }
            let scan = (thread_cpu() - c0) / f64::from(loops);
            eprintln!(
                "{name} pass {pass}: gate {:.0} MB/s cpu, scan_text {:.0} MB/s cpu ({scan:.3}s)",
                bytes as f64 / gate / 1e6,
                bytes as f64 / scan / 1e6
            );
        }
    }
}

/// `scan_metadata` compares field names with `eq_ignore_ascii_case`, which equals
/// lower-casing the name only while the table itself is lower case.
#[test]
fn metadata_field_table_is_lower_case() {
    for f in rules::METADATA_FIELDS {
        assert_eq!(*f, f.to_ascii_lowercase());
    }
    let mut v = Vec::new();
    detector().scan_metadata("meta/LICENSE", "mit", &mut v);
    detector().scan_metadata("Max_Stars_Repo_Licenses", "apache-2.0", &mut v);
    detector().scan_metadata("licenses_x", "mit", &mut v);
    assert_eq!(v.len(), 2, "{v:?}");
}

/// Chinese reservations (版权所有, 未经许可不得转载) follow the English rule: beside
/// a license grant in the same record they are attribution, alone they make the
/// data proprietary. Synthetic texts.
#[test]
fn chinese_reservations_in_context() {
    let category = |records: &[&str], document: bool| {
        let mut s = LicenseSummary::default();
        for r in records {
            s.add_record(&scan(r));
        }
        s.close_file(document);
        (
            s.category(),
            s.all_rights_reserved,
            s.all_rights_reserved_with_grant,
        )
    };
    let granted = "版权所有 © 2024 示例工作室，保留所有权利。本文采用 CC BY-NC 4.0 许可协议，转载请注明出处。";
    let (c, arr, with) = category(&[granted], true);
    assert_eq!(c, Category::NonCommercial, "{granted}");
    assert!(arr >= 1 && with == arr, "{arr} {with}");
    let mit = "版权所有，未经许可不得转载。本项目代码基于 MIT 许可证发布。";
    assert_eq!(category(&[mit], true).0, Category::Permissive, "{mit}");
    let alone = "版权所有，未经许可不得转载。";
    let (c, arr, with) = category(&[alone], true);
    assert_eq!((c, with), (Category::Proprietary, 0), "{alone}");
    assert!(arr >= 1);
    // In a record collection one licensed record does not license its neighbour;
    // in a document a grant anywhere covers the reservation.
    assert_eq!(category(&[granted, alone], true).0, Category::NonCommercial);
    let (c, arr, with) = category(&[granted, alone], false);
    assert!(with < arr, "the lone record's reservation stays alone");
    assert_ne!(
        c,
        Category::Proprietary,
        "it flags its record, not the file"
    );
}

/// Every example beside the rules added for references and agreements (issue
/// 16): a `yes` text yields its license, a `no` text yields no license at all.
#[test]
fn reference_rule_examples() {
    use super::rules::{
        Examples, LABEL_EXAMPLES, MORE_NAME_EXAMPLES, MORE_NAME_RULES, MORE_NOTICE_PREFIXES,
        MORE_NOTICE_SUFFIXES, MORE_URL_RULES, TITLE_EXAMPLES, URL_SLUG_EXAMPLES,
    };
    let all: Vec<(&str, &Examples)> = MORE_NOTICE_PREFIXES
        .iter()
        .chain(MORE_NOTICE_SUFFIXES)
        .map(|(id, _, e)| (*id, e))
        .chain(MORE_NAME_EXAMPLES.iter().map(|(id, e)| (*id, e)))
        .chain(MORE_URL_RULES.iter().map(|(id, _, _, e)| (*id, e)))
        .chain(std::iter::once(("url.slugs", &URL_SLUG_EXAMPLES)))
        .chain(std::iter::once(("labels", &LABEL_EXAMPLES)))
        .chain(std::iter::once(("name.title", &TITLE_EXAMPLES)))
        .collect();
    for rule in MORE_NAME_RULES {
        assert!(
            MORE_NAME_EXAMPLES.iter().any(|(id, _)| *id == rule.id),
            "{} has no examples",
            rule.id
        );
    }
    let mut failures = Vec::new();
    for (id, ex) in all {
        assert!(
            !ex.yes.is_empty() && !ex.no.is_empty(),
            "{id} needs true and false examples"
        );
        for (text, want) in ex.yes {
            let got = found_ids(text);
            if !got
                .iter()
                .any(|g| g.split([' ', '(', ')']).any(|w| w == *want))
            {
                failures.push(format!("{id}: {text:?} gave {got:?}, want {want}"));
            }
        }
        for text in ex.no {
            let got = found_ids(text);
            if !got.is_empty() {
                failures.push(format!("{id}: {text:?} gave {got:?}, want nothing"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// AFL, OSL and OFL notices keep the version they state (each published
/// version is an SPDX id); without one they are the current version.
#[test]
fn afl_osl_ofl_versions() {
    for (text, want) in [
        (
            "Licensed under the Academic Free License version 2.1.",
            "AFL-2.1",
        ),
        (
            "Available via Academic Free License >= 2.1 OR the modified BSD license.",
            "AFL-2.1",
        ),
        ("Licensed under the Academic Free License.", "AFL-3.0"),
        (
            "This program is licensed under the Open Software License version 1.0.",
            "OSL-1.0",
        ),
        ("SPDX-style short form: licensed under AFL-1.2.", "AFL-1.2"),
        (
            "The fonts are released under the SIL Open Font License, Version 1.0.",
            "OFL-1.0",
        ),
        (
            "The fonts are released under the SIL Open Font License.",
            "OFL-1.1",
        ),
    ] {
        assert!(
            found_ids(text).iter().any(|id| id == want),
            "{text:?} gave {:?}, want {want}",
            found_ids(text)
        );
    }
    assert!(found_ids("The Academic Free License 9.9 does not exist.").is_empty());
}

/// Alternatives read whole whichever of them carries the notice: a name
/// before a specific one ("MIT OR Apache-2.0"), names joined by "&", and a
/// bulleted, emphasised list under a "License:" heading.
#[test]
fn alternatives_join_both_ways() {
    for (text, want) in [
        ("/* This crate: MIT OR Apache-2.0 */\n", "MIT"),
        ("Released under the MIT & BSD licenses.\n", "BSD-3-Clause"),
        (
            "### License:\n\n - **MIT** OR **Apache-2.0** OR **LGPL-2.1-or-later**\n",
            "MIT",
        ),
        ("## License:\n\nMIT\n", "MIT"),
        (
            "// This file is dual licensed under the MIT and the University of Illinois Open\n// Source Licenses. See LICENSE.TXT for details.\n",
            "NCSA",
        ),
    ] {
        assert!(
            found_ids(text).contains(&want.to_string()),
            "{text:?} gave {:?}, want {want}",
            found_ids(text)
        );
    }
    for text in [
        "Researchers at MIT and Stanford wrote the licensed drivers.\n",
        "Copyright MIT and permission is granted to visit the lab.\n",
        "### License:\n\n - **pending** review\n",
    ] {
        assert!(
            found_ids(text).is_empty(),
            "{text:?} gave {:?}",
            found_ids(text)
        );
    }
}

/// Windows (CRLF) and old Mac (CR) line ends read as Unix ones: line rules
/// (list items after a colon, headings) still apply, and offsets point into
/// the text as given.
#[test]
fn crlf_and_cr_texts_read_like_lf() {
    let lf = "// (c) 2010 A. Author. This class may be used under the terms\n// of any of the following licenses:\n//\n// EPL, Eclipse Public License, V1.0\n";
    let heading = "### License:\n\nMIT\n";
    for text in [lf, heading] {
        let want = found_ids(text);
        assert!(!want.is_empty(), "{text:?}");
        for ends in ["\r\n", "\r"] {
            let t = text.replace('\n', ends);
            assert_eq!(found_ids(&t), want, "{t:?}");
            for m in scan(&t) {
                assert!(m.start <= m.end && m.end <= t.len() && t.is_char_boundary(m.start));
            }
        }
    }
}

/// References to the license file by a path or "according to" it.
#[test]
fn references_to_license_files_by_path() {
    let see = "LicenseRef-See-License-File".to_string();
    for text in [
        "/* Copyright (C) 2009 Example Corp.\n * See ../COPYING for licensing terms.\n */\n",
        "* Licensed according to the LICENSE file in this repository.\n",
    ] {
        assert_eq!(found_ids(text), vec![see.clone()], "{text:?}");
    }
    assert!(found_ids("Parking is arranged according to the licence plate list.\n").is_empty());
}

/// A notice naming a license no table knows is `LicenseRef-Unlisted-License`,
/// only where nothing else names a license: never in place of one.
#[test]
fn unlisted_licenses_named_by_notices() {
    let unlisted = "LicenseRef-Unlisted-License".to_string();
    for text in [
        ":: Copyright 2011 A. Team\n:: Distribution is permitted under the terms of the Acme Widget license.\n",
        "/* Copyright (c) 2009 Example Corp\n * This file is distributed under the Example Trusted Source License(ETSL).\n */\n",
        "/*\n * This code is subject to the \"Foo-Labs General Public License\". Please read it.\n */\n",
        // A name whose later words start lower case.
        "/* The contents of this file are subject to the Acme eWidget Public License */\n",
    ] {
        assert_eq!(found_ids(text), vec![unlisted.clone()], "{text:?}");
    }
    for text in [
        "Licensed under the Apache License, Version 2.0.\n",
        "This file is distributed under the terms of the MIT license.\n",
    ] {
        assert!(!found_ids(text).contains(&unlisted), "{text:?}");
    }
    for text in [
        "This program is distributed under the terms of the Software License.\n",
        "Licensed under the same License as the rest.\n",
        "You need a valid Driver License to rent the car.\n",
        "The License is governed by the laws of Utopia.\n",
    ] {
        assert!(
            found_ids(text).is_empty(),
            "{text:?}: {:?}",
            found_ids(text)
        );
    }
}

/// A CDDL notice keeps the version it states; without one it is CDDL-1.0,
/// the version Sun's unversioned header was written for (later versions
/// are the recipient's option).
#[test]
fn cddl_unversioned_is_the_first_version() {
    for (text, want) in [
        (
            "The contents of this file are subject to the terms of the\n * Common Development and Distribution License (the \"License\").",
            "CDDL-1.0",
        ),
        (
            "This module is made available under the Common Development and Distribution License, Version 1.1.",
            "CDDL-1.1",
        ),
        ("Distributed under CDDL-1.1 terms.", "CDDL-1.1"),
    ] {
        assert!(
            found_ids(text).iter().any(|id| id == want),
            "{text:?} gave {:?}, want {want}",
            found_ids(text)
        );
    }
}

/// The HPND family told by its clauses (see `CLAUSE_RULES`) when a holder's
/// own disclaimer keeps the matcher from accepting the text; one clause of it
/// alone names nothing.
#[test]
fn hpnd_family_by_clauses() {
    let grant = |sell: &str| {
        format!(
            "Copyright 1994 Example Lab\n\nPermission to use, copy, modify, distribute{sell} this software and its\ndocumentation for any purpose is hereby granted without fee, provided\nthat the above copyright notice appear in all copies and that both that\ncopyright notice and this permission notice appear in supporting\ndocumentation, and that the name of Example Lab not be used in\nadvertising or publicity pertaining to distribution of the software\nwithout specific, written prior permission. Example Lab makes no\nrepresentations about the suitability of this software for any purpose.\nIt is provided \"as is\" without express or implied warranty.\n\nEXAMPLE LAB WAIVES EVERY WARRANTY ABOUT THIS PROGRAM, MERCHANTABILITY\nAND FITNESS INCLUDED; IN NO CASE IS EXAMPLE LAB ANSWERABLE FOR LOSS OF\nDATA, PROFITS OR USE, IN CONTRACT OR TORT, ARISING FROM THE PROGRAM.\n"
        )
    };
    assert!(found_ids(&grant(", and sell")).contains(&"HPND-sell-variant".to_string()));
    let plain = found_ids(&grant(""));
    assert!(plain.contains(&"HPND".to_string()), "{plain:?}");
    let prose = "Our vendor makes no representations about the suitability of this software for any purpose, says the audit.\n";
    assert!(found_ids(prose).is_empty());
}

/// "Or later" in parentheses after a GNU name and version is the same grant
/// as without them; parentheses holding something else are not.
#[test]
fn gnu_or_later_in_parentheses() {
    let ids = |t: &str| found_ids(t);
    assert!(
        ids("This file is licensed under the GPL v2 (or any later version).\n")
            .contains(&"GPL-2.0-or-later".to_string())
    );
    assert!(
        ids("Released under the GNU Lesser General Public License 2.1 (or later).\n")
            .contains(&"LGPL-2.1-or-later".to_string())
    );
    let other =
        ids("This file is licensed under the GPL v2 (or the MIT license for the examples).\n");
    assert!(other.contains(&"GPL-2.0-only".to_string()), "{other:?}");
}

/// "Or, at your option, any later version" is the "or later" grant, as its
/// parenthesised form is.
#[test]
fn gnu_or_later_with_commas() {
    assert!(
        found_ids("It is licensed under GPL version 3 or, at your option, any later version.\n")
            .contains(&"GPL-3.0-or-later".to_string())
    );
    assert!(
        found_ids("Licence: Expat\n").contains(&"MIT".to_string()),
        "Debian's Expat is MIT"
    );
}

/// Alternatives with a short aside in parentheses after each stay one notice;
/// a longer parenthesis ends the chain.
#[test]
fn alternatives_with_asides() {
    let ids = found_ids(
        "This library is licensed under the GPL version 2 (see COPYING.GPL), the LGPL version 2.1 (see COPYING.LGPL) or the MPL 1.1 (see COPYING.MPL).\n",
    );
    for want in ["GPL-2.0-only", "LGPL-2.1-only", "MPL-1.1"] {
        assert!(ids.contains(&want.to_string()), "{want} in {ids:?}");
    }
    let long = found_ids(
        "This tool is licensed under the GPL version 2 (whose obligations our lawyers summarised at length for the whole team in a memo last spring), the MPL 1.1 mention is historical.\n",
    );
    assert!(!long.contains(&"MPL-1.1".to_string()), "{long:?}");
}

/// Markup around the names of a notice (Markdown links, HTML anchors,
/// emphasis) does not hide the notice or break its list of alternatives.
#[test]
fn notices_through_markup() {
    for text in [
        "## License\n\nLicensed under either of [Apache License, Version 2.0](LICENSE-APACHE) or\n[MIT license](LICENSE-MIT) at your option.\n",
        "<sup>\nLicensed under either of <a href=\"LICENSE-APACHE\">Apache License, Version\n2.0</a> or <a href=\"LICENSE-MIT\">MIT license</a> at your option.\n</sup>\n",
        "This crate is licensed under the **Apache License 2.0** or the **MIT license**.\n",
    ] {
        let ids = found_ids(text);
        for want in ["Apache-2.0", "MIT"] {
            assert!(
                ids.contains(&want.to_string()),
                "{want} in {ids:?} for {text:?}"
            );
        }
    }
    let ids = found_ids(
        "## License\n\nThe code is dual licensed under the Apache 2.0 license as well as the MIT license.\n",
    );
    assert!(ids.contains(&"MIT".to_string()), "{ids:?}");
    let ids = found_ids("#### License\n\n<a href=\"LICENSE-MIT\">MIT license</a>.\n");
    assert!(ids.contains(&"MIT".to_string()), "{ids:?}");
    // A link to a license in prose is still only a mention.
    assert!(
        found_ids("We compared [the MIT license](https://example.org/mit) with others.\n")
            .is_empty()
    );
}

/// Every item of a list of licenses under a grant is a notice, not only the
/// first: a later item is not read together with the words of the one above.
#[test]
fn every_item_of_a_license_list() {
    for (text, want) in [
        (
            "This crate is distributed under the following licenses:\n- ISC license\n- Apache License 2.0\n",
            ["ISC", "Apache-2.0"],
        ),
        (
            "Licensed under the following licenses:\n1. MIT license\n2. Apache License, Version 2.0\n",
            ["MIT", "Apache-2.0"],
        ),
        (
            "It is distributed under the following three licenses:\n\n- Apache License version 2.0.\n- MIT license.\n- ISC license.\n",
            ["MIT", "ISC"],
        ),
    ] {
        let ids = found_ids(text);
        for w in want {
            assert!(ids.contains(&w.to_string()), "{w} in {ids:?}");
        }
    }
}

/// The FSF's all-permissive notice with its warranty sentence (FSFULLRWD)
/// heads every aclocal.m4, above the GNU headers of the macros it gathers:
/// the sentence sits three lines below the grant, and the file names other
/// licenses, so it is the notice's name rule, not a whole-text match, that
/// must reach it. Without the sentence the notice stays FSFULLR.
#[test]
fn fsf_all_permissive_notice_with_its_warranty_sentence() {
    let notice = "# generated automatically by aclocal -*- Autoconf -*-\n\n\
        # Copyright (C) 1996-2004 Free Software Foundation, Inc.\n\
        # This file is free software; the Free Software Foundation\n\
        # gives unlimited permission to copy and/or distribute it,\n\
        # with or without modifications, as long as this notice is preserved.\n\n";
    let warranty = "# This program is distributed in the hope that it will be useful,\n\
        # but WITHOUT ANY WARRANTY, to the extent permitted by law; without\n\
        # even the implied warranty of MERCHANTABILITY or FITNESS FOR A\n\
        # PARTICULAR PURPOSE.\n\n";
    let macro_header = "# AM_INIT_AUTOMAKE: the macro that does most of the work.\n\n\
        # Copyright (C) 1997 Free Software Foundation, Inc.\n\n\
        # This program is free software; you can redistribute it and/or modify\n\
        # it under the terms of the GNU General Public License as published by\n\
        # the Free Software Foundation; either version 2, or (at your option)\n\
        # any later version.\n";
    let with = found_ids(&format!("{notice}{warranty}{macro_header}"));
    assert!(
        with.contains(&"FSFULLRWD".to_string()) && !with.contains(&"FSFULLR".to_string()),
        "{with:?}"
    );
    let without = found_ids(&format!("{notice}{macro_header}"));
    assert!(
        without.contains(&"FSFULLR".to_string()) && !without.contains(&"FSFULLRWD".to_string()),
        "{without:?}"
    );
}
