//! Filing checklists: the disclosure's figures and the declared facts arranged item by
//! item as three filings ask for them, each item marked `measured` (from the ledger),
//! `declared` (from a manifest or `provaudit.toml`), `partly declared` or `not
//! declared`, so a compliance officer sees at once what is still missing:
//! - China's Interim Measures for Generative AI Services, Arts. 7, 8 and 19, with the
//!   training-data items of GB/T 45654-2025;
//! - the EU AI Act Art. 53(1)(d) public summary of training content (the
//!   Commission's template, sections 1–3);
//! - California AB 2013 (Civil Code § 3111(a)), its twelve items.
//!
//! Items are built from the [`Disclosure`] only; nothing here reads the data or
//! invents a fact: where neither the ledger nor a declaration says something, the
//! item reads "not declared".

use serde::Serialize;

use super::disclosure::{Disclosure, SourceInfo};
use super::doc::{grouped, pct};
use crate::discover::provider::ProviderDecl;

/// Where an item's answer comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Computed from the ledger.
    Measured,
    /// Every part declared.
    Declared,
    /// Declared for some sources, not for others.
    PartlyDeclared,
    /// Measured figures beside declared facts.
    MeasuredAndDeclared,
    /// Nobody declared it and the ledger cannot tell.
    NotDeclared,
}

impl Basis {
    /// The canonical id (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Measured => "measured",
            Basis::Declared => "declared",
            Basis::PartlyDeclared => "partly_declared",
            Basis::MeasuredAndDeclared => "measured_and_declared",
            Basis::NotDeclared => "not_declared",
        }
    }
}

/// One item of a filing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// The clause it answers (`Art. 7(3)`, `2.3`, `(a)(7)`).
    pub clause: &'static str,
    /// What the clause asks, in Chinese.
    pub asks_zh: &'static str,
    /// What the clause asks, in English.
    pub asks_en: &'static str,
    /// Where the answer comes from.
    pub basis: Basis,
    /// The answer in Chinese (declared text is quoted as given).
    pub answer_zh: String,
    /// The answer in English.
    pub answer_en: String,
}

/// One filing: its name and items in the order the filing lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Filing {
    /// `china`, `eu`, `california`.
    pub id: &'static str,
    /// Title in Chinese.
    pub title_zh: &'static str,
    /// Title in English.
    pub title_en: &'static str,
    /// The items.
    pub items: Vec<Item>,
}

/// Bilingual text of an answer.
struct Answer {
    basis: Basis,
    zh: String,
    en: String,
}

fn answer(basis: Basis, zh: impl Into<String>, en: impl Into<String>) -> Answer {
    Answer {
        basis,
        zh: zh.into(),
        en: en.into(),
    }
}

fn not_declared() -> Answer {
    answer(Basis::NotDeclared, "未声明", "not declared")
}

/// A declared value, or "not declared".
fn declared(value: Option<&String>) -> Answer {
    match value {
        Some(v) => answer(Basis::Declared, v.clone(), v.clone()),
        None => not_declared(),
    }
}

fn item(clause: &'static str, asks_zh: &'static str, asks_en: &'static str, a: Answer) -> Item {
    Item {
        clause,
        asks_zh,
        asks_en,
        basis: a.basis,
        answer_zh: a.zh,
        answer_en: a.en,
    }
}

/// A fact per source, `id: value` joined by `; `, with how many sources declared it.
fn per_source(d: &Disclosure, fact: impl Fn(&SourceInfo) -> Option<String>) -> Answer {
    let facts: Vec<String> = d
        .sources
        .iter()
        .filter_map(|s| fact(s).map(|f| format!("{}: {f}", s.id)))
        .collect();
    let basis = match facts.len() {
        0 => return not_declared(),
        n if n == d.sources.len() => Basis::Declared,
        _ => Basis::PartlyDeclared,
    };
    let missing: Vec<&str> = d
        .sources
        .iter()
        .filter(|s| fact(s).is_none())
        .map(|s| s.id.as_str())
        .collect();
    let (mut zh, mut en) = (facts.join("; "), facts.join("; "));
    if !missing.is_empty() {
        zh.push_str(&format!("；未声明：{}", missing.join(", ")));
        en.push_str(&format!("; not declared for: {}", missing.join(", ")));
    }
    answer(basis, zh, en)
}

