//! Built-in rule tables. Everything that decides *what* counts as a marker lives
//! here as plain data, so a reviewer can audit the rules without reading code,
//! and so [`super::LicenseDetector::rules_fingerprint`] can hash them: a ledger
//! row records which rules produced it, and a rule change shows up as a new hash.

/// Sampling step of the gate: a 4-byte window is hashed every `GATE_STEP`
/// bytes. Needles must be at least `GATE_STEP + 3` bytes long so that every
/// occurrence fully contains one sampled window (see `gate.rs`).
pub(super) const GATE_STEP: usize = 4;

/// Bytes either side of a gate hit that the detailed rules look at. Large
/// enough to hold a wrapped notice plus its neighbouring lines, small enough
/// that an incidental "license" in a long book costs a few microseconds.
pub(super) const WINDOW: usize = 400;

/// Gate needles: case-sensitive literals, at least 7 bytes each. Every
/// detailed trigger below occurs within `WINDOW` bytes of one of these in any
/// text we want to report on; ordinary prose rarely contains them, which is
/// what keeps the common path at memory speed.
pub(super) const GATE_NEEDLES: &[&str] = &[
    // license / licence / licensed / licensing / licensor, every casing
    "license",
    "License",
    "LICENSE",
    "licensi",
    "Licensi",
    "LICENSI",
    "licenso",
    "Licenso",
    "LICENSO",
    "licence",
    "Licence",
    "LICENCE",
    // copyright words
    "opyrigh",
    "OPYRIGH",
    "ghts re",
    "ghts Re",
    "GHTS RE",
    "e reprodu",
    // other languages' reservations
    "vorbehal",
    "réserv",
    "RÉSERV",
    "eservad",
    // grant phrases and disclaimers that start license texts without the word
    "hereby ",
    "Hereby ",
    "HEREBY ",
    "edistri",
    "EDISTRI",
    "arranty",
    "arranti",
    "ARRANTY",
    "ARRANTI",
    "encumbe",
    // bare SPDX-style ids
    "Apache-",
    "apache-",
    "-Clause",
    "-clause",
    "MPL-2.0",
    "MPL-1.1",
    "MPL-1.0",
    "EPL-2.0",
    "EPL-1.0",
    "GPL-1.0",
    "GPL-2.0",
    "GPL-3.0",
    "gpl-2.0",
    "gpl-3.0",
    "GPL-2.1",
    "EUPL-1.",
    "CDDL-1.",
    "OFL-1.1",
    "LPPL-1.",
    "CECILL-",
    "Artistic-",
    " WTFPL ",
    "ODbL-1.",
    "PDDL-1.",
    "ODC-By-",
    "CDLA-Pe",
    "CDLA-Sh",
    " GPL v2",
    " GPL v3",
    "is GPLv",
    "is LGPL",
    "is AGPL",
    // Creative Commons short names and URLs
    "CC BY-N",
    "CC BY-S",
    "CC BY 4",
    "CC BY 3",
    "CC BY 2",
    "CC-BY-N",
    "CC-BY-S",
    "CC-BY-4",
    "CC-BY-3",
    "CC-BY-2",
    "cc-by-n",
    "cc-by-s",
    "cc-by-4",
    "cc-by-3",
    "cc-by-2",
    "CC0 1.0",
    "CC0-1.0",
    "cc0-1.0",
    "CC0 lic",
    "CC0 Lic",
    "CC0 Pub",
    "CC0 pub",
    "CC 4.0 ",
    "CC 3.0 ",
    "vecommo",
    "ublicdomain",
    "omain Mark",
    "omain mark",
    // notice verbs (a notice need not contain the word "license")
    "d under ",
    "lable under",
    "ubject to ",
    "overned by",
    "Mulan P",
    // license URLs whose path does not spell "license"
    "org/MPL",
    "/legal/",
    "wtfpl.n",
    "datacomm",
    // proprietary notices without the word "license"
    "roprietary",
    "ROPRIETARY",
    // model terms
    "OpenRAIL",
    "openrail",
    "OpenRail",
    "Gemma T",
    "/gemma/",
    "OpenAI ",
    "OpenAI’",
    "OpenAI'",
    "openai.com",
    // SPDX / REUSE tags
    "SPDX-Li",
    "SPDX-Fi",
    "spdx-li",
    // TDM reservation
    "=\"robots",
    "='robots",
    "=robots",
    "-Robots",
    "-robots",
    "noimageai",
    "tdm-res",
    "TDM-Res",
    "tdm-pol",
    "-agent:",
    "-Agent:",
    "-AGENT:",
    // Chinese / Japanese (three or more characters, or two plus a marker)
    "版权所",
    "版權所",
    "版权归",
    "版權歸",
    "版权声",
    "版权协",
    "著作权",
    "著作權",
    "著作権",
    "保留所有",
    "保留一切",
    "保留全部",
    "禁止转载",
    "严禁转载",
    "请勿转载",
    "谢绝转载",
    "不得转载",
    "禁止轉載",
    "嚴禁轉載",
    "請勿轉載",
    "翻印必究",
    "侵权必究",
    "侵權必究",
    "盗版必究",
    "未经许可",
    "未经授权",
    "未经作者",
    "未经本",
    "未經許可",
    "未經授權",
    "無断転載",
    "無断複製",
    "不許複製",
    "知识共享",
    "知識共享",
    "创作共用",
    "創作共用",
    "創用CC",
    "創用 CC",
    "署名-",
    "署名 ",
    "署名4",
    "署名—",
    "署名－",
    "许可证",
    "许可协",
    "許可證",
    "许可发",
    " 协议",
    "T协议",
    "L协议",
    "D协议",
    "0协议",
    "C协议",
    "开源协",
    "開源協",
    "开源许",
    "授权协",
    "授權條",
    "木兰宽",
    // notices without the word "license" (issue 16): "under the same terms
    // as Perl itself", EULA acceptance, confidential material, W3C URLs
    "same terms",
    "Same terms",
    "SAME TERMS",
    "not agree",
    "Not Agree",
    "NOT AGREE",
    "ny confidential",
    "ly confidential",
    "ss confidential",
    "NY CONFIDENTIAL",
    "LY CONFIDENTIAL",
    "ortium/Legal",
    "ublic domain",
    "ublic Domain",
    "UBLIC DOMAIN",
    "ermission is",
    "ERMISSION IS",
    "ermission to",
    "ERMISSION TO",
    "ed permission",
    "ditions of distribution",
    "SIL OFL",
    "you agree",
    "You agree",
    "YOU AGREE",
];

/// Literal bytes that start the short copyright tokens (`©`, `(c)`, `&copy;`).
/// They are found with a separate memchr-speed pass because they are shorter
/// than the gate's minimum needle length.
pub(super) const SHORT_TOKENS: &[&str] = &[
    "\u{a9}", "(c)", "(C)", "&copy;", "&#169;", "&#xa9;", "&#xA9;",
];

/// Families of detailed rules a trigger can wake up.
pub(super) mod fam {
    pub const TAG: u16 = 1;
    pub const NAME: u16 = 1 << 1;
    pub const URL: u16 = 1 << 2;
    pub const COPY: u16 = 1 << 3;
    pub const ARR: u16 = 1 << 4;
    pub const TDM: u16 = 1 << 5;
    /// A phrase that occurs almost only in license texts and headers.
    pub const STRONG: u16 = 1 << 6;
    /// Boilerplate that licenses share with contracts; only extends clusters.
    pub const WEAK: u16 = 1 << 7;
}

/// Detailed triggers (ASCII case-insensitive) run only inside gate windows.
/// A trigger names the rule families whose regexes must look at its line.
pub(super) const TRIGGERS: &[(&str, u16)] = &[
    ("spdx-license-identifier", fam::TAG),
    ("spdx-filecopyrighttext", fam::COPY),
    ("licen", fam::NAME),
    ("gpl", fam::NAME),
    ("apache", fam::NAME),
    ("asl", fam::NAME),
    ("bsd", fam::NAME),
    ("mpl", fam::NAME),
    ("epl", fam::NAME),
    ("eupl", fam::NAME),
    ("cddl", fam::NAME),
    ("cc by", fam::NAME),
    ("cc-by", fam::NAME),
    ("cc0", fam::NAME),
    ("cc 4.0", fam::NAME),
    ("cc 3.0", fam::NAME),
    ("creative commons", fam::NAME | fam::STRONG),
    ("public domain mark", fam::NAME),
    ("artistic-", fam::NAME),
    ("wtfpl", fam::NAME),
    ("what the f", fam::NAME),
    ("beer-ware", fam::NAME),
    ("beerware", fam::NAME),
    ("odbl", fam::NAME),
    ("pddl", fam::NAME),
    ("odc-by", fam::NAME),
    ("cdla", fam::NAME),
    ("ofl-", fam::NAME),
    ("lppl", fam::NAME),
    ("cecill", fam::NAME),
    ("upl-", fam::NAME),
    ("ms-pl", fam::NAME),
    ("ms-rl", fam::NAME),
    ("sspl", fam::NAME),
    ("busl", fam::NAME),
    ("polyform", fam::NAME),
    ("c-uda", fam::NAME),
    ("computational use of data", fam::NAME),
    ("afl-", fam::NAME),
    ("osl-", fam::NAME),
    ("mulan", fam::NAME),
    ("openrail", fam::NAME),
    ("gemma terms", fam::NAME),
    ("openai", fam::NAME | fam::URL),
    ("terms of use", fam::NAME),
    ("terms of service", fam::NAME),
    ("proprietary", fam::NAME),
    ("end user", fam::NAME),
    ("end-user", fam::NAME),
    ("0bsd", fam::NAME),
    ("许可", fam::NAME),
    ("許可", fam::NAME),
    ("协议", fam::NAME),
    ("協議", fam::NAME),
    ("授权", fam::NAME),
    ("授權", fam::NAME),
    ("开源", fam::NAME),
    ("開源", fam::NAME),
    ("署名", fam::NAME),
    ("识共", fam::NAME),
    ("識共", fam::NAME),
    ("作共", fam::NAME),
    ("創用", fam::NAME),
    ("木兰", fam::NAME),
    // URLs
    ("creativecommons.org", fam::URL),
    ("gnu.org/licenses", fam::URL),
    ("gnu.org/copyleft", fam::URL),
    ("opensource.org/licenses", fam::URL),
    ("choosealicense.com", fam::URL),
    ("apache.org/licenses", fam::URL),
    ("mozilla.org/mpl", fam::URL),
    ("spdx.org/licenses", fam::URL),
    ("unlicense.org", fam::URL),
    ("eclipse.org/legal", fam::URL),
    ("wtfpl.net", fam::URL),
    ("opendatacommons.org", fam::URL),
    ("img.shields.io/badge/licen", fam::URL),
    ("llama.meta.com", fam::URL),
    ("ai.google.dev/gemma", fam::URL),
    // copyright notices and reservations
    ("copyright", fam::COPY),
    ("\u{a9}", fam::COPY),
    ("(c)", fam::COPY),
    ("&copy;", fam::COPY),
    ("&#169;", fam::COPY),
    ("&#xa9;", fam::COPY),
    ("版权", fam::COPY),
    ("版權", fam::COPY),
    ("著作权", fam::COPY),
    ("著作權", fam::COPY),
    ("著作権", fam::COPY),
    ("rights reserved", fam::ARR),
    ("be reproduced", fam::ARR),
    ("vorbehalten", fam::ARR),
    ("réservés", fam::ARR),
    ("reservados", fam::ARR),
    ("保留所有", fam::ARR),
    ("保留一切", fam::ARR),
    ("保留全部", fam::ARR),
    ("转载", fam::ARR),
    ("轉載", fam::ARR),
    ("必究", fam::ARR),
    ("未经", fam::ARR),
    ("未經", fam::ARR),
    ("無断転載", fam::ARR),
    ("無断複製", fam::ARR),
    ("不許複製", fam::ARR),
    // TDM reservation
    ("robots", fam::TDM),
    ("noai", fam::TDM),
    ("noimageai", fam::TDM),
    ("tdm-reservation", fam::TDM),
    ("user-agent", fam::TDM),
    // license-text phrases (cluster anchors). Short, so that they survive
    // re-wrapping: a phrase split over two comment lines is not found.
    ("permission is hereby granted", fam::STRONG),
    ("hereby granted, free of charge", fam::STRONG),
    ("redistribution and use", fam::STRONG),
    ("source and binary forms", fam::STRONG),
    ("with or without modification", fam::STRONG),
    ("general public license", fam::STRONG),
    ("is free software", fam::STRONG),
    ("free software foundation", fam::STRONG),
    ("mozilla public license", fam::STRONG),
    ("source code form is subject", fam::STRONG),
    ("eclipse public license", fam::STRONG),
    ("apache license", fam::STRONG),
    ("permission to use, copy, modify", fam::STRONG),
    ("is hereby granted", fam::STRONG),
    ("free and unencumbered", fam::STRONG),
    ("released into the public domain", fam::STRONG),
    ("boost software license", fam::STRONG),
    ("permission is granted to anyone", fam::STRONG),
    ("may not be removed or altered", fam::STRONG),
    ("licensed material", fam::STRONG),
    ("public license", fam::STRONG),
    ("hereby waives", fam::STRONG),
    ("do what the fuck", fam::STRONG),
    ("development and distribution license", fam::STRONG),
    ("european union public licen", fam::STRONG),
    ("software is provided", fam::STRONG),
    ("provided 'as-is'", fam::STRONG),
    ("you may not use this file except", fam::STRONG),
    ("artistic license", fam::STRONG),
    ("open font license", fam::STRONG),
    ("open database license", fam::STRONG),
    ("universal permissive license", fam::STRONG),
    ("university of illinois", fam::STRONG),
    ("under the terms of the", fam::WEAK),
    ("licensed under", fam::WEAK),
    ("without warranty", fam::WEAK),
    ("without any warranty", fam::WEAK),
    ("without warranties", fam::WEAK),
    ("implied warranty", fam::WEAK),
    ("warranties", fam::WEAK),
    ("warranty", fam::WEAK),
    ("merchantability", fam::WEAK),
    ("fitness for a particular purpose", fam::WEAK),
    ("noninfringement", fam::WEAK),
    ("non-infringement", fam::WEAK),
    ("in no event", fam::WEAK),
    ("liable", fam::WEAK),
    ("liability", fam::WEAK),
    ("\"as is\"", fam::WEAK),
    ("'as-is'", fam::WEAK),
    ("as is", fam::WEAK),
    ("copyright notice", fam::WEAK),
    ("copyright holder", fam::WEAK),
    ("this permission notice", fam::WEAK),
    ("redistributions of", fam::WEAK),
    ("the above copyright", fam::WEAK),
    ("sublicense", fam::WEAK),
    ("licensor", fam::WEAK),
    ("licensee", fam::WEAK),
    ("the license", fam::WEAK),
    ("this license", fam::WEAK),
    ("terms and conditions", fam::WEAK),
    ("derivative work", fam::WEAK),
    ("copyright", fam::WEAK),
    ("licens", fam::WEAK),
    ("licenc", fam::WEAK),
    // legal vocabulary that ordinary prose rarely uses: keeps a cluster
    // alive through clauses such as X11's advertising paragraph
    ("shall", fam::WEAK),
    ("hereby", fam::WEAK),
    ("herein", fam::WEAK),
    ("thereof", fam::WEAK),
    ("whereas", fam::WEAK),
    ("notwithstanding", fam::WEAK),
    ("pursuant", fam::WEAK),
    ("foregoing", fam::WEAK),
    ("prior written", fam::WEAK),
    ("in advertising", fam::WEAK),
    ("endorse", fam::WEAK),
    ("indemnif", fam::WEAK),
    ("disclaim", fam::WEAK),
    ("provided that", fam::WEAK),
    ("royalty-free", fam::WEAK),
    ("irrevocable", fam::WEAK),
    ("non-exclusive", fam::WEAK),
    ("redistribut", fam::WEAK),
    ("misrepresent", fam::WEAK),
    ("altered", fam::WEAK),
    // vocabulary of long copyleft texts, whose sections can run for pages
    // without the word "license"
    ("convey", fam::WEAK),
    ("corresponding source", fam::WEAK),
    ("object code", fam::WEAK),
    ("covered work", fam::WEAK),
    // references and agreements that used to find nothing (issue 16)
    ("same terms", fam::NAME),
    ("do not agree", fam::NAME),
    ("don't agree", fam::NAME),
    ("confidential", fam::NAME),
    ("see copyright", fam::NAME),
    ("berkeley software distribution", fam::NAME),
    // References to the COPYING file without the word "license"
    // (`name.see_file`): "Read the file COPYING", "see the COPYING file".
    ("file copying", fam::NAME),
    ("copying file", fam::NAME),
    ("see copying", fam::NAME),
    ("w3.org/consortium/legal", fam::URL),
    ("/docs/copyright", fam::URL),
    ("isc.org/copyright", fam::URL),
    ("openldap.org/licen", fam::URL),
    ("docs.python.org/", fam::URL),
    ("eu-datagrid.org/licen", fam::URL),
    ("jquery.org/licen", fam::URL),
    ("/copyright.htm", fam::URL),
    ("/copyright.txt", fam::URL),
    ("independent jpeg", fam::NAME),
    ("file_licen", fam::NAME),
    ("lisp lesser", fam::NAME),
    ("llgpl", fam::NAME),
    ("sgi free", fam::NAME),
    ("secure mailer", fam::NAME),
    ("nethack may", fam::NAME),
    // Freeware grants: the phrases, not the common words "freely" and
    // "feel free", wake the rule, so ordinary prose stays cheap.
    ("it freely", fam::NAME),
    ("file freely", fam::NAME),
    ("software freely", fam::NAME),
    ("code freely", fam::NAME),
    ("them freely", fam::NAME),
    ("be freely", fam::NAME),
    ("freely distributable", fam::NAME),
    ("freely redistributable", fam::NAME),
    ("feel free to use", fam::NAME),
    ("feel free to copy", fam::NAME),
    ("feel free to modify", fam::NAME),
    ("feel free to distribute", fam::NAME),
    ("feel free to redistribute", fam::NAME),
    ("unlimited permission", fam::NAME),
    // The FSF's warranty sentence after its all-permissive notice (FSFULLRWD,
    // every aclocal.m4): three lines below "unlimited permission", past the
    // name span's reach, so it opens a span of its own that merges with it.
    ("extent permitted by law", fam::NAME),
    ("libtiff", fam::NAME),
    ("gnu.org/prep/maintain", fam::URL),
    ("public domain", fam::NAME),
    ("here is a blessing", fam::NAME),
    ("sil ofl", fam::NAME),
    ("eiffel forum", fam::NAME),
    ("you agree", fam::NAME),
    ("you accept", fam::NAME),
    ("license agreement", fam::NAME),
    ("licence agreement", fam::NAME),
    ("permission is", fam::NAME),
    // Freeware grants in the author's own words (`name.grant_own_words`).
    ("for any purpose", fam::NAME),
    ("ed freely", fam::NAME),
    ("as you see fit", fam::NAME),
    ("permission to", fam::NAME),
    // Grants worded by their authors: "You may freely use ... this file",
    // "License to use, copy, modify ... is hereby granted", "You are hereby
    // granted a copyright license to use ...", "Redistribution,
    // modification, and use in source and binary forms is permitted".
    ("may freely", fam::NAME),
    ("can freely", fam::NAME),
    ("permission under", fam::NAME),
    ("hereby granted", fam::NAME),
    ("license to use", fam::NAME),
    ("licence to use", fam::NAME),
    ("use in source", fam::NAME),
    ("free use of", fam::NAME),
    ("granted permission", fam::NAME),
    // "You may ... use, modify and distribute this software" (`name.you_may_modify`);
    // "use, modify" holds however the sentence wraps.
    ("use, modify", fam::NAME),
    ("modify and distribute", fam::NAME),
    ("modify and redistribute", fam::NAME),
    ("conditions of distribution", fam::NAME),
    ("terms of distribution", fam::NAME),
    // French license vocabulary: a French text ("licence" wakes the gate)
    // otherwise holds almost no distinct phrase of the list above, so it
    // never reached the whole-text matcher or the title reading.
    ("d'auteur", fam::WEAK),
    ("présente licence", fam::WEAK),
    ("cette licence", fam::WEAK),
    ("logiciel", fam::WEAK),
    ("concédant", fam::WEAK),
    ("titulaire", fam::WEAK),
    ("contributeur", fam::WEAK),
    ("garantie", fam::WEAK),
    ("responsabilité", fam::WEAK),
    ("les droits", fam::WEAK),
    ("œuvre", fam::WEAK),
    ("oeuvre", fam::WEAK),
];

/// Two phrase hits further apart than this start a new cluster. License texts
/// repeat their vocabulary every few hundred bytes (the largest gap in the
/// stored texts of `synth::FULL_TEXT_IDS` is 1.9 KB, in LGPL-2.1); prose
/// does not.
pub(super) const CLUSTER_GAP: usize = 2500;
/// A cluster goes to the (expensive) matcher only with this many distinct
/// phrases, at least one of them strong.
pub(super) const CLUSTER_MIN_DISTINCT: usize = 4;
/// How far around a strong anchor the phrase scan looks for the rest of the text.
pub(super) const CLUSTER_BACK: usize = 8 * 1024;
pub(super) const CLUSTER_FORWARD: usize = 96 * 1024;
/// Shortest stripped text worth a matcher call: the shortest SPDX texts
/// (FSFAP, WTFPL) are longer; a one-line notice is left to the notice rules.
pub(super) const CLUSTER_MIN_BYTES: usize = 180;
/// How far a cluster is grown to the paragraph boundaries around it.
pub(super) const PARAGRAPH_GROW: usize = 2 * 1024;

/// A text with no identified license text goes to the matcher whole when it is
/// at most this long (the longest common license texts, GPL-3.0 and APSL-2.0,
/// are under 40 KB) ...
pub(super) const WHOLE_TEXT_MAX_BYTES: usize = 48 * 1024;
/// ... and holds this many distinct license phrases. A license text holds
/// twenty or more; prose that mentions a warranty or a copyright, a handful.
pub(super) const WHOLE_TEXT_MIN_DISTINCT: usize = 10;
/// Distinct phrases a text that names a license must hold to be read whole
/// too: a full license text naming others (the GFDL names Creative Commons
/// licenses) holds 20 or more, a standard header that names its license
/// 10 to 14, and the header is already read where it stands.
pub(super) const WHOLE_NAMED_MIN_DISTINCT: usize = 20;

