//! Labels in Chinese and English, and translations of the canonical identifiers
//! (stages, categories, PII types, ...). Unknown identifiers are shown as they are.

use super::Lang;

/// A bilingual text: Chinese and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct T {
    pub zh: &'static str,
    pub en: &'static str,
}

pub const fn t(zh: &'static str, en: &'static str) -> T {
    T { zh, en }
}

impl T {
    /// The text in one language; both joined by ` / ` for [`Lang::Both`].
    pub fn pick(self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh.to_string(),
            Lang::En => self.en.to_string(),
            Lang::Both if self.zh == self.en => self.zh.to_string(),
            Lang::Both => format!("{} / {}", self.zh, self.en),
        }
    }
}

pub const TITLE: T = t("训练数据披露报告", "Training data disclosure");
pub const NOT_DECLARED: T = t("未声明", "not declared");
pub const NONE: T = t("无", "none");
pub const YES: T = t("是", "yes");
pub const NO: T = t("否", "no");
pub const TOTAL: T = t("合计", "Total");

// Section titles, in order.
pub const SECTIONS: [T; 11] = [
    t("标识信息", "Identification"),
    t("按阶段概览", "Overview by stage"),
    t("数据来源", "Sources"),
    t("数据类型与多样性", "Type and diversity"),
    t("数据质量", "Quality"),
    t("知识产权", "Intellectual property"),
    t("个人信息", "Personal information"),
    t("标注数据（第八条）", "Labelled data (Article 8)"),
    t("来源阈值检查", "Per-source threshold checks"),
    t("方法说明", "Method"),
    t("备案对照", "Filing checklists"),
];

/// Translation of a canonical identifier, if known.
pub fn term(key: &str) -> Option<T> {
    Some(match key {
        // stages
        "pretrain" => t("预训练", "pretrain"),
        "finetune" => t("微调", "finetune"),
        "preference" => t("偏好对齐", "preference"),
        "eval" => t("评测", "eval"),
        "unknown" => t("未知", "unknown"),
        "total" => TOTAL,
        // declaration basis
        "manifest" => t("来源清单（provenance.toml）", "manifest (provenance.toml)"),
        "dataset_card" => t("数据集卡片", "dataset card"),
        "directory" => t("目录（无声明）", "directory (nothing declared)"),
        "hub_cache" => t(
            "Hugging Face 缓存（仓库 ID）",
            "Hugging Face cache (repo id)",
        ),
        "mixed" => t("多处", "mixed"),
        // origin
        "domestic" => t("境内", "domestic"),
        "foreign" => t("境外", "foreign"),
        // source categories
        "public_dataset" => t("公开数据集", "public dataset"),
        "licensed" => t("授权数据", "licensed"),
        "web_crawl" => t("网络爬取", "web crawl"),
        "user_data" => t("用户数据", "user data"),
        "synthetic" => t("合成数据", "synthetic"),
        "self_produced" => t("自采自产", "self-produced"),
        // license categories
        "public_domain" => t("公有领域", "public domain"),
        "permissive" => t("宽松许可", "permissive"),
        "weak_copyleft" => t("弱著佐权", "weak copyleft"),
        "strong_copyleft" => t("强著佐权", "strong copyleft"),
        "non_commercial" => t("非商业", "non-commercial"),
        "no_derivatives" => t("禁止演绎", "no derivatives"),
        "proprietary" => t("专有／保留所有权利", "proprietary"),
        "model_terms" => t("模型条款", "model terms"),
        // PII types
        "email" => t("电子邮箱", "email"),
        "phone" => t("电话号码", "phone"),
        "cn_resident_id" => t("居民身份证号", "CN resident ID"),
        "cn_uscc" => t("统一社会信用代码", "CN USCC"),
        "cn_passport" => t("护照号", "CN passport"),
        "bank_card" => t("银行卡号", "bank card"),
        "us_ssn" => t("美国社会安全号", "US SSN"),
        "iban" => t("国际银行账号", "IBAN"),
        "ip_address" => t("IP 地址", "IP address"),
        "person_name" => t("人名", "person name"),
        "address" => t("地址", "postal address"),
        "cn_license_plate" => t("车牌号", "CN license plate"),
        "secret" => t("密钥／凭据", "secret"),
        // finding confidence
        "high" => t("高", "high"),
        "medium" => t("中", "medium"),
        "low" => t("低", "low"),
        // sensitive personal information (PIPL Art. 28)
        "health" => t("医疗健康", "health"),
        "biometric" => t("生物识别", "biometric"),
        "religion" => t("宗教信仰", "religion"),
        "specific_identity" => t("特定身份", "specific identity"),
        "financial_account" => t("金融账户", "financial account"),
        "whereabouts" => t("行踪轨迹", "whereabouts"),
        "minor" => t("不满十四周岁未成年人", "minor under 14"),
        // record kinds
        "text" => t("文本", "text"),
        "instruction" => t("指令", "instruction"),
        "chat" => t("对话", "chat"),
        "labeled" => t("标签数据", "labeled"),
        "other" => t("其他", "other"),
        // modalities
        "image" => t("图像", "image"),
        "audio" => t("音频", "audio"),
        "video" => t("视频", "video"),
        "metadata" => t("元数据", "metadata"),
        // status
        "ok" => t("正常", "ok"),
        "partial" => t("部分读取", "partial"),
        "error" => t("错误", "error"),
        "skipped" => t("跳过", "skipped"),
        // languages
        "zh" => t("中文", "zh"),
        "en" => t("英文", "en"),
        "und" => t("未定", "und"),
        // checks
        "pii_record_share" => t("个人信息记录占比", "PI record share"),
        "unknown_license_share" => t("许可未知占比", "unknown-license share"),
        "error_share" => t("解析错误占比", "parse-error share"),
        // license conflicts
        "no_license" => t("无许可信息", "no license"),
        "stricter_than_declared" => t("检出许可严于声明", "stricter than declared"),
        "all_rights_reserved" => t("保留所有权利声明", "all rights reserved"),
        // method keys
        "estimated_tokens" => t("估算词元数", "estimated tokens"),
        "languages" => t("语言", "languages"),
        "duplicates" => t("重复", "duplicates"),
        "stage" => t("阶段", "stage"),
        "declared" => t("声明", "declared"),
        "measured" => t("测量", "measured"),
        "partly_declared" => t("部分声明", "partly declared"),
        "measured_and_declared" => t("测量与声明", "measured and declared"),
        "not_declared" => t("未声明", "not declared"),
        "inferred" => t("推断", "inferred"),
        "stage_inferred" => t(
            "推断的阶段（stage_basis = inferred）",
            "inferred stages (stage_basis = inferred)",
        ),
        "labelled_records" => t(
            "标注数据计数（按记录类型判定）",
            "labelled-data counts (by record kind)",
        ),
        _ => return None,
    })
}