/// Sources of one declared category, with a fact about each.
fn sources_of(
    d: &Disclosure,
    categories: &[&str],
    detail: impl Fn(&SourceInfo) -> String,
) -> Answer {
    let listed: Vec<String> = d
        .sources
        .iter()
        .filter(|s| {
            s.category
                .as_deref()
                .is_some_and(|c| categories.contains(&c))
        })
        .map(|s| format!("{} ({})", s.display_name(), detail(s)))
        .collect();
    let undeclared = d.sources.iter().filter(|s| s.category.is_none()).count();
    if undeclared == d.sources.len() {
        return not_declared();
    }
    let note = |zh: bool| match (undeclared, zh) {
        (0, _) => String::new(),
        (n, true) => format!("；另有 {n} 个来源未声明类别"),
        (n, false) => format!("; {n} more sources declare no category"),
    };
    if listed.is_empty() {
        let basis = if undeclared == 0 {
            Basis::Declared
        } else {
            Basis::PartlyDeclared
        };
        return answer(
            basis,
            format!("无{}", note(true)),
            format!("none{}", note(false)),
        );
    }
    let basis = if undeclared == 0 {
        Basis::Declared
    } else {
        Basis::PartlyDeclared
    };
    answer(
        basis,
        format!("{}{}", listed.join("; "), note(true)),
        format!("{}{}", listed.join("; "), note(false)),
    )
}

fn or_nd(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "not declared".into())
}

/// The three filings for a disclosure and an optional `provaudit.toml`.
pub fn build(d: &Disclosure, provider: Option<&ProviderDecl>) -> Vec<Filing> {
    let p = provider.cloned().unwrap_or_default();
    vec![china(d, &p), eu(d, &p), california(d, &p)]
}

fn sizes(d: &Disclosure) -> (String, String) {
    let t = &d.overview.total;
    let (files, records, bytes, tokens) = (
        grouped(t.files),
        grouped(t.records),
        grouped(t.bytes),
        grouped(t.estimated_tokens),
    );
    let sources = d.sources.len();
    (
        format!(
            "{sources} 个来源，{files} 个文件，{records} 条记录，{bytes} 字节，约 {tokens} 个词元（估算）"
        ),
        format!(
            "{sources} sources, {files} files, {records} records, {bytes} bytes, about {tokens} tokens (estimate)"
        ),
    )
}

fn licenses(d: &Disclosure) -> Answer {
    let cats: Vec<String> = d
        .intellectual_property
        .categories
        .iter()
        .map(|c| format!("{} {:.1}%", c.category.as_str(), c.record_share * 100.0))
        .collect();
    let ip = &d.intellectual_property;
    let cats = cats.join(", ");
    let (notices, reserved, tdm, flagged) = (
        grouped(ip.copyright_notices),
        grouped(
            ip.all_rights_reserved
                .saturating_sub(ip.all_rights_reserved_with_grant),
        ),
        grouped(ip.tdm_opt_outs),
        ip.flagged_sources.len(),
    );
    answer(
        Basis::Measured,
        format!(
            "按记录的许可类别：{cats}；版权声明 {notices} 处，无授权的“保留所有权利” {reserved} 处，文本与数据挖掘保留 {tdm} 处；需复核的来源 {flagged} 个"
        ),
        format!(
            "license categories by records: {cats}; {notices} copyright notices, {reserved} all-rights-reserved notices without a grant, {tdm} text-and-data-mining reservations; {flagged} sources flagged for review"
        ),
    )
}

fn personal(d: &Disclosure) -> Answer {
    let pi = &d.personal_information;
    let types: Vec<String> = pi
        .by_type
        .iter()
        .map(|r| format!("{} {}", r.pii_type.as_str(), r.records))
        .collect();
    let with_pi: Vec<&str> = pi
        .per_source
        .iter()
        .filter(|s| s.records_with_pii > 0)
        .map(|s| s.source.as_str())
        .collect();
    let bases: Vec<String> = d
        .sources
        .iter()
        .filter(|s| with_pi.contains(&s.id.as_str()))
        .map(|s| format!("{}: {}", s.id, or_nd(&s.consent_basis)))
        .collect();
    let basis = if with_pi.is_empty() {
        Basis::Measured
    } else {
        Basis::MeasuredAndDeclared
    };
    let or = |items: &[String], none: &str| {
        if items.is_empty() {
            none.to_string()
        } else {
            items.join(", ")
        }
    };
    let (with, of, sensitive) = (
        grouped(pi.records_with_pii),
        grouped(pi.records),
        grouped(pi.records_with_sensitive),
    );
    answer(
        basis,
        format!(
            "含个人信息的记录 {with} / {of}（按类型：{}）；敏感个人信息记录 {sensitive}；处理依据（声明）：{}",
            or(&types, "无"),
            or(&bases, "不适用")
        ),
        format!(
            "{with} of {of} records hold personal information (by type: {}); {sensitive} records with sensitive personal information; lawful basis (declared): {}",
            or(&types, "none"),
            or(&bases, "not applicable")
        ),
    )
}

