//! `summary.json`: audit metadata plus aggregates computed from the ledger rows alone.
//!
//! Because [`GroupStats`] is built from rows, `report`, `diff` and `merge` can recompute
//! every figure from a ledger without rescanning data, and get the same numbers.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::Digest;

use super::row::{LedgerRow, Status};
use crate::aggregate::hll::{HyperLogLog, SketchSummary};
use crate::aggregate::near_dup::NearDuplicates;
use crate::aggregate::{ContentStats, Duplicates, LanguageCount, PiiStats, merge_counts};
use crate::analyze::license::Category;
use crate::discover::Source;
use crate::discover::manifest::Stage;
use crate::discover::role::FileRole;
use crate::formats::{Format, Modality};
use crate::ledger::license_block::LicenseBlock;

/// Files and bytes, for format and modality breakdowns.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FilesBytes {
    /// Files.
    pub files: u64,
    /// Bytes as stored.
    pub bytes: u64,
}

/// Aggregates over a group of ledger rows (the whole audit, a source, a stage).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupStats {
    /// Files (rows).
    pub files: u64,
    /// Bytes as stored.
    pub bytes: u64,
    /// Files per status.
    pub status: BTreeMap<Status, u64>,
    /// Files and bytes per format.
    pub formats: BTreeMap<Format, FilesBytes>,
    /// Files and bytes per modality (`text`, `image`, ...).
    pub modalities: BTreeMap<Modality, FilesBytes>,
    /// Files and bytes per role (`data`, `metadata`, `media`, `skipped`).
    pub roles: BTreeMap<FileRole, FilesBytes>,
    /// Read errors over every file.
    pub error_count: u64,
    /// Files with any read error, or unreadable.
    pub files_with_errors: u64,
    /// Records, characters, languages and quality, flattened into the group.
    #[serde(flatten)]
    pub content: ContentStats,
    /// Duplicate records.
    pub duplicates: Duplicates,
    /// Files, bytes and records per file-level license category.
    pub license_categories: BTreeMap<Category, CategoryCount>,
    /// Personal information, with the share of records over the group's records.
    pub pii: PiiStats,
    /// The group's merged license evidence, with its category and conflicts.
    pub license: LicenseBlock,
    /// Near-duplicate records and clusters over the group's files (audits made with
    /// `--near-duplicates` only; clusters spanning files count once per file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_duplicates: Option<NearDuplicates>,
    /// Corpus safety screening over the group's screened rows, with the share of
    /// records flagged; absent when nothing was screened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safety: Option<SafetyGroup>,
    /// Records with a web address and their bytes per region, over the group's rows;
    /// absent when none of its records names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_hosts: Option<crate::analyze::web_hosts::WebHostCounts>,
    /// Records overlapping evaluation items over the group's rows, per benchmark with
    /// the items overlapped (audits made with `--eval-sets` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contamination: Option<crate::analyze::contamination::ContaminationCounts>,
}

/// A group's screening figures: the rows' counts summed, and the share of the group's
/// records the lexicons flag (GB/T 45654-2025's per-source figure).
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SafetyGroup {
    /// The rows' `safety` blocks, summed.
    #[serde(flatten)]
    pub counts: crate::analyze::safety::SafetyCounts,
    /// `records_with_hits / records` of the group (0 without records).
    pub record_share: f64,
}

/// What `summary.json` records of a screening: exactly which lexicons, and the limit.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SafetySummary {
    /// Each lexicon's name, version, path, SHA-256 and terms per category.
    pub lexicons: Vec<crate::analyze::safety::LexiconIdentity>,
    /// Per source: the share of records flagged above which the source breaks the
    /// rule (GB/T 45654-2025's 5% unless configured otherwise).
    pub max_source_share: f64,
    /// What the screening is and is not.
    pub method: Cow<'static, str>,
}

/// [`SafetySummary::method`]: the screening is a technical sample, not the review.
pub const SAFETY_METHOD: &str = "Every text field matched against the risk lexicons (normalised for width, compatibility forms, case and spliced characters); a record is flagged for a category when the weights of its counted terms add up to 1 or more. Keyword screening is a technical sample that points at records to review; it is not the manual sampled review GB/T 45654-2025 also asks for.";

