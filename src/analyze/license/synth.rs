//! Synthetic, labelled fixtures for the accuracy suite and the benchmark.
//!
//! Everything is generated from a seeded generator, so runs are repeatable,
//! and every license text comes from the spdx crate's stored texts: nothing
//! here is copied from real data. Texts are disguised the way they appear in
//! the wild: re-wrapped, copyright lines filled in, comment-wrapped as source
//! headers, embedded in READMEs and code.

use super::MarkerKind;
use crate::synth::Rng;

/// What a fixture must produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Exactly this license (SPDX id or LicenseRef) and no other.
    License(String),
    /// At least one marker of this kind.
    Marker(MarkerKind),
    /// No marker of any kind.
    Nothing,
}

/// One generated document and what a correct detector must report for it.
#[derive(Clone, Debug)]
pub struct Fixture {
    /// The fixture family, for per-group accuracy figures.
    pub group: &'static str,
    /// The document to scan.
    pub text: String,
    /// The expected outcome.
    pub expect: Expect,
}

/// A copyright year of the last few decades.
fn year(rng: &mut Rng) -> u32 {
    1998 + rng.below(28) as u32
}

const NAMES: &[&str] = &[
    "Jane Doe",
    "Wei Zhang",
    "Acme Robotics Ltd.",
    "Example Labs",
    "Li Na",
    "The Foo Project Authors",
    "Contoso Data Inc.",
    "Maria Garcia",
    "Northwind Systems",
    "Kenji Sato",
];
const ZH_ORGS: &[&str] = &[
    "北京示例科技有限公司",
    "杭州样例网络科技有限公司",
    "某某出版社",
    "示例数据研究院",
    "上海演示信息技术有限公司",
];

/// SPDX ids whose stored text becomes a full-text fixture, with the id the
/// detector must report (GNU texts alone are `-only`, see matcher.rs).
pub const FULL_TEXT_IDS: &[(&str, &str)] = &[
    ("MIT", "MIT"),
    ("Apache-2.0", "Apache-2.0"),
    ("BSD-2-Clause", "BSD-2-Clause"),
    ("BSD-3-Clause", "BSD-3-Clause"),
    ("GPL-2.0-only", "GPL-2.0-only"),
    ("GPL-3.0-only", "GPL-3.0-only"),
    ("LGPL-2.1-only", "LGPL-2.1-only"),
    ("LGPL-3.0-only", "LGPL-3.0-only"),
    ("AGPL-3.0-only", "AGPL-3.0-only"),
    ("MPL-2.0", "MPL-2.0"),
    ("ISC", "ISC"),
    ("Unlicense", "Unlicense"),
    ("CC0-1.0", "CC0-1.0"),
    ("CC-BY-4.0", "CC-BY-4.0"),
    ("CC-BY-SA-4.0", "CC-BY-SA-4.0"),
    ("CC-BY-NC-4.0", "CC-BY-NC-4.0"),
    ("CC-BY-NC-SA-4.0", "CC-BY-NC-SA-4.0"),
    ("CC-BY-ND-4.0", "CC-BY-ND-4.0"),
    ("CC-BY-NC-ND-4.0", "CC-BY-NC-ND-4.0"),
    ("CC-BY-3.0", "CC-BY-3.0"),
    ("CC-BY-SA-3.0", "CC-BY-SA-3.0"),
    ("EPL-1.0", "EPL-1.0"),
    ("EPL-2.0", "EPL-2.0"),
    ("Zlib", "Zlib"),
    ("BSL-1.0", "BSL-1.0"),
    ("0BSD", "0BSD"),
    ("MIT-0", "MIT-0"),
    ("WTFPL", "WTFPL"),
    ("Artistic-2.0", "Artistic-2.0"),
    ("PostgreSQL", "PostgreSQL"),
    ("OFL-1.1", "OFL-1.1"),
    ("ODbL-1.0", "ODbL-1.0"),
    ("EUPL-1.2", "EUPL-1.2"),
    ("MPL-1.1", "MPL-1.1"),
    ("CDDL-1.0", "CDDL-1.0"),
    ("BSD-4-Clause", "BSD-4-Clause"),
    ("X11", "X11"),
    ("NCSA", "NCSA"),
    ("UPL-1.0", "UPL-1.0"),
    ("MS-PL", "MS-PL"),
];

/// Replaces template placeholders (`<year>`, `[name of copyright owner]`,
/// `<one line to give the program's name ...>`) with synthetic values;
/// leaves `<https://...>` links alone.
fn fill_placeholders(text: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['<', '[']) {
        out.push_str(&rest[..i]);
        let close = if rest[i..].starts_with('<') { '>' } else { ']' };
        let tail = &rest[i + 1..];
        let end = tail
            .find(close)
            .filter(|&e| e < 80 && !tail[..e].contains('\n'));
        let Some(e) = end else {
            out.push_str(&rest[i..i + 1]);
            rest = tail;
            continue;
        };
        let inner = tail[..e].to_ascii_lowercase();
        let is_link =
            inner.starts_with("http") || inner.starts_with("www") || inner.starts_with("mailto");
        let is_placeholder = close == '>'
            || ["yyyy", "year", "name", "owner"]
                .iter()
                .any(|k| inner.contains(k));
        if is_link || !is_placeholder {
            out.push_str(&rest[i..i + 1 + e + 1]);
        } else if inner.contains("year") || inner.contains("yyyy") {
            out.push_str(&year(rng).to_string());
        } else {
            out.push_str(rng.word(NAMES));
        }
        rest = &tail[e + 1..];
    }
    out.push_str(rest);
    out
}