fn quality(d: &Disclosure) -> Answer {
    let q = &d.quality.total;
    let l = &d.diversity.languages;
    let pct = |share: f64| format!("{:.1}%", share * 100.0);
    let (dup, empty, short, errors) = (
        pct(q.duplicate_share),
        grouped(q.empty),
        grouped(q.very_short),
        grouped(q.error_count),
    );
    let (zh, en, other) = (pct(l.zh_share), pct(l.en_share), pct(l.other_share));
    answer(
        Basis::Measured,
        format!(
            "扫描内重复记录占比 {dup}，空记录 {empty}，过短记录 {short}，解析错误 {errors}；语言（按字符，估算）：中文 {zh}，英文 {en}，其他 {other}"
        ),
        format!(
            "within-scan duplicate share {dup}, {empty} empty, {short} very short records, {errors} read errors; languages (by characters, estimate): zh {zh}, en {en}, other {other}"
        ),
    )
}

fn annotation(d: &Disclosure) -> Answer {
    let rows = &d.labelled_data.per_source;
    if rows.is_empty() {
        return answer(Basis::Measured, "未发现标注数据", "no labelled data found");
    }
    let parts: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{}: {} labelled records (measured); rules {}; annotators {}; trained {}; spot-check rate {}; spot-check accuracy {}",
                r.source,
                r.labelled_records,
                or_nd(&r.annotation_rules),
                r.annotators.map_or("not declared".into(), |n| n.to_string()),
                r.annotators_trained.map_or("not declared".into(), |t| t.to_string()),
                r.spot_check_rate.map_or("not declared".into(), |x| format!("{:.1}%", x * 100.0)),
                r.spot_check_accuracy.map_or("not declared".into(), |x| format!("{:.1}%", x * 100.0)),
            )
        })
        .collect();
    let all = rows.iter().all(|r| {
        r.annotation_rules.is_some()
            && r.spot_check_rate.is_some()
            && r.spot_check_accuracy.is_some()
    });
    let basis = if all {
        Basis::MeasuredAndDeclared
    } else {
        Basis::PartlyDeclared
    };
    answer(basis, parts.join("；"), parts.join("; "))
}