/// One license category's share of a group.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CategoryCount {
    /// Files of the category.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Their records.
    pub records: u64,
    /// The same figures by what the category rests on (`license_file`, `manifest`,
    /// `content`, `none`, ...), so a category is never one label over a basis
    /// nobody can check.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_basis: BTreeMap<String, BasisCount>,
}

/// Files, bytes and records of one category on one basis.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BasisCount {
    /// Files.
    pub files: u64,
    /// Their bytes.
    pub bytes: u64,
    /// Their records.
    pub records: u64,
}

impl CategoryCount {
    fn add(&mut self, row: &LedgerRow) {
        self.files += 1;
        self.bytes += row.bytes;
        self.records += row.records;
        let basis = match row.license.basis.as_str() {
            "" => "none",
            b => b,
        };
        let by = self.by_basis.entry(basis.to_string()).or_default();
        by.files += 1;
        by.bytes += row.bytes;
        by.records += row.records;
    }
}

impl GroupStats {
    /// Adds one row; call `finish` after the last.
    pub fn add(&mut self, row: &LedgerRow) {
        self.files += 1;
        self.bytes += row.bytes;
        *self.status.entry(row.status.clone()).or_default() += 1;
        add_files_bytes(&mut self.formats, row.format.clone(), row.bytes);
        add_files_bytes(&mut self.modalities, row.modality.clone(), row.bytes);
        add_files_bytes(&mut self.roles, row.role.clone(), row.bytes);
        self.error_count += row.error_count;
        self.files_with_errors += u64::from(row.error_count > 0 || row.status == Status::Error);
        self.content.merge(&content_of(row));
        self.duplicates.merge(&row.duplicates);
        if let Some(near) = &row.near_duplicates {
            self.near_duplicates
                .get_or_insert_with(Default::default)
                .merge(near);
        }
        self.pii.merge(&row.pii);
        if let Some(safety) = &row.safety {
            self.safety.get_or_insert_default().counts.merge(safety);
        }
        if let Some(web) = &row.web_hosts {
            self.web_hosts.get_or_insert_default().merge(web);
        }
        if let Some(contamination) = &row.contamination {
            self.contamination
                .get_or_insert_default()
                .merge(contamination);
        }
        // Only data has license terms: a LICENSE file is the evidence, and reaches
        // the group through the data rows it applies to (their `license_file`).
        if row.role == FileRole::Data {
            self.license.summary.merge(&row.license.summary);
            let category = self
                .license_categories
                .entry(row.license.category.clone())
                .or_default();
            category.add(row);
        }
    }

    /// Derives the group's license category and conflicts from its merged evidence;
    /// call once all rows are added.
    pub fn finish(mut self) -> Self {
        self.license = LicenseBlock::of(std::mem::take(&mut self.license.summary));
        // Strictest wins over the group's data files too: a group whose files are
        // partly `unknown` is `unknown`, however licensed the rest (the composition
        // in `license_categories` says how much of it is which).
        if let Some(strictest) = self
            .license_categories
            .keys()
            .cloned()
            .reduce(Category::stricter)
        {
            self.license.category = self.license.category.clone().stricter(strictest);
        }
        self.pii.finish(self.content.records);
        let records = self.content.records;
        if let Some(safety) = self.safety.as_mut() {
            safety.record_share = match records {
                0 => 0.0,
                n => safety.counts.records_with_hits as f64 / n as f64,
            };
        }
        self
    }

    /// The finished statistics of `rows`.
    pub fn of<'r>(rows: impl IntoIterator<Item = &'r LedgerRow>) -> Self {
        let mut stats = GroupStats::default();
        rows.into_iter().for_each(|r| stats.add(r));
        stats.finish()
    }
}

fn add_files_bytes<K: Ord>(map: &mut BTreeMap<K, FilesBytes>, key: K, bytes: u64) {
    let entry = map.entry(key).or_default();
    entry.files += 1;
    entry.bytes += bytes;
}

fn content_of(row: &LedgerRow) -> ContentStats {
    let mut kinds = BTreeMap::new();
    merge_counts(&mut kinds, &row.record_kinds);
    ContentStats {
        records: row.records,
        record_kinds: kinds,
        characters: row.characters,
        estimated_tokens: row.estimated_tokens,
        languages: row
            .languages
            .iter()
            .map(|(k, v): (&String, &LanguageCount)| (k.clone(), v.clone()))
            .collect(),
        length_histogram: row.length_histogram.clone(),
        quality: row.quality.clone(),
    }
}