/// A short text (a license on its own, a paragraph or two) goes to the
/// matcher whole with fewer distinct phrases: short licenses (Fair, the
/// one-paragraph permissive notices) hold only a handful. Only a text about
/// as long as such a license can score 0.9 against it, so longer texts with
/// few phrases (a web page footer) are not sent; a text this short costs one
/// cached matcher call.
pub(super) const SHORT_TEXT_MAX_BYTES: usize = 2 * 1024;
/// ... and this many distinct license phrases.
pub(super) const SHORT_TEXT_MIN_DISTINCT: usize = 3;

/// (In plain text, which has no comment, the notice is the run of
/// paragraphs in license language around the line, see `plain_notice`.)
/// A source file's comment block holding a copyright line or a grant in its
/// author's own words ("You can use this code in any manner, as long as you
/// leave my name on it") is read whole by the matcher when it is at most
/// this long: short notices (Zeeff, SSH-short, the HPND family) hold too few
/// license phrases to form a cluster, yet the matcher knows them. A longer
/// block is documentation as much as notice and could not score 0.9 against
/// a short license anyway.
pub(super) const NOTICE_BLOCK_MAX_BYTES: usize = 4 * 1024;
/// At most this many such comment blocks per text reach the matcher (a
/// file's header and a vendored file's header below it).
pub(super) const NOTICE_BLOCKS_PER_TEXT: usize = 3;
/// Shortest such block (without its copyright lines) worth a matcher call:
/// shorter than [`CLUSTER_MIN_BYTES`], since a notice in its author's words
/// may be one sentence ("Any use of the code is permitted as long as this
/// copyright notice is preserved"); the block is a unit of its own, not a
/// guess at the bounds of a cluster, and only a near-verbatim short license
/// scores 0.9 against one so short.
pub(super) const NOTICE_MIN_BYTES: usize = 64;

/// Word stems of a grant, its conditions or a disclaimer (lower case): a plain-text
/// notice runs on through the paragraphs after it while they hold one of these, and
/// ends at the first that holds none (the prose a notice sits in).
pub(super) const LICENSE_LANGUAGE: &[&str] = &[
    "permi",
    "licen",
    "distribut",
    "warrant",
    "liabl",
    "copyright",
];

/// A title line names the license of the text below it only when that text
/// holds this many distinct license phrases: an essay titled "The GNU General
/// Public License" is about a license, not under it.
pub(super) const TITLE_MIN_DISTINCT: usize = 4;

/// A GNU license text found by the matcher no longer than this is a header
/// (the standard GPL/LGPL/AGPL notices are under 1.5 KB; the shortest full
/// GNU text, LGPL-3.0, is 7.6 KB): its id is read from its own wording.
pub(super) const GNU_HEADER_MAX_BYTES: usize = 4 * 1024;

/// An unversioned GNU notice ("licensed under the GNU GPL") takes the version
/// of a versioned name of the same family that follows within this many
/// bytes ("... a copy of the GNU General Public License version 2 or later"):
/// a notice and the sentence after it speak of one license. A mention further
/// away may be about other code.
pub(super) const GNU_VERSION_NEAR: usize = 300;

/// Score (Sørensen–Dice over word bigrams, as computed by spdx's matcher) a
/// text needs against the small first tier to be accepted without consulting
/// more licenses. Above every non-tier-0 license's score against tier 0 (the
/// `tier_guards` test keeps that true when spdx updates its texts).
pub(super) const TIER0_ACCEPT: f32 = 0.98;
/// Tier 1 is closed under similarity: every SPDX text scoring >= 0.8 against
/// a member is itself a member, so a best match >= 0.9 cannot belong to a
/// license outside it.
pub(super) const TIER1_ACCEPT: f32 = 0.90;
/// Final acceptance against the whole store (spdx's own default).
pub(super) const FULL_ACCEPT: f32 = 0.90;
/// Below this whole-cluster score we do not try to locate a license inside
/// the cluster: optimising bounds is the slowest operation spdx offers.
pub(super) const OPTIMIZE_MIN: f32 = 0.45;
/// A whole text or block that no license accepts is still the license it
/// scores best against when that score is at least this and every other
/// license text scores [`NEAR_MARGIN`] less: a libtiff-style notice with its
/// own names in the disclaimer (about 0.87 against libtiff, 0.60 against the
/// next) is libtiff, but an HPND-style notice close to several HPND variants
/// (0.85, 0.82, 0.80) is none of them.
pub(super) const NEAR_ACCEPT: f32 = 0.75;
/// How far every other license text must score below the best (see
/// [`NEAR_ACCEPT`]).
pub(super) const NEAR_MARGIN: f32 = 0.15;

/// A license told by the clauses a text contains, for texts the matcher does
/// not accept (a BSD text with its own disclaimer wording, an MIT text with an
/// extra paragraph). Phrases are matched on the text lower-cased with its
/// whitespace and comment decoration collapsed; the first rule whose `all`
/// phrases occur and whose `none` phrases do not wins, so variants with more
/// clauses come first.
pub(super) struct ClauseRule {
    pub id: &'static str,
    pub all: &'static [&'static str],
    pub none: &'static [&'static str],
}

/// The BSD family is told apart by its numbered conditions: the 4-clause text
/// adds the advertising clause, the 3-clause the endorsement clause, the
/// 2-clause has only the source and binary conditions. MIT-0 and 0BSD are
/// MIT and ISC without their notice condition.
pub(super) const CLAUSE_RULES: &[ClauseRule] = &[
    ClauseRule {
        id: "BSD-4-Clause",
        all: &[
            "source code must retain",
            "all advertising materials mentioning features",
        ],
        none: &[],
    },
    ClauseRule {
        id: "BSD-3-Clause",
        all: &[
            "source code must retain",
            "to endorse or promote products derived from this software",
        ],
        none: &[],
    },
    ClauseRule {
        id: "BSD-2-Clause",
        all: &[
            "source code must retain",
            "redistributions in binary form must reproduce",
        ],
        none: &[],
    },
    // X Window System texts add a clause on the holder's name to MIT's: with
    // MIT's grant they are X11; with the older grant ("permission to use,
    // copy, modify, distribute, and sell ... without fee"), or with the grant
    // paragraph left out as X.Org's files often do, they are MIT-open-group.
    ClauseRule {
        id: "X11",
        all: &[
            "to deal in the software without restriction",
            "except as contained in this notice, the name of",
        ],
        none: &[],
    },
    ClauseRule {
        id: "MIT-open-group",
        all: &[
            "copyright notice and this permission notice shall be included",
            "except as contained in this notice, the name of",
        ],
        none: &["to deal in the software without restriction"],
    },
    ClauseRule {
        id: "MIT",
        all: &[
            "permission is hereby granted, free of charge, to any person obtaining a copy",
            "copyright notice and this permission notice shall be included",
        ],
        none: &[],
    },
    ClauseRule {
        id: "MIT-0",
        all: &["permission is hereby granted, free of charge, to any person obtaining a copy"],
        none: &["shall be included", "following conditions", "provided that"],
    },
    ClauseRule {
        id: "ISC",
        all: &[
            "distribute this software for any purpose with or without fee is hereby granted",
            "provided that the above copyright notice and this permission notice appear in all copies",
        ],
        none: &[],
    },
    ClauseRule {
        id: "0BSD",
        all: &["distribute this software for any purpose with or without fee is hereby granted"],
        none: &["provided that"],
    },
    // libpng's license before 1.6.36 (and the code that copied it): zlib's
    // three restrictions reworded for "this source code", its third clause
    // covering "altered source distribution". The PNG Reference Library
    // License version 2 (`libpng-2.0`) says "this software" instead.
    ClauseRule {
        id: "Libpng",
        all: &[
            "the origin of this source code must not be misrepresented",
            "altered versions must be plainly marked as such",
            "may not be removed or altered from any source or altered source distribution",
        ],
        none: &[],
    },
    ClauseRule {
        id: "Zlib",
        all: &[
            "this software is provided 'as-is'",
            "altered source versions must be plainly marked as such",
        ],
        none: &[],
    },
    // The HPND family: a grant "to use, copy, modify, and distribute this
    // software and its documentation for any purpose", the holder's name kept
    // out of advertising, and "makes no representations about the
    // suitability"; the "sell" variant adds selling to the grant. Holders
    // reword the disclaimer after it freely, which keeps the matcher's score
    // low. MIT-CMU has no "makes no representations" sentence.
    ClauseRule {
        id: "HPND-sell-variant",
        all: &[
            "distribute, and sell this software and its documentation for any purpose",
            "not be used in advertising or publicity pertaining to distribution of the software",
            "makes no representations about the suitability of this software for any purpose",
        ],
        none: &[],
    },
    ClauseRule {
        id: "HPND",
        all: &[
            "this software and its documentation for any purpose",
            "not be used in advertising or publicity pertaining to distribution of the software",
            "makes no representations about the suitability of this software for any purpose",
        ],
        none: &[],
    },
];

/// Licenses whose text and standard header always state their own name
/// (lower case): a match without it is another license's notice worded like
/// this one's ("Licensed under the Eclipse Public License, Version 1.0 (the
/// "License"); you may not use this file except ..." borrows Apache's
/// header), and the name rules read the license it names.
pub(super) const OWN_NAME_MARKS: &[(&str, &str)] = &[("Apache-2.0", "apache")];
/// Matches up to this size are headers for [`OWN_NAME_MARKS`] (Apache's is
/// about 600 bytes, its full text about 10 KB).
pub(super) const OWN_NAME_MAX_BYTES: usize = 2048;

/// The licenses seen in the large majority of real data (plus near-identical
/// texts that could otherwise be confused with them).
pub(super) const TIER0: &[&str] = &[
    "0BSD",
    "AGPL-3.0-or-later",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSL-1.0",
    "CC-BY-4.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-ND-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-4.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "EPL-2.0",
    "GPL-2.0+",
    "GPL-2.0-or-later",
    "GPL-3.0+",
    "GPL-3.0-or-later",
    "ISC",
    "JSON",
    "LGPL-2.1-or-later",
    "LGPL-3.0+",
    "LGPL-3.0-or-later",
    "MIT",
    "MIT-0",
    "MPL-2.0",
    "Unlicense",
    "Zlib",
];

/// Tier 1: common licenses and the closure of their look-alikes (computed from
/// spdx 0.13's store; see the `tier_guards` test).
pub(super) const TIER1: &[&str] = &[
    "0BSD",
    "AFL-2.0",
    "AFL-2.1",
    "AFL-3.0",
    "AGPL-1.0-or-later",
    "AGPL-3.0-or-later",
    "Apache-2.0",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-2-Clause-Darwin",
    "BSD-2-Clause-FreeBSD",
    "BSD-2-Clause-NetBSD",
    "BSD-2-Clause-Views",
    "BSD-2-Clause-first-lines",
    "BSD-2-Clause-pos-unchanged",
    "BSD-3-Clause",
    "BSD-3-Clause-Attribution",
    "BSD-3-Clause-Clear",
    "BSD-3-Clause-HP",
    "BSD-3-Clause-Modification",
    "BSD-3-Clause-No-Military-License",
    "BSD-3-Clause-No-Nuclear-License-2014",
    "BSD-3-Clause-Open-MPI",
    "BSD-3-Clause-Tso",
    "BSD-3-Clause-acpica",
    "BSD-4-Clause",
    "BSD-4-Clause-UC",
    "BSD-Advertising-Acknowledgement",
    "BSD-Mark-Modifications",
    "BSD-Source-Code",
    "BSD-Source-alt-GPL",
    "BSD-Source-beginning-file",
    "BSD-ask-to-endorse",
    "BSL-1.0",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-NC-3.0",
    "CC-BY-NC-4.0",
    "CC-BY-NC-ND-3.0",
    "CC-BY-NC-ND-4.0",
    "CC-BY-NC-SA-3.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-ND-3.0",
    "CC-BY-ND-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "CC-PDM-1.0",
    "CC0-1.0",
    "CDDL-1.0",
    "CDDL-1.1",
    "CDLA-Permissive-1.0",
    "CDLA-Permissive-2.0",
    "CDLA-Sharing-1.0",
    "CPAL-1.0",
    "CPL-1.0",
    "CUA-OPL-1.0",
    "Caldera-no-preamble",
    "CryptoSwift",
    "Cube",
    "ECL-2.0",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.0",
    "EUPL-1.1",
    "EUPL-1.2",
    "GFDL-1.1-invariants-or-later",
    "GFDL-1.2-invariants-or-later",
    "GFDL-1.3-invariants-or-later",
    "GPL-2.0+",
    "GPL-2.0-or-later",
    "GPL-3.0+",
    "GPL-3.0-or-later",
    "IPL-1.0",
    "ISC",
    "ImageMagick",
    "Interbase-1.0",
    "JSON",
    "LGPL-2.0-or-later",
    "LGPL-2.1-or-later",
    "LGPL-3.0+",
    "LGPL-3.0-or-later",
    "LPL-1.0",
    "LPL-1.02",
    "MIT",
    "MIT-0",
    "MIT-STK",
    "MIT-advertising",
    "MIT-feh",
    "MITNFA",
    "MPL-1.1",
    "MPL-2.0",
    "MS-LPL",
    "MS-PL",
    "MS-RL",
    "MVT-1.1",
    "Mup",
    "NCSA",
    "NOSL",
    "NPL-1.1",
    "NPOSL-3.0",
    "Naumen",
    "Nunit",
    "ODC-By-1.0",
    "ODbL-1.0",
    "OFL-1.0",
    "OFL-1.1",
    "OSET-PL-2.1",
    "OSL-1.0",
    "OSL-1.1",
    "OSL-2.0",
    "OSL-2.1",
    "OSL-3.0",
    "PDDL-1.0",
    "PPL",
    "PSF-2.0",
    "Pixar",
    "PostgreSQL",
    "SGI-B-2.0",
    "SHL-0.5",
    "SHL-0.51",
    "SNIA",
    "SPL-1.0",
    "SSPL-1.0",
    "SugarCRM-1.1.3",
    "TGPPL-1.0",
    "TPL-1.0",
    "UCL-1.0",
    "UPL-1.0",
    "Unlicense",
    "WTFPL",
    "X11",
    "X11-distribute-modifications-variant",
    "X11-no-permit-persons",
    "X11-swapped",
    "Xnet",
    "ZPL-2.0",
    "ZPL-2.1",
    "Zlib",
    "pnmstitch",
    "zlib-acknowledgement",
];

/// How a name rule turns its match into an SPDX id.
#[derive(Clone, Copy, Debug)]
pub(super) enum Resolve {
    /// Always this id.
    Fixed(&'static str),
    /// GNU long names: groups `fam`, `ver`/`ver2`/`ver3`, `later`, `only`.
    Gnu,
    /// GPL/LGPL/AGPL abbreviations: groups `fam`, `ver`, `later`, `only`.
    GnuShort,
    /// `{base}-{ver}` with a default version when none is written.
    Versioned {
        base: &'static str,
        default: &'static str,
    },
    /// Apache (version defaults to 2.0, as spdx's imprecise names do).
    Apache,
    /// BSD family: groups `n1`/`n2`, `new`, `simp`.
    Bsd,
    /// Any Creative Commons form: elements and version read from the match.
    Cc,
    /// Chinese CC names: as `Cc`, but 署名 ("byline") alone is an ordinary
    /// word, so a CC prefix, a second element or a version is required.
    CcZh,
    /// Llama 3.x / 4 community licenses: group `ver`.
    Llama,
    /// OpenRAIL family: group `pp`.
    OpenRail,
    /// Exact SPDX identifier token (validated against the SPDX list).
    SpdxToken,
    /// Any SPDX license by its id or full name written before "License",
    /// with the version after it: "the OpenSSL license", "PHP License 3.01",
    /// "Apple Public Source License version 2.0". Group `name` holds up to
    /// six words; the longest tail of them that names a license wins.
    SpdxName,
}

/// A license-name rule. `bare` names are specific enough to report even
/// without a notice or label around them ("CC BY-NC 4.0", "Llama 2 Community
/// License"); others ("MIT", "the GPL") only count with such context, because
/// prose that merely mentions a license grants nothing.
pub(super) struct NameRule {
    pub id: &'static str,
    /// Lowercase literals, one of which must occur in a span for the rule's
    /// regex to run there (a cheap prefilter; the regex decides).
    pub keys: &'static [&'static str],
    pub pattern: &'static str,
    pub resolve: Resolve,
    pub bare: bool,
}