/// Chinese rendering of a method statement from `summary.methods`, when it is today's
/// English statement; otherwise the scanner's own words are shown.
pub fn method_zh(key: &str, english: &str) -> Option<&'static str> {
    crate::ledger::summary::Methods::chinese(key, english)
}

/// Names of the languages the language stage can report (ISO 639-1 codes, the ones
/// `analyze::language` maps whatlang's to), so a reviewer reads "Romanian (ro)",
/// not a bare code. `zh`, `en` and `und` keep their [`term`]s. A data table: a new
/// language is one row.
const LANGUAGES: &[(&str, T)] = &[
    ("af", t("南非荷兰语 af", "Afrikaans (af)")),
    ("ak", t("阿坎语 ak", "Akan (ak)")),
    ("am", t("阿姆哈拉语 am", "Amharic (am)")),
    ("ar", t("阿拉伯语 ar", "Arabic (ar)")),
    ("az", t("阿塞拜疆语 az", "Azerbaijani (az)")),
    ("be", t("白俄罗斯语 be", "Belarusian (be)")),
    ("bn", t("孟加拉语 bn", "Bengali (bn)")),
    ("bg", t("保加利亚语 bg", "Bulgarian (bg)")),
    ("ca", t("加泰罗尼亚语 ca", "Catalan (ca)")),
    ("cs", t("捷克语 cs", "Czech (cs)")),
    ("cy", t("威尔士语 cy", "Welsh (cy)")),
    ("da", t("丹麦语 da", "Danish (da)")),
    ("de", t("德语 de", "German (de)")),
    ("el", t("希腊语 el", "Greek (el)")),
    ("eo", t("世界语 eo", "Esperanto (eo)")),
    ("et", t("爱沙尼亚语 et", "Estonian (et)")),
    ("fi", t("芬兰语 fi", "Finnish (fi)")),
    ("fr", t("法语 fr", "French (fr)")),
    ("gu", t("古吉拉特语 gu", "Gujarati (gu)")),
    ("he", t("希伯来语 he", "Hebrew (he)")),
    ("hi", t("印地语 hi", "Hindi (hi)")),
    ("hr", t("克罗地亚语 hr", "Croatian (hr)")),
    ("hu", t("匈牙利语 hu", "Hungarian (hu)")),
    ("hy", t("亚美尼亚语 hy", "Armenian (hy)")),
    ("id", t("印度尼西亚语 id", "Indonesian (id)")),
    ("it", t("意大利语 it", "Italian (it)")),
    ("jv", t("爪哇语 jv", "Javanese (jv)")),
    ("ja", t("日语 ja", "Japanese (ja)")),
    ("kn", t("卡纳达语 kn", "Kannada (kn)")),
    ("ka", t("格鲁吉亚语 ka", "Georgian (ka)")),
    ("km", t("高棉语 km", "Khmer (km)")),
    ("ko", t("韩语 ko", "Korean (ko)")),
    ("la", t("拉丁语 la", "Latin (la)")),
    ("lv", t("拉脱维亚语 lv", "Latvian (lv)")),
    ("lt", t("立陶宛语 lt", "Lithuanian (lt)")),
    ("ml", t("马拉雅拉姆语 ml", "Malayalam (ml)")),
    ("mr", t("马拉地语 mr", "Marathi (mr)")),
    ("mk", t("马其顿语 mk", "Macedonian (mk)")),
    ("my", t("缅甸语 my", "Burmese (my)")),
    ("ne", t("尼泊尔语 ne", "Nepali (ne)")),
    ("nl", t("荷兰语 nl", "Dutch (nl)")),
    ("nb", t("书面挪威语 nb", "Norwegian Bokmål (nb)")),
    ("or", t("奥里亚语 or", "Odia (or)")),
    ("pa", t("旁遮普语 pa", "Punjabi (pa)")),
    ("fa", t("波斯语 fa", "Persian (fa)")),
    ("pl", t("波兰语 pl", "Polish (pl)")),
    ("pt", t("葡萄牙语 pt", "Portuguese (pt)")),
    ("ro", t("罗马尼亚语 ro", "Romanian (ro)")),
    ("ru", t("俄语 ru", "Russian (ru)")),
    ("si", t("僧伽罗语 si", "Sinhala (si)")),
    ("sk", t("斯洛伐克语 sk", "Slovak (sk)")),
    ("sl", t("斯洛文尼亚语 sl", "Slovenian (sl)")),
    ("sn", t("绍纳语 sn", "Shona (sn)")),
    ("es", t("西班牙语 es", "Spanish (es)")),
    ("sr", t("塞尔维亚语 sr", "Serbian (sr)")),
    ("sv", t("瑞典语 sv", "Swedish (sv)")),
    ("ta", t("泰米尔语 ta", "Tamil (ta)")),
    ("te", t("泰卢固语 te", "Telugu (te)")),
    ("tl", t("他加禄语 tl", "Tagalog (tl)")),
    ("th", t("泰语 th", "Thai (th)")),
    ("tk", t("土库曼语 tk", "Turkmen (tk)")),
    ("tr", t("土耳其语 tr", "Turkish (tr)")),
    ("uk", t("乌克兰语 uk", "Ukrainian (uk)")),
    ("ur", t("乌尔都语 ur", "Urdu (ur)")),
    ("uz", t("乌兹别克语 uz", "Uzbek (uz)")),
    ("vi", t("越南语 vi", "Vietnamese (vi)")),
    ("yi", t("意第绪语 yi", "Yiddish (yi)")),
    ("zu", t("祖鲁语 zu", "Zulu (zu)")),
];

/// The name of a language code, if known (see [`LANGUAGES`]).
pub fn language(code: &str) -> Option<T> {
    term(code)
        .filter(|_| matches!(code, "zh" | "en" | "und"))
        .or_else(|| LANGUAGES.iter().find(|(c, _)| *c == code).map(|(_, t)| *t))
}