/// A source's declared facts with its measured aggregates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SourceSummary {
    /// The source's declaration, as discovered.
    pub declared: Source,
    /// The measured figures, flattened into the source.
    #[serde(flatten)]
    pub stats: GroupStats,
}

/// The program that wrote an audit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Tool {
    /// `provaudit`.
    pub name: String,
    /// Its version: a different version may have other rules.
    pub version: String,
}

/// How estimated figures are computed, stated in every summary. Statements are
/// borrowed for the audit being written and owned when read back from an older one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Methods {
    /// How `estimated_tokens` is computed.
    pub estimated_tokens: Cow<'static, str>,
    /// How languages are identified.
    pub languages: Cow<'static, str>,
    /// How duplicates are counted.
    pub duplicates: Cow<'static, str>,
    /// How stages are decided.
    pub stage: Cow<'static, str>,
    /// How personal information is detected, how far each type is confirmed, and what
    /// is not detected at all (the report's coverage statement). Empty in audits made
    /// before it was recorded.
    pub pii: Cow<'static, str>,
}

/// This version's methods, as every new summary states them.
pub const METHODS: Methods = Methods {
    estimated_tokens: Cow::Borrowed(
        "estimate: one token per CJK character (Han, kana, hangul) plus one per four other characters, rounded up per record",
    ),
    languages: Cow::Borrowed(
        "per record, as ISO 639-1 codes: Han, kana and hangul decide zh, ja and ko by script; Latin text with at least 2 English-only function words among its first 24 words (else 96), or 1 when its first 256 bytes hold no letter outside ASCII, and more than of any other language's, is en; other text goes to whatlang 0.18 (trigrams; 59 languages, its Afrikaans, Akan, Esperanto, Javanese, Latin, Shona, Tagalog, Turkmen, Uzbek, Welsh and Zulu left out), first 256 bytes of the record's longest field; und: no letters, fewer than 20 letters of a script many languages share (Latin, Cyrillic, Arabic), or whatlang's confidence under 0.1, unless an English-only function word leads (then en); other: letters of a script whatlang has no language for; characters are attributed to the record's language",
    ),
    duplicates: Cow::Borrowed(
        "exact: XXH3-128 of the record's bytes (columnar formats: of its values, binary ones aside, serialised canonically column by column); normalized: XXH3-128 of NFKC, lower-cased, whitespace-collapsed text; a record counts as a duplicate when an identical one comes earlier in the file (within_file) or earlier in the scan ordering files by path (within_scan)",
    ),
    stage: Cow::Borrowed(
        "declared in provenance.toml when present; otherwise inferred and marked stage_basis = inferred: an evaluation split (card data_files or a file or folder name with a test, validation, val, valid or dev part) or a known benchmark's file (GSM8K, MMLU, HumanEval, ...) not marked train is eval; else the file's dominant record kind decides (text: pretrain, instruction/chat/labeled: finetune, preference incl. KTO: preference); metadata, media and skipped files have no stage",
    ),
    pii: Cow::Borrowed(
        "rules over every text field, structured identifiers only; confidence high, confirmed by a checksum or a numbering plan: cn_resident_id (GB 11643 check digit), cn_uscc (GB 32100 check character), bank_card (Luhn check, network prefix and length, 12 to 19 digits, under 16 only after a card word), iban (ISO 13616 mod-97 check and the country's length), phone (libphonenumber numbering plans of CN, HK, TW, US, CA, GB, DE, FR, IN, JP, KR, SG, AU, BR); medium, confirmed by a context word nearby: cn_passport, 15-digit resident IDs issued before 1999, us_ssn without dashes, short local phone numbers, person_name (a Chinese surname table or the 1990 US Census name lists, confirmed by a label, title, self-introduction, reporting verb, salutation or signature next to the name; names without such context are missed), address (at least two levels of a Chinese administrative-division grammar anchored on a province or city table or an address label, or an English house number, street and street type); low, shape and plausibility checks only: email, ip_address, cn_license_plate, us_ssn with dashes (never-issued ranges excluded), secret (key and token formats, private-key blocks, passwords in URLs); arithmetic, outline and version numbers, measurements and dates are set aside; private, loopback, link-local, documentation and CIDR network addresses and placeholder domains are listed in findings but not counted; sensitive personal information (PIPL Art. 28: health, biometric, religion, specific_identity, financial_account, whereabouts, minor under 14) is counted per record when a term of the category's lexicon stands in the same sentence as, and within 150 bytes of, a reference to a person (a personal value found here or a first-person or named cue); NOT detected: person names and addresses without a context word or grammar, dates of birth, ages and other personal details in free text, sensitive information about a person the text does not point to, identity documents and phone numbers of other countries and regions, personal information in images, audio or video; counts are detections, not a verified census: see the measured accuracy",
    ),
};