/// Name rules. In patterns, `\s+` / `\s*` also swallow comment leaders
/// (`#`, `//`, `*`, `;`, `%`, `!`) so names wrapped across commented lines
/// still match.
pub(super) const NAME_RULES: &[NameRule] = &[
    NameRule {
        id: "name.gnu",
        keys: &["general public", "documentation", "gnu public"],
        pattern: r"(?i)\b(?:version\s+(?P<ver4>[123](?:\.[0-9])?)\s+of\s+)?(?:the\s+)?(?:GNU\s+)?(?P<fam>Affero\s+General\s+Public|Lesser\s+General\s+Public|Lesser\s+GNU\s+General\s+Public|Library\s+General\s+Public|General\s+Public|GNU\s+Public|Free\s+Documentation)\s+Licen[sc]e(?:\s*\(\s*(?:A|L)?GPL\s*\))?(?:\s*,?\s*\(?\s*(?:v\.?\s*|version\s+|ver\.?\s*)(?P<ver>[123](?:\.[0-9])?)(?:\s*\))?|\s+(?P<ver3>[123]\.[0-9]))?(?:\s+as\s+published\s+by\s+the\s+Free\s+Software\s+Foundation)?(?:\s*[,;:]?\s*(?:(?:either|under|in)\s+)?version\s+(?P<ver2>[123](?:\.[0-9])?)(?:\s+of\s+(?:the\s+)?Licen[sc]e)?)?(?P<later>\s*\+|\s*[,;]?\s*(?:\(\s*at\s+your\s+option\s*\)\s*)?(?:or|and)(?:\s*,\s*at\s+your\s+option\s*,)?\s+(?:\(\s*at\s+your\s+option\s*\)\s*)?(?:any\s+)?(?:later|newer)(?:\s+versions?)?|\s*\(\s*(?:or|and)\s+(?:any\s+)?(?:later|newer)(?:\s+versions?)?\s*\))?(?P<only>\s+only|-only)?",
        resolve: Resolve::Gnu,
        bare: false,
    },
    NameRule {
        id: "name.gnu_short",
        keys: &["gpl"],
        pattern: r"(?i)\b(?:version\s+(?P<ver2>[123](?:\.[01])?)\s+of\s+(?:the\s+)?)?(?:GNU\s+)?(?P<fam>A|L)?GPL(?:\s*-?\s*v?\s*(?P<ver>[123](?:\.[01])?)|\s*,?\s*(?:version|ver\.)\s*(?P<ver3>[123](?:\.[01])?))?(?P<later>\+|-or-later|\s*,?\s+(?:or|and)(?:\s*,\s*at\s+your\s+option\s*,)?\s+(?:\(\s*at\s+your\s+option\s*\)\s*)?(?:any\s+)?(?:later|newer)(?:\s+versions?)?|\s*\(\s*(?:or|and)\s+(?:any\s+)?(?:later|newer)(?:\s+versions?)?\s*\))?(?P<only>-only|\s+only)?",
        resolve: Resolve::GnuShort,
        bare: false,
    },
    NameRule {
        id: "name.apache",
        keys: &["apache"],
        pattern: r"(?i)\bApache(?:\s+Software)?\s+Licen[sc]e(?:\s*,?\s*(?:v\.?\s*|version\s+|ver\.?\s*)?(?P<ver>[12](?:\.[01])?))?",
        resolve: Resolve::Apache,
        bare: false,
    },
    NameRule {
        id: "name.apache_short",
        keys: &["apache", "asl"],
        pattern: r"(?i)\b(?:Apache|ASL)\s*-?\s*v?(?P<ver>2\.0|1\.[01]|2)",
        resolve: Resolve::Apache,
        bare: false,
    },
    NameRule {
        id: "name.mit",
        keys: &["mit", "expat"],
        pattern: r"(?i)\b(?:the\s+)?(?:MIT|Expat)(?:\s*/\s*X11)?(?:\s*-\s*|\s+)Licen[sc]e[ds]?",
        resolve: Resolve::Fixed("MIT"),
        bare: false,
    },
    NameRule {
        id: "name.mit_bare",
        keys: &["mit"],
        pattern: r"\bMIT\b",
        resolve: Resolve::Fixed("MIT"),
        bare: false,
    },
    NameRule {
        id: "name.mit0",
        keys: &["mit"],
        pattern: r"\bMIT-0\b|(?i:\bMIT\s+No\s+Attribution\b)",
        resolve: Resolve::Fixed("MIT-0"),
        bare: false,
    },
    NameRule {
        id: "name.x11",
        keys: &["x11"],
        pattern: r"(?i)\bX11\s+Licen[sc]e\b",
        resolve: Resolve::Fixed("X11"),
        bare: false,
    },
    NameRule {
        id: "name.bsd",
        keys: &["bsd"],
        pattern: r"(?i)\b(?:(?P<n1>[0-4]|zero|two|three|four)[\s-]*Clause\s+BSD|BSD\s*-?\s*(?P<n2>[0-4])\s*-?\s*Clause|(?P<new>New|Modified|Revised)\s+BSD|(?P<simp>Simplified|FreeBSD)\s+BSD|BSD)(?:\s*-?\s*Licen[sc]e)?",
        resolve: Resolve::Bsd,
        bare: false,
    },
    NameRule {
        id: "name.bsd_clear",
        keys: &["bsd"],
        pattern: r"(?i)\bClear\s+BSD(?:\s+Licen[sc]e)?|\bBSD-3-Clause-Clear\b",
        resolve: Resolve::Fixed("BSD-3-Clause-Clear"),
        bare: false,
    },
    NameRule {
        id: "name.0bsd",
        keys: &["bsd"],
        pattern: r"\b0BSD\b|(?i:\bBSD\s+Zero\s+Clause\b)",
        resolve: Resolve::Fixed("0BSD"),
        bare: false,
    },
    NameRule {
        id: "name.mpl",
        keys: &["mozilla", "mpl"],
        pattern: r"(?i)\bMozilla\s+Public\s+Licen[sc]e(?:\s*,?\s*(?:v\.?\s*|version\s+)?(?P<ver>[12]\.[01]))?|\bMPL\s*-?\s*v?(?P<ver2>[12]\.[01])|\bMPL\b",
        resolve: Resolve::Versioned {
            base: "MPL",
            default: "2.0",
        },
        bare: false,
    },
    NameRule {
        id: "name.epl",
        keys: &["eclipse", "epl"],
        pattern: r"(?i)\bEclipse\s+Public\s+Licen[sc]e(?:\s*,?\s*-?\s*(?:v\.?\s*|version\s+)?(?P<ver>[12]\.0))?|\bEPL\s*-?\s*v?(?P<ver2>[12]\.0)",
        resolve: Resolve::Versioned {
            base: "EPL",
            default: "2.0",
        },
        bare: false,
    },
    NameRule {
        id: "name.eupl",
        keys: &["european union", "eupl"],
        pattern: r"(?i)\bEuropean\s+Union\s+Public\s+Licen[cs]e(?:\s*,?\s*(?:v\.?\s*|version\s+)?(?P<ver>1\.[012]))?|\bEUPL\s*(?:-|,?\s*version\s+|,?\s*v\.?\s*)?(?P<ver2>1\.[012])",
        resolve: Resolve::Versioned {
            base: "EUPL",
            default: "1.2",
        },
        bare: false,
    },
    NameRule {
        id: "name.cddl",
        keys: &["development and distribution", "cddl"],
        pattern: r"(?i)\bCommon\s+Development\s+and\s+Distribution\s+Licen[sc]e(?:\s*,?\s*(?:v\.?\s*|version\s+)?(?P<ver>1\.[01]))?|\bCDDL\s*-?\s*v?(?P<ver2>1\.[01])",
        // Unversioned: the unversioned CDDL header ("CDDL HEADER START",
        // GlassFish's "CDDL+GPL" header) is Sun's, written for CDDL 1.0
        // (2004) years before Oracle's 1.1; a later version is the
        // recipient's option (section 4.3), and an option is reported as
        // its earliest version, as an unversioned GPL is.
        resolve: Resolve::Versioned {
            base: "CDDL",
            default: "1.0",
        },
        bare: false,
    },
    NameRule {
        id: "name.artistic",
        keys: &["artistic"],
        pattern: r"(?i)\bArtistic\s+Licen[sc]e(?:\s*,?\s*(?:v\.?\s*|version\s+)?(?P<ver>[12]\.0))?|\bArtistic-(?P<ver2>[12]\.0)",
        resolve: Resolve::Versioned {
            base: "Artistic",
            default: "2.0",
        },
        bare: false,
    },
    NameRule {
        id: "name.cdla_permissive",
        keys: &["cdla", "community data"],
        pattern: r"(?i)\bCDLA\s*-?\s*Permissive(?:\s*-?\s*v?(?P<ver>[12]\.0))?|Community\s+Data\s+Licen[sc]e\s+Agreement\s*[-,]?\s*Permissive(?:\s*,?\s*Version\s+(?P<ver2>[12]\.0))?",
        resolve: Resolve::Versioned {
            base: "CDLA-Permissive",
            default: "2.0",
        },
        bare: false,
    },
    NameRule {
        id: "name.cdla_sharing",
        keys: &["cdla", "community data"],
        pattern: r"(?i)\bCDLA\s*-?\s*Sharing(?:\s*-?\s*v?1\.0)?|Community\s+Data\s+Licen[sc]e\s+Agreement\s*[-,]?\s*Sharing",
        resolve: Resolve::Fixed("CDLA-Sharing-1.0"),
        bare: false,
    },
    NameRule {
        id: "name.isc",
        keys: &["isc"],
        pattern: r"(?i)\bISC\s+Licen[sc]e\b|\bISC\b",
        resolve: Resolve::Fixed("ISC"),
        bare: false,
    },
    NameRule {
        id: "name.zlib",
        keys: &["zlib"],
        pattern: r"(?i)\bzlib(?:\s*/\s*libpng)?\s+Licen[sc]e\b|\bZlib\b",
        resolve: Resolve::Fixed("Zlib"),
        bare: false,
    },
    NameRule {
        id: "name.bsl",
        keys: &["boost", "bsl-"],
        pattern: r"(?i)\bBoost\s+Software\s+Licen[sc]e(?:\s*[-,]?\s*(?:Version\s+)?1\.0)?|\bBSL-1\.0\b",
        resolve: Resolve::Fixed("BSL-1.0"),
        bare: false,
    },
    NameRule {
        id: "name.unlicense",
        keys: &["unlicen"],
        pattern: r"(?i)\b(?:The\s+)?Unlicen[sc]e\b",
        resolve: Resolve::Fixed("Unlicense"),
        bare: false,
    },
    NameRule {
        id: "name.wtfpl",
        keys: &["wtfpl", "what the"],
        pattern: r"(?i)\bWTFPL\b",
        resolve: Resolve::Fixed("WTFPL"),
        bare: false,
    },
    NameRule {
        id: "name.wtfpl_long",
        keys: &["what the"],
        pattern: r"(?i)\bDo\s+What\s+The\s+F\S*\s+You\s+Want\s+To\s+Public\s+Licen[sc]e",
        resolve: Resolve::Fixed("WTFPL"),
        bare: true,
    },
    NameRule {
        id: "name.beerware",
        keys: &["beer"],
        pattern: r"(?i)\bBeer-?ware\s+Licen[sc]e\b",
        resolve: Resolve::Fixed("Beerware"),
        bare: true,
    },
    NameRule {
        id: "name.postgresql",
        keys: &["postgresql"],
        pattern: r"(?i)\bPostgreSQL\s+Licen[sc]e\b",
        resolve: Resolve::Fixed("PostgreSQL"),
        bare: false,
    },
    NameRule {
        id: "name.psf",
        keys: &["python software", "psf-"],
        pattern: r"(?i)\bPython\s+Software\s+Foundation\s+Licen[sc]e(?:\s+(?:Version\s+)?2)?|\bPSF-2\.0\b",
        resolve: Resolve::Fixed("PSF-2.0"),
        bare: false,
    },
    NameRule {
        id: "name.ofl",
        keys: &["open font", "ofl-"],
        // Version 1.0 (2005) is an SPDX id too; without one, the current.
        pattern: r"(?i)\bSIL\s+Open\s+Font\s+Licen[sc]e(?:\s*,?\s*(?:v\.?\s*|version\s+)?(?P<ver>1\.[01]))?|\bOFL-(?P<ver2>1\.[01])\b",
        resolve: Resolve::Versioned {
            base: "OFL",
            default: "1.1",
        },
        bare: false,
    },
    NameRule {
        id: "name.odbl",
        keys: &["database", "odbl"],
        pattern: r"(?i)\bOpen\s+Database\s+Licen[sc]e(?:\s*\(\s*ODbL\s*\))?(?:\s*v?1\.0)?|\bODbL(?:-1\.0)?\b",
        resolve: Resolve::Fixed("ODbL-1.0"),
        bare: false,
    },
    NameRule {
        id: "name.odc_by",
        keys: &["data commons", "odc-by"],
        pattern: r"(?i)\bOpen\s+Data\s+Commons\s+Attribution\s+Licen[sc]e|\bODC-By(?:-1\.0)?\b",
        resolve: Resolve::Fixed("ODC-By-1.0"),
        bare: false,
    },
    NameRule {
        id: "name.pddl",
        keys: &["data commons", "pddl"],
        pattern: r"(?i)\bOpen\s+Data\s+Commons\s+Public\s+Domain\s+Dedication\s+(?:and|&)\s+Licen[sc]e|\bPDDL(?:-1\.0)?\b",
        resolve: Resolve::Fixed("PDDL-1.0"),
        bare: false,
    },
    NameRule {
        id: "name.ms_pl",
        keys: &["microsoft", "ms-pl"],
        pattern: r"(?i)\bMicrosoft\s+Public\s+Licen[sc]e|\bMs-PL\b",
        resolve: Resolve::Fixed("MS-PL"),
        bare: false,
    },
    NameRule {
        id: "name.ms_rl",
        keys: &["microsoft", "ms-rl"],
        pattern: r"(?i)\bMicrosoft\s+Reciprocal\s+Licen[sc]e|\bMs-RL\b",
        resolve: Resolve::Fixed("MS-RL"),
        bare: false,
    },
    NameRule {
        id: "name.upl",
        keys: &["universal permissive", "upl-"],
        pattern: r"(?i)\bUniversal\s+Permissive\s+Licen[sc]e|\bUPL-1\.0\b",
        resolve: Resolve::Fixed("UPL-1.0"),
        bare: false,
    },
    NameRule {
        id: "name.sspl",
        keys: &["server side", "sspl"],
        pattern: r"(?i)\bServer\s+Side\s+Public\s+Licen[sc]e|\bSSPL(?:-1\.0|v1)?\b",
        resolve: Resolve::Fixed("SSPL-1.0"),
        bare: false,
    },
    NameRule {
        id: "name.busl",
        keys: &["business source", "busl"],
        pattern: r"(?i)\bBusiness\s+Source\s+Licen[sc]e(?:\s+1\.1)?|\bBUSL-1\.1\b",
        resolve: Resolve::Fixed("BUSL-1.1"),
        bare: false,
    },
    NameRule {
        id: "name.elastic",
        keys: &["elastic"],
        pattern: r"(?i)\bElastic\s+Licen[sc]e\s*(?:v\.?\s*|version\s+)?2(?:\.0)?|\bElastic-2\.0\b",
        resolve: Resolve::Fixed("Elastic-2.0"),
        bare: false,
    },
    NameRule {
        id: "name.polyform_nc",
        keys: &["polyform"],
        pattern: r"(?i)\bPolyForm\s*-?\s*Noncommercial(?:\s+Licen[sc]e)?(?:\s*-?\s*1\.0\.0)?",
        resolve: Resolve::Fixed("PolyForm-Noncommercial-1.0.0"),
        bare: false,
    },
    NameRule {
        id: "name.c_uda",
        keys: &["computational use", "c-uda"],
        pattern: r"(?i)\bComputational\s+Use\s+of\s+Data\s+Agreement|\bC-UDA(?:-1\.0)?\b",
        resolve: Resolve::Fixed("C-UDA-1.0"),
        bare: false,
    },
    NameRule {
        id: "name.afl",
        keys: &["academic free", "afl-"],
        // Every published version (1.1 to 3.0) is an SPDX id; without one,
        // the current. "Academic Free License >= 2.1" names its floor.
        pattern: r"(?i)\bAcademic\s+Free\s+Licen[sc]e(?:\s*,?\s*(?:>=?\s*|v\.?\s*|version\s+)?(?P<ver>[123]\.[0-9]))?|\bAFL-(?P<ver2>[123]\.[0-9])\b",
        resolve: Resolve::Versioned {
            base: "AFL",
            default: "3.0",
        },
        bare: false,
    },
    NameRule {
        id: "name.osl",
        keys: &["open software", "osl-"],
        pattern: r"(?i)\bOpen\s+Software\s+Licen[sc]e(?:\s*,?\s*(?:>=?\s*|v\.?\s*|version\s+)?(?P<ver>[123]\.[0-9]))?|\bOSL-(?P<ver2>[123]\.[0-9])\b",
        resolve: Resolve::Versioned {
            base: "OSL",
            default: "3.0",
        },
        bare: false,
    },
    NameRule {
        id: "name.mulan",
        keys: &["mulan", "木兰"],
        pattern: r"(?i)\bMulan\s*PSL\s*-?\s*v?2(?:\.0)?|木兰宽松许可证",
        resolve: Resolve::Fixed("MulanPSL-2.0"),
        bare: false,
    },
    NameRule {
        id: "name.blueoak",
        keys: &["oak"],
        pattern: r"(?i)\bBlue\s*Oak\s+Model\s+Licen[sc]e(?:\s*,?\s*(?:version\s+)?1\.0\.0)?",
        resolve: Resolve::Fixed("BlueOak-1.0.0"),
        bare: false,
    },
    NameRule {
        id: "name.llama2",
        keys: &["llama"],
        pattern: r"(?i)\bLlama\s*2\s+Community\s+Licen[sc]e(?:\s+Agreement)?",
        resolve: Resolve::Fixed("LicenseRef-llama2"),
        bare: true,
    },
    NameRule {
        id: "name.llama",
        keys: &["llama"],
        pattern: r"(?i)\b(?:Meta\s+)?Llama\s*(?P<ver>3(?:\.[1-3])?|4)\s+Community\s+Licen[sc]e(?:\s+Agreement)?",
        resolve: Resolve::Llama,
        bare: true,
    },
    NameRule {
        id: "name.gemma",
        keys: &["gemma"],
        pattern: r"(?i)\bGemma\s+Terms\s+of\s+Use\b",
        resolve: Resolve::Fixed("LicenseRef-gemma"),
        bare: true,
    },
    NameRule {
        id: "name.creativeml_openrail",
        keys: &["rail"],
        pattern: r"(?i)\bCreativeML\s+Open\s*RAIL\s*-?\s*M\b",
        resolve: Resolve::Fixed("LicenseRef-creativeml-openrail-m"),
        bare: true,
    },
    NameRule {
        id: "name.bloom_rail",
        keys: &["rail"],
        pattern: r"(?i)\bBigScience\s+(?:BLOOM\s+)?RAIL\s+Licen[sc]e(?:\s+v?1\.0)?",
        resolve: Resolve::Fixed("LicenseRef-bigscience-bloom-rail-1.0"),
        bare: true,
    },
    NameRule {
        id: "name.bigscience_openrail",
        keys: &["rail"],
        pattern: r"(?i)\bBigScience\s+Open\s*RAIL\s*-?\s*M\b",
        resolve: Resolve::Fixed("LicenseRef-bigscience-openrail-m"),
        bare: true,
    },
    NameRule {
        id: "name.bigcode_openrail",
        keys: &["rail"],
        pattern: r"(?i)\bBigCode\s+Open\s*RAIL\s*-?\s*M\b",
        resolve: Resolve::Fixed("LicenseRef-bigcode-openrail-m"),
        bare: true,
    },
    NameRule {
        id: "name.openrail",
        keys: &["rail"],
        pattern: r"(?i)\bOpen\s*RAIL(?P<pp>\+\+)?(?:\s*-\s*[MSDA]\b)?",
        resolve: Resolve::OpenRail,
        bare: true,
    },
    NameRule {
        id: "name.openai_terms",
        keys: &["openai"],
        pattern: r"(?i)\bOpenAI(?:'s|’s)?\s+(?:Terms\s+of\s+(?:Use|Service)|Usage\s+Polic(?:y|ies)|Business\s+Terms)",
        resolve: Resolve::Fixed("LicenseRef-OpenAI-Terms"),
        bare: false,
    },
    NameRule {
        id: "name.cc_long",
        keys: &["creative commons", "creative"],
        pattern: r"(?i)\bCreative\s+Commons\s+(?:Legal\s+Code\s+)?(?:Attribution|BY)(?:\s*[-–,]?\s*(?:Non\s*-?\s*Commercial|No\s*-?\s*Deriv(?:ative)?s?(?:\s+Works)?|Share\s*-?\s*Alike))*(?:\s+Licen[sc]e)?(?:\s*,?\s*(?:v\.?\s*|version\s+)?[1-4]\.[05])?(?:\s+(?:International|Unported|Generic))?(?:\s+(?:Public\s+)?Licen[sc]e)?",
        resolve: Resolve::Cc,
        bare: true,
    },
    NameRule {
        id: "name.cc0_long",
        keys: &["creative", "cc0"],
        pattern: r"(?i)\bCreative\s+Commons\s+(?:Zero|CC0)(?:\s+v?1\.0)?(?:\s+Universal)?|\bcc0\s*-\s*1\.0\b",
        resolve: Resolve::Fixed("CC0-1.0"),
        bare: true,
    },
    NameRule {
        id: "name.cc0",
        keys: &["cc0"],
        pattern: r"\bCC0\b(?:\s*-?\s*v?1\.0)?(?:\s+Universal)?",
        resolve: Resolve::Fixed("CC0-1.0"),
        bare: true,
    },
    NameRule {
        id: "name.cc_pdm",
        keys: &["domain mark", "cc-pdm"],
        pattern: r"(?i)\b(?:Creative\s+Commons\s+)?Public\s+Domain\s+Mark(?:\s+1\.0)?\b|\bCC-PDM-1\.0\b",
        resolve: Resolve::Fixed("CC-PDM-1.0"),
        bare: true,
    },
    NameRule {
        id: "name.cc_short",
        keys: &["cc"],
        pattern: r"\bCC\s*-?\s*BY(?:\s*[-\s]\s*(?:NC|ND|SA)\b)*(?:\s*-?\s*v?[1-4]\.[05])?",
        resolve: Resolve::Cc,
        bare: true,
    },
    NameRule {
        id: "name.cc_id_lower",
        keys: &["cc-by"],
        pattern: r"(?i)\bcc-by(?:-(?:nc|nd|sa))*-[1-4]\.[05]\b",
        resolve: Resolve::Cc,
        bare: true,
    },
    NameRule {
        id: "name.cc_csdn",
        keys: &["cc "],
        pattern: r"\bCC\s+[1-4]\.[05]\s+BY(?:\s*-\s*(?:NC|ND|SA))*",
        resolve: Resolve::Cc,
        bare: true,
    },
    NameRule {
        id: "name.cc_zh",
        keys: &["署名", "姓名"],
        pattern: r"(?:知识共享|知識共享|创作共用|創作共用|創用\s*CC)?\s*(?:许可协议|授權條款)?\s*[「“《(（]?\s*(?:署名|姓名标示|姓名標示)(?:\s*[-－—–·]\s*(?:非商业性使用|非商业使用|非商業性使用|非商業性|非商业性|相同方式共享|相同方式分享|禁止演绎|禁止改作|禁止演繹))*\s*(?:[1-4]\.[05])?\s*(?:国际|國際|通用)?",
        resolve: Resolve::CcZh,
        bare: true,
    },
    NameRule {
        id: "name.eula",
        keys: &["end user", "end-user"],
        pattern: r"(?i)\bEnd[\s-]*User\s+(?:Software\s+)?Licen[sc]e\s+Agreement\b",
        resolve: Resolve::Fixed("LicenseRef-EULA"),
        bare: true,
    },
    NameRule {
        id: "name.eula_short",
        keys: &["eula"],
        pattern: r"\bEULA\b",
        resolve: Resolve::Fixed("LicenseRef-EULA"),
        bare: false,
    },
    NameRule {
        id: "name.terms_of_use",
        keys: &["terms of", "terms and"],
        pattern: r"(?i)\b(?:Terms\s+of\s+(?:Use|Service)|Terms\s+and\s+Conditions\s+of\s+Use)\b",
        resolve: Resolve::Fixed("LicenseRef-Terms-of-Use"),
        bare: false,
    },
    NameRule {
        id: "name.proprietary",
        keys: &["proprietary"],
        pattern: r"(?i)\b(?:Proprietary\s+and\s+Confidential|Confidential\s+and\s+Proprietary)\b",
        resolve: Resolve::Fixed("LicenseRef-Proprietary"),
        bare: true,
    },
    NameRule {
        id: SEE_FILE_RULE,
        keys: &["licen", "copying", "see copyright"],
        pattern: r"(?i)\b(?:see|read|refer\s+to|found\s+in|described\s+in|contained\s+in|in\s+the\s+file|according\s+to)\s+(?:the\s+)?(?:(?:accompanying|enclosed|included|top-level|attached)\s+)?(?:files?\s+)?(?:(?-i:README|NOTICE|AUTHORS)(?:\.[a-z]+)?\s+(?:and|&)\s+)?[`'\x22]?(?:(?:\.\.?|[A-Za-z0-9_-]+)/){0,4}(?:(?-i:LICEN[SC]E|COPYING|COPYRIGHT)(?:[._-][A-Za-z0-9._-]+)?|(?:licen[sc]e|copying|copyright)[._-][A-Za-z0-9._-]+)[`'\x22]?(?:\s+files?)?(?:\s+(?:for|in|at)\s+(?:the\s+)?(?:full\s+|more\s+|copyright\s+and\s+)?(?:licen[sc]e|licensing|details|terms|text|information))?",
        resolve: Resolve::Fixed("LicenseRef-See-License-File"),
        bare: true,
    },
    NameRule {
        id: "name.spdx_named",
        keys: &["licen"],
        pattern: r"(?i)\b(?P<name>(?:[A-Za-z0-9][A-Za-z0-9.+()/-]*\s+){1,6})Licen[sc]e\b(?:\s+Agreement\b)?(?:\s*,?\s*(?:v\.?\s*|version\s+)?(?P<ver>[0-9]+(?:\.[0-9]+){0,2}))?",
        resolve: Resolve::SpdxName,
        bare: false,
    },
    NameRule {
        id: "name.spdx_token",
        keys: &["-"],
        pattern: r"\b[A-Za-z][A-Za-z0-9.]*(?:-[A-Za-z0-9.]+)+\+?",
        resolve: Resolve::SpdxToken,
        bare: true,
    },
];

/// Deprecated SPDX ids that bundle a license with an exception, and the
/// expression SPDX replaced each with. spdx's matcher still returns the old
/// ids for these texts; reporting the `WITH` form keeps the license and the
/// exception visible as separate terms.
pub(super) const DEPRECATED_WITH: &[(&str, &str)] = &[
    (
        "GPL-2.0-with-autoconf-exception",
        "GPL-2.0-only WITH Autoconf-exception-2.0",
    ),
    (
        "GPL-2.0-with-bison-exception",
        "GPL-2.0-or-later WITH Bison-exception-2.2",
    ),
    (
        "GPL-2.0-with-classpath-exception",
        "GPL-2.0-only WITH Classpath-exception-2.0",
    ),
    (
        "GPL-2.0-with-font-exception",
        "GPL-2.0-only WITH Font-exception-2.0",
    ),
    (
        "GPL-2.0-with-GCC-exception",
        "GPL-2.0-only WITH GCC-exception-2.0",
    ),
    (
        "GPL-3.0-with-autoconf-exception",
        "GPL-3.0-only WITH Autoconf-exception-3.0",
    ),
    (
        "GPL-3.0-with-GCC-exception",
        "GPL-3.0-only WITH GCC-exception-3.1",
    ),
    ("eCos-2.0", "GPL-2.0-or-later WITH eCos-exception-2.0"),
    (
        "wxWindows",
        "LGPL-2.0-or-later WITH WxWindows-exception-3.1",
    ),
];