fn china(d: &Disclosure, p: &ProviderDecl) -> Filing {
    let (size_zh, size_en) = sizes(d);
    let provider = match (&p.provider.name, &p.model.name) {
        (None, None) => not_declared(),
        _ => {
            let text = format!(
                "provider {}; model {} {}; filing id {}; responsible person {}; complaints {}",
                or_nd(&p.provider.name),
                or_nd(&p.model.name),
                p.model.version.clone().unwrap_or_default(),
                or_nd(&p.model.filing_id),
                or_nd(&p.provider.responsible_person),
                or_nd(&p.provider.complaint_channel),
            );
            answer(Basis::Declared, text.clone(), text)
        }
    };
    let lawful = per_source(d, |s| {
        let parts: Vec<String> = [
            s.category.as_ref().map(|c| format!("category {c}")),
            s.license.as_ref().map(|l| format!("license {l}")),
            (!s.evidence.is_empty()).then(|| format!("evidence {}", s.evidence.join(", "))),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    });
    Filing {
        id: "china",
        title_zh: "《生成式人工智能服务管理暂行办法》与 GB/T 45654-2025（训练数据）",
        title_en: "China: Interim Measures for Generative AI Services and GB/T 45654-2025 (training data)",
        items: vec![
            // Who files is the filing's own question (备案), not one article's.
            item(
                "filing",
                "提供者、模型与负责人",
                "Provider, model and responsible person",
                provider,
            ),
            item(
                "Art. 7(1)",
                "使用具有合法来源的数据",
                "Data from lawful sources",
                lawful,
            ),
            // The filing form asks for the domestic / foreign make-up of the corpus, and
            // Art. 7 reviewers ask it first of web data.
            item(
                "filing",
                "语料来源境内外构成",
                "Domestic and foreign make-up of the sources",
                with_measured(per_source(d, |s| s.origin.clone()), web_origin(d)),
            ),
            item(
                "Art. 7(2)",
                "不得侵害他人知识产权",
                "No infringement of intellectual property",
                licenses(d),
            ),
            item(
                "Art. 7(3)",
                "涉及个人信息的，取得同意或符合法定情形",
                "Personal information: consent or another lawful basis",
                personal(d),
            ),
            item(
                "Art. 7(4)",
                "提高训练数据质量（真实、准确、客观、多样）",
                "Quality: truthfulness, accuracy, objectivity, diversity",
                quality(d),
            ),
            item(
                "Art. 8",
                "数据标注：清晰的规则、质量评估、抽样核验、培训",
                "Annotation: clear rules, quality assessment, sampled checks, training",
                annotation(d),
            ),
            item(
                "Art. 19",
                "训练数据来源、规模、类型、标注规则等（征求意见稿第十七条）",
                "Source, size and type of training data, labelling rules (draft Art. 17)",
                answer(Basis::Measured, size_zh, size_en),
            ),
            item(
                "GB/T 45654-2025",
                "来源安全：违法不良信息超过 5% 的来源不应采集；清除措施",
                "Source safety: no source with more than 5% illegal content; removal measures",
                source_safety(d),
            ),
        ],
    }
}

/// GB/T 45654-2025's source safety: the lexicon screening's flagged share per source
/// against the threshold (measured, when the scan screened), beside the declared
/// removal measures.
fn source_safety(d: &Disclosure) -> Answer {
    with_manual_review(d, screening_and_removal(d))
}

fn screening_and_removal(d: &Disclosure) -> Answer {
    let removal = per_source(d, |s| s.illegal_content_removal.clone());
    let Some(sc) = &d.checks.safety else {
        return removal;
    };
    let shares: Vec<String> = sc
        .per_source
        .iter()
        .map(|s| {
            format!(
                "{}: {:.1}% ({}/{})",
                s.source,
                s.share.value * 100.0,
                grouped(s.share.numerator),
                grouped(s.share.denominator)
            )
        })
        .collect();
    let over = sc.flagged_sources.join(", ");
    let limit = sc.threshold * 100.0;
    let basis = match removal.basis {
        Basis::NotDeclared => Basis::Measured,
        _ => Basis::MeasuredAndDeclared,
    };
    answer(
        basis,
        format!(
            "关键词筛查（技术抽检）被标记记录占比：{}；超过 {limit:.1}% 的来源：{}；清除措施（声明）：{}",
            shares.join("; "),
            if over.is_empty() { "无" } else { &over },
            removal.zh
        ),
        format!(
            "records flagged by lexicon screening (a technical sample): {}; sources above {limit:.1}%: {}; removal measures (declared): {}",
            shares.join("; "),
            if over.is_empty() { "none" } else { &over },
            removal.en
        ),
    )
}

/// A declared answer with measured figures put first: `measured` or
/// `measured_and_declared` when there are figures, the declared answer unchanged when
/// there are none.
fn with_measured(declared: Answer, measured: Option<(String, String)>) -> Answer {
    let Some((zh, en)) = measured else {
        return declared;
    };
    let basis = match declared.basis {
        Basis::NotDeclared => Basis::Measured,
        _ => Basis::MeasuredAndDeclared,
    };
    answer(
        basis,
        format!("{zh}；声明：{}", declared.zh),
        format!("{en}; declared: {}", declared.en),
    )
}

/// Per-source `(zh, en)` phrases joined by `; ` after a label in each language;
/// `None` when there are none.
fn labelled_parts(
    parts: Vec<(String, String)>,
    label_zh: &str,
    label_en: &str,
) -> Option<(String, String)> {
    if parts.is_empty() {
        return None;
    }
    let (zh, en): (Vec<String>, Vec<String>) = parts.into_iter().unzip();
    Some((
        format!("{label_zh}{}", zh.join("; ")),
        format!("{label_en}{}", en.join("; ")),
    ))
}

/// Per source with web addresses in its records: the bytes attributed to domestic,
/// foreign and no host (an estimate read off host names).
fn web_origin(d: &Disclosure) -> Option<(String, String)> {
    let parts: Vec<(String, String)> = d
        .sources
        .iter()
        .filter_map(|s| {
            let w = s.web.as_ref()?;
            let (dom, fo, un) = (
                pct(w.domestic_share),
                pct(w.foreign_share),
                pct(w.unattributed_share),
            );
            Some((
                format!("{}：境内 {dom}、境外 {fo}、未归属 {un}", s.id),
                format!("{}: domestic {dom}, foreign {fo}, unattributed {un}", s.id),
            ))
        })
        .collect();
    labelled_parts(
        parts,
        "按记录网址的主机估计（字节）：",
        "estimated from the hosts of record addresses (bytes): ",
    )
}

/// The EU template's top 10% of domains by size, per source whose records name their
/// web addresses (crawled sources, and any other that keeps addresses).
fn top_domains(d: &Disclosure) -> Option<(String, String)> {
    let parts: Vec<(String, String)> = d
        .sources
        .iter()
        .filter_map(|s| {
            let w = s.web.as_ref()?;
            let hosts: Vec<&str> = w.listed.iter().map(|h| h.host.as_str()).collect();
            let more = if (w.top_hosts as usize) > hosts.len() {
                ", …"
            } else {
                ""
            };
            let partial = |zh: bool| match (w.lists_partial, zh) {
                (false, _) => "",
                (true, true) => "（列表不完整）",
                (true, false) => " (lists incomplete)",
            };
            Some((
                format!(
                    "{}：{} 个主机，占字节 {}{}：{}{more}",
                    s.id,
                    grouped(w.top_hosts),
                    pct(w.top_share),
                    partial(true),
                    hosts.join(", ")
                ),
                format!(
                    "{}: {} hosts, {} of bytes{}: {}{more}",
                    s.id,
                    grouped(w.top_hosts),
                    pct(w.top_share),
                    partial(false),
                    hosts.join(", ")
                ),
            ))
        })
        .collect();
    labelled_parts(
        parts,
        "按规模前 10% 的域名（测量，web_hosts.jsonl 有完整列表）：",
        "top 10% of domains by size (measured; web_hosts.jsonl lists all): ",
    )
}

/// The manual sampled review (`review.json`) after the screening, when the report has
/// the part: its figures against the standard's, or that none is recorded.
fn with_manual_review(d: &Disclosure, mut a: Answer) -> Answer {
    let Some(review) = &d.checks.manual_review else {
        return a;
    };
    let th = &review.thresholds;
    let (zh, en) = match &review.recorded {
        None => (
            "人工抽检：未记录".to_string(),
            "manual sampled review: none recorded".to_string(),
        ),
        Some(r) => {
            let o = &r.overall;
            let met = r.meets_standard();
            let figures = format!(
                "{}/{}, {:.1}% (95% Wilson {:.1}%–{:.1}%)",
                grouped(o.passed),
                grouped(o.reviewed),
                o.rate * 100.0,
                o.wilson_low * 100.0,
                o.wilson_high * 100.0
            );
            a.basis = match a.basis {
                Basis::NotDeclared => Basis::Measured,
                Basis::Declared => Basis::MeasuredAndDeclared,
                other => other,
            };
            (
                format!(
                    "人工抽检合格 {figures}（标准：不少于 {} 条、合格率不低于 {:.0}%）：{}",
                    grouped(th.min_items),
                    th.min_pass_rate * 100.0,
                    if met { "符合" } else { "未达到" }
                ),
                format!(
                    "manual sampled review passed {figures} (standard: at least {} items, pass rate at least {:.0}%): {}",
                    grouped(th.min_items),
                    th.min_pass_rate * 100.0,
                    if met { "met" } else { "not met" }
                ),
            )
        }
    };
    a.zh = format!("{}；{zh}", a.zh);
    a.en = format!("{}; {en}", a.en);
    a
}

/// The newest modification date of any source's files: when the data as audited was
/// last written, which bounds the collection date from above when nobody declared it.
fn newest_file(d: &Disclosure) -> Option<(String, String)> {
    let newest = d
        .sources
        .iter()
        .filter_map(|s| s.latest_modified.as_deref()?.get(..10))
        .max()?;
    Some((
        format!("文件最近修改于 {newest}（测量）"),
        format!("files last modified {newest} (measured)"),
    ))
}

/// The template's size ranges for text, by estimated tokens.
fn text_size_range(tokens: u64) -> (&'static str, &'static str) {
    match tokens {
        0..1_000_000_000 => ("少于 10 亿词元", "less than 1 billion tokens"),
        1_000_000_000..10_000_000_000_000 => {
            ("10 亿至 10 万亿词元", "1 billion to 10 trillion tokens")
        }
        _ => ("超过 10 万亿词元", "more than 10 trillion tokens"),
    }
}

fn eu(d: &Disclosure, p: &ProviderDecl) -> Filing {
    let tokens = d.overview.total.estimated_tokens;
    let (range_zh, range_en) = text_size_range(tokens);
    let modalities: Vec<String> = d
        .diversity
        .modalities
        .iter()
        .map(|m| m.key.clone())
        .collect();
    let languages: Vec<String> = d
        .diversity
        .languages
        .detail
        .iter()
        .filter(|r| r.language != "und")
        .map(|r| format!("{} {:.1}%", r.language, r.character_share * 100.0))
        .collect();
    let collected_ends: Vec<&str> = d
        .sources
        .iter()
        .filter_map(|s| s.collected.as_deref())
        .filter_map(|c| c.rsplit('/').next())
        .collect();
    let latest = collected_ends.iter().max().map(|s| s.to_string());
    let latest_basis = if collected_ends.len() == d.sources.len() {
        Basis::Declared
    } else {
        Basis::PartlyDeclared
    };
    let model = match &p.model.name {
        Some(name) => {
            let text = format!(
                "provider {}; model {} {}",
                or_nd(&p.provider.name),
                name,
                p.model.version.clone().unwrap_or_default()
            );
            answer(Basis::Declared, text.clone(), text)
        }
        None => not_declared(),
    };
    Filing {
        id: "eu",
        title_zh: "欧盟《人工智能法》第 53(1)(d) 条：训练内容公开摘要（委员会模板）",
        title_en: "EU AI Act Art. 53(1)(d): public summary of training content (Commission template)",
        items: vec![
            item("1.1", "提供者与模型", "Provider and model", model),
            item(
                "1.2",
                "模态与规模（模板区间）",
                "Modalities and size (template ranges)",
                answer(
                    Basis::Measured,
                    format!(
                        "{}；文本：{}（估算 {} 词元）",
                        modalities.join(", "),
                        range_zh,
                        grouped(tokens)
                    ),
                    format!(
                        "{}; text: {} (estimated {} tokens)",
                        modalities.join(", "),
                        range_en,
                        grouped(tokens)
                    ),
                ),
            ),
            item(
                "1.3",
                "最近的数据采集日期",
                "Latest date of data collection",
                with_measured(
                    match latest {
                        Some(date) => answer(latest_basis, date.clone(), date),
                        None => not_declared(),
                    },
                    newest_file(d),
                ),
            ),
            item(
                "1.4",
                "语言",
                "Languages",
                answer(Basis::Measured, languages.join(", "), languages.join(", ")),
            ),
            item(
                "2.1",
                "公开数据集",
                "Publicly available datasets",
                sources_of(d, &["public_dataset"], |s| or_nd(&s.url)),
            ),
            item(
                "2.2",
                "从权利人处获得许可的私有数据",
                "Private data licensed from rightsholders",
                sources_of(d, &["licensed"], |s| or_nd(&s.license)),
            ),
            item(
                "2.3",
                "爬取的数据：爬虫、期间、robots.txt 与 TDM 保留的处理",
                "Crawled data: crawler, period, robots.txt and TDM reservations",
                with_measured(
                    sources_of(d, &["web_crawl"], |s| {
                        format!(
                            "crawler {}; collected {}; robots/TDM {}",
                            or_nd(&s.crawler),
                            or_nd(&s.collected),
                            or_nd(&s.robots)
                        )
                    }),
                    top_domains(d),
                ),
            ),
            item(
                "2.4",
                "用户数据",
                "User data",
                sources_of(d, &["user_data"], |s| or_nd(&s.consent_basis)),
            ),
            item(
                "2.5",
                "合成数据",
                "Synthetic data",
                sources_of(d, &["synthetic"], |s| {
                    format!("generated by {}", or_nd(&s.generator))
                }),
            ),
            item(
                "2.6",
                "其他来源",
                "Other sources",
                sources_of(d, &["self_produced", "other"], |s| or_nd(&s.collected)),
            ),
            item(
                "3.1",
                "尊重文本与数据挖掘保留",
                "Respect of text-and-data-mining reservations",
                {
                    let declared = per_source(d, |s| s.robots.clone());
                    let found = d.intellectual_property.tdm_opt_outs;
                    answer(
                        if declared.basis == Basis::NotDeclared {
                            Basis::Measured
                        } else {
                            Basis::MeasuredAndDeclared
                        },
                        format!(
                            "数据中检出的 TDM 保留 {found} 处；处理方式（声明）：{}",
                            declared.zh
                        ),
                        format!(
                            "{found} TDM reservations found in the data; handling (declared): {}",
                            declared.en
                        ),
                    )
                },
            ),
            item(
                "3.2",
                "清除违法内容的措施",
                "Measures to remove illegal content",
                per_source(d, |s| s.illegal_content_removal.clone()),
            ),
        ],
    }
}

/// AB 2013's "general ranges" for the number of data points.
fn record_range(records: u64) -> &'static str {
    match records {
        0..1_000 => "under 1,000",
        1_000..1_000_000 => "1,000 to 1 million",
        1_000_000..1_000_000_000 => "1 million to 1 billion",
        _ => "over 1 billion",
    }
}