/// The same statements in Chinese, for the disclosure report. They live beside the
/// English so that a change to one is seen next to the other; the report uses them
/// only when an audit's English statement is today's (`Methods::chinese`).
pub const METHODS_ZH: Methods = Methods {
    estimated_tokens: Cow::Borrowed(
        "估算值：每个中日韩字符（汉字、假名、谚文）计一个词元，其他字符每四个计一个词元，按记录向上取整",
    ),
    languages: Cow::Borrowed(
        "按记录判定，输出 ISO 639-1 代码：汉字、假名、谚文按文字判为 zh、ja、ko；拉丁字母文本前 24 个词（不足时看 96 个）中至少有 2 个英语独有的功能词（前 256 字节无 ASCII 以外的字母时 1 个即可）且多于其他任一语言的功能词时判为 en；其余文本交给 whatlang 0.18（三元组；59 种语言，不含其南非荷兰语、阿坎语、世界语、爪哇语、拉丁语、绍纳语、他加禄语、土库曼语、乌兹别克语、威尔士语和祖鲁语），取记录最长字段的前 256 字节；und：无字母，多语言共用文字（拉丁、西里尔、阿拉伯）的字母少于 20 个，或 whatlang 置信度低于 0.1，除非英语独有的功能词占先（此时为 en）；other：whatlang 无对应语言的文字；记录的字符数计入其语言",
    ),
    duplicates: Cow::Borrowed(
        "精确重复：记录字节的 XXH3-128（列式格式为其各列取值（二进制值除外）按列的规范序列化）；归一化重复：NFKC、小写、空白合并后文本的 XXH3-128；若同一文件中（文件内）或按路径排序的扫描中（扫描内）已出现相同记录，则计为重复",
    ),
    stage: Cow::Borrowed(
        "有 provenance.toml 时按其声明；否则推断并标记 stage_basis = inferred：评测划分（数据集卡片 data_files，或文件名、目录名含 test、validation、val、valid、dev）或已知评测基准的文件（GSM8K、MMLU、HumanEval 等，未标为 train 者）为 eval；其余按文件的主要记录类型推断（text：预训练，instruction/chat/labeled：微调，preference（含 KTO）：偏好对齐）；元数据、媒体和跳过的文件没有阶段",
    ),
    pii: Cow::Borrowed(
        "按规则检测每个文本字段，仅限结构化标识符；置信度“高”，经校验位或号码规划确认：cn_resident_id（GB 11643 校验码）、cn_uscc（GB 32100 校验码）、bank_card（Luhn 校验、卡组织号段与长度，12 至 19 位，不足 16 位的须附近有卡号类词语）、iban（ISO 13616 mod-97 校验与该国长度）、phone（libphonenumber 号码规划：CN、HK、TW、US、CA、GB、DE、FR、IN、JP、KR、SG、AU、BR）；“中”，附近有语境词确认：cn_passport、1999 年前签发的 15 位身份证号、不带连字符的 us_ssn、较短的本地电话号码、person_name（依据中文姓氏表或 1990 年美国人口普查姓名表，并须有紧邻的标签、称谓、自我介绍、引述动词、称呼语或署名确认；没有此类语境的姓名不检出）、address（以省市表或地址标签为起点、至少两级的中文行政区划结构，或英文门牌号、街道名与街道类型）；“低”，仅凭格式与合理性检查：email、ip_address、cn_license_plate、带连字符的 us_ssn（排除从未签发的号段）、secret（密钥与令牌格式、私钥块、URL 中的密码）；算式、提纲与版本编号、度量值和日期不计；私有、环回、链路本地、文档用和 CIDR 网络地址以及占位域名列入 findings，但不计为个人信息；敏感个人信息（《个人信息保护法》第二十八条：health 医疗健康、biometric 生物识别、religion 宗教信仰、specific_identity 特定身份、financial_account 金融账户、whereabouts 行踪轨迹、minor 不满十四周岁未成年人）按记录计数：类别词表中的词与指向个人的表述（此处检出的个人信息或第一人称、具名的提示词）位于同一句且相距不超过 150 字节；未检测：没有语境词或地址结构的人名与地址，出生日期、年龄及自由文本中的其他个人信息，文本未指向具体个人的敏感信息，其他国家和地区的证件号与电话号码，图像、音频、视频中的个人信息；计数为检出数，并非经核实的普查：见实测准确率",
    ),
};