/// Deprecated SPDX ids whose text lives on under another id: SPDX folded the
/// NetBSD and FreeBSD texts into `BSD-2-Clause` and `BSD-2-Clause-Views`,
/// renamed `StandardML-NJ` and `Nunit`, and merged `bzip2-1.0.5` into
/// `bzip2-1.0.6`. The matcher's store and old tags still carry the old ids;
/// the current one is reported, so one license has one id in a ledger.
pub(super) const DEPRECATED_RENAMED: &[(&str, &str)] = &[
    ("BSD-2-Clause-FreeBSD", "BSD-2-Clause-Views"),
    ("BSD-2-Clause-NetBSD", "BSD-2-Clause"),
    ("Nunit", "zlib-acknowledgement"),
    ("StandardML-NJ", "SMLNJ"),
    ("bzip2-1.0.5", "bzip2-1.0.6"),
];

/// Variants the matcher may pick for a text that is really its base (or the
/// reverse), told by the words that make the variant: `(matched, mark, with
/// the mark, without it)`. An organisation's variant of a license names the
/// organisation (Pixar's Apache 2.0, HP's BSD); HPND's "sell" variant adds
/// "and sell" to its grant; the "Views"
/// BSD text adds its "views and conclusions" sentence. An empty mark always
/// applies: SPDX deprecated BSD-2-Clause-FreeBSD for BSD-2-Clause-Views.
pub(super) const VARIANT_MARKS: &[(&str, &str, &str, &str)] = &[
    ("Pixar", "pixar", "Pixar", "Apache-2.0"),
    (
        "BSD-3-Clause-HP",
        "hewlett-packard",
        "BSD-3-Clause-HP",
        "BSD-3-Clause",
    ),
    (
        "BSD-2-Clause",
        "views and conclusions contained in the software",
        "BSD-2-Clause-Views",
        "BSD-2-Clause",
    ),
    (
        "BSD-2-Clause-FreeBSD",
        "",
        "BSD-2-Clause-Views",
        "BSD-2-Clause-Views",
    ),
    (
        "BSD-2-Clause-pos-unchanged",
        "in this position and unchanged",
        "BSD-2-Clause-pos-unchanged",
        "BSD-2-Clause",
    ),
    (
        "BSD-2-Clause-first-lines",
        "first lines of this file",
        "BSD-2-Clause-first-lines",
        "BSD-2-Clause",
    ),
    (
        "BSD-4-Clause-UC",
        "university of california",
        "BSD-4-Clause-UC",
        "BSD-4-Clause",
    ),
    (
        "HPND",
        "and sell this software",
        "HPND-sell-variant",
        "HPND",
    ),
    (
        "HPND-sell-variant",
        "and sell this software",
        "HPND-sell-variant",
        "HPND",
    ),
    ("AGPL-1.0", "affero", "AGPL-1.0-only", "GPL-2.0-only"),
    // SMLNJ is the CMU text with "and warranty disclaimer" added to what
    // must appear in the documentation; without those words it is MIT-CMU.
    (
        "SMLNJ",
        "permission notice and warranty disclaimer appear",
        "SMLNJ",
        "MIT-CMU",
    ),
    // FSFULLRWD is FSFULLR plus the FSF's warranty disclaimer ("distributed
    // in the hope ... WITHOUT ANY WARRANTY, to the extent permitted by law");
    // a GNU header's disclaimer reads "WITHOUT ANY WARRANTY; without even".
    (
        "FSFULLR",
        "without any warranty, to the extent permitted by law",
        "FSFULLRWD",
        "FSFULLR",
    ),
    (
        "FSFULLRWD",
        "without any warranty, to the extent permitted by law",
        "FSFULLRWD",
        "FSFULLR",
    ),
    // Sleepycat is three BSD-style texts and its own source clause; stacked
    // BSD texts without that clause score close to it, and are BSD.
    ("Sleepycat", "db software", "Sleepycat", "BSD-3-Clause"),
    ("AGPL-1.0-only", "affero", "AGPL-1.0-only", "GPL-2.0-only"),
    (
        "AGPL-1.0-or-later",
        "affero",
        "AGPL-1.0-only",
        "GPL-2.0-only",
    ),
];

/// Licenses SPDX defines as a stack of texts, whose parts the matcher finds
/// one by one: `(part found, mark of another part, stack id)`. `Python-2.0`
/// is the PSF, BeOpen, CNRI and CWI agreements in one text; `OpenSSL` is the
/// OpenSSL license followed by the original SSLeay license; the FreeBSD
/// "Views" text is BSD-2-Clause with a paragraph of its own after the
/// disclaimer. A part with the mark of another part within
/// [`STACK_REACH`] bytes is that stack; a part alone keeps its own id.
pub(super) const STACK_MARKS: &[(&str, &str, &str)] = &[
    (
        "CNRI-Python-GPL-Compatible",
        "python software foundation license",
        "Python-2.0",
    ),
    (
        "CNRI-Python-GPL-Compatible",
        "psf license agreement",
        "Python-2.0",
    ),
    (
        "CNRI-Python",
        "python software foundation license",
        "Python-2.0",
    ),
    ("CNRI-Python", "psf license agreement", "Python-2.0"),
    (
        "OpenSSL-standalone",
        "this package is an ssl implementation",
        "OpenSSL",
    ),
    ("SSLeay-standalone", "the openssl project", "OpenSSL"),
    (
        "BSD-2-Clause",
        "views and conclusions contained in the software",
        "BSD-2-Clause-Views",
    ),
];

/// Bytes either side of a matched part within which [`STACK_MARKS`] look for
/// the other parts (the whole Python-2.0 stack is about 10 KB).
pub(super) const STACK_REACH: usize = 8 * 1024;
/// Rules that find a vendor agreement by its wording (acceptance by use,
/// "if you do not agree ... do not install", a title line) rather than by
/// name. When the same text names a license, that license is the agreement
/// (Intel's ACPI license asks for acceptance too), so these give way to it.
pub(super) const AGREEMENT_WORDING_RULES: &[&str] = &[
    "name.eula_acceptance",
    "name.eula_by_use",
    "name.eula_title",
];

/// The rule id of a grant of permissions in a license no table names.
pub(super) const PERMISSIVE_GRANT_RULE: &str = "name.permissive_grant";

/// The rule id of a dedication to the public domain in the text's own words.
pub(super) const PUBLIC_DOMAIN_RULE: &str = "name.public_domain_dedication";

/// The rule id of references to a license file ("see LICENSE for details").
pub(super) const SEE_FILE_RULE: &str = "name.see_file";

/// The rule id of a notice naming a license no table knows.
pub(super) const UNLISTED_RULE: &str = "name.unlisted_license";

/// A notice that names a license no table knows: notice wording, then one
/// to five capitalised words and "License" ("Distribution is permitted
/// under the terms of the Acme license", "subject to the \"Foo Public
/// License\""). Read only where the text names no license at all, so it
/// never stands in for a license a table knows; reported as
/// `LicenseRef-Unlisted-License` (category `unknown`): the text grants
/// something under terms we cannot assess, which is not "nothing found".
/// Names made only of [`UNLISTED_GENERIC_WORDS`] ("the Software License")
/// or holding a [`NAME_STOP_WORDS`] word name nothing.
pub(super) const UNLISTED_NOTICE_RULE: &str = r#"(?i:\b(?:licen[sc]ed|released|distributed|permitted|available|published|provided|covered|governed|is|are)\s+(?:under|by|subject\s+to)\s+(?:the\s+)?(?:(?:terms|conditions|terms\s+and\s+conditions)\s+of\s+(?:the\s+)?)?|\b(?:subject\s+to|governed\s+by)\s+(?:the\s+)?(?:(?:terms|conditions|terms\s+and\s+conditions)\s+of\s+(?:the\s+)?)?)["\x{201c}']?(?P<name>[A-Z0-9][A-Za-z0-9.+&-]*\s+(?:[A-Za-z0-9][A-Za-z0-9.+&-]*\s+){0,4}?)(?i:Licen[sc]e)\b"#;

/// Words that do not name a license on their own (see [`UNLISTED_NOTICE_RULE`]).
pub(super) const UNLISTED_GENERIC_WORDS: &[&str] = &[
    "software",
    "open",
    "source",
    "public",
    "end",
    "user",
    "free",
    "new",
    "original",
    "standard",
    "general",
    "common",
    "license",
    "licence",
    "project",
    "applicable",
    "appropriate",
    "relevant",
    "respective",
    "above",
    "below",
    "accompanying",
    "included",
    "enclosed",
    "full",
    "complete",
];

/// Words that never start a license name: a tail of the words before
/// "License" that begins with one is not tried ("under the same license").
pub(super) const NAME_STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "any",
    "by",
    "following",
    "its",
    "of",
    "or",
    "our",
    "same",
    "the",
    "their",
    "this",
    "under",
    "your",
    "my",
    "with",
    "to",
    "is",
    "as",
];

/// Text before a name that makes it a grant ("licensed under the", "subject
/// to the terms of"). Matched against the ~160 bytes before the name, anchored
/// at its end.
pub(super) const NOTICE_PREFIXES: &[&str] = &[
    r"(?i)(?:licen[sc]ed|released|distributed|available|published|provided|offered|shared|covered|governed|granted|placed|dual[\s-]*licen[sc]ed|(?:is|are)\s+licen[sc]ed\s+to\s+you)\s+(?:(?:both|solely|only|entirely|exclusively|freely)\s+)?(?:under|by|with|via|subject\s+to|pursuant\s+to|according\s+to)\s+(?:(?:the|a|an|either|one\s+of)\s+)?(?:(?:terms|conditions|terms\s+and\s+conditions)\s+of\s+(?:(?:the|a|an|this)\s+)?)?(?:licen[sc]e\s*[:：]?\s*)?(?:(?:OSI[\s-]*approved|open[\s-]*source|free|dual)\s+)?$",
    r"(?i)\b(?:this|the)\s+(?:file|code|software|program|library|module|package|project|work|document|source(?:\s+code)?|licen[sc]e)\s+is\s+(?:licen[sc]ed\s+)?$",
    r"(?i)\blicen[sc]e\s+terms\s*[:：]\s*$",
    r"(?i)(?:under|subject\s+to|according\s+to|pursuant\s+to|governed\s+by)\s+(?:the\s+)?(?:terms|conditions|terms\s+and\s+conditions)\s+(?:of|set\s+out\s+in)\s+(?:(?:the|a|an|this)\s+)?$",
    r"(?i)\blicen[sc]ed\s+as\s+$",
    r"(?:采用|遵循|遵守|基于|依据|根据|按照|使用|依照|适用|遵照|依|以|在|採用|遵從|根據|使用了)\s*[「“《]?\s*$",
];

/// Looser prefixes ("under the", "subject to") for names that cannot be an
/// ordinary word; a bare "MIT" or "GPL" after "under" ("studied under MIT
/// professors") needs one of the stricter prefixes above.
pub(super) const LOOSE_NOTICE_PREFIXES: &[&str] =
    &[r"(?i)\b(?:under|subject\s+to|governed\s+by)\s+(?:(?:the|a|an)\s+)?$"];

/// Text right after a name that makes it a grant ("MIT licensed", "MIT 许可证").
pub(super) const NOTICE_SUFFIXES: &[&str] = &[
    r"(?i)^\s*-?\s*licen[sc]ed\b",
    r"^\s*[」”》]?\s*(?:许可证|许可协议|许可|協議|协议|授权|授權|開源|开源|发布|發佈|发行|條款|条款|版权协议)",
];

/// A line that labels a value as the license: `License: MIT`,
/// `"license": "Apache-2.0"`, `license = "MIT"`, `许可证：MIT`, and the
/// reStructuredText field of Python docstrings, `:license: BSD`, and the
/// module attribute Python packages set, `__license__ = "MIT"`.
pub(super) const LABEL_RULE: &str = r#"(?im)(?:^|[.。!！?？;；][ \t]+)[ \t]*(?:[#*>|/:-]+[ \t]*)*["']?(?:__)?(?:licen[sc]e[ds]?(?:__)?|licensing|许可证?|許可證?|许可协议|授权协议|開源協議|开源协议|协议|協議)["']?[ \t]*(?:type|id|identifier|name)?[ \t]*[:：=][ \t]*["'\[]?[ \t]*(?P<v>[^\n"'\]]{1,100})"#;
/// A `@license` doc-comment tag (JSDoc, PHPDoc, Doxygen): `@license MIT`,
/// `@licence GNU GPL v2+`.
pub(super) const DOC_TAG_RULE: &str = r"(?im)@licen[sc]e[ \t]+(?P<v>[^\n*]{1,100})";
/// `"license": "MIT"` inside JSON, which is often minified onto one line.
pub(super) const JSON_LABEL_RULE: &str = r#"(?i)"licen[sc]es?"\s*:\s*"(?P<v>[^"\n]{1,100})""#;
/// `"license": {"type": "MIT", "url": ...}`, the object form of npm's and
/// Composer's license field.
pub(super) const JSON_OBJECT_LABEL_RULE: &str =
    r#"(?i)"licen[sc]es?"\s*:\s*\{\s*"type"\s*:\s*"(?P<v>[^"\n]{1,100})""#;
/// A markdown "License" heading whose next non-empty line names the license.
pub(super) const HEADING_RULE: &str = r"(?im)^[ \t]*#{1,6}[ \t]*(?:licen[sc]e|licensing|许可证|许可协议|协议|授权)[ \t]*[:：]?[ \t]*#*[ \t]*\r?\n(?:[ \t]*\r?\n)*[ \t]*(?P<v>[^\n]{1,100})";

/// A setext (reStructuredText or markdown) "License" heading, underlined
/// with `-`, `=` or `~`, whose next non-empty line names the license.
pub(super) const SETEXT_HEADING_RULE: &str = r"(?im)^[ \t]*(?:licen[sc]e|licensing)[ \t]*\r?\n[ \t]*(?:-{3,}|={3,}|~{3,})[ \t]*\r?\n(?:[ \t]*\r?\n)*[ \t]*(?P<v>[^\n]{1,100})";

/// `SPDX-License-Identifier:` tags; the expression runs to the end of the line.
pub(super) const SPDX_TAG_RULE: &str = r"(?i)SPDX-Licen[sc]e-Identifier\s*:\s*(?P<expr>[^\r\n]*)";

/// License URLs. Each rule's `id` also names how `names.rs` resolves it.
pub(super) const URL_RULES: &[(&str, &str)] = &[
    (
        "url.creativecommons",
        r"(?i)creativecommons\.org/(?P<kind>licenses|publicdomain)/(?P<els>[a-z-]+)(?:/(?P<ver>\d\.\d))?(?:/(?P<jur>[a-z]{2,3})\b)?",
    ),
    (
        "url.gnu",
        r"(?i)gnu\.org/(?:licenses|copyleft)/(?:old-licenses/)?(?P<fam>agpl|lgpl|gpl|fdl)(?:-(?P<ver>[123]\.[0-9]))?(?:\.(?:en\.)?(?:html|txt))?",
    ),
    (
        "url.apache",
        r"(?i)apache\.org/licenses/LICENSE-(?P<ver>[12]\.[01])",
    ),
    (
        "url.opensource",
        r"(?i)opensource\.org/licen[sc]es/(?P<id>[A-Za-z0-9.+-]+)",
    ),
    (
        "url.choosealicense",
        r"(?i)choosealicense\.com/licenses/(?P<id>[A-Za-z0-9.+-]+)",
    ),
    (
        "url.spdx",
        r"(?i)spdx\.org/licenses/(?P<id>[A-Za-z0-9.+-]+?)(?:\.html|\.json)?(?:[^A-Za-z0-9.+-]|$)",
    ),
    (
        "url.mozilla",
        r"(?i)mozilla\.org/(?:en-US/)?MPL/(?P<ver>[12]\.[01])",
    ),
    (
        "url.eclipse",
        r"(?i)eclipse\.org/legal/epl-?(?P<ver>v?[12]\.?0|[12]0)",
    ),
    ("url.unlicense", r"(?i)unlicense\.org"),
    ("url.wtfpl", r"(?i)wtfpl\.net"),
    (
        "url.odc",
        r"(?i)opendatacommons\.org/licenses/(?P<id>odbl|by|pddl)",
    ),
    (
        "url.shields",
        r"(?i)img\.shields\.io/badge/licen[sc]e-(?P<v>(?:[^-/\s)]|--)+)-",
    ),
    (
        "url.llama",
        r"(?i)llama\.meta\.com/(?:llama(?P<ver>[234](?:\.[0-9])?|[234]_[0-9])|doc)/licen[sc]e",
    ),
    ("url.gemma", r"(?i)ai\.google\.dev/gemma/terms"),
    (
        "url.openai",
        r"(?i)openai\.com/(?:policies/)?(?:terms-of-use|terms|usage-policies)",
    ),
];

/// Copyright notices. At most one notice is counted per line: "Copyright ©
/// 2021 Acme" is one notice, not two.
pub(super) const COPYRIGHT_RULES: &[(&str, &str)] = &[
    (
        "copyright.word_symbol",
        r"(?i)\bcopyright\s*(?:©|\(c\)|&copy;|&#169;|&#xa9;)",
    ),
    (
        "copyright.word_year",
        r"(?i)\bcopyright\s*(?:[:：]\s*)?(?:by\s+)?(?:19|20)\d{2}",
    ),
    (
        "copyright.symbol",
        r"(?:©|&copy;|&#169;|&#[xX][aA]9;)\s*(?:(?:19|20)\d{2}|\p{Lu}|\p{Han})",
    ),
    ("copyright.paren_year", r"\([cC]\)\s*(?:19|20)\d{2}"),
    ("copyright.paren_name", r"\([cC]\)\s+\p{Lu}[\p{L}&.-]+"),
    ("copyright.reuse", r"(?i)SPDX-FileCopyrightText\s*:"),
    (
        "copyright.zh",
        r"(?:版权所有|版權所有|著作权所有|著作權所有|著作権所有|版权归[^，。,\n]{1,30}所有|版權歸[^，。,\n]{1,30}所有|著作权归[^，。,\n]{1,30}所有|著作權歸[^，。,\n]{1,30}所有)",
    ),
];

/// What may follow 版权所有 without it being a notice: 版权所有者 / 版权所有人
/// (the copyright owner), 版权所有权 (ownership) are ordinary nouns.
pub(super) const ZH_COPYRIGHT_NOUN_TAILS: &[char] = &['者', '人', '权', '權', '方'];

/// "All rights reserved" and equivalents. 转载请注明出处 ("repost with
/// attribution") is deliberately absent: it grants reposting, it does not
/// reserve rights.
pub(super) const ARR_RULES: &[(&str, &str)] = &[
    ("arr.en", r"(?i)\ball\s+rights\s+reserved\b"),
    (
        "arr.no_part",
        r"(?i)\bno\s+part\s+of\s+this\s+(?:publication|book|work|document|website|site)\s+may\s+be\s+reproduced",
    ),
    ("arr.de", r"(?i)\balle\s+rechte\s+vorbehalten\b"),
    ("arr.fr", r"(?i)\btous\s+droits\s+r[ée]serv[ée]s\b"),
    ("arr.es", r"(?i)\btodos\s+los\s+derechos\s+reservados\b"),
    (
        "arr.zh",
        r"(?:保留所有权利|保留一切权利|保留全部权利|保留所有權利|保留一切權利|保留全部權利|翻印必究|侵权必究|侵權必究|盗版必究|盜版必究)",
    ),
    (
        "arr.zh_no_repost",
        r"(?:未经|未經)[^。！!\n]{0,16}?(?:许可|授权|同意|允许|許可|授權|允許)[^。！!\n]{0,16}?(?:不得|禁止|严禁|請勿|请勿|不准|謝絕|谢绝|嚴禁)[^。！!\n]{0,12}?(?:转载|轉載|复制|複製|使用|转贴|轉貼|摘编|摘編|镜像|鏡像|传播|傳播|抄袭|抄襲|引用|刊登|发布|發布)",
    ),
    (
        "arr.zh_forbid",
        r"(?:禁止|严禁|嚴禁|请勿|請勿|谢绝|謝絕|不得)(?:任何)?(?:形式的?)?(?:转载|轉載)",
    ),
    (
        "arr.ja",
        r"(?:無断転載(?:を)?禁(?:止|じ|ず)|無断複製(?:を)?禁(?:止|じ|ず)|不許複製)",
    ),
];

/// AI crawlers whose `Disallow: /` in robots.txt is an opt-out from training
/// crawls. `User-agent: *` is not listed: blocking every crawler is a general
/// access decision, not a statement about text and data mining.
pub(super) const AI_CRAWLERS: &[&str] = &[
    "gptbot",
    "chatgpt-user",
    "oai-searchbot",
    "ccbot",
    "google-extended",
    "anthropic-ai",
    "claudebot",
    "claude-web",
    "bytespider",
    "perplexitybot",
    "applebot-extended",
    "meta-externalagent",
    "facebookbot",
    "cohere-ai",
    "diffbot",
    "amazonbot",
    "omgilibot",
    "img2dataset",
    "ai2bot",
];

pub(super) const TDM_META_RULE: &str = r"(?is)<meta\b[^>]{0,400}>";
pub(super) const TDM_RULES: &[(&str, &str)] = &[
    (
        "tdm.header_robots",
        r"(?i)\bX-Robots-Tag\s*:[^\n]*\bno(?:image)?ai\b",
    ),
    ("tdm.header", r"(?i)\btdm-reservation\s*:\s*1\b"),
    (
        "tdm.tdmrep_json",
        r#"(?i)"tdm-reservation"\s*:\s*(?:1|"1"|true)"#,
    ),
];
pub(super) const ROBOTS_UA_RULE: &str = r"(?im)^[ \t]*user-agent[ \t]*:[ \t]*(?P<ua>[^\s#]+)";
/// How far a robots.txt group is followed from its User-agent line.
pub(super) const ROBOTS_GROUP_LIMIT: usize = 8 * 1024;

/// Per-record fields that carry license metadata in common corpora
/// (The Stack, GitHub dumps, HF datasets).
pub(super) const METADATA_FIELDS: &[&str] = &[
    "license",
    "licenses",
    "max_stars_repo_licenses",
    "max_issues_repo_licenses",
    "max_forks_repo_licenses",
    "detected_licenses",
    "license_type",
    "gha_license_id",
];