/// Joins each paragraph's lines and wraps them at `width` columns.
fn rewrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        let words: Vec<&str> = para.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        let mut line = String::new();
        for w in words {
            if !line.is_empty() && line.len() + 1 + w.len() > width {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(w);
        }
        out.push_str(&line);
        out.push_str("\n\n");
    }
    out.trim_end().to_string()
}

fn comment(text: &str, style: usize) -> String {
    let body = |prefix: &str| {
        text.lines()
            .map(|l| {
                if l.is_empty() {
                    prefix.trim_end().to_string()
                } else {
                    format!("{prefix}{l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    match style % 4 {
        0 => body("# "),
        1 => format!("/*\n{}\n */", body(" * ")),
        2 => body("// "),
        _ => body("-- "),
    }
}

const CODE: &[&str] = &[
    "import os\nimport sys\n\ndef main():\n    print(sys.argv)\n",
    "#include <stdio.h>\n\nint main(void) {\n    return 0;\n}\n",
    "package main\n\nfunc main() {\n\tprintln(\"ok\")\n}\n",
    "SELECT id, name FROM users WHERE active = 1;\n",
];

fn copyright_line(rng: &mut Rng) -> String {
    let y = year(rng);
    let n = rng.word(NAMES);
    match rng.below(4) {
        0 => format!("Copyright (c) {y} {n}"),
        1 => format!("Copyright {y} {n}"),
        2 => format!("Copyright (C) {y}-{} {n}", y + 1),
        _ => format!("© {y} {n}"),
    }
}

/// Full license texts in eight disguises each: as stored, re-wrapped,
/// `#` / `/* */` / `//` comments above code, inside a README, CRLF line
/// ends, markdown blockquote.
pub fn full_texts() -> Vec<Fixture> {
    let mut rng = Rng::new(7);
    let mut out = Vec::new();
    for &(id, expect) in FULL_TEXT_IDS {
        let Some(lic) = spdx::license_id(id) else {
            continue;
        };
        for variant in 0..8 {
            let filled = fill_placeholders(lic.text(), &mut rng);
            let width = 40 + rng.below(61);
            let text = match variant {
                0 => filled,
                1 => rewrap(&filled, width),
                2..=4 => format!(
                    "{}\n{}",
                    comment(&rewrap(&filled, width), variant - 2),
                    rng.word(CODE)
                ),
                6 => rewrap(&filled, width).replace('\n', "\r\n"),
                7 => rewrap(&filled, width)
                    .lines()
                    .map(|l| format!("> {l}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
                _ => format!(
                    "# Data tools\n\nUtilities for cleaning corpora.\n\n## License\n\n{}\n\n{}\n\nThanks for reading.\n",
                    copyright_line(&mut rng),
                    rewrap(&filled, width)
                ),
            };
            out.push(Fixture {
                group: "full_text",
                text,
                expect: Expect::License(expect.to_string()),
            });
        }
    }
    out
}

/// The text between `from` (inclusive) and `to` (inclusive, or the end of
/// that paragraph when `to` is empty) in a stored license text.
fn excerpt(id: &str, from: &str, to: &str) -> Option<String> {
    let text = spdx::license_id(id)?.text();
    let s = text.find(from)?;
    let rest = &text[s..];
    let e = if to.is_empty() {
        rest.find("\n\n").unwrap_or(rest.len())
    } else {
        rest.find(to)? + to.len()
    };
    Some(
        rest[..e]
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Standard license headers (taken from the "how to apply" sections of the
/// stored texts) as source-file headers.
pub fn headers() -> Vec<Fixture> {
    let specs: [(&str, &str, &str, &str); 6] = [
        (
            "Apache-2.0",
            "Licensed under the Apache License",
            "limitations under the License.",
            "Apache-2.0",
        ),
        (
            "GPL-3.0-only",
            "This program is free software",
            "<https://www.gnu.org/licenses/>.",
            "GPL-3.0-or-later",
        ),
        (
            "GPL-2.0-only",
            "This program is free software",
            "MA 02110-1301, USA.",
            "GPL-2.0-or-later",
        ),
        (
            "LGPL-2.1-only",
            "This library is free software",
            "02110-1301  USA",
            "LGPL-2.1-or-later",
        ),
        (
            "AGPL-3.0-only",
            "This program is free software",
            "<http://www.gnu.org/licenses/>.",
            "AGPL-3.0-or-later",
        ),
        ("MPL-2.0", "This Source Code Form is subject", "", "MPL-2.0"),
    ];
    let mut rng = Rng::new(11);
    let mut out = Vec::new();
    for (id, from, to, expect) in specs {
        let Some(h) = excerpt(id, from, to) else {
            continue;
        };
        for style in 0..6 {
            let width = 60 + rng.below(30);
            let body = format!("{}\n\n{}", copyright_line(&mut rng), rewrap(&h, width));
            let text = format!("{}\n{}", comment(&body, style), rng.word(CODE));
            out.push(Fixture {
                group: "header",
                text,
                expect: Expect::License(expect.to_string()),
            });
        }
    }
    out
}

/// License notices, names and SPDX tags: (expected id, long names, short ids).
const NOTICE_LICENSES: &[(&str, &[&str], &[&str])] = &[
    (
        "Apache-2.0",
        &[
            "the Apache License, Version 2.0",
            "the Apache License 2.0",
            "Apache License v2.0",
        ],
        &["Apache-2.0", "Apache 2.0"],
    ),
    (
        "MIT",
        &[
            "the MIT License",
            "the MIT license",
            "The MIT License (MIT)",
        ],
        &["MIT"],
    ),
    (
        "GPL-3.0-only",
        &[
            "the GNU General Public License v3.0",
            "version 3 of the GNU General Public License",
            "the GNU GPL v3",
        ],
        &["GPL-3.0-only", "GPLv3"],
    ),
    (
        "GPL-3.0-or-later",
        &[
            "the GNU General Public License as published by the Free Software Foundation, either version 3 of the License, or (at your option) any later version",
            "the GNU GPL v3 or later",
        ],
        &["GPL-3.0-or-later", "GPL-3.0+"],
    ),
    (
        "GPL-2.0-only",
        &[
            "the GNU General Public License, version 2",
            "the GNU General Public License v2.0 only",
        ],
        &["GPL-2.0-only", "GPLv2"],
    ),
    (
        "GPL-2.0-or-later",
        &[
            "the GNU General Public License v2 or later",
            "the GNU General Public License version 2 or any later version",
        ],
        &["GPL-2.0-or-later"],
    ),
    (
        "LGPL-2.1-only",
        &[
            "the GNU Lesser General Public License version 2.1",
            "the GNU Lesser General Public License, v2.1",
        ],
        &["LGPL-2.1-only", "LGPL v2.1"],
    ),
    (
        "LGPL-3.0-only",
        &[
            "the GNU Lesser General Public License v3.0",
            "the GNU Lesser General Public License, version 3",
        ],
        &["LGPL-3.0-only", "LGPLv3"],
    ),
    (
        "AGPL-3.0-only",
        &[
            "the GNU Affero General Public License v3.0",
            "the GNU Affero General Public License, version 3",
        ],
        &["AGPL-3.0-only", "AGPLv3"],
    ),
    (
        "BSD-3-Clause",
        &[
            "the BSD 3-Clause License",
            "the 3-Clause BSD License",
            "the New BSD License",
        ],
        &["BSD-3-Clause"],
    ),
    (
        "BSD-2-Clause",
        &["the BSD 2-Clause License", "the Simplified BSD License"],
        &["BSD-2-Clause"],
    ),
    (
        "MPL-2.0",
        &[
            "the Mozilla Public License 2.0",
            "the Mozilla Public License, v. 2.0",
        ],
        &["MPL-2.0"],
    ),
    (
        "EPL-2.0",
        &[
            "the Eclipse Public License 2.0",
            "the Eclipse Public License v2.0",
        ],
        &["EPL-2.0"],
    ),
    ("ISC", &["the ISC License"], &["ISC"]),
    ("Unlicense", &["the Unlicense"], &["Unlicense"]),
    (
        "BSL-1.0",
        &[
            "the Boost Software License 1.0",
            "the Boost Software License, Version 1.0",
        ],
        &["BSL-1.0"],
    ),
    (
        "Zlib",
        &["the zlib License", "the zlib/libpng License"],
        &["Zlib"],
    ),
    (
        "CC0-1.0",
        &[
            "CC0 1.0 Universal",
            "the Creative Commons Zero v1.0 Universal license",
        ],
        &["CC0-1.0"],
    ),
    (
        "CC-BY-4.0",
        &[
            "a Creative Commons Attribution 4.0 International License",
            "CC BY 4.0",
        ],
        &["CC-BY-4.0"],
    ),
    (
        "CC-BY-SA-4.0",
        &[
            "a Creative Commons Attribution-ShareAlike 4.0 International License",
            "CC BY-SA 4.0",
        ],
        &["CC-BY-SA-4.0"],
    ),
    (
        "CC-BY-NC-4.0",
        &[
            "a Creative Commons Attribution-NonCommercial 4.0 International License",
            "CC BY-NC 4.0",
        ],
        &["CC-BY-NC-4.0"],
    ),
    (
        "CC-BY-NC-SA-4.0",
        &[
            "a Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International License",
            "CC BY-NC-SA 4.0",
        ],
        &["CC-BY-NC-SA-4.0"],
    ),
    (
        "CC-BY-ND-4.0",
        &[
            "a Creative Commons Attribution-NoDerivatives 4.0 International License",
            "CC BY-ND 4.0",
        ],
        &["CC-BY-ND-4.0"],
    ),
    (
        "CC-BY-NC-ND-4.0",
        &[
            "a Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International License",
            "CC BY-NC-ND 4.0",
        ],
        &["CC-BY-NC-ND-4.0"],
    ),
    (
        "CC-BY-SA-3.0",
        &[
            "the Creative Commons Attribution-ShareAlike 3.0 Unported License",
            "CC BY-SA 3.0",
        ],
        &["CC-BY-SA-3.0"],
    ),
    (
        "ODbL-1.0",
        &[
            "the Open Database License (ODbL) v1.0",
            "the Open Database License",
        ],
        &["ODbL-1.0"],
    ),
    (
        "EUPL-1.2",
        &["the European Union Public Licence v. 1.2", "EUPL v1.2"],
        &["EUPL-1.2"],
    ),
    (
        "MulanPSL-2.0",
        &["Mulan PSL v2", "木兰宽松许可证，第2版"],
        &["MulanPSL-2.0"],
    ),
    (
        "LicenseRef-llama2",
        &[
            "the LLAMA 2 Community License",
            "the Llama 2 Community License Agreement",
        ],
        &[],
    ),
    (
        "LicenseRef-llama3.1",
        &["the Llama 3.1 Community License Agreement"],
        &[],
    ),
    ("LicenseRef-gemma", &["the Gemma Terms of Use"], &[]),
    (
        "LicenseRef-creativeml-openrail-m",
        &["the CreativeML OpenRAIL-M license"],
        &[],
    ),
    ("LicenseRef-OpenAI-Terms", &["OpenAI's Terms of Use"], &[]),
];

const LONG_TEMPLATES: &[&str] = &[
    "Licensed under {}.",
    "This project is released under {}.",
    "This software is distributed under the terms of {}.",
    "The dataset is made available under {}.",
    "All code in this repository is licensed under {}; see LICENSE for details.",
    "Outputs are subject to {}.",
    "Content on this site is available under {} unless otherwise noted.",
];

const SHORT_TEMPLATES: &[&str] = &[
    "License: {}",
    "SPDX-License-Identifier: {}",
    "This package is {} licensed.",
    "Licensed under {}.",
    "本项目采用 {} 许可证。",
    "遵循 {} 开源协议。",
    "\"license\": \"{}\",",
];

const PROSE_BEFORE: &[&str] = &[
    "",
    "The toolkit ships with tokenizers and loaders. ",
    "Installation is described in INSTALL.md.\n",
    "本仓库包含数据清洗脚本。",
    "Thanks to all contributors.\n\n",
];
const PROSE_AFTER: &[&str] = &[
    "",
    " Contributions are welcome.",
    "\nSee the changelog for details.",
    " 欢迎提交问题。",
];

/// Short notices, label lines and SPDX tags, embedded in a little prose.
pub fn notices() -> Vec<Fixture> {
    let mut rng = Rng::new(13);
    let mut out = Vec::new();
    for &(expect, longs, shorts) in NOTICE_LICENSES {
        for (i, t) in LONG_TEMPLATES.iter().enumerate() {
            let name = longs[i % longs.len()];
            push_notice(&mut out, &mut rng, t, name, expect);
        }
        for (i, t) in SHORT_TEMPLATES.iter().enumerate() {
            let Some(&name) = shorts.get(i % shorts.len().max(1)) else {
                continue;
            };
            let is_tag_or_json = t.starts_with("SPDX") || t.starts_with('"');
            if is_tag_or_json && spdx::license_id(name).is_none() {
                continue;
            }
            push_notice(&mut out, &mut rng, t, name, expect);
        }
    }
    out
}

fn push_notice(out: &mut Vec<Fixture>, rng: &mut Rng, template: &str, name: &str, expect: &str) {
    let mut sentence = template.replace("{}", name);
    match rng.below(10) {
        // shouted, as in some file headers
        0 if sentence.is_ascii() => sentence = sentence.to_uppercase(),
        // wrapped over two comment lines
        1 => {
            let words: Vec<&str> = sentence.split(' ').collect();
            let mid = words.len() / 2;
            sentence = format!("# {}\n# {}", words[..mid].join(" "), words[mid..].join(" "));
        }
        _ => {}
    }
    let text = format!(
        "{}{}{}",
        rng.word(PROSE_BEFORE),
        sentence,
        rng.word(PROSE_AFTER)
    );
    out.push(Fixture {
        group: "notice",
        text,
        expect: Expect::License(expect.to_string()),
    });
}

/// Creative Commons URLs, badges and HTML license links.
pub fn cc_urls() -> Vec<Fixture> {
    let mut rng = Rng::new(17);
    let mut out = Vec::new();
    let els = [
        ("by", "BY"),
        ("by-sa", "BY-SA"),
        ("by-nc", "BY-NC"),
        ("by-nc-sa", "BY-NC-SA"),
        ("by-nd", "BY-ND"),
        ("by-nc-nd", "BY-NC-ND"),
    ];
    for (path, id) in els {
        for ver in ["4.0", "3.0", "2.0"] {
            let url = format!(
                "{}creativecommons.org/licenses/{path}/{ver}/",
                rng.word(&["https://", "http://", "//", "https://www."])
            );
            let text = match rng.below(4) {
                0 => format!("Images are shared under {url}"),
                1 => format!(
                    "<a rel=\"license\" href=\"{url}\"><img alt=\"Creative Commons License\" src=\"x.png\"/></a>"
                ),
                2 => format!("[![License](https://i.example/cc.svg)]({url})"),
                _ => format!("License details: {url}deed.en"),
            };
            out.push(Fixture {
                group: "cc_url",
                text,
                expect: Expect::License(format!("CC-{id}-{ver}")),
            });
        }
    }
    for (path, id) in [
        ("publicdomain/zero/1.0/", "CC0-1.0"),
        ("publicdomain/mark/1.0/", "CC-PDM-1.0"),
    ] {
        for prefix in [
            "https://creativecommons.org/",
            "http://creativecommons.org/",
            "<https://creativecommons.org/",
        ] {
            out.push(Fixture {
                group: "cc_url",
                text: format!("Dedicated to the public domain: {prefix}{path}"),
                expect: Expect::License(id.to_string()),
            });
        }
    }
    out
}

/// Links to license pages other than Creative Commons.
pub fn license_urls() -> Vec<Fixture> {
    let urls = [
        ("https://www.gnu.org/licenses/gpl-3.0.html", "GPL-3.0-only"),
        (
            "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html",
            "GPL-2.0-only",
        ),
        (
            "https://www.gnu.org/licenses/lgpl-2.1.html",
            "LGPL-2.1-only",
        ),
        (
            "https://www.gnu.org/licenses/agpl-3.0.en.html",
            "AGPL-3.0-only",
        ),
        ("http://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0"),
        ("https://opensource.org/licenses/MIT", "MIT"),
        (
            "https://opensource.org/licenses/BSD-3-Clause",
            "BSD-3-Clause",
        ),
        ("https://choosealicense.com/licenses/mit/", "MIT"),
        (
            "https://choosealicense.com/licenses/gpl-3.0/",
            "GPL-3.0-only",
        ),
        ("https://mozilla.org/MPL/2.0/", "MPL-2.0"),
        ("https://spdx.org/licenses/Apache-2.0.html", "Apache-2.0"),
        ("https://www.eclipse.org/legal/epl-2.0/", "EPL-2.0"),
        ("https://opendatacommons.org/licenses/odbl/1-0/", "ODbL-1.0"),
        ("https://unlicense.org", "Unlicense"),
    ];
    let wrappers = [
        "See {}",
        "Full text: <{}>",
        "<a href=\"{}\">license</a>",
        "许可证全文见 {}",
    ];
    let mut out = Vec::new();
    for (i, (url, id)) in urls.iter().enumerate() {
        for (j, w) in wrappers.iter().enumerate() {
            if (i + j) % 2 == 0 {
                out.push(Fixture {
                    group: "license_url",
                    text: w.replace("{}", url),
                    expect: Expect::License(id.to_string()),
                });
            }
        }
    }
    out
}

/// Chinese Creative Commons names as they appear on blogs and sites.
pub fn cc_chinese() -> Vec<Fixture> {
    let forms = [
        (
            "本作品采用知识共享署名-非商业性使用-相同方式共享 4.0 国际许可协议进行许可。",
            "CC-BY-NC-SA-4.0",
        ),
        (
            "本作品采用知识共享 署名-非商业性使用-相同方式共享 4.0 国际 许可协议进行许可。",
            "CC-BY-NC-SA-4.0",
        ),
        ("本文采用 知识共享 署名 4.0 国际 许可协议。", "CC-BY-4.0"),
        ("本文采用 署名 4.0 国际 (CC BY 4.0) 许可协议", "CC-BY-4.0"),
        (
            "署名-非商业性使用-禁止演绎 4.0 国际 (CC BY-NC-ND 4.0)",
            "CC-BY-NC-ND-4.0",
        ),
        (
            "本站文章除注明外，均采用 署名-相同方式共享 3.0 许可。",
            "CC-BY-SA-3.0",
        ),
        (
            "本著作係採用創用 CC 姓名標示-非商業性 4.0 國際 授權條款授權。",
            "CC-BY-NC-4.0",
        ),
        ("知识共享 署名-禁止演绎 4.0 国际许可协议", "CC-BY-ND-4.0"),
        (
            "版权声明：本文为博主原创文章，遵循 CC 4.0 BY-SA 版权协议，转载请附上原文出处链接和本声明。",
            "CC-BY-SA-4.0",
        ),
        (
            "本作品采用知识共享署名-非商业性使用 4.0 国际许可协议进行许可。",
            "CC-BY-NC-4.0",
        ),
        (
            "本博客所有文章除特别声明外，均采用 CC BY-NC-SA 4.0 许可协议。转载请注明出处！",
            "CC-BY-NC-SA-4.0",
        ),
        (
            "采用知识共享署名-相同方式共享 4.0 国际许可协议",
            "CC-BY-SA-4.0",
        ),
        ("本数据集以 CC0 1.0 通用 方式贡献至公共领域。", "CC0-1.0"),
        (
            "本作品采用創用CC 姓名標示-相同方式分享 3.0 台灣 授權條款授權",
            "CC-BY-SA-3.0",
        ),
    ];
    let before = ["", "文章来源：示例博客。", "作者：李华\n", "（完）\n"];
    let mut out = Vec::new();
    for (i, (text, id)) in forms.iter().enumerate() {
        for (j, b) in before.iter().enumerate() {
            if (i + j) % 2 == 0 {
                out.push(Fixture {
                    group: "cc_zh",
                    text: format!("{b}{text}"),
                    expect: Expect::License(id.to_string()),
                });
            }
        }
    }
    out
}

/// Copyright lines in English and Chinese.
pub fn copyright_lines() -> Vec<Fixture> {
    let mut rng = Rng::new(19);
    let mut out = Vec::new();
    for i in 0..40 {
        let (y, n) = (year(&mut rng), rng.word(NAMES).to_string());
        let text = match i % 8 {
            0 => format!("Copyright (c) {y} {n}"),
            1 => format!("© {y} {n}. All rights reserved."),
            2 => format!("Copyright {y}-{} {n}", y + 2),
            3 => format!("<footer>&copy; {y} {n}</footer>"),
            4 => format!("(C) {y} {n}"),
            5 => format!("Copyright © {n} {y}"),
            6 => format!("SPDX-FileCopyrightText: {y} {n}"),
            _ => format!("Text and images copyright {y} {n}."),
        };
        out.push(Fixture {
            group: "copyright_en",
            text,
            expect: Expect::Marker(MarkerKind::CopyrightNotice),
        });
    }
    for i in 0..30 {
        let (y, org) = (year(&mut rng), rng.word(ZH_ORGS).to_string());
        let text = match i % 6 {
            0 => format!("版权所有 © {y} {org}"),
            1 => format!("版权所有：{org}"),
            2 => format!("版權所有 © {y} {org}"),
            3 => format!("Copyright © {y} {org} 版权所有"),
            4 => "著作权归作者所有。商业转载请联系作者获得授权，非商业转载请注明出处。".to_string(),
            _ => format!("本文版权归{org}所有。"),
        };
        out.push(Fixture {
            group: "copyright_zh",
            text,
            expect: Expect::Marker(MarkerKind::CopyrightNotice),
        });
    }
    out
}

/// Rights reservations.
pub fn reservations() -> Vec<Fixture> {
    let forms = [
        "All rights reserved.",
        "ALL RIGHTS RESERVED",
        "Copyright 2020 Example Labs. All Rights Reserved.",
        "No part of this publication may be reproduced without written permission.",
        "Alle Rechte vorbehalten.",
        "Tous droits réservés.",
        "保留所有权利。",
        "版权所有，未经许可不得转载。",
        "未经授权，禁止转载",
        "本文系原创，未经作者书面许可，严禁任何形式的转载。",
        "版权所有 翻印必究",
        "禁止转载",
        "無断転載を禁じます。",
        "未經許可，請勿轉載。",
        "侵权必究",
    ];
    let mut out = Vec::new();
    for (i, f) in forms.iter().enumerate() {
        for ctx in [
            "",
            "\n本页内容由示例数据研究院提供。",
            "Published by Example Press. ",
        ] {
            let text = if i % 2 == 0 {
                format!("{f}{ctx}")
            } else {
                format!("{ctx}{f}")
            };
            out.push(Fixture {
                group: "all_rights_reserved",
                text,
                expect: Expect::Marker(MarkerKind::AllRightsReserved),
            });
        }
    }
    out
}

/// TDM reservations: robots meta, TDMRep, robots.txt for AI crawlers.
pub fn tdm() -> Vec<Fixture> {
    let mut out = Vec::new();
    let push = |out: &mut Vec<Fixture>, text: String| {
        out.push(Fixture {
            group: "tdm_opt_out",
            text,
            expect: Expect::Marker(MarkerKind::TdmOptOut),
        });
    };
    for content in [
        "noai, noimageai",
        "noai",
        "noimageai",
        "index, follow, noai",
        "NOAI,NOIMAGEAI",
    ] {
        push(
            &mut out,
            format!(
                "<html><head><meta name=\"robots\" content=\"{content}\"><title>t</title></head>"
            ),
        );
        push(
            &mut out,
            format!("<meta content='{content}' name='robots' />"),
        );
    }
    push(
        &mut out,
        "<meta name=\"tdm-reservation\" content=\"1\">".to_string(),
    );
    push(&mut out, "<meta name=\"tdm-reservation\" content=\"1\"><meta name=\"tdm-policy\" content=\"https://example.org/policy.json\">".to_string());
    push(&mut out, "[{\"location\": \"/\", \"tdm-reservation\": 1, \"tdm-policy\": \"https://example.org/p.json\"}]".to_string());
    push(
        &mut out,
        "HTTP/1.1 200 OK\ntdm-reservation: 1\ncontent-type: text/html".to_string(),
    );
    push(&mut out, "X-Robots-Tag: noai, noimageai".to_string());
    for bot in [
        "GPTBot",
        "CCBot",
        "Google-Extended",
        "anthropic-ai",
        "ClaudeBot",
        "Bytespider",
        "PerplexityBot",
    ] {
        push(&mut out, format!("User-agent: {bot}\nDisallow: /\n"));
        push(
            &mut out,
            format!(
                "# robots.txt\nUser-agent: Googlebot\nAllow: /\n\nUser-agent: {bot}\nDisallow: /\n\nSitemap: https://example.org/sitemap.xml\n"
            ),
        );
    }
    out
}

const EN_NEG: &[&str] = &[
    "I renewed my driver's license at the DMV {when}.",
    "{who} finally passed the licensing exam for {job}.",
    "Copyright law is complex, and {topic} makes it more so.",
    "The seminar on copyright infringement starts {when}.",
    "She applied for a fishing license before the trip to {place}.",
    "The bar lost its liquor license after {event}.",
    "Our software license fees went up by {n} percent {when}.",
    "He wrote a thesis on the history of copyright in {place}.",
    "The city issues about {n} business licenses every month.",
    "Music licensing for films is handled by {who}.",
    "We compared the GPL and the MIT license at the meetup {when}, without choosing one.",
    "Options are (a) wait, (b) leave, or (c) Call {who}.",
    "Point (c) of the agreement covers delivery dates for {place}.",
    "The © symbol can be typed on most keyboards.",
    "Robots will take over part of the factory floor {when}.",
    "The user-agent string identifies the browser {who} uses.",
    "The copyright office in {place} was closed {when}.",
    "Licensing agreements between {who} and a publisher were renegotiated.",
    "{who} kept a pilot's license in a wallet.",
    "They reserved all the rooms on the second floor for {event}.",
    "The restaurant in {place} is licensed to serve alcohol.",
    "Is a teaching license required to work in {place}?",
    "The licence plate of the car was hard to read {when}.",
    "{who} spoke about copyright reform and fair use {when}.",
    "A marriage license costs {n} dollars in {place}.",
    "She studied under MIT professors for two years.",
    "Released under pressure, the report was incomplete.",
    "The license agreement for {who} was signed {when}.",
    "The robots.txt file tells crawlers which pages to skip.",
    "We reserve the right to refuse service to anyone.",
    "Section 2(c) Applies only to residents of {place}.",
    "The 1976 Copyright Act changed the rules for {topic}.",
    "Under the MIT program, students in {place} get housing.",
    "Apache helicopters flew over {place} {when}.",
    "Running Apache 2.4 on the old server was a mistake.",
    "The GNU project was announced in 1983.",
];
const ZH_NEG: &[&str] = &[
    "{zwho}{zwhen}去办理了驾驶执照。",
    "版权法非常复杂，需要专业律师解读{ztopic}。",
    "这家公司正在{zplace}申请营业许可证。",
    "我们讨论了知识产权与版权保护的关系，{ztopic}也被提到。",
    "转载请注明出处。",
    "他的作品署名为{zwho}。",
    "版权登记的流程在{zplace}比较繁琐。",
    "开源软件的许可证种类很多，{zwho}做了介绍。",
    "{zwho}和供应商签署了一份合作协议。",
    "会议保留了所有议程，{zwhen}继续讨论。",
    "{zwho}对版权问题持保留意见。",
    "机器人技术在{zplace}发展迅速。",
    "{zwho}{zwhen}考取了教师资格证。",
    "这篇文章讨论了版权归属的争议，{ztopic}。",
    "{zwho}被授权代表公司签署协议。",
    "这个开源项目在{zplace}很受欢迎。",
    "记者未经核实就发布了消息。",
    "我们会保留所有收据，{zwhen}报销。",
];
const WHEN: &[&str] = &[
    "yesterday",
    "last week",
    "this morning",
    "in 2019",
    "next month",
];
const WHO: &[&str] = &[
    "my neighbour",
    "Alice",
    "the new intern",
    "Dr. Chen",
    "our team",
];
const PLACES: &[&str] = &["Ohio", "Shenzhen", "Lyon", "the harbour district", "Kyoto"];
const TOPICS: &[&str] = &[
    "streaming",
    "sampling in music",
    "AI training",
    "photography",
    "translation",
];
const JOBS: &[&str] = &["real estate", "nursing", "electricians", "pharmacy"];
const EVENTS: &[&str] = &[
    "a noisy party",
    "the conference",
    "an inspection",
    "the holidays",
];
const ZWHO: &[&str] = &["我", "小王", "李老师", "我们团队", "张先生"];
const ZWHEN: &[&str] = &["昨天", "上周", "今年", "前几天"];
const ZPLACE: &[&str] = &["北京", "深圳", "杭州", "成都"];
const ZTOPIC: &[&str] = &["数字音乐", "短视频", "人工智能训练", "摄影作品"];

fn fill_slots(t: &str, rng: &mut Rng) -> String {
    let mut s = t.to_string();
    for (slot, values) in [
        ("{when}", WHEN),
        ("{who}", WHO),
        ("{place}", PLACES),
        ("{topic}", TOPICS),
        ("{job}", JOBS),
        ("{event}", EVENTS),
        ("{zwho}", ZWHO),
        ("{zwhen}", ZWHEN),
        ("{zplace}", ZPLACE),
        ("{ztopic}", ZTOPIC),
    ] {
        while s.contains(slot) {
            s = s.replacen(slot, rng.word(values), 1);
        }
    }
    if s.contains("{n}") {
        s = s.replace("{n}", &(2 + rng.below(97)).to_string());
    }
    s
}

/// Prose that mentions licenses or copyright without granting or reserving
/// anything. Any marker on these is a false positive.
pub fn negatives() -> Vec<Fixture> {
    let mut rng = Rng::new(23);
    let mut out = Vec::new();
    for i in 0..360 {
        let pool = if i % 3 == 2 { ZH_NEG } else { EN_NEG };
        let first = fill_slots(rng.word(pool), &mut rng);
        let text = if i % 4 == 0 {
            format!("{first} {}", fill_slots(rng.word(EN_NEG), &mut rng))
        } else {
            first
        };
        out.push(Fixture {
            group: "negative",
            text,
            expect: Expect::Nothing,
        });
    }
    out
}

/// Every labelled fixture.
pub fn all() -> Vec<Fixture> {
    let mut v = full_texts();
    v.extend(headers());
    v.extend(notices());
    v.extend(cc_urls());
    v.extend(license_urls());
    v.extend(cc_chinese());
    v.extend(copyright_lines());
    v.extend(reservations());
    v.extend(tdm());
    v.extend(negatives());
    v
}

const EN_WORDS: &[&str] = &[
    "the",
    "river",
    "city",
    "people",
    "government",
    "school",
    "music",
    "history",
    "year",
    "market",
    "water",
    "computer",
    "language",
    "model",
    "data",
    "research",
    "company",
    "world",
    "new",
    "first",
    "many",
    "during",
    "between",
    "after",
    "before",
    "system",
    "study",
    "report",
    "information",
    "development",
    "public",
    "office",
    "price",
    "notice",
    "center",
    "recent",
    "police",
    "garden",
    "train",
    "evening",
    "recipe",
    "football",
    "weather",
    "museum",
    "village",
    "science",
    "student",
    "teacher",
    "network",
    "energy",
    "ocean",
    "mountain",
    "family",
];
const EN_GLUE: &[&str] = &[
    "of", "and", "in", "to", "with", "for", "on", "at", "from", "by", "is", "was", "that",
];
const ZH_WORDS: &[&str] = &[
    "我们", "今天", "城市", "发展", "经济", "研究", "数据", "模型", "学校", "历史", "音乐", "市场",
    "政府", "人民", "文化", "技术", "社会", "国家", "问题", "时间", "生活", "天气", "旅游", "教育",
    "健康", "公司", "产品", "用户", "网络", "科学", "老师", "学生", "家庭", "体育", "新闻", "环境",
];

fn en_sentence(rng: &mut Rng) -> String {
    let n = 6 + rng.below(14);
    let mut s = String::new();
    for i in 0..n {
        let w = if i % 2 == 1 {
            rng.word(EN_GLUE)
        } else {
            rng.word(EN_WORDS)
        };
        if i == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push_str(". ");
    s
}

fn zh_sentence(rng: &mut Rng) -> String {
    let n = 5 + rng.below(12);
    let mut s = String::new();
    for i in 0..n {
        s.push_str(rng.word(ZH_WORDS));
        if i % 4 == 3 {
            s.push('，');
        }
    }
    s.push('。');
    s
}

/// Ordinary mixed English/Chinese prose split into records of 0.5-4 KB.
/// About one sentence in 500 is a negative fixture sentence (a license or
/// copyright word used in passing), as ordinary web text has them too.
pub fn ordinary_prose(bytes: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut records = Vec::new();
    let mut total = 0;
    while total < bytes {
        let target = 512 + rng.below(3584);
        let mut rec = String::with_capacity(target + 128);
        while rec.len() < target {
            let k = rng.below(1000);
            if k < 2 {
                rec.push_str(&fill_slots(
                    rng.word(if k == 0 { EN_NEG } else { ZH_NEG }),
                    &mut rng,
                ));
                rec.push(' ');
            } else if k.is_multiple_of(2) {
                rec.push_str(&en_sentence(&mut rng));
            } else {
                rec.push_str(&zh_sentence(&mut rng));
            }
            if rng.below(8) == 0 {
                rec.push('\n');
            }
        }
        total += rec.len();
        records.push(rec);
    }
    records
}

/// `ordinary_prose` where `percent`% of records start with a license header
/// (Apache, GPL, MIT, BSD, MPL) in a comment, as source files do.
pub fn license_mix(bytes: usize, percent: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed ^ 0x5eed);
    let mut heads: Vec<String> = headers().into_iter().map(|f| f.text).collect();
    for id in ["MIT", "BSD-3-Clause", "ISC"] {
        if let Some(l) = spdx::license_id(id) {
            for style in 0..3 {
                heads.push(comment(
                    &rewrap(&fill_placeholders(l.text(), &mut rng), 78),
                    style,
                ));
            }
        }
    }
    let mut records = ordinary_prose(bytes, seed);
    for rec in records.iter_mut() {
        if rng.below(100) < percent && !heads.is_empty() {
            let head = fill_year(&heads[rng.below(heads.len())], &mut rng);
            *rec = format!("{head}\n{rec}");
        }
    }
    records
}

/// Varies the copyright year of a header so repeated headers differ.
fn fill_year(head: &str, rng: &mut Rng) -> String {
    head.replacen("Copyright", &format!("Copyright {}", year(rng)), 1)
}