impl Methods {
    fn get(&self, key: &str) -> Option<&str> {
        Some(match key {
            "estimated_tokens" => &self.estimated_tokens,
            "languages" => &self.languages,
            "duplicates" => &self.duplicates,
            "stage" => &self.stage,
            "pii" => &self.pii,
            _ => return None,
        })
    }

    /// Every statement with its key, in the order `summary.json` lists them.
    pub fn entries(&self) -> [(&'static str, &str); 5] {
        [
            ("estimated_tokens", &self.estimated_tokens),
            ("languages", &self.languages),
            ("duplicates", &self.duplicates),
            ("stage", &self.stage),
            ("pii", &self.pii),
        ]
    }

    /// The Chinese of a method statement an audit recorded, when that statement is
    /// today's English one (an older audit's statement has no reliable translation).
    pub fn chinese(key: &str, english: &str) -> Option<&'static str> {
        let zh = match key {
            "estimated_tokens" => &METHODS_ZH.estimated_tokens,
            "languages" => &METHODS_ZH.languages,
            "duplicates" => &METHODS_ZH.duplicates,
            "stage" => &METHODS_ZH.stage,
            "pii" => &METHODS_ZH.pii,
            _ => return None,
        };
        match zh {
            Cow::Borrowed(text) if METHODS.get(key) == Some(english) => Some(text),
            _ => None,
        }
    }
}

/// The ledger's identity.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LedgerInfo {
    /// Rows in `ledger.jsonl`.
    pub rows: u64,
    /// Hex RFC 6962 Merkle root over the ledger.jsonl lines in order.
    pub merkle_root: String,
}

