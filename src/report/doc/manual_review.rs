//! The report's "corpus safety: manual sampled review" part: GB/T 45654-2025's figures
//! for the manual sample (at least 4,000 items, a pass rate of at least 96%) beside what
//! `provaudit review` recorded, or that no manual review is recorded.

use super::{Block, Inline, code, d, grouped, l, n, pct, seq, t, table};
use crate::report::disclosure::ManualReview;
use crate::review::PassRate;

/// The standard's requirement, cited without a clause number (see `docs/review.md`).
const REQUIREMENT: (&str, &str) = (
    "依据 GB/T 45654-2025 训练数据安全要求：应对训练数据进行抽样安全评估，人工抽检随机抽取不少于 4,000 条，合格率不低于 96%；技术抽检（关键词、分类模型）另行进行。",
    "Per GB/T 45654-2025's training-data security requirements, the training data is assessed by sampling: a manual random sample of at least 4,000 items with a pass rate of at least 96%, and a technical sample (keywords, classifier) besides.",
);

/// Appends the part to section 9.
pub(super) fn blocks(review: &ManualReview, b: &mut Vec<Block>) {
    b.push(Block::Sub(t(
        "语料安全：人工抽检",
        "Corpus safety: manual sampled review",
    )));
    b.push(Block::Para(l(REQUIREMENT.0, REQUIREMENT.1)));
    let th = &review.thresholds;
    let Some(r) = &review.recorded else {
        b.push(Block::Facts(vec![
            (
                t("标准要求", "Standard's figures"),
                standard(th.min_items, th.min_pass_rate),
            ),
            (
                t("人工抽检", "Manual review"),
                l("未记录人工抽检", "no manual review recorded"),
            ),
        ]));
        return;
    };
    let o = &r.overall;
    let enough = o.reviewed >= th.min_items;
    let passing = o.rate >= th.min_pass_rate;
    b.push(Block::Facts(vec![
        (
            t("标准要求", "Standard's figures"),
            standard(th.min_items, th.min_pass_rate),
        ),
        (
            t("抽样", "Sample"),
            seq(vec![
                code(r.sample_id.clone()),
                d(format!(
                    " · seed {} · {} / {}",
                    r.seed,
                    grouped(r.sampled),
                    grouped(r.size)
                )),
            ]),
        ),
        (
            t("已审条数", "Items reviewed"),
            verdict(n(o.reviewed), enough),
        ),
        (t("合格率", "Pass rate"), verdict(rate(o), passing)),
        (
            t("审核人", "Reviewer"),
            r.reviewer.clone().map_or(Inline::Nd, d),
        ),
        (t("记录日期", "Recorded"), d(r.date.clone())),
        (
            t("结论", "Result"),
            if enough && passing {
                l("符合标准要求", "meets the standard's figures")
            } else {
                Inline::Flag(t("未达标准要求", "does not meet the standard's figures"))
            },
        ),
    ]));
    b.push(table(
        vec![
            l("来源", "Source"),
            l("抽取", "Sampled"),
            l("已审", "Reviewed"),
            l("合格", "Passed"),
            l(
                "合格率（95% Wilson 区间）",
                "Pass rate (95% Wilson interval)",
            ),
        ],
        r.per_source_results
            .iter()
            .map(|(source, s)| {
                vec![
                    code(source.clone()),
                    n(s.sampled),
                    n(s.reviewed),
                    n(s.passed),
                    rate(s),
                ]
            })
            .collect(),
    ));
    let categories = if r.categories.is_empty() {
        l("无", "none")
    } else {
        d(r.categories
            .iter()
            .map(|(c, k)| format!("{c}: {}", grouped(*k)))
            .collect::<Vec<_>>()
            .join(", "))
    };
    let technical = &r.technical;
    let lexicon = if technical.screened {
        let per = technical
            .records_by_category
            .iter()
            .map(|(c, k)| format!("{c}: {}", grouped(*k)))
            .collect::<Vec<_>>()
            .join(", ");
        let text = format!(
            "{} / {}{}",
            grouped(technical.records_with_hits),
            grouped(r.sampled),
            if per.is_empty() {
                String::new()
            } else {
                format!(" ({per})")
            }
        );
        if technical.findings_complete {
            d(text)
        } else {
            seq(vec![
                d(text),
                l(
                    "（下限：扫描未以 --findings all 写出全部命中）",
                    " (a lower bound: the scan did not write every hit, --findings all)",
                ),
            ])
        }
    } else {
        l("未做关键词筛查", "not screened")
    };
    let mut facts = vec![
        (
            t("各风险类别不合格条数", "Fails per risk category"),
            categories,
        ),
        (
            t(
                "技术抽检：样本中词库命中的记录",
                "Technical sample: records with lexicon hits in the sample",
            ),
            lexicon,
        ),
    ];
    if let Some(c) = &technical.classifier {
        facts.push((
            t(
                "技术抽检：分类模型标记的记录",
                "Technical sample: records the classifier flags",
            ),
            seq(vec![
                d(format!(
                    "{} / {} (≥ {}) · ",
                    grouped(c.records_flagged),
                    grouped(c.records_scored),
                    c.threshold
                )),
                code(c.name.clone()),
                d(c.version
                    .as_ref()
                    .map(|v| format!(" {v}"))
                    .unwrap_or_default()),
            ]),
        ));
    }
    b.push(Block::Facts(facts));
}

fn standard(items: u64, rate: f64) -> Inline {
    let rate = format!("{:.0}%", rate * 100.0);
    Inline::Bi {
        zh: format!("抽取不少于 {} 条，合格率不低于 {rate}", grouped(items)),
        en: format!(
            "at least {} items, pass rate at least {rate}",
            grouped(items)
        ),
    }
}

fn rate(r: &PassRate) -> Inline {
    Inline::N(format!(
        "{} ({}/{}; {}–{})",
        pct(r.rate),
        grouped(r.passed),
        grouped(r.reviewed),
        pct(r.wilson_low),
        pct(r.wilson_high)
    ))
}

/// A figure, marked when it falls short of the standard.
fn verdict(figure: Inline, ok: bool) -> Inline {
    if ok {
        figure
    } else {
        seq(vec![
            Inline::Flag(t("低于标准", "below the standard")),
            d(" "),
            figure,
        ])
    }
}
