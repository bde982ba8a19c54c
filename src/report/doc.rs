//! The report as a language-neutral document (sections, fact lists, tables, charts),
//! built once from a [`Disclosure`] and rendered by the Markdown and HTML back ends.
//! Static labels are bilingual [`T`]s; everything derived from the dataset or the
//! audit is [`Inline::D`] / [`Inline::Code`], which each back end escapes.

use std::collections::{BTreeMap, BTreeSet};

use super::disclosure::{CheckFigure, Disclosure, KeyCount, PersonalInformation, share};
use super::i18n::{self, T, t};
use crate::analyze::pii::accuracy::DataSet;
use crate::analyze::pii::{Confidence, PiiType};

mod manual_review;

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// A static label.
    L(T),
    /// Text from the audit or the dataset (escaped by the back end).
    D(String),
    /// Monospace text from the audit (hashes, paths, ids).
    Code(String),
    /// A number, right-aligned in tables.
    N(String),
    /// "not declared".
    Nd,
    /// A warning mark with its label.
    Flag(T),
    /// Concatenation.
    Seq(Vec<Inline>),
    /// Dynamic text with a Chinese rendering (e.g. the scanner's method statements).
    Bi { zh: String, en: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A numbered section (1-based).
    Section(usize, T),
    Sub(T),
    Para(Inline),
    Facts(Vec<(T, Inline)>),
    Table(Table),
    Chart(Chart),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub head: Vec<Inline>,
    pub rows: Vec<Vec<Inline>>,
    /// The last row is a total.
    pub total_last: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: T,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: Inline,
    pub value: f64,
    pub text: String,
}

pub struct Doc {
    pub title: T,
    /// Subtitle facts shown under the title (audit id, date).
    pub subtitle: Inline,
    pub blocks: Vec<Block>,
}

// ------------------------------------------------------------------ helpers

fn d(s: impl Into<String>) -> Inline {
    Inline::D(s.into())
}

fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}

fn n(v: u64) -> Inline {
    Inline::N(grouped(v))
}

/// A count with thousands separators (`1,234,567`): reviewers read figures of many
/// digits, and a missing digit in `1234567` is easy to overlook. Chinese official
/// documents group digits the same way (GB/T 15835), so both languages share it. The
/// policy messages' formatter, so report and gates print a figure alike.
pub(crate) use crate::audit::policy::thousands as grouped;

fn seq(parts: Vec<Inline>) -> Inline {
    Inline::Seq(parts)
}

fn opt(v: &Option<String>) -> Inline {
    match v {
        Some(s) => d(s.clone()),
        None => Inline::Nd,
    }
}

/// A canonical identifier, translated when known.
pub fn term(key: impl AsRef<str>) -> Inline {
    let key = key.as_ref();
    match i18n::term(key) {
        Some(t) => Inline::L(t),
        None => d(key),
    }
}

/// A language code (ISO 639-1, `und`) with its name in both languages.
fn language(code: &str) -> Inline {
    match i18n::language(code) {
        Some(t) => Inline::L(t),
        None => term(code),
    }
}

fn opt_term(v: &Option<String>) -> Inline {
    match v {
        Some(s) => term(s),
        None => Inline::Nd,
    }
}

/// A share as a percentage: `0%`, `<0.1%`, `2.4%`.
pub fn pct(v: f64) -> String {
    if v <= 0.0 {
        "0%".into()
    } else if v < 0.001 {
        "<0.1%".into()
    } else {
        format!("{:.1}%", v * 100.0)
    }
}

fn p(v: f64) -> Inline {
    Inline::N(pct(v))
}

/// Bytes with a binary-unit reading: `10567 (10.3 KiB)`.
pub fn bytes(v: u64) -> Inline {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if v < 1024 {
        return Inline::N(grouped(v));
    }
    let mut x = v as f64 / 1024.0;
    let mut unit = 0;
    while x >= 1024.0 && unit + 1 < UNITS.len() {
        x /= 1024.0;
        unit += 1;
    }
    Inline::N(format!("{} ({x:.1} {})", grouped(v), UNITS[unit]))
}

fn yes_no(b: bool) -> Inline {
    Inline::L(if b { i18n::YES } else { i18n::NO })
}

fn list<S: AsRef<str>>(items: &[S]) -> Inline {
    if items.is_empty() {
        Inline::L(i18n::NONE)
    } else {
        let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
        d(items.join(", "))
    }
}

fn terms<K: AsRef<str>>(items: &[K]) -> Inline {
    if items.is_empty() {
        return Inline::L(i18n::NONE);
    }
    let mut parts = Vec::new();
    for (i, k) in items.iter().enumerate() {
        if i > 0 {
            parts.push(d(", "));
        }
        parts.push(term(k));
    }
    seq(parts)
}

fn count_terms<K: AsRef<str>>(map: &BTreeMap<K, u64>) -> Inline {
    if map.is_empty() {
        return Inline::L(i18n::NONE);
    }
    let mut parts = Vec::new();
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            parts.push(d(", "));
        }
        parts.push(term(k));
        parts.push(d(format!(" {}", grouped(*v))));
    }
    seq(parts)
}

fn table(head: Vec<Inline>, rows: Vec<Vec<Inline>>) -> Block {
    Block::Table(Table {
        head,
        rows,
        total_last: false,
    })
}

fn table_with_total(head: Vec<Inline>, rows: Vec<Vec<Inline>>) -> Block {
    Block::Table(Table {
        head,
        rows,
        total_last: true,
    })
}

fn l(zh: &'static str, en: &'static str) -> Inline {
    Inline::L(t(zh, en))
}

fn chart(title: T, bars: Vec<Bar>) -> Option<Block> {
    (bars.iter().any(|b| b.value > 0.0)).then_some(Block::Chart(Chart { title, bars }))
}

fn bar(label: Inline, value: u64, text: String) -> Bar {
    Bar {
        label,
        value: value as f64,
        text,
    }
}

// ------------------------------------------------------------------ builder

pub fn build(d0: &Disclosure) -> Doc {
    let mut b: Vec<Block> = Vec::new();
    identification(d0, &mut b);
    overview(d0, &mut b);
    sources(d0, &mut b);
    diversity(d0, &mut b);
    quality(d0, &mut b);
    ip(d0, &mut b);
    pi(d0, &mut b);
    labelled(d0, &mut b);
    checks(d0, &mut b);
    method(d0, &mut b);
    filings(d0, &mut b);
    let id = &d0.identification;
    Doc {
        title: i18n::TITLE,
        subtitle: seq(vec![
            l("审计编号", "Audit"),
            d(" "),
            code(id.audit_id.clone().unwrap_or_else(|| "-".into())),
            d(" · "),
            l("扫描日期", "scanned"),
            d(" "),
            opt(&id.scan_date),
        ]),
        blocks: b,
    }
}

fn section(b: &mut Vec<Block>, n: usize) {
    b.push(Block::Section(n, i18n::SECTIONS[n - 1]));
}

fn identification(d0: &Disclosure, b: &mut Vec<Block>) {
    let id = &d0.identification;
    section(b, 1);
    b.push(Block::Para(l(
        "本报告的数字均由扫描台账测得；标为“声明”的内容来自数据提供方的 provenance.toml 或数据集卡片，工具未加核实；未提供的事实写作“未声明”。",
        "Figures in this report are measured from the scan ledger. Facts marked \"declared\" come from the data provider's provenance.toml or dataset card and are not verified by the tool; facts nobody provided read \"not declared\".",
    )));
    let tool = match (&id.tool_name, &id.tool_version) {
        (Some(name), Some(v)) => d(format!("{name} {v}")),
        (Some(name), None) => d(name.clone()),
        _ => Inline::Nd,
    };
    let period = seq(vec![
        opt(&id.scan_date),
        d(" ("),
        opt(&id.scan_started),
        d(" – "),
        opt(&id.scan_finished),
        d(")"),
    ]);
    let verified = if id.merkle_root_verified {
        l(
            "已核验：与 ledger.jsonl 重新计算的结果一致",
            "verified: matches the root recomputed from ledger.jsonl",
        )
    } else {
        seq(vec![
            Inline::Flag(t(
                "不一致：台账与摘要不符，重新计算的根为",
                "MISMATCH: the ledger does not match the summary; recomputed root",
            )),
            d(" "),
            code(id.merkle_root_recomputed.clone()),
        ])
    };
    let mut facts = vec![
        (
            t("审计编号", "Audit ID"),
            id.audit_id.clone().map_or(Inline::Nd, code),
        ),
        (t("扫描日期", "Scan date"), period),
        (t("工具", "Tool"), tool),
        (
            t("规则哈希", "Rules hash"),
            id.rules_hash.clone().map_or(Inline::Nd, code),
        ),
        (
            t("配置哈希", "Config hash"),
            id.config_hash.clone().map_or(Inline::Nd, code),
        ),
        (t("扫描根目录", "Roots"), list(&id.roots)),
    ];
    if let Some(shard) = &id.shard {
        facts.push((t("分片", "Shard"), d(shard.clone())));
    }
    if id.merged_shards > 0 {
        facts.push((t("合并自分片数", "Merged from shards"), n(id.merged_shards)));
    }
    let mut rows = vec![n(id.ledger_rows)];
    if id.ledger_rows_read != id.ledger_rows {
        rows.push(d(" ("));
        rows.push(l("ledger.jsonl 实际行数", "rows in ledger.jsonl"));
        rows.push(d(format!(" {})", grouped(id.ledger_rows_read))));
    }
    facts.push((t("台账行数", "Ledger rows"), seq(rows)));
    facts.push((
        t("台账 Merkle 根（SHA-256）", "Ledger Merkle root (SHA-256)"),
        id.merkle_root.clone().map_or(Inline::Nd, code),
    ));
    facts.push((t("完整性", "Integrity"), verified));
    b.push(Block::Facts(facts));
}