/// `summary.json`, as written and as read back. Reading is lenient: every field
/// defaults when absent and unknown fields are ignored, so audits written by older and
/// newer provaudit versions still open in `report`, `verify`, `diff` and `merge`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Summary {
    /// [`super::SCHEMA_VERSION`] of the writer; absent in audits written before it
    /// was recorded (read as version 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<u32>,
    /// The program that wrote the audit.
    pub tool: Tool,
    /// First 16 hex digits of SHA-256(start | config hash | Merkle root): names one run.
    pub audit_id: String,
    /// Start of the run, RFC 3339 UTC.
    pub started: String,
    /// End of the run, RFC 3339 UTC.
    pub finished: String,
    /// Wall-clock seconds of the run.
    pub duration_seconds: f64,
    /// The roots as given, in order.
    pub roots: Vec<String>,
    /// Set when this audit is one shard of a larger one (`scan --shard I/N`).
    pub shard: Option<crate::discover::shard::ShardInfo>,
    /// Hex SHA-256 over the rule tables: audits compare only under equal rules.
    pub rules_hash: String,
    /// Hex SHA-256 of `options`: audits compare only under equal options.
    pub config_hash: String,
    /// The effective options that change figures.
    pub options: serde_json::Value,
    /// What the walk left out without a row (globs, hidden folders) and the hidden
    /// files it listed; in a shard, the whole listing's. Absent in older audits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovery: Option<crate::discover::DiscoveryCounts>,
    /// SHA-256 over the whole listing (every shard's files: root position, path, size,
    /// modification time), as [`crate::discover::shard::ShardInfo`] computes it:
    /// `--resume` keeps an audit only while the data still lists the same. Absent in
    /// older audits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing_sha256: Option<String>,
    /// How estimated figures were computed.
    pub methods: Methods,
    /// Row count and Merkle root of `ledger.jsonl`.
    pub ledger: LedgerInfo,
    /// Aggregates over every row.
    pub totals: GroupStats,
    /// Declarations and aggregates per source id.
    pub per_source: BTreeMap<String, SourceSummary>,
    /// Aggregates per stage (`unknown` for rows without one).
    pub per_stage: BTreeMap<Stage, GroupStats>,
    /// SHA-256 of each output written before this summary (ledger.jsonl,
    /// ledger.parquet, findings.jsonl), so `verify` detects an edited output.
    pub outputs: BTreeMap<String, String>,
    /// The policy checked and what it found; absent when no policy was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyOutcome>,
    /// With `--baseline`: the prior audit and how many rows came from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incremental: Option<Incremental>,
    /// Distinct-record sketches that merge across shards and audits.
    pub sketches: Sketches,
    /// Set when this audit was merged from shards (`provaudit merge`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged: Option<Merged>,
    /// Set when a root is an object-store URL: how it was reached and what it took.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote: Option<RemoteSummary>,
    /// Set when the scan looked for near-duplicates (`--near-duplicates`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub near_duplicates: Option<NearDupSummary>,
    /// Set when the scan screened with risk lexicons (`--safety-lexicon`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safety: Option<SafetySummary>,
    /// Set when some record named the web address it came from: hosts per source, the
    /// top 10% by size (`web_hosts.jsonl` lists them all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_hosts: Option<super::web_hosts::WebHostsSummary>,
    /// Set when the scan checked evaluation sets (`--eval-sets`): which, and how.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contamination: Option<ContaminationSummary>,
}

/// What `summary.json` records of a contamination check: the n-gram lengths, each
/// benchmark's files (with SHA-256) and item counts, and the rule. The figures are in
/// `totals.contamination` and per source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContaminationSummary {
    /// Gram lengths.
    pub parameters: crate::analyze::contamination::ContaminationParams,
    /// The benchmarks checked.
    pub benchmarks: Vec<crate::analyze::contamination::BenchmarkIdentity>,
    /// What the check is and is not.
    pub method: Cow<'static, str>,
}

/// [`ContaminationSummary::method`].
pub const CONTAMINATION_METHOD: &str = "A training record overlaps an evaluation item when they share one n-gram of normalised tokens (words lower-cased, punctuation dropped; CJK characters one token each): 13 words or 20 CJK characters by default, GPT-3's 13-gram rule. Verbatim and lightly edited copies are found; paraphrases and translations are not. Items with less text than one n-gram cannot be found and are counted as short items.";

impl ContaminationSummary {
    /// The block of a scan checked against `index`.
    pub fn of(index: &crate::analyze::contamination::EvalIndex) -> Self {
        ContaminationSummary {
            parameters: index.params().clone(),
            benchmarks: index.benchmarks().to_vec(),
            method: CONTAMINATION_METHOD.into(),
        }
    }
}

/// How near-duplicates were found and what the whole scan holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NearDupSummary {
    /// The MinHash-LSH parameters.
    pub parameters: crate::analyze::minhash::MinHashParams,
    /// Records with a signature (records with at least one token).
    pub records_indexed: u64,
    /// Records confirmed similar to an earlier record of the scan.
    pub near_duplicate_records: u64,
    /// Clusters of two or more records, as finally joined.
    pub clusters: u64,
}

impl NearDupSummary {
    /// The block of a scan (or merge) whose files `index` settled.
    pub fn of(index: &mut crate::aggregate::near_dup::NearDupIndex) -> Self {
        NearDupSummary {
            parameters: *index.params(),
            records_indexed: index.records(),
            near_duplicate_records: index.near_duplicates(),
            clusters: index.clusters(),
        }
    }
}

/// Object-store traffic of a scan. The counters vary between runs (retries depend on
/// the store's health), which is why they live here and never in the ledger.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RemoteSummary {
    /// `--s3-endpoint`, recorded so `verify` reaches the same store.
    pub s3_endpoint: Option<String>,
    /// Requests, retries and bytes fetched.
    #[serde(flatten)]
    pub counters: crate::remote::RemoteCounters,
}