/// Hugging Face / ad-hoc license ids that are not SPDX ids (case-insensitive).
/// Values with an empty target mean "no license information" and yield nothing.
pub(super) const DECLARED_ALIASES: &[(&str, &str)] = &[
    ("odc-by", "ODC-By-1.0"),
    ("odbl", "ODbL-1.0"),
    ("pddl", "PDDL-1.0"),
    ("c-uda", "C-UDA-1.0"),
    ("cc", "LicenseRef-CC"),
    ("gfdl", "GFDL-1.1-or-later"),
    ("lgpl-lr", "LGPLLR"),
    ("openrail", "LicenseRef-openrail"),
    ("openrail++", "LicenseRef-openrail-pp"),
    ("bigscience-openrail-m", "LicenseRef-bigscience-openrail-m"),
    ("creativeml-openrail-m", "LicenseRef-creativeml-openrail-m"),
    (
        "bigscience-bloom-rail-1.0",
        "LicenseRef-bigscience-bloom-rail-1.0",
    ),
    ("bigcode-openrail-m", "LicenseRef-bigcode-openrail-m"),
    ("llama2", "LicenseRef-llama2"),
    ("llama3", "LicenseRef-llama3"),
    ("llama3.1", "LicenseRef-llama3.1"),
    ("llama3.2", "LicenseRef-llama3.2"),
    ("llama3.3", "LicenseRef-llama3.3"),
    ("llama4", "LicenseRef-llama4"),
    ("gemma", "LicenseRef-gemma"),
    ("openai-terms", "LicenseRef-OpenAI-Terms"),
    ("deepfloyd-if-license", "LicenseRef-deepfloyd-if-license"),
    (
        "fair-noncommercial-research-license",
        "LicenseRef-fair-noncommercial-research-license",
    ),
    ("apple-amlr", "LicenseRef-apple-amlr"),
    ("apple-ascl", "LicenseRef-apple-ascl"),
    ("h-research", "LicenseRef-h-research"),
    ("intel-research", "LicenseRef-intel-research"),
    ("openmdw-1.0", "OpenMDW-1.0"),
    // CPAN META: "perl" means "the same terms as Perl 5 itself".
    ("perl", "Artistic-1.0-Perl OR GPL-1.0-or-later"),
    ("perl_5", "Artistic-1.0-Perl OR GPL-1.0-or-later"),
    // Debian's and the FSF's name for the MIT text James Clark's expat
    // shipped: "License: Expat" in DEP-5 copyright files.
    ("expat", "MIT"),
    ("other", "LicenseRef-other"),
    ("proprietary", "LicenseRef-Proprietary"),
    ("commercial", "LicenseRef-Proprietary"),
    ("all rights reserved", "LicenseRef-All-Rights-Reserved"),
    ("public domain", "LicenseRef-Public-Domain"),
    ("publicdomain", "LicenseRef-Public-Domain"),
    ("unknown", ""),
    ("none", ""),
    ("noassertion", ""),
    ("no_license", ""),
    ("no license", ""),
    ("permissive", ""),
    ("copyleft", ""),
    ("n/a", ""),
    ("null", ""),
];

use super::Category;

/// Categories of LicenseRef-* ids we know (lowercased name after "LicenseRef-").
/// Unknown LicenseRefs are `Unknown`.
pub(super) const LICENSE_REF_CATEGORIES: &[(&str, Category)] = &[
    ("llama2", Category::ModelTerms),
    ("llama3", Category::ModelTerms),
    ("llama3.1", Category::ModelTerms),
    ("llama3.2", Category::ModelTerms),
    ("llama3.3", Category::ModelTerms),
    ("llama4", Category::ModelTerms),
    ("gemma", Category::ModelTerms),
    ("openrail", Category::ModelTerms),
    ("openrail-pp", Category::ModelTerms),
    ("bigscience-openrail-m", Category::ModelTerms),
    ("creativeml-openrail-m", Category::ModelTerms),
    ("bigscience-bloom-rail-1.0", Category::ModelTerms),
    ("bigcode-openrail-m", Category::ModelTerms),
    ("openai-terms", Category::ModelTerms),
    ("deepfloyd-if-license", Category::ModelTerms),
    ("apple-amlr", Category::ModelTerms),
    (
        "fair-noncommercial-research-license",
        Category::NonCommercial,
    ),
    ("h-research", Category::NonCommercial),
    ("intel-research", Category::NonCommercial),
    ("proprietary", Category::Proprietary),
    ("commercial", Category::Proprietary),
    ("eula", Category::Proprietary),
    ("terms-of-use", Category::Proprietary),
    ("all-rights-reserved", Category::Proprietary),
    ("public-domain", Category::PublicDomain),
    ("permissive-grant", Category::Permissive),
];

/// Hand-assigned categories for SPDX ids, checked before the SPDX flags.
/// Matched as exact id or, with a trailing `*`, as a prefix; first match wins.
/// Decisions worth knowing:
/// - CC *-SA is `strong_copyleft`: the whole adaptation must carry the same
///   license, with no file or library boundary.
/// - CC *-NC-ND is `no_derivatives` (ND is the stricter element, see
///   [`Category::strictness`]); *-NC-SA is `non_commercial`.
/// - Source-available licenses (BUSL, Elastic, SSPL's service clause aside,
///   Commons Clause, FSL) are `proprietary`; SSPL is `strong_copyleft`.
/// - ODbL and CDLA-Sharing are `weak_copyleft`: share-alike covers the
///   database, not works produced from it (such as a trained model).
pub(super) const SPDX_CATEGORY_TABLE: &[(&str, Category)] = &[
    ("CC0-1.0", Category::PublicDomain),
    ("CC-PDDC", Category::PublicDomain),
    ("CC-PDM-1.0", Category::PublicDomain),
    ("Unlicense", Category::PublicDomain),
    ("Unlicense-*", Category::PublicDomain),
    ("PDDL-1.0", Category::PublicDomain),
    ("0BSD", Category::PublicDomain),
    ("MIT-0", Category::PublicDomain),
    ("WTFPL", Category::PublicDomain),
    ("DL-DE-ZERO-2.0", Category::PublicDomain),
    ("NIST-PD*", Category::PublicDomain),
    ("SAX-PD*", Category::PublicDomain),
    ("ANTLR-PD*", Category::PublicDomain),
    ("NCBI-PD", Category::PublicDomain),
    ("NTIA-PD", Category::PublicDomain),
    ("O-UDA-1.0", Category::PublicDomain),
    ("blessing", Category::PublicDomain),
    ("CC-BY-NC-ND-*", Category::NoDerivatives),
    ("CC-BY-NC-SA-*", Category::NonCommercial),
    ("CC-BY-NC-*", Category::NonCommercial),
    ("CC-BY-ND-*", Category::NoDerivatives),
    ("CC-BY-SA-*", Category::StrongCopyleft),
    ("CC-SA-*", Category::StrongCopyleft),
    ("CC-BY-*", Category::Permissive),
    ("PolyForm-Noncommercial-*", Category::NonCommercial),
    ("PolyForm-*", Category::Proprietary),
    ("BUSL-*", Category::Proprietary),
    ("Elastic-*", Category::Proprietary),
    ("FSL-*", Category::Proprietary),
    ("Commons-Clause", Category::Proprietary),
    ("Hippocratic-*", Category::Proprietary),
    ("UnRAR", Category::Proprietary),
    ("CAPEC-tou", Category::Proprietary),
    ("cve-tou", Category::Proprietary),
    ("Unicode-TOU", Category::Proprietary),
    ("IEC-Code-Components-EULA", Category::Proprietary),
    ("Aladdin", Category::NonCommercial),
    ("SSPL-1.0", Category::StrongCopyleft),
    ("NOASSERTION", Category::Unknown),
    ("LGPL*", Category::WeakCopyleft),
    ("MPL-*", Category::WeakCopyleft),
    ("EPL-*", Category::WeakCopyleft),
    ("CDDL-*", Category::WeakCopyleft),
    ("CPL-1.0", Category::WeakCopyleft),
    ("IPL-1.0", Category::WeakCopyleft),
    ("MS-RL", Category::WeakCopyleft),
    ("MS-PL", Category::Permissive),
    ("CECILL-B", Category::Permissive),
    ("CECILL-C", Category::WeakCopyleft),
    ("ErlPL-1.1", Category::WeakCopyleft),
    ("SPL-1.0", Category::WeakCopyleft),
    ("NPL-*", Category::WeakCopyleft),
    ("APSL-*", Category::WeakCopyleft),
    ("OSET-PL-2.1", Category::WeakCopyleft),
    ("OFL-*", Category::WeakCopyleft),
    ("ODbL-1.0", Category::WeakCopyleft),
    ("CDLA-Sharing-1.0", Category::WeakCopyleft),
    ("wxWindows", Category::WeakCopyleft),
    ("eCos-2.0", Category::WeakCopyleft),
    ("ESA-PL-weak-copyleft-*", Category::WeakCopyleft),
    ("ESA-PL-strong-copyleft-*", Category::StrongCopyleft),
    ("GPL*", Category::StrongCopyleft),
    ("AGPL*", Category::StrongCopyleft),
    ("GFDL*", Category::StrongCopyleft),
    ("EUPL-*", Category::StrongCopyleft),
    ("OSL-*", Category::StrongCopyleft),
    ("copyleft-next-*", Category::StrongCopyleft),
];

// ---------------------------------------------------------------------------
// References and notices that used to find nothing (issue 16, items 1 and 4).
// Each rule carries examples written for it (never copied from a test
// corpus); `tests::reference_rule_examples` runs every one through the whole
// detector.
// ---------------------------------------------------------------------------

/// Texts a rule must get right: each `yes` text yields the paired license
/// (among whatever else it names), each `no` text yields no license at all.
/// Only the tests read them.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) struct Examples {
    pub yes: &'static [(&'static str, &'static str)],
    pub no: &'static [&'static str],
}

/// The id of the [`MORE_NOTICE_SUFFIXES`] rule that closes a list of names
/// ("GPL/LGPL/MPL tri-license"): the names before the last join it.
pub(super) const LIST_SUFFIX_RULE: &str = "suffix.multi_licensed";

/// More wording right after a license name that makes it a grant, read
/// like [`NOTICE_SUFFIXES`] (matched at the start of the ~48 bytes after it).
pub(super) const MORE_NOTICE_SUFFIXES: &[(&str, &str, Examples)] = &[
    (
        // "GPL v2, can be found in COPYING": the name and where its text is.
        "suffix.text_in_file",
        r"(?i)^\s*[,;:(]?\s*(?:(?:its\s+)?(?:full\s+)?text\s+)?(?:can\s+be\s+found|is\s+included|is\s+available)\s+in\s+(?:the\s+)?(?:(?:accompanying|enclosed|included|top-level)\s+)?(?:file\s+)?[\x22'`]?(?:COPYING|LICEN[SC]E)",
        Examples {
            yes: &[(
                " * Copyright 2001 A. Author\n *\n * GPL v2, can be found in COPYING.\n",
                "GPL-2.0-only",
            )],
            no: &["The GPL v2 driver, can be found in the kernel tree.\n"],
        },
    ),
    (
        // A name, then where its text lives: "BSD 3-Clause license, see
        // LICENSE file", "MIT License - see LICENSE.md for details". The
        // file must be named as a file (a word or extension after it, or the
        // end of the sentence), so "MIT students see license plates" is not
        // a grant.
        "suffix.see_license_file",
        r"(?i)^\s*(?:[,;:(]|--?|\x{2013}|\x{2014})?\s*(?:please\s+)?see\s+(?:the\s+)?(?:(?:accompanying|enclosed|included|top-level|bundled)\s+)?(?:file\s+)?[\x22'`]?(?:LICEN[SC]E|COPYING)(?:[-_.][A-Za-z0-9]{1,12})?[\x22'`]?(?:\s+(?:file|for|in)\b|\s*[.)\n]|$)",
        Examples {
            yes: &[
                (
                    "# Copyright Jane Roe 2013. BSD 3-Clause license, see LICENSE file.\n",
                    "BSD-3-Clause",
                ),
                ("// MIT License - see LICENSE.md for details\n", "MIT"),
            ],
            no: &[
                "Students at MIT see license plates from every state.\n",
                "Unlike the GPL, see our LICENSE for what we chose.\n",
            ],
        },
    ),
    (
        // A list of names closed by the kind of licensing: "GPL 2.0/LGPL
        // 2.1/MPL 1.1 tri-license", "MIT/Apache dual-licensed". The names before
        // the last one join it (see `Names::scan_names`).
        "suffix.multi_licensed",
        r"(?i)^\s*[,(]?\s*(?:dual|tri|triple|multi)[\s-]*licen[sc](?:ed|e|ing)\b",
        Examples {
            yes: &[
                ("# GPL 2.0/LGPL 2.1/MPL 1.1 tri-license\n", "GPL-2.0-only"),
                ("/* MIT/Apache-2.0 dual-licensed */\n", "MIT"),
            ],
            no: &["Our MIT team has a dual license plate collection.\n"],
        },
    ),
    (
        // Debian's copyright files point at the system's copy of a license
        // text: "the complete text of the GNU General Public License version 2
        // can be found in /usr/share/common-licenses/GPL-2". The name is the
        // package's license.
        "suffix.common_licenses",
        r"(?i)^\s*[,;:(]?\s*(?:(?:its\s+)?(?:full\s+|complete\s+)?text\s+)?(?:can\s+be\s+found|is\s+(?:included|available|found)|is|lives)\s+(?:in|at|under)\s+(?:the\s+)?(?:file\s+)?[\x22'`]?/usr/share/common-licen[sc]es/",
        Examples {
            yes: &[(
                "On Debian systems, the complete text of the GNU General Public License\nversion 2 can be found in /usr/share/common-licenses/GPL-2.\n",
                "GPL-2.0-only",
            )],
            no: &["The GPL v2 is not in /opt/share/common-licenses on this system.\n"],
        },
    ),
];

/// More notice wording before a license name, read like [`NOTICE_PREFIXES`]
/// (matched against the bytes before the name, anchored at its end).
pub(super) const MORE_NOTICE_PREFIXES: &[(&str, &str, Examples)] = &[
    (
        // A grant that lists its licenses one per line: "may be used under
        // any of the following licenses:" then "* MIT License", "1) GNU
        // GPLv2". The name must start its line (after comment leaders and a
        // bullet or number), within four lines of the colon; an item may
        // open with the license's abbreviation ("// EPL, Eclipse Public
        // License, V1.0"), and the opening may wrap onto a second commented
        // line. (The first item alone already reads as a notice through
        // `prefix.alternatives`.)
        "prefix.license_list",
        r"(?i)\b(?:licen[sc]ed|available|released|distributed|used|use|choose|offered)\b(?:[^\n:]|\n[ \t#/*;!%-]*){0,80}?\b(?:following|two|three|2|3|several|multiple)\s+(?:[a-z-]+\s+){0,2}licen[sc]es?\b[^\n:]{0,60}[:\u{ff1a}][ \t]*\n(?:[^\n]*\n){0,4}?[ \t#/*;!%-]*(?:[-*\u{2022}+]|\d+[.)]|\(\w\))?[ \t]*(?-i:[A-Z][A-Za-z]{1,5}[ \t]*,[ \t]*)?$",
        Examples {
            yes: &[
                (
                    "This package is available under the following licenses:\n\n* MIT License\n* Apache License 2.0\n",
                    "MIT",
                ),
                (
                    "You can choose between two licenses when using this package:\n1) GNU GPLv2\n2) the PSF license\n",
                    "GPL-2.0-only",
                ),
                (
                    "// (c) 2010 A. Author. This class may be used under the terms\n// of any of the following licenses:\n//\n// EPL, Eclipse Public License, V1.0\n",
                    "EPL-1.0",
                ),
            ],
            no: &[
                "Drivers may choose between two licenses for the car:\n1) a full permit\n2) a learner permit\n",
            ],
        },
    ),
    (
        // Banners of minified scripts: "(c) 2012 A. Author. Dual MIT/BSD
        // license", "Dual licensed MIT or GPL".
        "prefix.dual",
        r"(?i)\bdual(?:[\s-]*licen[sc]ed)?\s+(?:under\s+)?(?:the\s+)?$",
        Examples {
            yes: &[(
                "/*! Example.js v1.0 | (c) 2013 A. Author. Dual MIT/BSD license */",
                "MIT",
            )],
            no: &["/*! Example.js v1.0 | dual core build | see README */"],
        },
    ),
    (
        // The first line of a minified script's banner: name, version, then
        // `|`-separated fields, one of them the license ("/*! tinylib v2.1.0
        // | MIT License | example.org */", "/* kit 1.2 (Custom Build) | MIT
        // & BSD"). The name must open a field of a comment's first line that
        // carries a version number.
        "prefix.banner_field",
        r"(?m)^[ \t]*/\*[!*]?[ \t]*(?:@license[ \t]+)?[^\n|]{1,100}?\bv?\d+(?:\.\d+){1,3}\b[^\n|]{0,60}(?:\|[^\n|]{0,100}){0,3}\|[ \t]*$",
        Examples {
            yes: &[
                (
                    "/*! tinylib v2.1.0 | MIT License | example.org/tinylib */\n",
                    "MIT",
                ),
                (
                    "/* gridkit 3.0.1 (custom build) | MIT & BSD | see the LICENSE file */\n",
                    "BSD-3-Clause",
                ),
            ],
            no: &["/*! gridkit v3.0.1 | license: see website | built by the MIT team */\n"],
        },
    ),
    (
        // READMEs state the license a project or its files use: "This
        // project uses the MIT License", "files in lib use a BSD 2-Clause
        // license". The subject must be the work, not a person or a tool.
        "prefix.work_uses",
        r"(?i)\b(?:project|repository|repo|code|library|package|software|files?|module|crate|program|work|it)\s+(?:[^\s.;:]+\s+){0,5}?(?:uses?|is\s+using)\s+(?:(?:a|an|the)\s+)?$",
        Examples {
            yes: &[
                ("This project uses the MIT License.\n", "MIT"),
                (
                    "All files in the core directory use a BSD 2-Clause license.\n",
                    "BSD-2-Clause",
                ),
            ],
            no: &["This library uses the Apache Commons Lang package.\n"],
        },
    ),
    (
        // Dual licenses name their alternatives after "either": "subject to
        // the terms of either the GPL ... or the CDDL".
        "prefix.terms_of_either",
        r"(?i)\b(?:under|subject\s+to|governed\s+by|according\s+to)\s+(?:the\s+)?(?:terms|conditions|terms\s+and\s+conditions|provisions)\s+of\s+(?:(?:either|both|one\s+of|any\s+of)\s+)?(?:(?:the|a|an)\s+)?dual\s+$|\b(?:under|subject\s+to|governed\s+by|according\s+to)\s+(?:the\s+)?(?:terms|conditions|terms\s+and\s+conditions|provisions)\s+of\s+(?:either|both|one\s+of|any\s+of)\s+(?:(?:the|a|an)\s+)?$",
        Examples {
            yes: &[
                (
                    "This module is subject to the terms of either the GNU General Public License version 2 or the Mozilla Public License 1.1.",
                    "GPL-2.0-only",
                ),
                (
                    "You may use it under the terms of the dual BSD / GNU General Public License version 2.",
                    "BSD-3-Clause",
                ),
            ],
            no: &["Refunds are subject to the terms of either the shop or the card issuer."],
        },
    ),
    (
        // "licensed by Example Corp. under the MIT License": the licensor
        // stands between the verb and "under".
        "prefix.licensed_by",
        r"(?i)\blicen[sc]ed\s+by\s+(?:\S+\s+){1,5}?under\s+(?:(?:the|a|an)\s+)?$",
        Examples {
            yes: &[(
                "The sources in this folder are licensed by Example Corp. under the BSD (revised) open source license.",
                "BSD-3-Clause",
            )],
            no: &["The music was licensed by the label under a separate deal."],
        },
    ),
    (
        // "licensed under:" followed by the name on the next (comment) line.
        "prefix.under_colon",
        r"(?i)\b(?:licen[sc]ed|released|distributed|available|published)\s+under\s*[:：]\s*$",
        Examples {
            yes: &[(
                "# This is free software, licensed under:\n#\n#   The GNU Lesser General Public License, Version 2.1, February 1999\n",
                "LGPL-2.1-only",
            )],
            no: &["# Released under: the supervision of the release team\n"],
        },
    ),
    (
        // "dual-licensed under two alternative licenses: LGPL 2.1 or later
        // and Apache License 2.0", "licensed under dual license, GPLv2 or BSD".
        "prefix.alternatives",
        r"(?i)\b(?:alternative|following|two|2|dual|double)\s+(?:[A-Za-z/-]+\s+){0,3}licen[sc]es?\s*[:,]\s*$",
        Examples {
            yes: &[
                (
                    "The contents of this file are dual-licensed under 2 alternative open source licenses: LGPL 2.1 or later and Apache License 2.0.",
                    "LGPL-2.1-or-later",
                ),
                (
                    "Note that this tool is licensed under dual license, GPLv2 or BSD at the user's choice.",
                    "GPL-2.0-only",
                ),
            ],
            no: &["The shop sells the following licenses: fishing, hunting and driving."],
        },
    ),
    (
        // IETF and similar: "subject to the license terms contained in, the
        // Simplified BSD License".
        "prefix.license_terms_in",
        r"(?i)\b(?:subject\s+to|under|pursuant\s+to|according\s+to)\s+(?:the\s+)?licen[sc]e\s+terms\s+(?:contained\s+in|set\s+(?:forth|out)\s+in|of)\s*,?\s*(?:(?:the|a|an)\s+)?$",
        Examples {
            yes: &[(
                "Redistribution is permitted subject to the license terms contained in, the Simplified BSD License set forth in section 4.",
                "BSD-2-Clause",
            )],
            no: &["Payment is subject to the license terms contained in the order form."],
        },
    ),
    (
        // The name in quotes: set out in "IPA Font License Agreement v1.0".
        "prefix.quoted",
        r"(?i)\b(?:under|subject\s+to|set\s+(?:out|forth)\s+in|governed\s+by|licen[sc]ed\s+under|released\s+under|distributed\s+under)\s+(?:(?:the|a|an)\s+)?[\x22\u{201c}']$",
        Examples {
            yes: &[(
                "Use of these fonts must follow the terms and conditions set out in \u{201c}IPA Font License Agreement v1.0\u{201d} included here.",
                "IPA",
            )],
            no: &["The tour runs under \u{201c}Summer License Days\u{201d} each year."],
        },
    ),
    (
        // A grant that lists its licenses inline after "the following":
        // "under the terms of one or more of the following, the GNU Lesser
        // General Public License ..., the Mozilla Public License ...". The
        // first name follows the list's opening; the rest join it as
        // alternatives.
        "prefix.terms_of_following",
        r"(?i)\b(?:under|subject\s+to|governed\s+by|according\s+to)\s+(?:the\s+)?(?:terms|conditions|terms\s+and\s+conditions|provisions)\s+of\s+(?:one\s+or\s+more|any|either|each|all)\s+of\s+the\s+following(?:\s+licen[sc]es)?\s*[,:]?\s*(?:(?:the|a|an)\s+)?$",
        Examples {
            yes: &[(
                "You may copy this code under the terms of one or more of the following, the GNU General Public License version 2 or the BSD License.",
                "GPL-2.0-only",
            )],
            no: &[
                "Your rental is governed by the terms of any of the following, the booking form or the invoice.",
            ],
        },
    ),
    (
        // A grant that offers a choice: "available under your choice of the
        // GPL version 2 or the BSD license", "you can use this code under
        // either the MIT license or the Apache-2.0 license". The word of
        // choice is required: "used under MIT supervision" grants nothing.
        "prefix.under_choice",
        r"(?i)\b(?:licen[sc]ed|released|distributed|available|provided|offered|used?|cop(?:y|ied)|redistribut(?:e|ed)|modif(?:y|ied))\s+(?:[^\s.;:]+\s+){0,3}?under\s+(?:(?:(?:your|the\s+user'?s|the\s+licensee'?s)\s+)?(?:choice|option)\s+of\s+(?:(?:either|one\s+of|any\s+of)\s+)?|either\s+(?:of\s+)?|one\s+of\s+|any\s+of\s+)(?:(?:the|a|an)\s+)?$",
        Examples {
            yes: &[
                (
                    "This software is available under your choice of the GNU General Public License version 2 or the BSD 3-Clause License.\n",
                    "GPL-2.0-only",
                ),
                (
                    "# You can use this code under either the MIT license or the Apache-2.0 license, at your option.\n",
                    "MIT",
                ),
            ],
            no: &[
                "The lab equipment is used under either supervision or a permit.\n",
                "The crane is used under MIT supervision.\n",
            ],
        },
    ),
    (
        // The work as the object of a grant's verb: "you can use it under
        // the MIT license", "copy this file under the BSD license". A bare
        // short name needs this (see `LOOSE_NOTICE_PREFIXES`): the verb and
        // its object make it a grant. (A bare "MIT" after it is read as the
        // license, as after "licensed under"; "use it under MIT supervision"
        // would be misread, a wording we have not met.)
        "prefix.use_it_under",
        r"(?i)\b(?:use|copy|modify|distribute|redistribute|share)\s+(?:it|them|this\s+(?:file|code|software|library|program|package|crate|module|project|work|font|data(?:set)?))\s+under\s+(?:(?:the|a|an)\s+)?$",
        Examples {
            yes: &[
                (
                    "This code is dual-licensed: you can use it under the MIT or Apache-2.0 license.\n",
                    "MIT",
                ),
                (
                    "You may copy this file under the BSD license.\n",
                    "BSD-3-Clause",
                ),
            ],
            no: &["Students use it under the guidance of lab staff.\n"],
        },
    ),
    (
        // Banners that put the name right after "licensed": "Licensed MIT",
        // "(c) 2014 A. Author, licensed GPLv3", "the code is licensed MIT".
        // "Licensed" must open a clause or follow "is": "a licensed MIT
        // alumna" uses it as an adjective.
        "prefix.licensed_name",
        r"(?i)(?:^|[.,;:(|]\s*|\b(?:is|are)\s+)licen[sc]ed\s+$",
        Examples {
            yes: &[
                ("Copyright 2019 A. Author. Licensed MIT.\n", "MIT"),
                (
                    "/*! tiny.js (c) 2014 A. Author, licensed GPLv3 */\n",
                    "GPL-3.0-only",
                ),
            ],
            no: &["She is a licensed MIT alumna.\n"],
        },
    ),
    (
        // A grant whose alternatives follow as a list: "Licensed under
        // either of" then "* Apache License, Version 2.0" and "* MIT
        // license" (the form most Rust crates' READMEs use), "available
        // under any of:". Items start their lines, as in
        // `prefix.license_list`, within four lines of the opening.
        "prefix.either_of_list",
        r"(?i)\b(?:licen[sc]ed|available|released|distributed|used?|offered)\s+under\s+(?:the\s+terms\s+of\s+)?(?:either|any|one|each)\s+of(?:\s+the\s+following)?(?:\s+licen[sc]es)?\s*[:\u{ff1a}]?[ \t]*\n(?:[^\n]*\n){0,4}?[ \t#/*;!%-]*(?:[-*\u{2022}+]|\d+[.)]|\(\w\))?[ \t]*$",
        Examples {
            yes: &[
                (
                    "## License\n\nLicensed under either of\n\n * Apache License, Version 2.0\n * MIT license\n\nat your option.\n",
                    "Apache-2.0",
                ),
                (
                    "This font is available under any of:\n- SIL Open Font License 1.1\n- GNU GPL v3\n",
                    "OFL-1.1",
                ),
            ],
            no: &["Parking is available under either of\n\n * the north bridge\n * the old mill\n"],
        },
    ),
];