fn overview(d0: &Disclosure, b: &mut Vec<Block>) {
    section(b, 2);
    let head = vec![
        l("阶段", "Stage"),
        l("文件", "Files"),
        l("记录", "Records"),
        l("字节", "Bytes"),
        l("字符", "Characters"),
        l("词元（估算）", "Tokens (estimate)"),
        l("记录占比", "Share of records"),
        l("字节占比", "Share of bytes"),
        l("阶段依据（文件数）", "Stage basis (files)"),
    ];
    let row = |s: &super::disclosure::StageRow| {
        vec![
            term(&s.stage),
            n(s.files),
            n(s.records),
            bytes(s.bytes),
            n(s.characters),
            n(s.estimated_tokens),
            p(s.record_share),
            p(s.byte_share),
            if s.basis.is_empty() {
                d("-")
            } else {
                count_terms(&s.basis)
            },
        ]
    };
    let mut rows: Vec<Vec<Inline>> = d0.overview.stages.iter().map(row).collect();
    rows.push(row(&d0.overview.total));
    b.push(table_with_total(head, rows));
    b.push(Block::Para(l(
        "“未知”阶段为既无声明、也无法由记录类型推断阶段的文件（如图像、音频、未识别的二进制文件）。“推断”的阶段是扫描工具依据文件名与记录类型作出的判断，不是数据提供方的声明。",
        "Stage \"unknown\" holds files whose stage was neither declared nor inferable from their records (images, audio, unrecognised binaries). An \"inferred\" stage is the scanner's reading of the file's name and records, not something the data provider declared.",
    )));
    if let Some(c) = chart(
        t("各阶段记录数", "Records by stage"),
        d0.overview
            .stages
            .iter()
            .map(|s| {
                bar(
                    term(&s.stage),
                    s.records,
                    format!("{} ({})", grouped(s.records), pct(s.record_share)),
                )
            })
            .collect(),
    ) {
        b.push(c);
    }
}

fn sources(d0: &Disclosure, b: &mut Vec<Block>) {
    section(b, 3);
    b.push(Block::Para(l(
        "名称、地址、类别、境内外、采集期间、许可、证明材料与个人信息处理依据均为声明内容；文件、记录与字节数为测量值。",
        "Name, URL, category, origin, collection period, license, evidence and the basis for processing personal information are declared; files, records and bytes are measured.",
    )));
    let head = vec![
        l("来源", "Source"),
        l("声明依据", "Declared in"),
        l("地址（声明）", "URL (declared)"),
        l("类别（声明）", "Category (declared)"),
        l("境内／境外（声明）", "Origin (declared)"),
        l("采集期间（声明）", "Collected (declared)"),
        l("许可（声明）", "License (declared)"),
        l("证明材料（声明）", "Evidence (declared)"),
        l(
            "个人信息处理依据（声明）",
            "Basis for processing personal information (declared)",
        ),
        l("文件", "Files"),
        l("记录", "Records"),
        l("字节", "Bytes"),
    ];
    let rows = d0
        .sources
        .iter()
        .map(|s| {
            let name = if s.name.is_some() {
                seq(vec![
                    d(s.display_name()),
                    d(" ("),
                    code(s.id.clone()),
                    d(")"),
                ])
            } else {
                code(s.id.clone())
            };
            let basis = match &s.declared_in {
                Some(path) => seq(vec![term(&s.basis), d(": "), code(path.clone())]),
                None => term(&s.basis),
            };
            let license = match (&s.license, &s.license_from) {
                (Some(l0), Some(from)) => seq(vec![d(l0.clone()), d(" ("), term(from), d(")")]),
                (Some(l0), None) => d(l0.clone()),
                _ => Inline::Nd,
            };
            vec![
                name,
                basis,
                s.url.clone().map_or(Inline::Nd, code),
                opt_term(&s.category),
                opt_term(&s.origin),
                opt(&s.collected),
                license,
                if s.evidence.is_empty() {
                    Inline::Nd
                } else {
                    d(s.evidence.join(", "))
                },
                opt(&s.consent_basis),
                n(s.files),
                n(s.records),
                bytes(s.bytes),
            ]
        })
        .collect();
    b.push(table(head, rows));
    acquisition(d0, b);
    web_hosts(d0, b);
    if let Some(c) = chart(
        t("各来源字节数", "Bytes by source"),
        d0.sources
            .iter()
            .map(|s| bar(d(s.display_name()), s.bytes, grouped(s.bytes)))
            .collect(),
    ) {
        b.push(c);
    }
}

/// Hosts shown per source in the report; `summary.json` and `disclosure.json` keep up
/// to 1,000, `web_hosts.jsonl` all.
const HOSTS_SHOWN: usize = 10;

/// Where crawled records come from, measured from the web addresses records name: the
/// domestic / foreign split Art. 7 reviewers ask of web data and the EU template's top
/// 10% of domains, per source that has any such record.
fn web_hosts(d0: &Disclosure, b: &mut Vec<Block>) {
    let webs: Vec<(&str, &super::disclosure::WebSource)> = d0
        .sources
        .iter()
        .filter_map(|s| Some((s.id.as_str(), s.web.as_ref()?)))
        .collect();
    if webs.is_empty() {
        return;
    }
    b.push(Block::Sub(t(
        "网页来源（按记录中的网址测量，估计）",
        "Web hosts (measured from the addresses records name; an estimate)",
    )));
    b.push(Block::Para(l(
        "记录的 url、source_url、meta.url、WARC-Target-URI 等字段中的 http(s) 网址所指主机；规模为该记录其他文本字段的字节数。境内／境外按主机名（常见网站表，再按国家和地区顶级域名）归属，是估计，并非服务器所在地；通用域名（.com、.org 等未列入表者）与 IP 地址不作归属。前 10% 主机按规模排序，完整列表见 web_hosts.jsonl。",
        "The host of the http(s) address in each record's url, source_url, meta.url, WARC-Target-URI... field; size is the bytes of the record's other text fields. Domestic and foreign are read off the host name (a table of well-known sites, then the country-code TLD): an estimate, not where servers stand; generic names (.com, .org... not in the table) and IP addresses are unattributed. The top 10% of hosts by size; web_hosts.jsonl lists all.",
    )));
    let rows = webs
        .iter()
        .map(|(id, w)| {
            let top: Vec<String> = w
                .listed
                .iter()
                .take(HOSTS_SHOWN)
                .map(|h| format!("{} {}", h.host, pct(share(h.bytes, w.bytes))))
                .collect();
            let mut top_cell = vec![d(top.join(", "))];
            if w.listed.len() > HOSTS_SHOWN || w.top_hosts as usize > w.listed.len() {
                top_cell.push(d(" …"));
            }
            if w.lists_partial {
                top_cell.push(l("（列表不完整）", " (lists incomplete)"));
            }
            vec![
                source_cell(id),
                n(w.records),
                bytes(w.bytes),
                w.distinct_hosts.map_or(Inline::Nd, n),
                p(w.domestic_share),
                p(w.foreign_share),
                p(w.unattributed_share),
                seq(vec![n(w.top_hosts), d(" / "), p(w.top_share)]),
                seq(top_cell),
            ]
        })
        .collect();
    b.push(table(
        vec![
            l("来源", "Source"),
            l("含网址的记录", "Records with an address"),
            l("字节", "Bytes"),
            l("主机数", "Distinct hosts"),
            l("境内（估计）", "Domestic (est.)"),
            l("境外（估计）", "Foreign (est.)"),
            l("未归属", "Unattributed"),
            l("前 10% 主机数／规模占比", "Top 10% hosts / share of bytes"),
            l("最大的主机", "Largest hosts"),
        ],
        rows,
    ));
}