/// HyperLogLog sketches of the scan's distinct records, exact and normalised. The
/// ledger's duplicate counts are exact; these answer the same question across audits
/// from their summaries alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sketches {
    /// Distinct records by raw bytes.
    pub records: Option<SketchSummary>,
    /// Distinct records by normalised text.
    pub normalized_records: Option<SketchSummary>,
}

impl Sketches {
    /// The summary form of both sketches.
    pub fn of(exact: &HyperLogLog, normalized: &HyperLogLog) -> Self {
        Sketches {
            records: Some(SketchSummary::of(exact)),
            normalized_records: Some(SketchSummary::of(normalized)),
        }
    }
}

/// Where a merged audit came from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Merged {
    /// The shards this audit was merged from.
    pub shards: Vec<MergedShard>,
    /// How the scan-level duplicate counts were obtained.
    pub duplicates: Cow<'static, str>,
}

/// One shard of a merged audit, as its own summary named it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MergedShard {
    /// `I/N`.
    pub shard: String,
    /// The shard audit's id.
    pub audit_id: String,
    /// Its ledger rows.
    pub rows: u64,
    /// Its start, RFC 3339 UTC.
    pub started: String,
    /// Its end, RFC 3339 UTC.
    pub finished: String,
}

/// The effective options a summary records under `options`, typed for the verbs that
/// act on them again (`verify` walks the roots with the same filters). Lenient like
/// the summary: an option an older audit did not record takes its default.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RecordedOptions {
    /// `--include` globs.
    pub include: Vec<String>,
    /// `--exclude` globs.
    pub exclude: Vec<String>,
    /// `--follow-symlinks`.
    pub follow_symlinks: bool,
    /// `--hidden`.
    pub hidden: bool,
}

impl Summary {
    /// [`RecordedOptions`] of this audit.
    pub fn recorded_options(&self) -> RecordedOptions {
        RecordedOptions::deserialize(&self.options).unwrap_or_default()
    }
}

/// What makes an audit this audit rather than another: its roots, rules and options.
/// Scans compute it; merges take it from their shards.
#[derive(Debug, Clone)]
pub struct AuditBasis {
    /// The roots as given.
    pub roots: Vec<String>,
    /// See `Summary::rules_hash`.
    pub rules_hash: String,
    /// See `Summary::config_hash`.
    pub config_hash: String,
    /// See `Summary::options`.
    pub options: serde_json::Value,
}

impl Summary {
    /// The summary of finished rows: identity, times, totals and per-source and per-stage
    /// aggregates. Outputs, shard, policy, sketches and provenance of the run are set by
    /// the caller, which knows them.
    pub fn new(
        basis: AuditBasis,
        rows: &[LedgerRow],
        sources: &BTreeMap<String, Source>,
        merkle_root: String,
        started: std::time::SystemTime,
        clock: std::time::Instant,
    ) -> Summary {
        let mut figures = RowFigures::default();
        rows.iter().for_each(|r| figures.add(r));
        figures.into_summary(basis, sources, merkle_root, started, clock)
    }
}

/// The figures `summary.json` takes from the ledger rows (row count, totals, per
/// source, per stage), added up one row at a time so a scan that streams its rows to
/// the ledger never holds them: memory follows the sources and stages, not the files.
#[derive(Debug, Default)]
pub struct RowFigures {
    rows: u64,
    totals: GroupStats,
    per_source: BTreeMap<String, GroupStats>,
    per_stage: BTreeMap<Stage, GroupStats>,
}

impl RowFigures {
    /// Adds one row.
    pub fn add(&mut self, row: &LedgerRow) {
        self.rows += 1;
        self.totals.add(row);
        match self.per_source.get_mut(&row.source) {
            Some(stats) => stats.add(row),
            None => {
                let mut stats = GroupStats::default();
                stats.add(row);
                self.per_source.insert(row.source.clone(), stats);
            }
        }
        // Metadata, media and skipped files feed no stage.
        if row.role == FileRole::Data {
            self.per_stage
                .entry(row.stage_or_unknown())
                .or_default()
                .add(row);
        }
    }