/// Name rules for notices and references that name no SPDX license in the
/// usual form; appended to [`NAME_RULES`] (see `Names::new`). Examples for
/// each are in [`MORE_NAME_EXAMPLES`].
pub(super) const MORE_NAME_RULES: &[NameRule] = &[
    NameRule {
        // Perl, Ruby, Python modules: "under the same terms as Perl itself"
        // is how their notices grant the language's own license.
        id: "name.same_as_perl",
        keys: &["same terms", "same licen"],
        pattern: r"(?i)\bsame\s+(?:terms|licen[sc]e|licensing\s+terms|conditions)\s+as\s+(?:the\s+)?Perl(?:\s*5)?\b(?:\s+itself)?",
        resolve: Resolve::Fixed("Artistic-1.0-Perl OR GPL-1.0-or-later"),
        bare: true,
    },
    NameRule {
        id: "name.same_as_ruby",
        keys: &["same terms", "same licen"],
        pattern: r"(?i)\bsame\s+(?:terms|licen[sc]e|licensing\s+terms|conditions)\s+as\s+(?:the\s+)?Ruby\b(?:\s+itself)?",
        resolve: Resolve::Fixed("Ruby OR BSD-2-Clause"),
        bare: true,
    },
    NameRule {
        id: "name.same_as_python",
        keys: &["same terms", "same licen"],
        pattern: r"(?i)\bsame\s+(?:terms|licen[sc]e|licensing\s+terms|conditions)\s+as\s+(?:the\s+)?Python\b(?:\s+itself)?",
        resolve: Resolve::Fixed("Python-2.0"),
        bare: true,
    },
    NameRule {
        id: "name.same_as_openssl",
        keys: &["same terms", "same licen"],
        pattern: r"(?i)\bsame\s+(?:terms|licen[sc]e|licensing\s+terms|conditions)\s+as\s+(?:the\s+)?OpenSSL\b(?:\s+itself)?",
        resolve: Resolve::Fixed("OpenSSL"),
        bare: true,
    },
    NameRule {
        id: "name.same_as_tcl",
        keys: &["same terms", "same licen"],
        pattern: r"(?i)\bsame\s+(?:terms|licen[sc]e|licensing\s+terms|conditions)\s+as\s+(?:the\s+)?Tcl(?:/Tk)?\b(?:\s+itself)?",
        resolve: Resolve::Fixed("TCL"),
        bare: true,
    },
    NameRule {
        // The license of Python 1.6, as notices of code from that era name
        // it: "redistributed under CNRI's Python 1.6 license".
        id: "name.cnri_python",
        keys: &["cnri"],
        pattern: r"(?i)\bCNRI(?:['\x{2019}]s)?\s+Python(?:\s+1\.6)?\s+Licen[sc]e(?:\s+Agreement)?\b",
        resolve: Resolve::Fixed("CNRI-Python"),
        bare: false,
    },
    NameRule {
        // "the PSF license": the PSF's license agreement by its abbreviation
        // (the full name is `name.psf`).
        id: "name.psf_short",
        keys: &["psf"],
        pattern: r"(?i)\b(?:the\s+)?PSF\s+Licen[sc]e(?:\s+Agreement)?(?:\s*,?\s*(?:Version\s+|v\.?\s*)?2(?:\.0)?)?\b",
        resolve: Resolve::Fixed("PSF-2.0"),
        bare: false,
    },
    NameRule {
        // CPython's own sources: contributions are licensed to the PSF, and
        // the file is under the Python license.
        id: "name.psf_contributor",
        keys: &["contributor agreement"],
        pattern: r"(?i)\bLicen[sc]ed\s+to\s+(?:the\s+)?(?:PSF|Python\s+Software\s+Foundation)\s+under\s+a\s+Contributor\s+Agreement",
        resolve: Resolve::Fixed("Python-2.0"),
        bare: true,
    },
    NameRule {
        // "the GNU General Public version 2 License": version inside the name.
        id: "name.gnu_inverted",
        keys: &["public version", "public v"],
        pattern: r"(?i)\b(?:the\s+)?GNU\s+(?P<fam>General|Lesser\s+General|Library\s+General|Affero\s+General)\s+Public\s+(?:version\s+|v\.?\s*)(?P<ver>[123](?:\.[0-9])?)\s+Licen[sc]e",
        resolve: Resolve::Gnu,
        bare: false,
    },
    NameRule {
        // LPPL notices state the version after "either": "the LaTeX Project
        // Public License, either version 1.3c of this license or ...".
        id: "name.lppl",
        keys: &["latex project", "lppl"],
        pattern: r"(?i)\bLaTeX\s+Project\s+Public\s+Licen[sc]e(?:\s*\(\s*LPPL\s*\))?(?:\s*,?\s*(?:either\s+)?(?:version\s+|v\.?\s*)?(?P<ver>1\.[0-3][a-c]?))?|\bLPPL\s*-?\s*v?(?P<ver2>1\.[0-3][a-c]?)",
        resolve: Resolve::Versioned {
            base: "LPPL",
            default: "1.3c",
        },
        bare: false,
    },
    NameRule {
        // SPDX deprecated the bundled `wxWindows` id for this expression.
        id: "name.wxwindows",
        keys: &["wxwindows"],
        pattern: r"(?i)\bwxWindows\s+Library\s+Licen[sc]e(?:\s*,?\s*(?:version\s+|v\.?\s*)?3\.1)?",
        resolve: Resolve::Fixed("LGPL-2.0-or-later WITH WxWindows-exception-3.1"),
        bare: false,
    },
    NameRule {
        // Microsoft's first name for the Ms-PL.
        id: "name.ms_permissive",
        keys: &["microsoft permissive"],
        pattern: r"(?i)\bMicrosoft\s+Permissive\s+Licen[sc]e",
        resolve: Resolve::Fixed("MS-PL"),
        bare: false,
    },
    NameRule {
        // A software license agreement that must be accepted before use is a
        // proprietary license: "If you do not agree to these terms, do not
        // install the software". Free licenses do not ask for acceptance.
        id: "name.eula_acceptance",
        keys: &["do not agree", "don't agree", "not accept"],
        pattern: r"(?i)\bif\s+you\s+(?:do\s+not|don't|cannot|can\s+not)\s+(?:agree|accept|consent)\s+(?:to|with)\s+(?:all\s+(?:of\s+)?)?(?:the|these|this|such)\s+(?:terms|conditions|licen[sc]e|agreement)(?:[^.!\n]|\n){0,120}?\bdo\s+not\s+(?:download|install|use|copy|load|open|access|click)",
        resolve: Resolve::Fixed("LicenseRef-EULA"),
        bare: true,
    },
    NameRule {
        // Confidential material is proprietary by its own statement.
        id: "name.company_confidential",
        keys: &["confidential"],
        pattern: r"(?i)\b(?:company|strictly|highly|business)\s+confidential\b|\bconfidential\s+(?:and|&)\s+proprietary\s+(?:information|material)\b",
        resolve: Resolve::Fixed("LicenseRef-Proprietary"),
        bare: true,
    },
    NameRule {
        // A grant of the usual permissions in a license no table names (old
        // university and vendor notices). Reported only when nothing in the
        // same text names a license (see `drop_unnamed_evidence`).
        id: PERMISSIVE_GRANT_RULE,
        keys: &["permission", "granted"],
        pattern: r"(?i)\bpermission\s+is\s+(?:hereby\s+)?(?:freely\s+)?granted\s+(?:to\s+(?:anyone|everyone|any\s+person)\s+)?to\s+(?:use|copy|modify|distribute|redistribute|reproduce)\b|\b(?:permission|licen[sc]e)\s+to\s+(?:use|copy|modify|distribute|reproduce)(?:\s*,\s*(?:and\s+)?|\s+and(?:/or)?\s+)(?:use|copy|modify|distribute|redistribute|reproduce|sell|publish)\b(?:[^.;]|\.[a-z0-9]){0,200}?\b(?:is|are)\s+(?:hereby\s+)?(?:freely\s+)?granted\b|\b(?:you\s+are|is|are)\s+hereby\s+granted\s+(?:a|an)\s+(?:[a-z-]+\s+){0,3}?licen[sc]e\s+to\s+(?:use|copy|reproduce)(?:(?:\s*,\s*|\s+)(?:and\s+|and/or\s+)?(?:use|copy|reproduce)){0,2}(?:\s*,\s*|\s+)(?:and\s+|and/or\s+)?(?:modify|distribute|redistribute)\b|\bgranted\s+permission\s+to\s+(?:use|copy|modify|distribute|reproduce)(?:\s*,\s*(?:and\s+)?|\s+and(?:/or)?\s+)(?:use|copy|modify|distribute|redistribute|reproduce|sell|publish)\b",
        resolve: Resolve::Fixed("LicenseRef-Permissive-Grant"),
        bare: true,
    },
    NameRule {
        // A dedication of the work itself to the public domain ("this code
        // is hereby placed in the public domain"), not prose about it.
        id: PUBLIC_DOMAIN_RULE,
        keys: &["public domain"],
        pattern: r"(?i)\b(?:(?:this|these|the\s+following)\s+(?:[a-z]+\s+){0,2}|it\s+|they\s+)(?:is|are|has\s+been|have\s+been)\s+(?:hereby\s+|fully\s+|entirely\s+|now\s+)?(?:placed\s+|released\s+|dedicated\s+|put\s+)?(?:in|into|to)\s+the\s+public\s+domain\b|\b(?:I|we)\s+(?:hereby\s+)?(?:place|release|dedicate|put)\s+(?:[a-z]+\s+){1,4}?(?:in|into|to)\s+the\s+public\s+domain\b",
        resolve: Resolve::Fixed("LicenseRef-Public-Domain"),
        bare: true,
    },
    NameRule {
        // zlib, libpng and IJG files: "For conditions of distribution and
        // use, see copyright notice in zlib.h" points to the license text.
        id: "name.see_notice_in",
        keys: &["conditions of", "terms of"],
        pattern: r"(?i)\bfor\s+(?:the\s+)?(?:conditions|terms)\s+of\s+(?:distribution|use|copying|redistribution)(?:\s*,?\s*(?:and|&)\s+(?:use|distribution|modification|copying))?\s*,?\s*see\s+(?:the\s+)?(?:(?:accompanying|enclosed|included)\s+)?(?:copyright\s+notice|licen[sc]e|copying|copyright|readme)\b",
        resolve: Resolve::Fixed("LicenseRef-See-License-File"),
        bare: true,
    },
    NameRule {
        // A reference that names the file holding the license: "Licensing
        // details are in the COPYING file", "see notes.c for more details on
        // licensing". The file must look like one (upper case, an extension
        // or a path): "licensing details are in the contract" is no reference.
        id: "name.see_licensing_in",
        keys: &["licensing", "license", "licence"],
        pattern: r"(?i:\b(?:licensing|licen[sc]e|copyright)\s+(?:details|information|terms|conditions)\s+(?:are|is|can\s+be\s+found)\s+(?:in|at)\s+(?:the\s+)?(?:file\s+)?)(?:[A-Z][A-Z0-9_]{3,}(?:\.[A-Za-z0-9]{1,5})?|[A-Za-z0-9_-]+\.[A-Za-z0-9]{1,5}|[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+)\b|(?i:\bsee\s+(?:the\s+)?(?:file\s+)?)(?:[A-Z][A-Z0-9_]{3,}(?:\.[A-Za-z0-9]{1,5})?|[A-Za-z0-9_-]+\.[A-Za-z0-9]{1,5}|[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+)(?i:\s+for\s+(?:more\s+)?(?:details|information)\s+(?:on|about|regarding)\s+(?:the\s+)?(?:licensing|licen[sc]e|copyright))|(?i:\blicensing\s+of\s+(?:this\s+file|this\s+code|what\s+follows)\s+is\s+governed\s+by\s+)(?:[A-Z][A-Z0-9_]{3,}|[A-Za-z0-9_-]+\.[A-Za-z0-9]{1,5}|[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+)|(?i:\bfor\s+(?:the\s+)?licen[sc]e\s+(?:conditions|terms|details|information)\s*,?\s*see\s+(?:the\s+)?licen[sc]e\s+file\b)",
        resolve: Resolve::Fixed("LicenseRef-See-License-File"),
        bare: true,
    },
    NameRule {
        // SQLite and the code derived from it: the blessing in place of a
        // legal notice.
        id: "name.blessing",
        keys: &["blessing"],
        pattern: r"(?i)\bin\s+place\s+of\s+a\s+legal\s+notice\s*,\s*here\s+is\s+a\s+blessing",
        resolve: Resolve::Fixed("blessing"),
        bare: true,
    },
    NameRule {
        id: "name.efl",
        keys: &["eiffel"],
        pattern: r"(?i)\bEiffel\s+Forum\s+Licen[sc]e(?:\s*,?\s*(?:v\.?\s*|version\s+)?(?P<ver>[12]\.0))?",
        resolve: Resolve::Versioned {
            base: "EFL",
            default: "2.0",
        },
        bare: false,
    },
    NameRule {
        // "SIL OFL 1.1": with its version the short name is as specific as
        // the SPDX id.
        id: "name.ofl_short",
        keys: &["ofl"],
        pattern: r"\bSIL\s+OFL\s*-?\s*v?1\.1\b",
        resolve: Resolve::Fixed("OFL-1.1"),
        bare: true,
    },
    NameRule {
        // Acceptance by use or by click is how proprietary agreements bind
        // their users: "By loading or using the firmware, you agree to the
        // terms of this Agreement". Free licenses grant without acceptance
        // (GPL-3.0 only notes that propagating "indicates" acceptance).
        id: "name.eula_by_use",
        keys: &["you agree", "you accept", "you consent"],
        pattern: r"(?i)\bby\s+(?:clicking|downloading|installing|loading|using|accessing|copying|opening)\b(?:[^.\n]|\n){0,100}?\byou\s+(?:agree|accept|consent)\s+to\s+(?:be\s+bound\s+by\s+)?(?:all\s+(?:of\s+)?)?(?:the\s+|these\s+|this\s+)?(?:software\s+)?(?:licen[sc]e\s+)?(?:terms|conditions|agreement|licen[sc]e)\b",
        resolve: Resolve::Fixed("LicenseRef-EULA"),
        bare: true,
    },
    NameRule {
        // The title line of a vendor's agreement: "END-USER FIRMWARE LICENSE
        // AGREEMENT", "Binary Code License Agreement". Community, contributor,
        // font and data license agreements are not listed: they are open.
        id: "name.eula_title",
        keys: &["license agreement", "licence agreement"],
        pattern: r"(?m)^[ \t]*(?:[A-Z][A-Za-z0-9().-]*[ \t]+){0,3}(?i:software|firmware|binary[ \t]+code|evaluation|commercial|end[ \t-]*user(?:[ \t]+(?:software|firmware))?)[ \t]+(?i:licen[sc]e)[ \t]+(?i:agreement)[ \t]*\r?$",
        resolve: Resolve::Fixed("LicenseRef-EULA"),
        bare: true,
    },
    NameRule {
        // SPDX spells it "University of Illinois/NCSA Open Source License";
        // LLVM's headers leave out "/NCSA".
        id: "name.ncsa",
        keys: &["university of illinois"],
        pattern: r"(?i)\bUniversity\s+of\s+Illinois\s*(?:/\s*NCSA\s+)?Open\s+Source\s+Licen[sc]e",
        resolve: Resolve::Fixed("NCSA"),
        bare: false,
    },
    NameRule {
        // Franz's preamble to the LGPL 2.1, an SPDX exception.
        id: "name.llgpl",
        keys: &["lisp lesser", "llgpl"],
        pattern: r"(?i)\bLisp\s+Lesser\s+(?:GNU\s+)?General\s+Public\s+Licen[sc]e|\bLLGPL\b",
        resolve: Resolve::Fixed("LGPL-2.1-only WITH LLGPL"),
        bare: false,
    },
    NameRule {
        // The IJG's own notice in libjpeg's files: "This file is part of the
        // Independent JPEG Group's software."
        id: "name.ijg_part_of",
        keys: &["independent jpeg"],
        pattern: r"(?i)\bpart\s+of\s+the\s+Independent\s+JPEG\s+Group['\u{2019}]?s\s+software",
        resolve: Resolve::Fixed("IJG"),
        bare: true,
    },
    NameRule {
        // zlib's and libpng's files point to the notice in the library's
        // main header, which holds its license: the reference names it.
        id: "name.see_notice_zlib",
        keys: &["zlib.h"],
        pattern: r"(?i)\bfor\s+conditions\s+of\s+distribution\s+and\s+use\s*,?\s*see\s+(?:the\s+)?copyright\s+notice\s+in\s+zlib\.h\b",
        resolve: Resolve::Fixed("Zlib"),
        bare: true,
    },
    NameRule {
        id: "name.see_notice_png",
        keys: &["png.h"],
        pattern: r"(?i)\bfor\s+conditions\s+of\s+distribution\s+and\s+use\s*,?\s*see\s+(?:the\s+)?copyright\s+notice\s+in\s+png\.h\b",
        resolve: Resolve::Fixed("Libpng"),
        bare: true,
    },
    NameRule {
        // iPXE declares each file's license with a macro.
        id: "name.file_licence_gpl2_or_later",
        keys: &["file_licen"],
        pattern: r"\bFILE_LICEN[CS]E\s*\(\s*GPL2_OR_LATER(?:_OR_UBDL)?\s*\)",
        resolve: Resolve::Fixed("GPL-2.0-or-later"),
        bare: true,
    },
    NameRule {
        id: "name.file_licence_gpl2_only",
        keys: &["file_licen"],
        pattern: r"\bFILE_LICEN[CS]E\s*\(\s*GPL2_ONLY\s*\)",
        resolve: Resolve::Fixed("GPL-2.0-only"),
        bare: true,
    },
    NameRule {
        id: "name.file_licence_gpl_any",
        keys: &["file_licen"],
        pattern: r"\bFILE_LICEN[CS]E\s*\(\s*GPL_ANY\s*\)",
        resolve: Resolve::Fixed("GPL-1.0-or-later"),
        bare: true,
    },
    NameRule {
        // SPDX writes "SGI Free Software License B v2.0"; notices put a
        // comma and "Version" between the letter and the number.
        id: "name.sgi_b",
        keys: &["sgi free"],
        pattern: r"(?i)\bSGI\s+Free\s+Software\s+Licen[sc]e\s+B\b(?:\s*,?\s*\(?\s*(?:v\.?\s*|version\s+)?(?P<ver>1\.[01]|2\.0))?",
        resolve: Resolve::Versioned {
            base: "SGI-B",
            default: "2.0",
        },
        bare: true,
    },
    NameRule {
        // Postfix's files name its license by the project's first name;
        // it is the IBM Public License 1.0.
        id: "name.secure_mailer",
        keys: &["secure mailer"],
        pattern: r"(?i)\bThe\s+Secure\s+Mailer\s+licen[sc]e\s+must\s+be\s+distributed\s+with\s+this\s+software",
        resolve: Resolve::Fixed("IPL-1.0"),
        bare: true,
    },
    NameRule {
        // NetHack's files carry one line in place of a notice; the license
        // it points to is the NetHack General Public License.
        id: "name.nethack_line",
        keys: &["nethack may"],
        pattern: r"(?i)\bNetHack\s+may\s+be\s+freely\s+redistributed\b",
        resolve: Resolve::Fixed("NGPL"),
        bare: true,
    },
    NameRule {
        // A file of a project whose license is known by the project's name:
        // "the licence agreement for this file is the same as the rest of
        // the LibTiff library".
        id: "name.same_as_libtiff",
        keys: &["libtiff"],
        pattern: r"(?i)\bsame\s+as\s+(?:(?:for\s+)?the\s+rest\s+of\s+)?(?:the\s+)?LibTiff\b",
        resolve: Resolve::Fixed("libtiff"),
        bare: true,
    },
    NameRule {
        // libgcj (GCC's Java runtime) was GPL 2 or later with the library
        // exception Classpath also uses.
        id: "name.libgcj",
        keys: &["libgcj"],
        pattern: r"(?i)\bLibgcj\s+Licen[sc]e",
        resolve: Resolve::Fixed("GPL-2.0-or-later WITH Classpath-exception-2.0"),
        bare: false,
    },
    NameRule {
        // "the CeCILL license" without a version takes the current one, as
        // unversioned MPL or EPL names do; CeCILL-B and -C are SPDX tokens.
        id: "name.cecill",
        keys: &["cecill"],
        pattern: r"(?i)\bCeCILL\s+(?:Free\s+Software\s+)?Licen[sc]e(?:\s+Agreement)?(?:\s*,?\s*(?:v\.?\s*|version\s+)?(?P<ver>[12]\.[01]))?",
        resolve: Resolve::Versioned {
            base: "CECILL",
            default: "2.1",
        },
        bare: false,
    },
    NameRule {
        // Freeware notices grant in their own words, with "freely": "You may
        // copy and distribute this file freely", "This software may be
        // freely redistributed", "Feel free to use and modify this code". The
        // work must be the object or subject: "you can freely change your
        // settings" grants nothing. Unnamed, like the permissive grant.
        id: "name.freely_grant",
        keys: &["freely", "feel free"],
        pattern: r"(?i)\b(?:this|the|these)\s+(?:[a-z]+\s+){0,2}?(?:file|files|software|code|program|library|package|sources?|work|module|fonts?|scripts?|documents?|documentation|macros?|tables?|data)\s+(?:is|are|may\s+be|can\s+be)\s+freely\s+(?:used|usable|copied|distributed|redistributed|redistributable|distributable|modified)\b|\byou\s+(?:may|can)\s+freely\s+(?:use|copy|distribute|redistribute|modify)(?:(?:\s*,\s*|\s+)(?:and\s+|or\s+|and/or\s+)?(?:use|copy|distribute|redistribute|modify|sell|share)){0,4}\s+(?:this|these|the|it|them)\b|\byou\s+(?:may|can|are\s+free\s+to)\s+(?:use|copy|distribute|redistribute|modify)(?:(?:\s*,\s*|\s+)(?:and\s+|or\s+|and/or\s+)?(?:use|copy|distribute|redistribute|modify|sell)){0,4}\s+(?:(?:this|the)\s+(?:file|software|code|program|library|package|source|work|module|font)|it|them)\s+freely\b|\bfeel\s+free\s+to\s+(?:use|copy|modify|distribute|redistribute)(?:(?:\s*,\s*|\s+)(?:and\s+|or\s+|and/or\s+)?(?:use|copy|distribute|redistribute|modify|sell|share)){1,4}\s+(?:this|these|it|them)\b",
        resolve: Resolve::Fixed("LicenseRef-Permissive-Grant"),
        bare: true,
    },
    NameRule {
        // The FSF's all-permissive notices of autoconf and automake files:
        // the copy-and-distribute grant (FSFULLR), the same with the GPL's
        // no-warranty paragraph after it (FSFULLRWD), and configure's
        // copy-distribute-modify grant (FSFUL).
        id: "name.fsf_unlimited",
        keys: &["unlimited permission"],
        pattern: r"(?i)\bgives\s+unlimited\s+permission\s+to\s+copy\s+and/or\s+distribute\s+it\s*,?\s*with\s+or\s+without\s+modifications\s*,?\s*as\s+long\s+as\s+this\s+notice\s+is\s+preserved",
        resolve: Resolve::Fixed("FSFULLR"),
        bare: true,
    },
    NameRule {
        id: "name.fsf_unlimited_warranty",
        keys: &["unlimited permission"],
        pattern: r"(?i)\bgives\s+unlimited\s+permission\s+to\s+copy\s+and/or\s+distribute\s+it\s*,?\s*with\s+or\s+without\s+modifications\s*,?\s*as\s+long\s+as\s+this\s+notice\s+is\s+preserved\.\s*This\s+(?:program|file)\s+is\s+distributed\s+in\s+the\s+hope\s+that\s+it\s+will\s+be\s+useful\s*,\s*but\s+WITHOUT\s+ANY\s+WARRANTY\s*,\s*to\s+the\s+extent\s+permitted\s+by\s+law",
        resolve: Resolve::Fixed("FSFULLRWD"),
        bare: true,
    },
    NameRule {
        id: "name.fsf_unlimited_configure",
        keys: &["unlimited permission"],
        pattern: r"(?i)\bgives\s+unlimited\s+permission\s+to\s+copy\s*,\s*distribute\s+and\s+modify\s+it\b",
        resolve: Resolve::Fixed("FSFUL"),
        bare: true,
    },
    NameRule {
        // The GNU Free Documentation License by its abbreviation, as manuals
        // and wikis write it: "GFDL 1.3 or later", "GNU FDL v1.2", "GFDL".
        // Read like the GPL's abbreviations (`name.gnu_short`); the
        // unversioned name means any version. No trigger of its own: it is
        // read on the lines of a "licen..." word, as manuals write one.
        id: "name.gfdl_short",
        keys: &["fdl"],
        pattern: r"(?i)\b(?:GNU\s+)?G?(?P<fam>FDL)(?:\s*-?\s*v?\s*(?P<ver>1\.[123]))?(?P<later>\+|-or-later|\s*,?\s+(?:or|and)(?:\s*,\s*at\s+your\s+option\s*,)?\s+(?:\(\s*at\s+your\s+option\s*\)\s*)?(?:any\s+)?(?:later|newer)(?:\s+versions?)?|\s*\(\s*(?:or|and)\s+(?:any\s+)?(?:later|newer)(?:\s+versions?)?\s*\))?(?P<only>-only|\s+only)?",
        resolve: Resolve::Gnu,
        bare: false,
    },
    NameRule {
        // The Unicode data license by the title of its 2015/2016 texts:
        // "Unicode License Agreement - Data Files and Software (2016)".
        id: "name.unicode_dfs",
        keys: &["unicode"],
        pattern: r"(?i)\bUnicode(?:\s*,\s*Inc\.?)?\s+Licen[sc]e\s+Agreement\s*[-\u{2013}\u{2014}:,]?\s*(?:for\s+)?Data\s+Files\s+and\s+Software(?:\s*\(\s*(?P<ver>2015|2016)\s*\))?",
        resolve: Resolve::Versioned {
            base: "Unicode-DFS",
            default: "2016",
        },
        bare: false,
    },
    NameRule {
        // "the Unicode license" / "Unicode License v3": the license Unicode
        // publishes its data under today, `Unicode-3.0` (an unversioned name
        // takes the current version, as Apache and MPL do); the older data
        // files agreement is `name.unicode_dfs`.
        id: "name.unicode",
        keys: &["unicode"],
        pattern: r"(?i)\bUnicode\s+Licen[sc]e(?:\s+Agreement|\s*,?\s*(?:v\.?\s*|version\s+)3(?:\.0)?)?",
        resolve: Resolve::Fixed("Unicode-3.0"),
        bare: false,
    },
    NameRule {
        // The BSD license by its spelled-out name: "the Modified Berkeley
        // Software Distribution License", "Berkeley Software Distribution
        // (BSD) License". Read as `name.bsd` reads "Modified BSD".
        id: "name.bsd_spelled",
        keys: &["berkeley software distribution"],
        pattern: r"(?i)\b(?:(?P<new>New|Modified|Revised)\s+|(?P<simp>Simplified)\s+)?Berkeley\s+Software\s+Distribution(?:\s*\(\s*BSD\s*\))?\s+Licen[sc]e",
        resolve: Resolve::Bsd,
        bare: false,
    },
    NameRule {
        // The BSD licenses' grant, in notices whose conditions follow no
        // SPDX text: "Redistribution, modification, and use in source and
        // binary forms is permitted provided that ...", "Redistribution and
        // use in source form, with or without modification, are permitted
        // provided that ...", "Free use of the software in source and binary
        // forms is permitted, provided that ...", "Redistribution and use,
        // with or without modification, are permitted provided that ...".
        // A license text the matcher or the clause rules
        // name takes its place (an unnamed grant gives way). Unnamed.
        id: "name.redistribution_permitted",
        keys: &["redistribution", "free use"],
        pattern: r"(?i)\b(?:redistribution(?:\s*,\s*modification\s*,?)?\s+and\s+use|free\s+use(?:\s+of\s+(?:this|the)\s+(?:software|code|program|library))?)(?:\s+in\s+(?:source|binary)(?:\s+(?:and|or)\s+binary)?\s+forms?)?\s*,?(?:\s+with\s+or\s+without\s+modifications?\s*,?)?\s+(?:is|are)\s+permitted\b",
        resolve: Resolve::Fixed("LicenseRef-Permissive-Grant"),
        bare: true,
    },
    NameRule {
        // Old notices that grant in the author's own words, naming the
        // grantee ("The author hereby grants anyone permission to use, copy
        // and distribute this code", "Authors grant any persons permission
        // to use or modify this software", "The author grants irrevocable
        // permission to anyone to use, modify, and distribute it"), or with
        // "freely" / "for any
        // use" inside the usual grant ("Permission is granted to freely use
        // ...", "Permission is granted for any use, provided this notice is
        // kept"). Two permissions and the work as their object, or a
        // condition, keep a permission to park a car out. Unnamed, like
        // the permissive grant.
        id: "name.grants_permission",
        keys: &["permission"],
        pattern: r"(?i)\b(?:grants?\s+(?:[a-z-]+\s+){0,5}?|gives?\s+(?:you|anyone|everyone|any\s+person)\s+(?:[a-z-]+\s+){0,3}?)permission\s+(?:to\s+(?:anyone|everyone|all|any\s+persons?)\s+)?(?:under\s+(?:its|their|our|his|her|the)\s+copyrights?\s+)?to\s+(?:freely\s+)?(?:use|copy|modify|distribute|redistribute|reproduce|sell|publish|merge)(?:(?:\s*,\s*|\s+)(?:and\s+|or\s+|and/or\s+)?(?:use|copy|modify|distribute|redistribute|reproduce|sell|publish|merge|relicen[sc]e)){1,4}\s+(?:this|these|the|it|them|its)\b|\bpermission\s+is\s+(?:hereby\s+)?granted\s+(?:to\s+(?:anyone|everyone|any\s+person)\s+)?to\s+freely\s+(?:use|copy|modify|distribute|redistribute|reproduce|sell|publish|merge)\b|\bpermission\s+is\s+(?:hereby\s+)?granted\s+for\s+any\s+(?:and\s+all\s+)?(?:use|purpose)s?\b[^.;]{0,80}?\b(?:provid(?:ed|ing)|as\s+long\s+as|so\s+long\s+as)\b",
        resolve: Resolve::Fixed("LicenseRef-Permissive-Grant"),
        bare: true,
    },
    NameRule {
        // Freeware grants with the work as subject: "It may be used and
        // distributed freely", "This code may be used for any purpose as
        // long as this notice is kept", "You may redistribute and/or modify
        // it as you see fit". A use alone ("the hall may be used freely")
        // grants nothing: a copy or distribution must be granted, or use
        // for any purpose on the condition of keeping a notice. Unnamed.
        id: "name.grant_own_words",
        keys: &[
            "freely",
            "any purpose",
            "see fit",
            "without restriction",
            "as you wish",
            "as you like",
            "as you please",
        ],
        pattern: r"(?i)\b(?:it|this\s+(?:[a-z]+\s+){0,2}?(?:file|files|software|code|program|library|package|source|sources|work|module|font|document|script)|these\s+(?:[a-z]+\s+){0,2}?(?:file|files|software|code|program|library|package|source|sources|work|module|font|document|script))\s+(?:may|can)\s+be\s+(?:(?:used|copied|distributed|redistributed|modified|reproduced)(?:(?:\s*,\s*|\s+)(?:and\s+|or\s+|and/or\s+)?(?:used|copied|distributed|redistributed|modified|reproduced)){1,3}|copied|distributed|redistributed|modified)\s+freely\b|\b(?:it|this\s+(?:[a-z]+\s+){0,2}?(?:file|files|software|code|program|library|package|source|sources|work|module|font|document|script)|these\s+(?:[a-z]+\s+){0,2}?(?:file|files|software|code|program|library|package|source|sources|work|module|font|document|script))\s+(?:may|can)\s+be\s+(?:freely\s+)?(?:used|copied|distributed|redistributed|modified|reproduced)(?:(?:\s*,\s*|\s+)(?:and\s+|or\s+|and/or\s+)?(?:used|copied|distributed|redistributed|modified|reproduced)){0,3}\s+(?:freely\s+)?(?:by\s+anyone\s+)?for\s+any\s+purposes?\b[^.;]{0,60}?\b(?:as\s+long\s+as|so\s+long\s+as|provided(?:\s+that)?|providing)\s+(?:this|the|these|all|its|our)\s+(?:[a-z]+\s+){0,2}?(?:notice|notices|copyright|message|header|comment|statement|credits?)\b|\byou\s+(?:may|can|are\s+free\s+to)\s+(?:(?:use|copy|modify)(?:\s*,\s*|\s+)(?:and\s+|or\s+|and/or\s+)?){0,3}(?:re)?distribute(?:(?:\s*,\s*|\s+)(?:and\s+|or\s+|and/or\s+)?(?:use|copy|modify|sell)){0,3}\s+(?:them|it|this\s+(?:[a-z]+\s+){0,2}?(?:file|files|software|code|program|library|package|source|sources|work|module|font|document|script)|these\s+(?:[a-z]+\s+){0,2}?(?:file|files|software|code|program|library|package|source|sources|work|module|font|document|script))\s+(?:as\s+you\s+(?:see\s+fit|wish|like|please)|without\s+restriction|for\s+any\s+purpose)\b",
        resolve: Resolve::Fixed("LicenseRef-Permissive-Grant"),
        bare: true,
    },
    NameRule {
        // Vendor and project notices that grant the three freedoms to the
        // reader: "you may download, copy, install, use, modify and
        // distribute modified or unmodified copies of this software", "you
        // are free to use, modify, and distribute the source code". Both
        // modifying and distributing, with the work as the object, tell a
        // free grant from an end-user license ("you may install and use one
        // copy"). Unnamed, like the permissive grant.
        id: "name.you_may_modify",
        keys: &["modify"],
        pattern: r"(?i)\byou\s+(?:may|can|are\s+(?:free|allowed|permitted)\s+to)\s+(?:(?:download|copy|install|use|run|reproduce|display)(?:\s*,\s*|\s+)(?:and\s+|or\s+)?){0,6}modify(?:\s*,\s*|\s+)and\s+(?:re)?distribute\s+(?:(?:modified\s+(?:or|and)\s+unmodified\s+)?copies\s+of\s+)?(?:this|these|the|it|them|its)\b",
        resolve: Resolve::Fixed("LicenseRef-Permissive-Grant"),
        bare: true,
    },
];