/// Declared facts on how each source was obtained and processed (manifest v2 keys),
/// one row per source that declares any: originator and IP owner for Art. 7's IP
/// question, crawler and robots/TDM handling for the EU summary, the generator of
/// synthetic data, processing steps and the removal of illegal content.
fn acquisition(d0: &Disclosure, b: &mut Vec<Block>) {
    let rows: Vec<Vec<Inline>> = d0
        .sources
        .iter()
        .filter(|s| {
            s.originator.is_some()
                || s.ip_owner.is_some()
                || s.crawler.is_some()
                || s.robots.is_some()
                || s.generator.is_some()
                || !s.processing.is_empty()
                || s.illegal_content_removal.is_some()
        })
        .map(|s| {
            vec![
                code(s.id.clone()),
                opt(&s.originator),
                opt(&s.ip_owner),
                opt(&s.crawler),
                opt(&s.robots),
                opt(&s.generator),
                if s.processing.is_empty() {
                    Inline::Nd
                } else {
                    d(s.processing.join(" → "))
                },
                opt(&s.illegal_content_removal),
            ]
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    b.push(Block::Sub(t(
        "采集与处理（声明）",
        "Acquisition and processing (declared)",
    )));
    b.push(table(
        vec![
            l("来源", "Source"),
            l("提供方", "Originator"),
            l("知识产权权利人", "IP owner"),
            l("爬虫", "Crawler"),
            l(
                "robots.txt 与 TDM 保留的处理",
                "robots.txt and TDM reservations",
            ),
            l("合成数据生成模型", "Generator (synthetic data)"),
            l("处理步骤", "Processing steps"),
            l("违法不良信息清除", "Illegal content removal"),
        ],
        rows,
    ));
}

fn key_count_rows(rows: &[KeyCount]) -> Vec<Vec<Inline>> {
    rows.iter()
        .map(|r| vec![term(&r.key), n(r.count), p(r.share)])
        .collect()
}

fn diversity(d0: &Disclosure, b: &mut Vec<Block>) {
    let v = &d0.diversity;
    section(b, 4);
    b.push(Block::Sub(t("模态与格式", "Modalities and formats")));
    let fb_head = |first: Inline| vec![first, l("文件", "Files"), l("字节", "Bytes")];
    b.push(table(
        fb_head(l("模态", "Modality")),
        v.modalities
            .iter()
            .map(|r| vec![term(&r.key), n(r.files), bytes(r.bytes)])
            .collect(),
    ));
    b.push(table(
        fb_head(l("格式", "Format")),
        v.formats
            .iter()
            .map(|r| vec![code(r.key.clone()), n(r.files), bytes(r.bytes)])
            .collect(),
    ));
    b.push(Block::Sub(t("记录类型", "Record kinds")));
    b.push(table(
        vec![l("类型", "Kind"), l("记录", "Records"), l("占比", "Share")],
        key_count_rows(&v.record_kinds),
    ));
    b.push(Block::Sub(t(
        "语言（按字符，估算）",
        "Languages (by characters, estimate)",
    )));
    let langs = &v.languages;
    b.push(Block::Facts(vec![
        (
            t("中文", "Chinese (zh)"),
            seq(vec![
                Inline::N(pct(langs.zh_share)),
                d(format!(" ({})", grouped(langs.zh_characters))),
            ]),
        ),
        (
            t("英文", "English (en)"),
            seq(vec![
                Inline::N(pct(langs.en_share)),
                d(format!(" ({})", grouped(langs.en_characters))),
            ]),
        ),
        (
            t("其他（含未定）", "Other (incl. undetermined)"),
            seq(vec![
                Inline::N(pct(langs.other_share)),
                d(format!(" ({})", grouped(langs.other_characters))),
            ]),
        ),
    ]));
    b.push(table(
        vec![
            l("语言", "Language"),
            l("记录", "Records"),
            l("字符", "Characters"),
            l("字符占比", "Share of characters"),
        ],
        langs
            .detail
            .iter()
            .map(|r| {
                vec![
                    language(&r.language),
                    n(r.records),
                    n(r.characters),
                    p(r.character_share),
                ]
            })
            .collect(),
    ));
    if let Some(c) = chart(
        t("各语言字符数", "Characters by language"),
        langs
            .detail
            .iter()
            .map(|r| {
                bar(
                    language(&r.language),
                    r.characters,
                    format!("{} ({})", grouped(r.characters), pct(r.character_share)),
                )
            })
            .collect(),
    ) {
        b.push(c);
    }
    b.push(Block::Sub(t(
        "长度分布（可见字符数）",
        "Length distribution (visible characters)",
    )));
    b.push(table(
        vec![
            l("区间", "Bucket"),
            l("记录", "Records"),
            l("占比", "Share"),
        ],
        v.length_histogram
            .iter()
            .map(|r| vec![code(r.key.clone()), n(r.count), p(r.share)])
            .collect(),
    ));
    b.push(Block::Sub(t("各来源", "Per source")));
    b.push(table(
        vec![
            l("来源", "Source"),
            l("模态", "Modalities"),
            l("格式", "Formats"),
            l("记录类型", "Record kinds"),
            l("中文", "zh"),
            l("英文", "en"),
            l("其他", "other"),
        ],
        v.per_source
            .iter()
            .map(|s| {
                vec![
                    code(s.source.clone()),
                    terms(&s.modalities),
                    list(&s.formats),
                    count_terms(&s.record_kinds),
                    p(s.zh_share),
                    p(s.en_share),
                    p(s.other_share),
                ]
            })
            .collect(),
    ));
}

fn quality(d0: &Disclosure, b: &mut Vec<Block>) {
    let q = &d0.quality;
    section(b, 5);
    let mut all: Vec<&super::disclosure::QualityRow> = q.per_source.iter().collect();
    all.push(&q.total);
    b.push(Block::Sub(t("重复", "Duplicates")));
    b.push(table_with_total(
        vec![
            l("来源", "Source"),
            l("记录", "Records"),
            l("文件内精确重复", "Exact, within file"),
            l("扫描内精确重复", "Exact, within scan"),
            l("文件内归一化重复", "Normalized, within file"),
            l("扫描内归一化重复", "Normalized, within scan"),
            l("扫描内重复占比", "Within-scan share"),
        ],
        all.iter()
            .map(|r| {
                vec![
                    source_cell(&r.source),
                    n(r.records),
                    n(r.duplicates_within_file),
                    n(r.duplicates_within_scan),
                    n(r.normalized_duplicates_within_file),
                    n(r.normalized_duplicates_within_scan),
                    p(r.duplicate_share),
                ]
            })
            .collect(),
    ));
    near_duplicates(q, &all, b);
    contamination(q, b);
    b.push(Block::Sub(t(
        "记录问题与解析错误",
        "Record problems and parse errors",
    )));
    b.push(table_with_total(
        vec![
            l("来源", "Source"),
            l("空记录", "Empty"),
            l("过短（<20 字符）", "Very short (<20 chars)"),
            l("含替换字符", "Replacement chars"),
            l("含控制字符", "Control chars"),
            l("无效 UTF-8", "Invalid UTF-8"),
            l("解析错误", "Parse errors"),
            l("出错文件", "Files with errors"),
            l("跳过的文件", "Skipped files"),
        ],
        all.iter()
            .map(|r| {
                vec![
                    source_cell(&r.source),
                    n(r.empty),
                    n(r.very_short),
                    n(r.replacement_chars),
                    n(r.control_chars),
                    n(r.invalid_utf8),
                    n(r.error_count),
                    n(r.files_with_errors),
                    n(r.skipped_files),
                ]
            })
            .collect(),
    ));
    b.push(Block::Sub(t(
        "出错文件及其首个错误",
        "Files with errors and their first error",
    )));
    if q.files_with_errors.is_empty() {
        b.push(Block::Para(Inline::L(i18n::NONE)));
    } else {
        b.push(table(
            vec![
                l("文件", "File"),
                l("来源", "Source"),
                l("状态", "Status"),
                l("错误数", "Errors"),
                l("首个错误", "First error"),
            ],
            q.files_with_errors
                .iter()
                .map(|f| {
                    let mut first = Vec::new();
                    if let Some(k) = &f.kind {
                        first.push(code(k.clone()));
                        first.push(d(": "));
                    }
                    first.push(opt(&f.message));
                    if let Some(loc) = &f.location {
                        first.push(d(format!(" @ {loc}")));
                    }
                    vec![
                        code(f.path.clone()),
                        code(f.source.clone()),
                        term(&f.status),
                        n(f.error_count),
                        seq(first),
                    ]
                })
                .collect(),
        ));
    }
    if !q.skipped_files.is_empty() {
        b.push(Block::Sub(t(
            "跳过的文件（已列出并计算哈希，未读取）",
            "Skipped files (listed and hashed, not read)",
        )));
        b.push(table(
            vec![
                l("文件", "File"),
                l("来源", "Source"),
                l("字节", "Bytes"),
                l("原因", "Reason"),
            ],
            q.skipped_files
                .iter()
                .map(|f| {
                    vec![
                        code(f.path.clone()),
                        code(f.source.clone()),
                        bytes(f.bytes),
                        opt(&f.reason),
                    ]
                })
                .collect(),
        ));
    }
    if q.files_not_listed > 0 {
        b.push(Block::Para(seq(vec![
            l(
                "另有未逐一列出的问题文件：",
                "Further problem files not listed: ",
            ),
            n(q.files_not_listed),
        ])));
    }
}

/// Near-duplicates per source beside the exact share, with the parameters (only in
/// audits made with `--near-duplicates`).
fn near_duplicates(
    q: &super::disclosure::QualitySection,
    all: &[&super::disclosure::QualityRow],
    b: &mut Vec<Block>,
) {
    let Some(params) = &q.near_duplicate_parameters else {
        return;
    };
    b.push(Block::Sub(t("近似重复", "Near-duplicates")));
    // Each figure followed by its unit, in either language.
    let describe = |units: [&str; 5]| {
        let figures = [
            params.permutations,
            params.bands,
            params.rows,
            params.shingle_words,
            params.cjk_chars,
        ];
        figures
            .iter()
            .zip(units)
            .map(|(v, unit)| format!("{v}{unit}"))
            .collect::<String>()
    };
    let how = describe([
        " permutations, ",
        " bands × ",
        " rows, ",
        "-word / ",
        "-character shingles, ",
    ]) + &format!("estimated Jaccard ≥ {}", params.threshold);
    let how_zh = describe([
        " 个置换，",
        " 个分段 × 每段 ",
        " 行，",
        " 词 / ",
        " 字切片，",
    ]) + &format!("估计 Jaccard 相似度 ≥ {}", params.threshold);
    b.push(Block::Para(seq(vec![
        l(
            "MinHash-LSH，按扫描顺序计：一条记录与更早的某条记录近似即计为近似重复。参数：",
            "MinHash-LSH, in scan order: a record counts when an earlier record is near-identical. Parameters: ",
        ),
        Inline::Bi {
            zh: how_zh,
            en: how,
        },
    ])));
    b.push(table_with_total(
        vec![
            l("来源", "Source"),
            l("记录", "Records"),
            l("文件内近似重复", "Near, within file"),
            l("扫描内近似重复", "Near, within scan"),
            l("簇", "Clusters"),
            l("扫描内近似重复占比", "Near, within-scan share"),
            l("扫描内精确重复占比", "Exact, within-scan share"),
        ],
        all.iter()
            .filter_map(|r| {
                let nd = r.near_duplicates.as_ref()?;
                Some(vec![
                    source_cell(&r.source),
                    n(r.records),
                    n(nd.within_file),
                    n(nd.within_scan),
                    n(nd.clusters),
                    p(nd.share),
                    p(r.duplicate_share),
                ])
            })
            .collect(),
    ));
}

/// Evaluation data overlap per benchmark and per source (only in audits made with
/// `--eval-sets`).
fn contamination(q: &super::disclosure::QualitySection, b: &mut Vec<Block>) {
    let Some(c) = &q.contamination else {
        return;
    };
    b.push(Block::Sub(t("评测数据重叠", "Evaluation data overlap")));
    b.push(Block::Para(seq(vec![
        l(
            "训练记录与评测条目共享一个 n-gram（规范化后的连续词或中日文字符）即计为重叠；只发现逐字或轻微改动的副本，改写与翻译不在其内。n-gram 长度：",
            "A training record overlaps an evaluation item when they share one n-gram of normalised words (CJK: characters); verbatim and lightly edited copies are found, paraphrases and translations are not. N-gram length: ",
        ),
        Inline::Bi {
            zh: format!("{} 词 / {} 字", c.ngram_words, c.cjk_chars),
            en: format!("{} words / {} CJK characters", c.ngram_words, c.cjk_chars),
        },
    ])));
    b.push(table(
        vec![
            l("评测集", "Benchmark"),
            l("条目", "Items"),
            l("过短条目（无法检测）", "Short items (not checkable)"),
            l("受污染条目", "Contaminated items"),
            l("受污染占比", "Contaminated share"),
            l("命中的训练记录", "Training records hitting"),
        ],
        c.benchmarks
            .iter()
            .map(|r| {
                vec![
                    code(&r.benchmark),
                    n(r.items),
                    n(r.short_items),
                    n(r.contaminated_items),
                    p(r.item_share),
                    n(r.training_records),
                ]
            })
            .collect(),
    ));
    b.push(table_with_total(
        vec![
            l("来源", "Source"),
            l("记录", "Records"),
            l("含评测条目的记录", "Records with evaluation items"),
            l("占比", "Share"),
        ],
        c.per_source
            .iter()
            .map(|r| {
                vec![
                    source_cell(&r.source),
                    n(r.records),
                    n(r.overlapping_records),
                    p(r.share),
                ]
            })
            .collect(),
    ));
}

fn source_cell(id: &str) -> Inline {
    if id == "total" {
        Inline::L(i18n::TOTAL)
    } else {
        code(id)
    }
}

fn ip(d0: &Disclosure, b: &mut Vec<Block>) {
    let ip = &d0.intellectual_property;
    section(b, 6);
    b.push(Block::Sub(t("许可类别", "License categories")));
    b.push(table(
        vec![
            l("类别", "Category"),
            l("文件", "Files"),
            l("记录", "Records"),
            l("字节", "Bytes"),
            l("记录占比", "Share of records"),
            l("字节占比", "Share of bytes"),
        ],
        ip.categories
            .iter()
            .map(|c| {
                vec![
                    term(&c.category),
                    n(c.files),
                    n(c.records),
                    bytes(c.bytes),
                    p(c.record_share),
                    p(c.byte_share),
                ]
            })
            .collect(),
    ));
    if let Some(c) = chart(
        t("各许可类别字节数", "Bytes by license category"),
        ip.categories
            .iter()
            .map(|c| {
                bar(
                    term(&c.category),
                    c.bytes,
                    format!("{} ({})", grouped(c.bytes), pct(c.byte_share)),
                )
            })
            .collect(),
    ) {
        b.push(c);
    }
    b.push(Block::Facts(vec![
        (t("版权声明", "Copyright notices"), n(ip.copyright_notices)),
        (
            t("“保留所有权利”声明", "All-rights-reserved notices"),
            n(ip.all_rights_reserved),
        ),
        (
            t(
                "其中与许可授权并存（署名声明，不视为专有）",
                "Of them beside a license grant (attribution, not proprietary)",
            ),
            n(ip.all_rights_reserved_with_grant),
        ),
        (
            t(
                "文本与数据挖掘保留（TDM opt-out）",
                "Text and data mining opt-outs",
            ),
            n(ip.tdm_opt_outs),
        ),
    ]));
    b.push(Block::Sub(t("各来源许可", "Licenses per source")));
    b.push(table(
        vec![
            l("来源", "Source"),
            l("声明的许可", "Declared license"),
            l("检出的许可（证据）", "Detected (evidence)"),
            l("类别", "Category"),
            l(
                "构成（记录占比，依据）",
                "Composition (share of records, basis)",
            ),
            l("带标记的记录", "Records with markers"),
            l("版权声明", "Copyright"),
            l("保留所有权利", "All rights reserved"),
            l("TDM 保留", "TDM opt-outs"),
        ],
        ip.per_source
            .iter()
            .map(|s| {
                let declared = match (&s.declared, &s.declared_from) {
                    (Some(x), Some(from)) => seq(vec![d(x.clone()), d(" ("), term(from), d(")")]),
                    (Some(x), None) => d(x.clone()),
                    _ => Inline::Nd,
                };
                let detected = if s.detected.is_empty() {
                    Inline::L(i18n::NONE)
                } else {
                    d(s.detected
                        .iter()
                        .map(|x| {
                            let ev: Vec<String> =
                                x.evidence.iter().map(|(k, v)| format!("{k}×{v}")).collect();
                            format!("{} ({})", x.license, ev.join(", "))
                        })
                        .collect::<Vec<_>>()
                        .join("; "))
                };
                let composition = d(s
                    .composition
                    .iter()
                    .map(|c| {
                        let basis = if c.basis.is_empty() { "-" } else { &c.basis };
                        format!("{} {} ({basis})", c.category.as_str(), pct(c.share))
                    })
                    .collect::<Vec<_>>()
                    .join("; "));
                vec![
                    code(s.source.clone()),
                    declared,
                    detected,
                    term(&s.category),
                    composition,
                    n(s.records_with_markers),
                    n(s.copyright_notices),
                    n(s.all_rights_reserved),
                    n(s.tdm_opt_outs),
                ]
            })
            .collect(),
    ));
    b.push(Block::Sub(t(
        "许可未知或存在冲突的来源",
        "Sources with unknown or conflicting licenses",
    )));
    let rows: Vec<Vec<Inline>> = ip
        .per_source
        .iter()
        .filter(|s| ip.flagged_sources.contains(&s.source))
        .flat_map(|s| {
            if s.conflicts.is_empty() {
                vec![vec![
                    code(s.source.clone()),
                    term(&s.category),
                    l("许可类别未知", "license category unknown"),
                    opt(&s.declared),
                    d("-"),
                    d("-"),
                ]]
            } else {
                s.conflicts
                    .iter()
                    .map(|c| {
                        vec![
                            code(s.source.clone()),
                            term(&s.category),
                            term(&c.kind),
                            opt(&c.declared),
                            c.detected.clone().map_or(d("-"), d),
                            conflict_detail(c),
                        ]
                    })
                    .collect()
            }
        })
        .collect();
    if rows.is_empty() {
        b.push(Block::Para(Inline::L(i18n::NONE)));
    } else {
        b.push(table(
            vec![
                l("来源", "Source"),
                l("类别", "Category"),
                l("冲突", "Conflict"),
                l("声明", "Declared"),
                l("检出", "Detected"),
                l("说明", "Detail"),
            ],
            rows,
        ));
    }
}

fn pi(d0: &Disclosure, b: &mut Vec<Block>) {
    let pi = &d0.personal_information;
    section(b, 7);
    b.push(Block::Para(seq(vec![
        l("含个人信息的记录：", "Records with personal information: "),
        n(pi.records_with_pii),
        d(" / "),
        n(pi.records),
        d(format!(" ({})", pct(pi.record_share))),
    ])));
    b.push(Block::Sub(t("按类型", "By type")));
    if pi.by_type.is_empty() {
        b.push(Block::Para(Inline::L(i18n::NONE)));
    } else {
        b.push(table(
            vec![
                l("类型", "Type"),
                l("出现次数", "Occurrences"),
                l("涉及记录", "Records"),
            ],
            pi.by_type
                .iter()
                .map(|r| vec![term(&r.pii_type), n(r.occurrences), n(r.records)])
                .collect(),
        ));
        if let Some(c) = chart(
            t("各类型个人信息出现次数", "PI occurrences by type"),
            pi.by_type
                .iter()
                .map(|r| bar(term(&r.pii_type), r.occurrences, grouped(r.occurrences)))
                .collect(),
        ) {
            b.push(c);
        }
    }
    b.push(Block::Sub(t("按来源", "By source")));
    b.push(table(
        vec![
            l("来源", "Source"),
            l("记录", "Records"),
            l("含个人信息的记录", "Records with PI"),
            l("占比", "Share"),
            l("按类型（记录数）", "By type (records)"),
            l(
                "个人信息处理依据（声明）",
                "Basis for processing personal information (declared)",
            ),
        ],
        pi.per_source
            .iter()
            .map(|s| {
                vec![
                    code(s.source.clone()),
                    n(s.records),
                    n(s.records_with_pii),
                    p(s.record_share),
                    count_terms(&s.records_by_type),
                    opt(&s.consent_basis),
                ]
            })
            .collect(),
    ));
    pi_confidence(pi, b);
    pi_coverage(pi, b);
    pi_accuracy(pi, b);
    sensitive(pi, b);
    b.push(Block::Sub(t("脱敏示例", "Masked examples")));
    b.push(Block::Para(l(
        "以下示例取自 findings.jsonl，已由扫描工具脱敏；报告不包含任何原始个人信息。",
        "Examples from findings.jsonl, masked by the scanner; this report contains no raw personal information.",
    )));
    if pi.masked_examples.is_empty() {
        b.push(Block::Para(if pi.findings_present {
            Inline::L(i18n::NONE)
        } else {
            l("未找到 findings.jsonl。", "findings.jsonl not found.")
        }));
    } else {
        b.push(table(
            vec![
                l("类型", "Type"),
                l("文件", "File"),
                l("脱敏值", "Masked value"),
            ],
            pi.masked_examples
                .iter()
                .map(|e| {
                    vec![
                        term(&e.pii_type),
                        code(e.file.clone()),
                        code(e.masked.clone()),
                    ]
                })
                .collect(),
        ));
    }
}

/// Occurrences by confidence per source, so counts confirmed by a checksum are told
/// from pattern-only ones.
fn pi_confidence(pi: &PersonalInformation, b: &mut Vec<Block>) {
    b.push(Block::Sub(t(
        "按置信度（出现次数）",
        "By confidence (occurrences)",
    )));
    b.push(Block::Para(l(
        "高：经校验位或号码规划确认；中：经附近语境词确认；低：仅凭格式。",
        "High: confirmed by a checksum or numbering plan; medium: by a context word nearby; low: by shape only.",
    )));
    let levels = [Confidence::High, Confidence::Medium, Confidence::Low];
    let row = |name: Inline, counts: &BTreeMap<Confidence, u64>| {
        let mut cells = vec![name];
        cells.extend(
            levels
                .iter()
                .map(|c| n(counts.get(c).copied().unwrap_or(0))),
        );
        cells.push(n(counts.values().sum()));
        cells
    };
    let mut rows: Vec<Vec<Inline>> = pi
        .per_source
        .iter()
        .map(|s| row(code(s.source.clone()), &s.occurrences_by_confidence))
        .collect();
    rows.push(row(Inline::L(i18n::TOTAL), &pi.by_confidence));
    let mut head = vec![l("来源", "Source")];
    head.extend(levels.iter().map(term));
    head.push(Inline::L(i18n::TOTAL));
    b.push(table_with_total(head, rows));
}

/// The audit's own statement of what is detected and how, and what is not.
fn pi_coverage(pi: &PersonalInformation, b: &mut Vec<Block>) {
    b.push(Block::Sub(t("方法与覆盖范围", "Method and coverage")));
    b.push(Block::Para(match &pi.coverage {
        Some(en) => match i18n::method_zh("pii", en) {
            Some(zh) => Inline::Bi {
                zh: zh.to_string(),
                en: en.clone(),
            },
            None => d(en.clone()),
        },
        None => l(
            "本审计未记录个人信息检测方法（由较早版本生成）。",
            "This audit did not record its personal-information method (made by an earlier version).",
        ),
    }));
}

/// The measured precision and recall of the rules, with the data set and date.
fn pi_accuracy(pi: &PersonalInformation, b: &mut Vec<Block>) {
    b.push(Block::Sub(t("实测准确率", "Measured accuracy")));
    if !pi.accuracy_applies {
        b.push(Block::Para(l(
            "本审计使用的检测方法与当前版本不同，当前版本的实测准确率不适用。",
            "This audit states a detection method other than this version's; this version's measured accuracy does not apply to it.",
        )));
        return;
    }
    b.push(Block::Para(l(
        "内置规则在下列数据集上的实测结果（按重叠计分，与 provaudit eval-pii 相同）。上文计数为检出数，不是经核实的数量；未列出的类型与数据集组合未测量；合成数据只衡量其所含的格式，不代表真实文本的多样性。",
        "Measured on the data sets below with the built-in rules (overlap scoring, as provaudit eval-pii). The counts above are detections, not verified numbers; a type and data set not listed was not measured; generated data measures the shapes it holds, not the variety of real text.",
    )));
    let not_measured = || l("未测量", "not measured");
    let figure = |v: Option<f64>| v.map_or_else(not_measured, |v| Inline::N(format!("{v:.4}")));
    let rows = pi
        .accuracy
        .iter()
        .map(|a| {
            vec![
                term(&a.pii_type),
                Inline::L(t(a.data_set.label_zh, a.data_set.label_en)),
                figure(a.precision),
                figure(a.recall),
                n(a.support),
            ]
        })
        .collect();
    b.push(table(
        vec![
            l("类型", "Type"),
            l("数据集", "Data set"),
            l("精确率", "Precision"),
            l("召回率", "Recall"),
            l("样本数", "Values"),
        ],
        rows,
    ));
    let mut sets: Vec<&DataSet> = pi.accuracy.iter().map(|a| &a.data_set).collect();
    sets.dedup();
    b.push(Block::Facts(
        sets.into_iter()
            .map(|set| {
                let kind = if set.real {
                    l("真实文本", "real text")
                } else {
                    l("合成数据", "generated data")
                };
                let about = seq(vec![
                    Inline::L(t(set.name_zh, set.name_en)),
                    d("; "),
                    kind,
                    d("; "),
                    l("测量日期 ", "measured "),
                    d(set.measured),
                ]);
                (t(set.label_zh, set.label_en), about)
            })
            .collect(),
    ));
    let on_real: BTreeSet<&PiiType> = pi
        .accuracy
        .iter()
        .filter(|a| a.data_set.real && a.precision.is_some())
        .map(|a| &a.pii_type)
        .collect();
    let unmeasured: Vec<&PiiType> = pi
        .by_type
        .iter()
        .map(|r| &r.pii_type)
        .filter(|t| !on_real.contains(t))
        .collect();
    if !unmeasured.is_empty() {
        b.push(Block::Para(seq(vec![
            l(
                "本审计检出、但精确率未在真实文本上测量的类型：",
                "Types found in this audit whose precision was not measured on real text: ",
            ),
            terms(&unmeasured),
            d("."),
        ])));
    }
}

/// Section 7's sensitive personal information (PIPL Art. 28): records per category,
/// overall and per source, with how they were counted.
fn sensitive(pi: &PersonalInformation, b: &mut Vec<Block>) {
    b.push(Block::Sub(t(
        "敏感个人信息（《个人信息保护法》第二十八条）",
        "Sensitive personal information (PIPL Art. 28)",
    )));
    b.push(Block::Para(l(
        "记录级估计：某类别词表中的词与指向个人的信息（第一人称、称谓、记录中检出的个人信息）位于同一句且相距不超过 150 字节时，该记录计入该类别；按词表检测，未逐条核实。",
        "Record level, an estimate: a record counts for a category when a term of its lexicon stands in the same sentence as, and within 150 bytes of, a reference to a person (first person, a named subject, personal information found in the record); found by lexicon, not verified record by record.",
    )));
    b.push(Block::Para(seq(vec![
        l(
            "含敏感个人信息的记录：",
            "Records with sensitive personal information: ",
        ),
        n(pi.records_with_sensitive),
        d(" / "),
        n(pi.records),
    ])));
    if pi.sensitive.is_empty() {
        return;
    }
    b.push(table(
        vec![l("类别", "Category"), l("涉及记录", "Records")],
        pi.sensitive
            .iter()
            .map(|r| vec![term(&r.category), n(r.records)])
            .collect(),
    ));
    b.push(table(
        vec![
            l("来源", "Source"),
            l("记录", "Records"),
            l("含敏感个人信息的记录", "Records with sensitive PI"),
            l("按类别（记录数）", "By category (records)"),
        ],
        pi.per_source
            .iter()
            .map(|s| {
                vec![
                    code(s.source.clone()),
                    n(s.records),
                    n(s.records_with_sensitive),
                    count_terms(&s.sensitive_by_category),
                ]
            })
            .collect(),
    ));
}

/// The rules document with its declared version and SHA-256, which together name
/// exactly the rules a filing refers to.
fn annotation_rules(r: &super::disclosure::LabelledRow) -> Inline {
    let mut parts = vec![opt(&r.annotation_rules)];
    if let Some(version) = &r.annotation_rules_version {
        parts.push(d(format!(" ({version})")));
    }
    if let Some(hash) = &r.annotation_rules_sha256 {
        parts.push(d(" SHA-256 "));
        parts.push(code(hash.clone()));
    }
    seq(parts)
}

fn labelled(d0: &Disclosure, b: &mut Vec<Block>) {
    let ld = &d0.labelled_data;
    section(b, 8);
    b.push(Block::Para(l(
        "偏好对、指令与对话、标签记录按记录类型计数：记录类型由扫描工具依记录的字段结构判定，故为估算值；标注规则、标注人员数量、培训与抽检比例来自 provenance.toml 的 [annotation]（声明）。",
        "Preference pairs, instructions/chats and labeled records are counted by record kind, which the scanner reads from each record's fields, so the counts are estimates; annotation rules, annotator count, training and spot-check rate come from provenance.toml's [annotation] (declared).",
    )));
    let head = vec![
        l("来源", "Source"),
        l("记录", "Records"),
        l("偏好对", "Preference pairs"),
        l("指令", "Instructions"),
        l("对话", "Chats"),
        l("标签记录", "Labeled"),
        l("标注数据合计（估算）", "Labelled total (estimate)"),
        l("标注规则（声明）", "Annotation rules (declared)"),
        l("标注人员（声明）", "Annotators (declared)"),
        l("已培训（声明）", "Trained (declared)"),
        l("抽检比例（声明）", "Spot-check rate (declared)"),
        l("抽检数量（声明）", "Labels checked (declared)"),
        l("抽检准确率（声明）", "Spot-check accuracy (declared)"),
    ];
    let mut rows: Vec<Vec<Inline>> = ld
        .per_source
        .iter()
        .map(|r| {
            vec![
                code(r.source.clone()),
                n(r.records),
                n(r.preference),
                n(r.instruction),
                n(r.chat),
                n(r.labeled),
                n(r.labelled_records),
                annotation_rules(r),
                r.annotators.map_or(Inline::Nd, n),
                r.annotators_trained.map_or(Inline::Nd, yes_no),
                r.spot_check_rate.map_or(Inline::Nd, p),
                r.spot_checked.map_or(Inline::Nd, n),
                r.spot_check_accuracy.map_or(Inline::Nd, p),
            ]
        })
        .collect();
    let tot = &ld.total;
    rows.push(vec![
        Inline::L(i18n::TOTAL),
        n(tot.records),
        n(tot.preference),
        n(tot.instruction),
        n(tot.chat),
        n(tot.labeled),
        n(tot.labelled_records),
        d("-"),
        d("-"),
        d("-"),
        d("-"),
        d("-"),
        d("-"),
    ]);
    b.push(table_with_total(head, rows));
}

fn figure(f: &CheckFigure) -> Inline {
    let text = format!(
        "{} ({}/{}) ≤ {}",
        pct(f.value),
        grouped(f.numerator),
        grouped(f.denominator),
        pct(f.threshold)
    );
    if f.flagged {
        seq(vec![
            Inline::Flag(t("超出", "exceeds")),
            d(" "),
            Inline::N(text.replace('≤', ">")),
        ])
    } else {
        Inline::N(text)
    }
}

fn checks(d0: &Disclosure, b: &mut Vec<Block>) {
    let c = &d0.checks;
    section(b, 9);
    b.push(Block::Para(seq(vec![
        l(
            "对每个来源测量三项占比，超过阈值即标记：个人信息记录占比 = 含个人信息的记录 / 记录；许可未知占比 = 许可类别为 unknown 的记录 / 记录（无记录的来源按字节）；解析错误占比 = 解析错误数 / (记录 + 解析错误数)。这些阈值是 provaudit 自身的默认值（可在 [report.checks] 中设置），并非任何标准的数字。阈值：",
            "Three shares are measured per source and flagged when above their threshold: PI record share = records with PI / records; unknown-license share = records in license category unknown / records (bytes for sources without records); parse-error share = read errors / (records + read errors). These thresholds are provaudit's own defaults (set in [report.checks]), not figures of any standard. Thresholds: ",
        ),
        d(format!(
            "{} / {} / {}",
            pct(c.thresholds.max_pii_record_share),
            pct(c.thresholds.max_unknown_license_share),
            pct(c.thresholds.max_error_share)
        )),
    ])));
    b.push(table(
        vec![
            l("来源", "Source"),
            l("个人信息记录占比", "PI record share"),
            l("许可未知占比", "Unknown-license share"),
            l("解析错误占比", "Parse-error share"),
            l("结论", "Result"),
        ],
        c.per_source
            .iter()
            .map(|s| {
                let unknown = if s.unknown_license_share.unit == "bytes" {
                    seq(vec![
                        figure(&s.unknown_license_share),
                        d(" "),
                        l("（按字节）", "(by bytes)"),
                    ])
                } else {
                    figure(&s.unknown_license_share)
                };
                vec![
                    code(s.source.clone()),
                    figure(&s.pii_record_share),
                    unknown,
                    figure(&s.error_share),
                    if s.flags.is_empty() {
                        l("通过", "pass")
                    } else {
                        Inline::Flag(t("需关注", "flagged"))
                    },
                ]
            })
            .collect(),
    ));
    if let Some(left) = &c.left_out {
        b.push(Block::Para(left_out(left)));
    }
    if let Some(screening) = &c.safety {
        safety_screening(screening, b);
    }
    if let Some(review) = &c.manual_review {
        manual_review::blocks(review, b);
    }
    if c.policy_present || !c.policy_violations.is_empty() {
        b.push(Block::Sub(t("策略违规", "Policy violations")));
        if c.policy_violations.is_empty() {
            b.push(Block::Para(Inline::L(i18n::NONE)));
        } else {
            let keys: BTreeSet<&String> =
                c.policy_violations.iter().flat_map(|v| v.keys()).collect();
            let keys: Vec<&String> = keys.into_iter().collect();
            b.push(table(
                keys.iter().map(|k| code((*k).clone())).collect(),
                c.policy_violations
                    .iter()
                    .map(|v| {
                        keys.iter()
                            .map(|k| v.get(*k).cloned().map_or(d("-"), d))
                            .collect()
                    })
                    .collect(),
            ));
        }
    }
}

/// A conflict's explanation in both languages. The ledger keeps the scanner's English
/// sentence (its wording is part of the ledger bytes); the Chinese is read back from
/// that sentence's fixed shapes, and a sentence of another shape (from a newer
/// scanner) is shown in English only rather than mistranslated.
fn conflict_detail(c: &super::disclosure::Conflict) -> Inline {
    let Some(en) = &c.detail else {
        return d("-");
    };
    match conflict_detail_zh(&c.kind, en) {
        Some(zh) => Inline::Bi { zh, en: en.clone() },
        None => d(en.clone()),
    }
}

/// The Chinese of one of `LicenseSummary::conflicts`' sentences (see there).
pub(super) fn conflict_detail_zh(kind: &str, en: &str) -> Option<String> {
    let leading_count = || {
        en.split_once(' ')
            .and_then(|(n, rest)| Some((n.parse::<u64>().ok()?, rest)))
    };
    let category = |c: &str| i18n::term(c).map_or_else(|| c.to_string(), |t| t.zh.to_string());
    match kind {
        "no_license" if en == "no declared license and no license evidence; category unknown" => {
            Some("无声明的许可，也未检出许可证据；许可类别未知".into())
        }
        "no_license" => {
            let rest = en.strip_prefix("no declared license or license file; ")?;
            let (count, rest) = rest.split_once(" records carry license markers (")?;
            let (licenses, _) = rest.split_once("), which do not license the rest")?;
            Some(format!(
                "无声明的许可或许可文件；{} 条记录带有许可标记（{licenses}），不能为其余内容授权；许可类别未知",
                grouped(count.parse().ok()?)
            ))
        }
        "unknown_license" => {
            let license = en.strip_suffix(" has no known category; review its terms")?;
            Some(format!("{license} 的许可类别未知，请审阅其条款"))
        }
        "stricter_than_declared" => {
            let rest = en.strip_prefix("detected ")?;
            let (detected, rest) = rest.split_once(" (")?;
            let (detected_category, rest) = rest.split_once(") is stricter than declared ")?;
            let (declared, declared_category) = rest.strip_suffix(')')?.rsplit_once(" (")?;
            Some(format!(
                "检出的 {detected}（{}）严于声明的 {declared}（{}）",
                category(detected_category),
                category(declared_category)
            ))
        }
        "all_rights_reserved" => {
            let (count, rest) = leading_count()?;
            let declared = rest.strip_prefix(
                "all-rights-reserved notices without a license grant in data declared ",
            )?;
            Some(format!(
                "声明为 {declared} 的数据中有 {} 处“保留所有权利”声明，旁无许可授权",
                grouped(count)
            ))
        }
        "tdm_opt_out" => {
            let (count, _) = leading_count()?;
            Some(format!(
                "{} 处文本与数据挖掘保留声明（robots noai、TDMRep、禁止 AI 爬虫）",
                grouped(count)
            ))
        }
        _ => None,
    }
}

/// Section 11: one table per filing, each item with where its answer comes from, so
/// what is still "not declared" stands out before anything is filed.
fn filings(d0: &Disclosure, b: &mut Vec<Block>) {
    section(b, 11);
    b.push(Block::Para(l(
        "以下按各备案要求逐项列出本审计的测量值与声明内容；“未声明”的事项须由提供者补充（provenance.toml 或 report --provider 所读的 provaudit.toml）。",
        "Each filing item below with this audit's measured figures and declared facts; items reading \"not declared\" must be supplied by the provider (provenance.toml, or the provaudit.toml that report --provider reads).",
    )));
    for f in &d0.filings {
        b.push(Block::Sub(T {
            zh: f.title_zh,
            en: f.title_en,
        }));
        let rows = f
            .items
            .iter()
            .map(|i| {
                vec![
                    d(i.clause),
                    Inline::L(T {
                        zh: i.asks_zh,
                        en: i.asks_en,
                    }),
                    term(i.basis.as_str()),
                    Inline::Bi {
                        zh: i.answer_zh.clone(),
                        en: i.answer_en.clone(),
                    },
                ]
            })
            .collect();
        b.push(table(
            vec![
                l("条款", "Clause"),
                l("要求", "Asks for"),
                l("依据", "Basis"),
                l("内容", "Answer"),
            ],
            rows,
        ));
    }
}

/// What each recorded option means, by its key in `summary.json`: the flag a user
/// types and a sentence a reviewer can read. A key missing here (a newer option)
/// is still shown, with its key and raw value.
const OPTION_MEANINGS: &[(&str, &str, T)] = &[
    (
        "text_unit",
        "--text-unit",
        t(
            "文本与 Markdown 文件按此单位切分为记录",
            "how text and Markdown files become records",
        ),
    ),
    (
        "max_record_bytes",
        "--max-record-bytes",
        t(
            "超过此字节数的记录被报告并跳过",
            "records over this many bytes are reported and skipped",
        ),
    ),
    (
        "include",
        "--include",
        t(
            "只读取与这些模式匹配的路径",
            "only paths matching these globs are read",
        ),
    ),
    (
        "exclude",
        "--exclude",
        t(
            "与这些模式匹配的路径不读取",
            "paths matching these globs are left out",
        ),
    ),
    (
        "follow_symlinks",
        "--follow-symlinks",
        t("是否跟随符号链接", "whether symbolic links are followed"),
    ),
    (
        "hidden",
        "--hidden",
        t(
            "是否读取隐藏文件与文件夹",
            "whether hidden files and folders are read",
        ),
    ),
    (
        "findings",
        "--findings",
        t(
            "写入 findings.jsonl 的检出位置（均已脱敏）",
            "which occurrences go to findings.jsonl (all masked)",
        ),
    ),
    (
        "max_expansion",
        "--max-expansion",
        t(
            "压缩文件解压后与原大小之比的上限（防解压炸弹）",
            "how far a compressed file may expand (decompression bombs)",
        ),
    ),
];

/// The recorded options as a table of flag, value and meaning, instead of the
/// internal `key = value` text nobody outside the project can read.
fn options_table(options: &BTreeMap<String, String>) -> Block {
    let rows = options
        .iter()
        .map(|(key, value)| {
            let known = OPTION_MEANINGS.iter().find(|(k, _, _)| k == key);
            let flag = known.map_or(key.as_str(), |(_, flag, _)| flag);
            let meaning = known.map_or(Inline::Nd, |(_, _, m)| Inline::L(*m));
            vec![code(flag), option_value(key, value), meaning]
        })
        .collect();
    table(
        vec![
            l("选项", "Option"),
            l("取值", "Value"),
            l("含义", "Meaning"),
        ],
        rows,
    )
}

/// One option's value as a reader wants it: yes/no, sizes with units, the findings
/// mode in words (`summary.json` keeps the text it always had, since the config hash
/// is computed over it).
fn option_value(key: &str, value: &str) -> Inline {
    match (key, value) {
        (_, "true") => yes_no(true),
        (_, "false") => yes_no(false),
        ("max_record_bytes", v) => v.parse().map_or_else(|_| d(v), bytes),
        ("findings", "None") => l("不写入", "none"),
        ("findings", "All") => l("全部", "all"),
        ("findings", v) => match v
            .strip_prefix("Sample(")
            .and_then(|rest| rest.strip_suffix(')'))
            .and_then(|n| n.parse::<u64>().ok())
        {
            Some(per) => Inline::Bi {
                zh: format!("抽样：每个文件每种类型前 {} 条", grouped(per)),
                en: format!("sample: the first {} per file and type", grouped(per)),
            },
            None => d(v),
        },
        ("max_expansion", v) => d(format!("{v}×")),
        ("text_unit", "line") => l("每行一条记录", "line: one record per line"),
        ("text_unit", "paragraph") => l(
            "每段一条记录（以空行分隔）",
            "paragraph: one record per blank-line-separated paragraph",
        ),
        ("text_unit", "file") => l("每个文件一条记录", "file: one record per file"),
        (_, v) => d(v),
    }
}

/// The corpus safety screening: the rule and its source, the lexicons used, each
/// source's flagged share against the threshold, and what the screening is not.
fn safety_screening(sc: &crate::report::disclosure::SafetyScreening, b: &mut Vec<Block>) {
    b.push(Block::Sub(t("语料安全筛查", "Corpus safety screening")));
    b.push(Block::Para(l(
        "依据 GB/T 45654-2025 训练数据来源安全要求：采集某来源数据前应进行安全评估，数据内容中含违法不良信息超过 5% 的，不应使用该来源。本次按关键词库筛查各来源的记录。",
        "Per GB/T 45654-2025's training-data source security requirements, data from a source is assessed before it is collected, and a source whose content is more than 5% illegal or harmful information is not to be used. This screening matched each source's records against keyword lexicons.",
    )));
    b.push(Block::Facts(vec![(
        t(
            "被标记记录占比阈值",
            "Threshold of the flagged-record share",
        ),
        d(pct(sc.threshold)),
    )]));
    b.push(Block::Para(l(
        "关键词筛查是技术抽检，只指出待复核的记录，不能代替标准要求的人工抽样评估。",
        "Keyword screening is a technical sample that points at records to review; it does not replace the manual sampled assessment the standard also asks for.",
    )));
    b.push(table(
        vec![
            l("词库", "Lexicon"),
            l("版本", "Version"),
            l("各类别词条数", "Terms per category"),
            l("SHA-256", "SHA-256"),
        ],
        sc.lexicons
            .iter()
            .map(|x| {
                vec![
                    code(x.name.clone()),
                    opt(&x.version),
                    d(x.terms
                        .iter()
                        .map(|(c, n)| format!("{c}: {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")),
                    code(x.sha256.clone()),
                ]
            })
            .collect(),
    ));
    b.push(table(
        vec![
            l("来源", "Source"),
            l("被标记记录占比", "Flagged-record share"),
            l("各类别被标记记录", "Flagged records per category"),
            l("结论", "Result"),
        ],
        sc.per_source
            .iter()
            .map(|s| {
                vec![
                    code(s.source.clone()),
                    figure(&s.share),
                    d(s.records_by_category
                        .iter()
                        .map(|(c, n)| format!("{c}: {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")),
                    if s.share.flagged {
                        Inline::Flag(t("超过阈值", "above threshold"))
                    } else {
                        l("未超过", "within")
                    },
                ]
            })
            .collect(),
    ));
}

/// One sentence on what the scan did not read, so the checks cover the files too.
fn left_out(c: &crate::discover::DiscoveryCounts) -> Inline {
    let (globbed, hidden, dirs, inside) = (
        grouped(c.excluded_by_glob),
        grouped(c.hidden_files),
        grouped(c.hidden_dirs),
        grouped(c.hidden_files_in_hidden_dirs),
    );
    Inline::Bi {
        zh: format!(
            "未读取：{globbed} 个文件被 --include/--exclude 排除；{hidden} 个隐藏文件列为跳过（--hidden 可读取）；{dirs} 个隐藏文件夹未进入，其中含 {inside} 个文件。"
        ),
        en: format!(
            "Not read: {globbed} files excluded by --include/--exclude; {hidden} hidden files listed as skipped (--hidden reads them); {dirs} hidden folders not entered, holding {inside} files."
        ),
    }
}

fn method(d0: &Disclosure, b: &mut Vec<Block>) {
    let m = &d0.method;
    section(b, 10);
    b.push(Block::Sub(t("扫描范围", "What was scanned")));
    let facts = vec![
        (t("根目录", "Roots"), list(&m.roots)),
        (t("文件", "Files"), n(m.files)),
        (t("字节", "Bytes"), bytes(m.bytes)),
        (t("记录", "Records"), n(m.records)),
        (t("文件状态", "File status"), count_terms(&m.status)),
        (
            t("阶段依据（文件数）", "Stage basis (files)"),
            count_terms(&m.stage_basis),
        ),
    ];
    b.push(Block::Facts(facts));
    if !m.options.is_empty() {
        b.push(Block::Sub(t("扫描选项", "Scan options")));
        b.push(options_table(&m.options));
    }
    b.push(Block::Sub(t("计算方法", "How figures are computed")));
    // The personal-information statement is section 7's "method and coverage".
    let mut rows: Vec<Vec<Inline>> = m
        .methods
        .iter()
        .filter(|(k, _)| k.as_str() != "pii")
        .map(|(k, text)| {
            let how = match i18n::method_zh(k, text) {
                Some(zh) => Inline::Bi {
                    zh: zh.to_string(),
                    en: text.clone(),
                },
                None => d(text.clone()),
            };
            vec![term(k), how]
        })
        .collect();
    for (k, def) in DEFINITIONS {
        rows.push(vec![Inline::L(*k), Inline::L(*def)]);
    }
    b.push(table(
        vec![l("数字", "Figure"), l("计算方法", "Method")],
        rows,
    ));
    b.push(Block::Para(seq(vec![
        l("估算值（非计数）：", "Estimates (not counts): "),
        terms(&m.estimates),
        d("."),
    ])));
}

const DEFINITIONS: &[(T, T)] = &[
    (
        t("占比", "Shares"),
        t(
            "部分 / 整体，整体为 0 时记为 0；百分比保留一位小数。",
            "part / whole, 0 when the whole is 0; percentages to one decimal.",
        ),
    ),
    (
        t("语言占比", "Language shares"),
        t(
            "按字符：中文、英文，其余（含未定 und）计为其他。",
            "by characters: zh, en, and everything else (including und, undetermined) as other.",
        ),
    ),
    (
        t("过短记录", "Very short records"),
        t(
            "可见字符少于 20 个但不为 0 的记录。",
            "records with 1 to 19 visible characters.",
        ),
    ),
    (
        t("解析错误占比", "Parse-error share"),
        t(
            "解析错误数 / (记录 + 解析错误数)：每个错误对应一个未能读取的记录或字节范围。",
            "read errors / (records + read errors): each error is a record or byte range that could not be read.",
        ),
    ),
    (
        t("台账 Merkle 根", "Ledger Merkle root"),
        t(
            "对 ledger.jsonl 各行按 RFC 6962 构造的 SHA-256 Merkle 树根；报告生成时重新计算并与 summary.json 比对。",
            "SHA-256 Merkle tree (RFC 6962) over ledger.jsonl's lines; recomputed when the report is built and compared with summary.json.",
        ),
    ),
];