    /// The summary of the rows added: identity, times, totals and per-source and
    /// per-stage aggregates. Outputs, shard, policy, sketches and provenance of the run
    /// are set by the caller, which knows them.
    pub fn into_summary(
        self,
        basis: AuditBasis,
        sources: &BTreeMap<String, Source>,
        merkle_root: String,
        started: std::time::SystemTime,
        clock: std::time::Instant,
    ) -> Summary {
        let started_text = crate::discover::rfc3339(started);
        let audit_id = crate::bytesource::hex(&sha2::Sha256::digest(format!(
            "{started_text}|{}|{merkle_root}",
            basis.config_hash
        )))[..16]
            .to_string();
        let per_source = self
            .per_source
            .into_iter()
            .filter_map(|(id, stats)| {
                let declared = sources.get(&id)?.clone();
                Some((
                    id,
                    SourceSummary {
                        declared,
                        stats: stats.finish(),
                    },
                ))
            })
            .collect();
        let per_stage = self
            .per_stage
            .into_iter()
            .map(|(stage, stats)| (stage, stats.finish()))
            .collect();
        Summary {
            schema_version: Some(super::SCHEMA_VERSION),
            tool: Tool {
                name: "provaudit".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            audit_id,
            started: started_text,
            finished: crate::discover::rfc3339(std::time::SystemTime::now()),
            duration_seconds: clock.elapsed().as_secs_f64(),
            roots: basis.roots,
            shard: None,
            rules_hash: basis.rules_hash,
            config_hash: basis.config_hash,
            options: basis.options,
            discovery: None,
            listing_sha256: None,
            methods: METHODS,
            ledger: LedgerInfo {
                rows: self.rows,
                merkle_root,
            },
            totals: self.totals.finish(),
            per_source,
            per_stage,
            outputs: BTreeMap::new(),
            policy: None,
            incremental: None,
            sketches: Sketches::default(),
            merged: None,
            remote: None,
            near_duplicates: None,
            safety: None,
            web_hosts: None,
            contamination: None,
        }
    }
}

/// What an incremental scan reused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Incremental {
    /// The prior audit's id.
    pub baseline: String,
    /// Rows taken over from the baseline.
    pub reused_files: u64,
    /// Files read again.
    pub read_files: u64,
}

/// A policy and the rules the audit breaks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyOutcome {
    /// The policy as checked (the file and `--fail-on` rules merged).
    pub policy: crate::config::policy::Policy,
    /// Rules broken, by source.
    pub violations: Vec<crate::config::policy::Violation>,
}

#[cfg(test)]
mod method_tests {
    use super::*;

    #[test]
    fn every_method_has_chinese_and_states_the_code_s_numbers() {
        for key in [
            "estimated_tokens",
            "languages",
            "duplicates",
            "stage",
            "pii",
        ] {
            let english = METHODS.get(key).unwrap();
            assert!(Methods::chinese(key, english).is_some(), "{key}");
            assert!(Methods::chinese(key, "an older statement").is_none());
        }
        use crate::analyze::language as l;
        for number in [
            l::SAMPLE_WORDS.to_string(),
            l::SAMPLE_BYTES.to_string(),
            l::MIN_LETTERS.to_string(),
            l::ENGLISH_MIN_HITS.to_string(),
            l::WIDE_SAMPLE_WORDS.to_string(),
            l::MIN_CONFIDENCE.to_string(),
            (whatlang::Lang::all().len() - l::LEFT_OUT.len()).to_string(),
            l::IDENTIFIER.to_string(),
        ] {
            assert!(METHODS.languages.contains(&number), "{number}");
            assert!(METHODS_ZH.languages.contains(&number), "{number}");
        }
        for region in crate::analyze::pii::DEFAULT_PHONE_REGIONS {
            assert!(METHODS.pii.contains(region), "{region}");
            assert!(METHODS_ZH.pii.contains(region), "{region}");
        }
        // Every built-in type is named in the coverage statement, in both languages.
        for t in crate::analyze::pii::PiiType::ALL {
            assert!(METHODS.pii.contains(t.as_str()), "{t}");
            assert!(METHODS_ZH.pii.contains(t.as_str()), "{t}");
        }
    }
}