/// Examples for [`MORE_NAME_RULES`], by rule id (and for the formal-name
/// reading of `name.spdx_named`, see `names::formal_name`).
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const MORE_NAME_EXAMPLES: &[(&str, Examples)] = &[
    (
        "name.unicode_dfs",
        Examples {
            yes: &[(
                "The tables are distributed under the Unicode License Agreement - Data Files and Software (2015).\n",
                "Unicode-DFS-2015",
            )],
            no: &["A Unicode License Agreement - Data Files and Software review is due.\n"],
        },
    ),
    (
        "name.unicode",
        Examples {
            yes: &[
                (
                    "Use of the character data is governed by the <a href=\"LICENSE-UNICODE\">Unicode license</a>.\n",
                    "Unicode-3.0",
                ),
                (
                    "These files are licensed under the Unicode License v3.\n",
                    "Unicode-3.0",
                ),
            ],
            no: &["The Unicode license question came up at the meeting.\n"],
        },
    ),
    (
        "name.bsd_spelled",
        Examples {
            yes: &[(
                "This library is released under the Modified Berkeley Software Distribution License.\n",
                "BSD-3-Clause",
            )],
            no: &["The Berkeley Software Distribution License debate filled the room.\n"],
        },
    ),
    (
        "name.grants_permission",
        Examples {
            yes: &[
                (
                    "Copyright 1999 A. Author.\nThe author hereby grants anyone permission to use, copy, and distribute\nthis source code for any purpose, without fee.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "(c) 1997 A. Author. The authors grant any persons or groups permission to use or modify this software as long as this message is kept.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "Permission is granted to freely use, copy and redistribute this file, provided this notice is kept.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "(c) 2001 A. Author. Permission is granted for any and all use providing that this notice is retained.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "# Copyright 1994 A. Author.\n# I hereby give you perpetual unlimited permission to copy,\n# modify and relicense this file, provided that you keep this notice.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "* Example Corp. grants permission under its copyrights to use, copy, modify, and distribute this\n* Software with or without fee, provided that this notice is kept.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "/* Copyright 2001 A. Author. The author makes no guarantees. The author grants irrevocable permission\n * to anyone to use, modify, and distribute it in any way. */\n",
                    "LicenseRef-Permissive-Grant",
                ),
            ],
            no: &[
                "The city grants residents permission to park on the street overnight.\n",
                "Her parents give her permission to use the car and the bike.\n",
                "Permission is granted for any use of the meeting room on weekdays.\n",
                "The board grants members permission to use the library.\n",
            ],
        },
    ),
    (
        "name.grant_own_words",
        Examples {
            yes: &[
                (
                    "/* (c) 1995 A. Author\n * It may be used and distributed freely for any purposes.\n * There is no warranty. */\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "/* Copyright A. Author 1998\n * This code may be used for any purpose as long as this notice\n * remains intact. */\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "/* Written by A. Author. This is free software: you may redistribute and/or\n * modify it as you see fit. */\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "# Copyright 2003 A. Author. This script can be copied freely.\n",
                    "LicenseRef-Permissive-Grant",
                ),
            ],
            no: &[
                "The meeting hall may be used freely by residents.\n",
                "It may be used for any purpose, from soups to salads.\n",
                "You can modify it as you see fit: the config file is yours.\n",
                "This tool can be used freely in the evenings.\n",
            ],
        },
    ),
    (
        "name.you_may_modify",
        Examples {
            yes: &[
                (
                    " * Copyright 2001 Example Corp. All rights reserved.\n * Subject to these conditions, you may download, copy, install, use, modify and\n * distribute modified or unmodified copies of this software in source form.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "(C) 1999 Example Lab, all rights reserved. Since the kit is free software, you are free to use, modify, and distribute the kit's source code.\n",
                    "LicenseRef-Permissive-Grant",
                ),
            ],
            no: &[
                "You may not modify and distribute this software.\n",
                "You can modify and distribute your own settings files.\n",
            ],
        },
    ),
    (
        "name.fsf_unlimited",
        Examples {
            yes: &[(
                "dnl Copyright (C) 2004 Free Software Foundation, Inc.\ndnl This file is free software; the Free Software Foundation\ndnl gives unlimited permission to copy and/or distribute it,\ndnl with or without modifications, as long as this notice is preserved.\n",
                "FSFULLR",
            )],
            no: &["The admin gives unlimited permission to copy files to the share."],
        },
    ),
    (
        "name.fsf_unlimited_warranty",
        Examples {
            yes: &[(
                "# This file is free software; the Free Software Foundation\n# gives unlimited permission to copy and/or distribute it,\n# with or without modifications, as long as this notice is preserved.\n\n# This program is distributed in the hope that it will be useful,\n# but WITHOUT ANY WARRANTY, to the extent permitted by law; without\n# even the implied warranty of MERCHANTABILITY.\n",
                "FSFULLRWD",
            )],
            no: &["Nobody gives unlimited permission to copy and/or distribute it, sadly."],
        },
    ),
    (
        "name.gfdl_short",
        Examples {
            yes: &[
                (
                    "This manual is licensed under the GFDL 1.2 or later.\n",
                    "GFDL-1.2-or-later",
                ),
                (
                    "The wiki text is licensed under the GNU FDL v1.3.\n",
                    "GFDL-1.3-only",
                ),
            ],
            no: &["The FDL 1.2 form is filed with the license office.\n"],
        },
    ),
    (
        "name.fsf_unlimited_configure",
        Examples {
            yes: &[(
                "# This configure script is free software; the Free Software Foundation\n# gives unlimited permission to copy, distribute and modify it.\n",
                "FSFUL",
            )],
            no: &["He gives unlimited permission to copy the slides, not to modify them."],
        },
    ),
    (
        "name.freely_grant",
        Examples {
            yes: &[
                (
                    "(c) A. Author 1996\n\nYou may copy and distribute this file freely.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "Copyright 2001 A. Author. This library may be freely redistributed.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "Copyright 2010 A. Author. Feel free to use and modify this code.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "% Copyright 2007 A. Author.\n% You may freely use, modify and/or distribute this file.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "# Copyright (C) 2014 A. Author\n# This script may be freely copied, used and modified providing that\n# this notice is kept.\n",
                    "LicenseRef-Permissive-Grant",
                ),
            ],
            no: &[
                "In the settings dialog you can freely change the colours.",
                "You may freely use the parking lot and the gym.",
                "Feel free to ask questions on the list.",
            ],
        },
    ),
    (
        "name.cecill",
        Examples {
            yes: &[
                (
                    " * This program is licenced under the\n * CeCILL license\n",
                    "CECILL-2.1",
                ),
                (
                    "Distributed under the terms of the CeCILL license, version 2.0.\n",
                    "CECILL-2.0",
                ),
            ],
            no: &["The CeCILL license was written by French research bodies."],
        },
    ),
    (
        "name.secure_mailer",
        Examples {
            yes: &[(
                "/* LICENSE\n/* .ad\n/*\tThe Secure Mailer license must be distributed with this software.\n",
                "IPL-1.0",
            )],
            no: &["The Secure Mailer license was renamed later."],
        },
    ),
    (
        "name.nethack_line",
        Examples {
            yes: &[(
                "/* NetHack may be freely redistributed.  See license for details. */\n",
                "NGPL",
            )],
            no: &["Is it true that NetHack may be played freely online?"],
        },
    ),
    (
        "name.same_as_libtiff",
        Examples {
            yes: &[(
                "The license for this file is the same as the rest of the LibTiff library.\n",
                "libtiff",
            )],
            no: &["The output is the same as libtiff produces."],
        },
    ),
    (
        "name.libgcj",
        Examples {
            yes: &[(
                "This software is copyrighted work licensed under the terms of the\nLibgcj License.\n",
                "Classpath-exception-2.0",
            )],
            no: &["Where can I read the Libgcj License?"],
        },
    ),
    (
        "name.sgi_b",
        Examples {
            yes: &[(
                "** the contents of this file are subject to the SGI Free Software License B,\n** Version 1.1 (the \"License\").\n",
                "SGI-B-1.1",
            )],
            no: &["The SGI Free Software License A was never published."],
        },
    ),
    (
        "name.ncsa",
        Examples {
            yes: &[(
                "// This file is distributed under the University of Illinois Open Source\n// License. See LICENSE.TXT for details.\n",
                "NCSA",
            )],
            no: &["The University of Illinois Open Source License dates from 2003."],
        },
    ),
    (
        "name.llgpl",
        Examples {
            yes: &[(
                ";;; You may use this code as governed by the terms of the Lisp Lesser\n;;; General Public License, also known as the LLGPL.\n",
                "LLGPL",
            )],
            no: &["Our wiki compares the LLGPL with other licenses."],
        },
    ),
    (
        "name.ijg_part_of",
        Examples {
            yes: &[(
                " * Copyright (C) 1995, A. Author.\n * This file is part of the Independent JPEG Group's software.\n",
                "IJG",
            )],
            no: &["The Independent JPEG Group's software is widely used."],
        },
    ),
    (
        "name.see_notice_zlib",
        Examples {
            yes: &[(
                "/* Copyright (C) 2004 A. Author\n * For conditions of distribution and use, see copyright notice in zlib.h\n */",
                "Zlib",
            )],
            no: &["We include zlib.h for the inflate routines."],
        },
    ),
    (
        "name.see_notice_png",
        Examples {
            yes: &[(
                " * For conditions of distribution and use, see the copyright notice in png.h\n",
                "Libpng",
            )],
            no: &["Include png.h before any other header."],
        },
    ),
    (
        "name.file_licence_gpl2_or_later",
        Examples {
            yes: &[("FILE_LICENCE ( GPL2_OR_LATER );\n", "GPL-2.0-or-later")],
            no: &["#define FILE_LICENCE( _licence ) /* declared per file */\n"],
        },
    ),
    (
        "name.file_licence_gpl2_only",
        Examples {
            yes: &[("FILE_LICENCE ( GPL2_ONLY );\n", "GPL-2.0-only")],
            no: &["The GPL2_ONLY macro is defined in compiler.h.\n"],
        },
    ),
    (
        "name.file_licence_gpl_any",
        Examples {
            yes: &[("FILE_LICENCE ( GPL_ANY );\n", "GPL-1.0-or-later")],
            no: &["The GPL_ANY value is one of several.\n"],
        },
    ),
    (
        "name.eula_by_use",
        Examples {
            yes: &[(
                "By installing or using the Product, you agree to be bound by the terms of this Agreement.",
                "LicenseRef-EULA",
            )],
            no: &[
                "By using a cache, you agree to trade memory for speed.",
                "Therefore, by modifying or propagating a covered work, you indicate your acceptance of this License to do so.",
            ],
        },
    ),
    (
        "name.eula_title",
        Examples {
            yes: &[(
                "ACME FIRMWARE LICENSE AGREEMENT\n\nRead the following terms carefully.\n",
                "LicenseRef-EULA",
            )],
            no: &[
                "ACME COMMUNITY LICENSE AGREEMENT\n",
                "We need a software license agreement for the new release.\n",
            ],
        },
    ),
    (
        "name.see_licensing_in",
        Examples {
            yes: &[
                (
                    "/* (C) 2004 Example Ltd. -- Licensing details are in the COPYING file. */",
                    "LicenseRef-See-License-File",
                ),
                (
                    " * See upnp_core.c for more details on licensing and code history.\n",
                    "LicenseRef-See-License-File",
                ),
            ],
            no: &[
                "Licensing details are in the contract we signed.",
                "See the license for details.",
            ],
        },
    ),
    (
        "name.blessing",
        Examples {
            yes: &[(
                "** The author disclaims copyright to this source code. In place of\n** a legal notice, here is a blessing:\n",
                "blessing",
            )],
            no: &["In place of a speech, here is a song."],
        },
    ),
    (
        "name.efl",
        Examples {
            yes: &[(
                " * Released under the Eiffel Forum Licence, or the LGPL\n",
                "LGPL-2.0-or-later",
            )],
            no: &["The Eiffel Forum Licence was approved long ago."],
        },
    ),
    (
        "name.ofl_short",
        Examples {
            yes: &[(" * Fonts: SIL OFL 1.1, stylesheets: see below\n", "OFL-1.1")],
            no: &["The SIL OFL family of licenses is used for fonts."],
        },
    ),
    (
        PERMISSIVE_GRANT_RULE,
        Examples {
            yes: &[
                (
                    "Permission is hereby granted to copy this program for any purpose, provided this notice is kept.",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "Permission to use, copy, modify, and distribute this code is freely granted, provided that this notice is preserved.",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "Everyone is granted permission to copy, modify and redistribute this source code.",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "License to use, copy, modify, and distribute this software and its documentation for any purpose and without fee is hereby granted.",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "You are hereby granted a copyright license to use, modify, and distribute the SOFTWARE so long as this notice is retained.",
                    "LicenseRef-Permissive-Grant",
                ),
            ],
            no: &[
                "Permission to use the gym is granted to members only.",
                "He was granted permission to leave early.",
                "You are hereby granted a license to use the Software on one computer.",
            ],
        },
    ),
    (
        "name.redistribution_permitted",
        Examples {
            yes: &[
                (
                    " * Redistribution, modification, and use in source and binary forms is permitted\n * provided that the above copyright notice and following paragraph are\n * duplicated in all such forms.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    " * Redistribution and use in source form, with or without modification, are\n * permitted provided that redistributions of source code must retain the\n * above copyright notice.\n",
                    "LicenseRef-Permissive-Grant",
                ),
                (
                    "(c) Copyright, Example University, 1996\nFree use of the software in source and binary forms is permitted, provided that this\nentire licence is duplicated in all copies.\n",
                    "LicenseRef-Permissive-Grant",
                ),
            ],
            no: &[
                "Redistribution and use in source form is the subject of chapter 3.",
                "Free use of the car park is not permitted.",
            ],
        },
    ),
    (
        PUBLIC_DOMAIN_RULE,
        Examples {
            yes: &[
                (
                    "The author disclaims copyright: this source code is hereby placed in the public domain.",
                    "LicenseRef-Public-Domain",
                ),
                (
                    "We reserve no rights to the tool; it is fully in the public domain.",
                    "LicenseRef-Public-Domain",
                ),
            ],
            no: &["Many novels from that decade entered the public domain last year."],
        },
    ),
    (
        "name.see_notice_in",
        Examples {
            yes: &[(
                " * Copyright (C) 2001 A. Author\n * For conditions of distribution and use, see copyright notice in example.h\n",
                "LicenseRef-See-License-File",
            )],
            no: &["For conditions of use, see the terms printed on the ticket."],
        },
    ),
    (
        "name.spdx_named",
        Examples {
            yes: &[
                (
                    "<html><head><title>IBM Public License Version 1.0</title></head>",
                    "IPL-1.0",
                ),
                // A vendor's "License Agreement" named as its license.
                (
                    "This software is governed by the CeCILL-B Free Software License Agreement.",
                    "CECILL-B",
                ),
                (
                    "// Licensed under the Buena Onda License Agreement v1.1.\n",
                    "BOLA-1.1",
                ),
                // A full name without its parenthesised date.
                (
                    "This work is distributed under the W3C Software Notice and License.",
                    "W3C",
                ),
            ],
            no: &[
                "The Made Up Public License Version 1.0 does not exist.",
                "Signed under the Free Software Sales Agreement of the shop.",
            ],
        },
    ),
    (
        "name.same_as_perl",
        Examples {
            yes: &[(
                "# This module is free software; you may redistribute it and/or\n# modify it under the same terms as Perl itself.\n",
                "Artistic-1.0-Perl",
            )],
            no: &["Regular expressions work the same as Perl ones."],
        },
    ),
    (
        "name.same_as_ruby",
        Examples {
            yes: &[("# Distributed under the same terms as Ruby.\n", "Ruby")],
            no: &["The syntax is the same as Ruby blocks."],
        },
    ),
    (
        "name.same_as_python",
        Examples {
            yes: &[(
                "This package is released under the same license as Python itself.",
                "Python-2.0",
            )],
            no: &["Indentation rules are the same as Python's."],
        },
    ),
    (
        "name.same_as_openssl",
        Examples {
            yes: &[(
                " * This code is distributed under the same license as OpenSSL\n",
                "OpenSSL",
            )],
            no: &["It uses the same cipher names as OpenSSL does."],
        },
    ),
    (
        "name.same_as_tcl",
        Examples {
            yes: &[(
                "# Redistributable under the same terms as Tcl/Tk itself.\n",
                "TCL",
            )],
            no: &["The event loop is the same as Tcl uses."],
        },
    ),
    (
        "name.cnri_python",
        Examples {
            yes: &[(
                "# Copyright (c) 2000 by Example Labs.  All rights reserved.\n#\n# This version can be redistributed under CNRI's\n# Python 1.6 license.  For any other use, ask Example Labs.\n",
                "CNRI-Python",
            )],
            no: &["CNRI hosted the Python 1.6 release notes on its site."],
        },
    ),
    (
        "name.psf_short",
        Examples {
            yes: &[(
                "# This module is distributed under the PSF license, like the rest of the tool.\n",
                "PSF-2.0",
            )],
            no: &["The PSF board discussed the license of the new logo."],
        },
    ),
    (
        "name.psf_contributor",
        Examples {
            yes: &[(
                "#  Licensed to PSF under a Contributor Agreement.\n",
                "Python-2.0",
            )],
            no: &["The PSF signed a contributor agreement with the sponsor."],
        },
    ),
    (
        "name.gnu_inverted",
        Examples {
            yes: &[(
                "# You can redistribute it and/or modify it under the terms of\n# the GNU General Public version 2 License as published by the FSF.\n",
                "GPL-2.0-only",
            )],
            no: &["A GNU General Public version 2 License discussion took place."],
        },
    ),
    (
        "name.lppl",
        Examples {
            yes: &[(
                "% This work may be distributed and/or modified under the\n% conditions of the LaTeX Project Public License, either version 1.3c\n% of this license or (at your option) any later version.\n",
                "LPPL-1.3c",
            )],
            no: &["We compared the LaTeX Project Public License with others."],
        },
    ),
    (
        "name.wxwindows",
        Examples {
            yes: &[(
                "This library may be modified under the terms of the wxWindows Library Licence, Version 3.1.",
                "WxWindows-exception-3.1",
            )],
            no: &["The wxWindows Library Licence was discussed on the list."],
        },
    ),
    (
        "name.ms_permissive",
        Examples {
            yes: &[(
                "This code is released under the Microsoft Permissive License.",
                "MS-PL",
            )],
            no: &["Was the Microsoft Permissive License renamed?"],
        },
    ),
    (
        "name.eula_acceptance",
        Examples {
            yes: &[(
                "PLEASE READ CAREFULLY. IF YOU DO NOT AGREE TO THESE TERMS, DO NOT INSTALL OR USE THE PRODUCT.",
                "LicenseRef-EULA",
            )],
            no: &["If you do not agree with the terms of the debate, do say so."],
        },
    ),
    (
        "name.company_confidential",
        Examples {
            yes: &[(
                "/* This material is company confidential and may not be reproduced. */",
                "LicenseRef-Proprietary",
            )],
            no: &["The company kept the merger confidential until May."],
        },
    ),
];