fn california(d: &Disclosure, p: &ProviderDecl) -> Filing {
    let records = d.overview.total.records;
    let kinds: Vec<String> = d
        .diversity
        .record_kinds
        .iter()
        .map(|k| format!("{} {}", k.key, k.count))
        .collect();
    let owners = per_source(d, |s| {
        s.originator
            .clone()
            .or_else(|| s.ip_owner.clone())
            .map(|o| format!("{} ({o})", s.display_name()))
    });
    let processing = per_source(d, |s| {
        (!s.processing.is_empty()).then(|| s.processing.join(" -> "))
    });
    Filing {
        id: "california",
        title_zh: "美国加州 AB 2013（民法典第 3111(a) 条）",
        title_en: "California AB 2013 (Civil Code § 3111(a))",
        items: vec![
            item(
                "(a)(1)",
                "数据集的来源或所有者",
                "Sources or owners of the datasets",
                owners,
            ),
            item(
                "(a)(2)",
                "数据集如何服务于系统的预期用途",
                "How the datasets further the intended purpose",
                declared(p.model.intended_purpose.as_ref()),
            ),
            item(
                "(a)(3)",
                "数据点数量（大致区间）",
                "Number of data points (general ranges)",
                answer(
                    Basis::Measured,
                    format!("{} 条记录（{}）", grouped(records), record_range(records)),
                    format!("{} records ({})", grouped(records), record_range(records)),
                ),
            ),
            item(
                "(a)(4)",
                "数据点类型",
                "Types of data points",
                answer(Basis::Measured, kinds.join(", "), kinds.join(", ")),
            ),
            item(
                "(a)(5)",
                "是否包含受版权、商标、专利保护的数据，或全部为公有领域",
                "Copyright, trademark or patent protected data, or entirely public domain",
                licenses(d),
            ),
            item(
                "(a)(6)",
                "是否购买或获得许可",
                "Purchased or licensed",
                sources_of(d, &["licensed"], |s| or_nd(&s.license)),
            ),
            item(
                "(a)(7)",
                "是否包含个人信息",
                "Personal information",
                personal(d),
            ),
            item(
                "(a)(8)",
                "是否包含汇总的消费者信息",
                "Aggregate consumer information",
                declared(p.model.aggregate_consumer_information.as_ref()),
            ),
            item(
                "(a)(9)",
                "清洗、处理或其他修改及其目的",
                "Cleaning, processing or other modification",
                processing,
            ),
            item(
                "(a)(10)",
                "数据采集期间",
                "Time period of data collection",
                per_source(d, |s| s.collected.clone()),
            ),
            item(
                "(a)(11)",
                "数据集首次用于开发的日期",
                "Dates the datasets were first used",
                declared(p.model.data_first_used.as_ref()),
            ),
            item(
                "(a)(12)",
                "是否使用合成数据生成",
                "Use of synthetic data generation",
                sources_of(d, &["synthetic"], |s| {
                    format!("generated by {}", or_nd(&s.generator))
                }),
            ),
        ],
    }
}