/// Legacy opensource.org URL slugs that are not SPDX ids (lowercase, after
/// `.php` / `.html` is cut): OSI published its licenses under these paths for
/// years and notices still link to them.
pub(super) const URL_SLUGS: &[(&str, &str)] = &[
    ("apache2.0", "Apache-2.0"),
    ("apachepl", "Apache-1.1"),
    ("artistic-license-1.0", "Artistic-1.0"),
    ("artistic-license-2.0", "Artistic-2.0"),
    ("artistic-license", "Artistic-1.0"),
    ("attribution", "AAL"),
    ("bsd-3-clause", "BSD-3-Clause"),
    ("bsdpluspatent", "BSD-2-Clause-Patent"),
    ("ca-tosl1.1", "CATOSL-1.1"),
    ("cddl1", "CDDL-1.0"),
    ("cpl1.0", "CPL-1.0"),
    ("cpl", "CPL-1.0"),
    ("cuaoffice", "CUA-OPL-1.0"),
    ("eclipse-1.0", "EPL-1.0"),
    ("ecl1", "ECL-1.0"),
    ("ecl2", "ECL-2.0"),
    ("eiffel", "EFL-2.0"),
    ("entessa", "Entessa"),
    ("eudatagrid", "EUDatagrid"),
    ("fair", "Fair"),
    ("frameworx", "Frameworx-1.0"),
    ("historical", "HPND"),
    ("ibmpl", "IPL-1.0"),
    ("intel-open-source-license", "Intel"),
    ("lucent1.02", "LPL-1.02"),
    ("lucent1.0", "LPL-1.0"),
    ("mozilla1.0", "MPL-1.0"),
    ("mozilla1.1", "MPL-1.1"),
    ("motosoto", "Motosoto"),
    ("nasa1.3", "NASA-1.3"),
    ("naumen", "Naumen"),
    ("nethack", "NGPL"),
    ("nokia", "Nokia"),
    ("nosl3.0", "NPOSL-3.0"),
    ("oclc2", "OCLC-2.0"),
    ("opl-2.1", "OSET-PL-2.1"),
    ("php", "PHP-3.0"),
    ("pythonpl", "Python-2.0"),
    ("pythonsoftfoundation", "Python-2.0"),
    ("qtpl", "QPL-1.0"),
    ("real", "RPSL-1.0"),
    ("rpl1.5", "RPL-1.5"),
    ("rscpl", "RSCPL"),
    ("simpl-2.0", "SimPL-2.0"),
    ("sisslpl", "SISSL"),
    ("sleepycat", "Sleepycat"),
    ("sybase", "Watcom-1.0"),
    ("upl", "UPL-1.0"),
    ("vovidapl", "VSL-1.0"),
    ("w3c", "W3C"),
    ("xnet", "Xnet"),
    ("zlib-license", "Zlib"),
    ("zpl", "ZPL-2.0"),
];

/// More license URLs, beside [`URL_RULES`]: (id, pattern, SPDX id, examples).
/// Projects that keep their license on their own site are named by that
/// page: a header that says only "the terms are at <project>/copyright"
/// points to one license.
pub(super) const MORE_URL_RULES: &[(&str, &str, &str, Examples)] = &[
    (
        "url.curl",
        r"(?i)\bcurl\.(?:haxx\.)?se/docs/copyright",
        "curl",
        Examples {
            yes: &[(
                " * The terms are also available at https://curl.se/docs/copyright.html.\n",
                "curl",
            )],
            no: &["Download it from https://curl.se/docs/install.html first."],
        },
    ),
    (
        "url.isc",
        r"(?i)\bisc\.org/copyright",
        "ISC",
        Examples {
            yes: &[(
                "# See http://isc.org/copyright.html for the terms.\n",
                "ISC",
            )],
            no: &["Mail questions to https://isc.org/contact for help."],
        },
    ),
    (
        // Unversioned, so the current version (as unversioned names are).
        "url.openldap",
        r"(?i)\bopenldap\.org/licen[sc]e",
        "OLDAP-2.8",
        Examples {
            yes: &[(
                "## A copy of this license is available at <http://www.OpenLDAP.org/license.html>.\n",
                "OLDAP-2.8",
            )],
            no: &["Project news: http://www.openldap.org/news.html"],
        },
    ),
    (
        "url.eudatagrid",
        r"(?i)\beu-datagrid\.org/licen[sc]e",
        "EUDatagrid",
        Examples {
            yes: &[(
                " * For license conditions see http://www.eu-datagrid.org/license.html\n",
                "EUDatagrid",
            )],
            no: &["Partners are listed at http://www.eu-datagrid.org/partners.html"],
        },
    ),
    (
        "url.jquery",
        r"(?i)\bjquery\.org/licen[sc]e",
        "MIT",
        Examples {
            yes: &[("/*! Example plugin | jquery.org/license */", "MIT")],
            no: &["/*! Example plugin | jquery.org/about */"],
        },
    ),
    (
        // Kitware's toolkits (CMake, VTK, ITK) and their kin publish their
        // BSD-3-Clause license as Copyright.html / Copyright.txt.
        "url.kitware",
        r"(?i)\b(?:cmake\.org|vtk\.org|itk\.org|kitware\.com|gdcm\.sourceforge\.net)/(?:HTML/)?Copyright\.(?:html?|txt)",
        "BSD-3-Clause",
        Examples {
            yes: &[(
                "# See Copyright.txt or http://www.cmake.org/HTML/Copyright.html for details.\n",
                "BSD-3-Clause",
            )],
            no: &["Read http://www.cmake.org/HTML/Documentation.html first."],
        },
    ),
    (
        // The Python documentation's "History and License" page, which notices
        // of code taken from the standard library point to.
        "url.python_docs_license",
        r"(?i)\bdocs\.python\.org/(?:[0-9](?:\.[0-9]+)?/)?license\.html",
        "Python-2.0",
        Examples {
            yes: &[(
                "# This code comes from the standard library; see\n# https://docs.python.org/3/license.html\n",
                "Python-2.0",
            )],
            no: &["Tutorial: https://docs.python.org/3/tutorial/index.html"],
        },
    ),
    (
        "url.w3c_software",
        r"(?i)w3\.org/Consortium/Legal/(?:[0-9]{4}/)?copyright-software",
        "W3C",
        Examples {
            yes: &[(
                " * [1] http://www.w3.org/Consortium/Legal/2002/copyright-software-20021231\n",
                "W3C",
            )],
            no: &["See http://www.w3.org/Consortium/Legal/privacy-statement for privacy."],
        },
    ),
    (
        "url.fsfap",
        r"(?i)gnu\.org/prep/maintain/html_node/License-Notices-for-Other-Files",
        "FSFAP",
        Examples {
            yes: &[(
                "Notice: https://www.gnu.org/prep/maintain/html_node/License-Notices-for-Other-Files.html",
                "FSFAP",
            )],
            no: &["https://www.gnu.org/prep/maintain/html_node/Copyright-Notices.html"],
        },
    ),
];

/// Examples for label forms: the JSON object form and a markdown heading
/// closed with `#`s.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const LABEL_EXAMPLES: Examples = Examples {
    yes: &[
        (
            "Example Tool\n============\n\nLicense\n-------\n\n3-clause BSD. See the LICENSE file.\n",
            "BSD-3-Clause",
        ),
        (
            "{\n  \"name\": \"demo\",\n  \"license\": {\n    \"type\": \"MIT\",\n    \"url\": \"https://example.org/LICENSE\"\n  }\n}",
            "MIT",
        ),
        ("## License ##\nMIT, see the file for details.\n", "MIT"),
        (
            "__version__ = \"1.0\"\n__license__ = \"Apache License, Version 2.0\"\n",
            "Apache-2.0",
        ),
        ("__license__ = 'MIT'\n", "MIT"),
    ],
    no: &[
        "{\"license\": {\"type\": \"pending review\"}}",
        "License\n-------\n\nThis section is still being written.\n",
        "__license__ = get_license_from_metadata()\n",
    ],
};

/// Examples for title lines (`Names::title`).
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const TITLE_EXAMPLES: Examples = Examples {
    yes: &[(
        "Licence Art Libre\n[ Copyleft Attitude ]\nVersion 1.2\n\nAvec cette licence, l'autorisation est donnee de copier, de diffuser et de transformer librement l'oeuvre. Copyright notice: the license grants rights without warranty; in no event shall the author be liable; redistribution is allowed provided that this license is kept.\n",
        "LAL-1.2",
    )],
    no: &["The MIT License\n\nA short history of a popular license and why people like it.\n"],
};

/// Examples for the legacy URL slugs and for references to a copyright
/// file, which reuse existing rules.
#[cfg_attr(not(test), allow(dead_code))]
pub(super) const URL_SLUG_EXAMPLES: Examples = Examples {
    yes: &[
        ("http://www.opensource.org/licenses/cddl1", "CDDL-1.0"),
        ("https://opensource.org/licenses/upl", "UPL-1.0"),
        (
            "# See COPYRIGHT in the source root or the web site for terms.\n",
            "LicenseRef-See-License-File",
        ),
    ],
    no: &[
        "https://opensource.org/licenses/category",
        "The copyright section of this book is long.",
    ],
};
