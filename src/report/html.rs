//! HTML back end: one self-contained file (inline CSS, inline SVG charts, no script, no
//! external request of any kind; a Content-Security-Policy forbids them too). With
//! [`Lang::Both`] a CSS-only radio switch shows Chinese, English or both. Every string
//! derived from the dataset goes through [`esc`].

use std::fmt::Write;

use super::Lang;
use super::disclosure::Disclosure;
use super::doc::{self, Block, Chart, Inline, Table};
use super::i18n::{self, T};
use super::markdown::is_numeric;
use crate::discover::path_text::is_bidi_control;

const CSS: &str = r#"
:root{--fg:#1d2330;--muted:#5b6475;--line:#d9dee7;--bg:#fff;--head:#f3f5f9;--accent:#2f5fb3;--flag:#b42318}
*{box-sizing:border-box}
body{margin:0;color:var(--fg);background:var(--bg);font:14px/1.55 system-ui,-apple-system,"Segoe UI","Helvetica Neue",Arial,"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Source Han Sans CN","WenQuanYi Micro Hei","WenQuanYi Zen Hei","PingFang SC","Hiragino Sans GB","Microsoft YaHei","SimHei",sans-serif}
.page{max-width:1180px;margin:0 auto;padding:24px 28px 48px}
header{border-bottom:2px solid var(--accent);padding-bottom:12px;margin-bottom:16px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:20px 0 8px;color:var(--muted)}
.subtitle{color:var(--muted)}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px;background:#f5f6f8;padding:0 3px;border-radius:3px;word-break:break-all}
.tw{overflow-x:auto;margin:8px 0 14px}
table{border-collapse:collapse;min-width:50%;font-size:13px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;min-width:4.5em}
th{min-width:5em}
th{background:var(--head);font-weight:600}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.total td{font-weight:600;background:#fafbfc}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:8px 0 14px}
dl.facts dt{font-weight:600;color:var(--muted)}
dl.facts dd{margin:0}
.nd{color:var(--muted);font-style:italic}
.flag{color:var(--flag)}
figure{margin:8px 0 18px}
figcaption{font-weight:600;font-size:13px;margin-bottom:4px}
svg.chart{max-width:100%;height:auto}
svg.chart text{font-size:12px;fill:var(--fg)}
svg.chart rect.bar{fill:var(--accent)}
svg.chart rect.track{fill:#eef1f6}
nav.toc ol{columns:2;margin:0 0 8px;padding-left:20px}
nav.toc a{color:var(--accent);text-decoration:none}
.lang-radio{position:absolute;opacity:0;pointer-events:none}
.switch{float:right;display:flex;gap:4px}
.switch label{border:1px solid var(--line);border-radius:4px;padding:2px 10px;cursor:pointer;color:var(--muted)}
#lang-zh:checked~.page label[for=lang-zh],#lang-en:checked~.page label[for=lang-en],#lang-both:checked~.page label[for=lang-both]{background:var(--accent);border-color:var(--accent);color:#fff}
#lang-zh:checked~.page .en,#lang-en:checked~.page .zh{display:none}
.sep{display:none}
#lang-both:checked~.page .sep{display:inline}
@media print{
 @page{size:A4;margin:14mm}
 body{font-size:10pt}
 .page{max-width:none;padding:0}
 .switch,nav.toc{display:none}
 h2{break-after:avoid}
 h3{break-after:avoid}
 tr,figure,dl.facts{break-inside:avoid}
 thead{display:table-header-group}
 .tw{overflow:visible}
 code{background:none}
 table{font-size:8pt;min-width:0}
 th,td{min-width:0;padding:2px 4px}
 svg.chart{max-width:100%}
 a{color:inherit}
}
"#;

struct Ctx {
    lang: Lang,
}

pub fn render(d: &Disclosure, lang: Lang) -> String {
    let doc = doc::build(d);
    let cx = Ctx { lang };
    let html_lang = match lang {
        Lang::En => "en",
        _ => "zh-CN",
    };
    let mut o = String::with_capacity(64 * 1024);
    o.push_str("<!DOCTYPE html>\n");
    let _ = write!(
        o,
        "<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n"
    );
    o.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n",
    );
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n");
    let title_text = match lang {
        Lang::Zh => i18n::TITLE.zh.to_string(),
        Lang::En => i18n::TITLE.en.to_string(),
        Lang::Both => i18n::TITLE.pick(lang),
    };
    let audit = d.identification.audit_id.as_deref().unwrap_or("");
    let _ = writeln!(o, "<title>{} {}</title>", esc(&title_text), esc(audit));
    let _ = writeln!(o, "<style>{CSS}</style>\n</head>\n<body>");
    if lang == Lang::Both {
        o.push_str(
            "<input type=\"radio\" name=\"lang\" id=\"lang-zh\" class=\"lang-radio\" checked>\n",
        );
        o.push_str("<input type=\"radio\" name=\"lang\" id=\"lang-en\" class=\"lang-radio\">\n");
        o.push_str("<input type=\"radio\" name=\"lang\" id=\"lang-both\" class=\"lang-radio\">\n");
    }
    o.push_str("<div class=\"page\">\n<header>\n");
    if lang == Lang::Both {
        o.push_str(
            "<div class=\"switch\" aria-label=\"language\"><label for=\"lang-zh\">中文</label><label for=\"lang-en\">English</label><label for=\"lang-both\">中文 + English</label></div>\n",
        );
    }
    let _ = writeln!(o, "<h1>{}</h1>", cx.label(doc.title));
    let _ = writeln!(
        o,
        "<div class=\"subtitle\">{}</div>",
        cx.inline(&doc.subtitle)
    );
    o.push_str("</header>\n<nav class=\"toc\"><ol>\n");
    for (i, t) in i18n::SECTIONS.iter().enumerate() {
        let _ = writeln!(o, "<li><a href=\"#s{}\">{}</a></li>", i + 1, cx.label(*t));
    }
    o.push_str("</ol></nav>\n<main>\n");
    let mut open = false;
    for block in &doc.blocks {
        match block {
            Block::Section(n, t) => {
                if open {
                    o.push_str("</section>\n");
                }
                open = true;
                let _ = writeln!(o, "<section id=\"s{n}\">\n<h2>{n}. {}</h2>", cx.label(*t));
            }
            Block::Sub(t) => {
                let _ = writeln!(o, "<h3>{}</h3>", cx.label(*t));
            }
            Block::Para(i) => {
                let _ = writeln!(o, "<p>{}</p>", cx.inline(i));
            }
            Block::Facts(facts) => {
                o.push_str("<dl class=\"facts\">\n");
                for (label, value) in facts {
                    let _ = writeln!(
                        o,
                        "<dt>{}</dt><dd>{}</dd>",
                        cx.label(*label),
                        cx.inline(value)
                    );
                }
                o.push_str("</dl>\n");
            }
            Block::Table(t) => cx.table(&mut o, t),
            Block::Chart(c) => cx.chart(&mut o, c),
        }
    }
    if open {
        o.push_str("</section>\n");
    }
    o.push_str("</main>\n</div>\n</body>\n</html>\n");
    o
}

impl Ctx {
    fn label(&self, t: T) -> String {
        self.bilingual(t.zh, t.en)
    }

    fn bilingual(&self, zh: &str, en: &str) -> String {
        match self.lang {
            Lang::Zh => esc(zh),
            Lang::En => esc(en),
            Lang::Both if zh == en => esc(zh),
            Lang::Both => format!(
                "<span class=\"zh\" lang=\"zh-CN\">{}</span><span class=\"sep\"> / </span><span class=\"en\" lang=\"en\">{}</span>",
                esc(zh),
                esc(en)
            ),
        }
    }

    fn inline(&self, i: &Inline) -> String {
        match i {
            Inline::L(t) => self.label(*t),
            Inline::D(s) | Inline::N(s) => esc(s),
            Inline::Code(s) => format!("<code>{}</code>", esc(s)),
            Inline::Nd => format!(
                "<span class=\"nd\">{}</span>",
                self.label(i18n::NOT_DECLARED)
            ),
            Inline::Flag(t) => format!("<strong class=\"flag\">⚠ {}</strong>", self.label(*t)),
            Inline::Seq(parts) => parts.iter().map(|p| self.inline(p)).collect(),
            Inline::Bi { zh, en } => self.bilingual(zh, en),
        }
    }

    fn table(&self, o: &mut String, t: &Table) {
        o.push_str("<div class=\"tw\"><table>\n<thead><tr>");
        for h in &t.head {
            let _ = write!(o, "<th>{}</th>", self.inline(h));
        }
        o.push_str("</tr></thead>\n<tbody>\n");
        let last = t.rows.len().saturating_sub(1);
        for (i, row) in t.rows.iter().enumerate() {
            if t.total_last && i == last {
                o.push_str("<tr class=\"total\">");
            } else {
                o.push_str("<tr>");
            }
            for cell in row {
                if is_numeric(cell) {
                    let _ = write!(o, "<td class=\"num\">{}</td>", self.inline(cell));
                } else {
                    let _ = write!(o, "<td>{}</td>", self.inline(cell));
                }
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody></table></div>\n");
    }

    /// Text for an SVG `<text>`: spans become `<tspan>`s.
    fn svg_text(&self, i: &Inline) -> String {
        match i {
            Inline::L(t) => match self.lang {
                Lang::Zh => esc(&truncate(t.zh, LABEL_UNITS)),
                Lang::En => esc(&truncate(t.en, LABEL_UNITS)),
                Lang::Both if t.zh == t.en => esc(&truncate(t.zh, LABEL_UNITS)),
                // Both halves share the label's width, so neither pushes the other
                // past the chart's left edge; the title tooltip keeps the whole text.
                Lang::Both => format!(
                    "<tspan class=\"zh\">{}</tspan><tspan class=\"sep\"> / </tspan><tspan class=\"en\">{}</tspan>",
                    esc(&truncate(t.zh, BOTH_ZH_UNITS)),
                    esc(&truncate(t.en, LABEL_UNITS - BOTH_ZH_UNITS - 3))
                ),
            },
            other => esc(&truncate(&plain(other), LABEL_UNITS)),
        }
    }

    fn chart(&self, o: &mut String, c: &Chart) {
        const WIDTH: f64 = 760.0;
        const LABEL: f64 = 260.0;
        const VALUE: f64 = 150.0;
        const ROW: f64 = 24.0;
        let max = c.bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
        let height = ROW * c.bars.len() as f64 + 8.0;
        let track = WIDTH - LABEL - VALUE;
        let _ = writeln!(
            o,
            "<figure><figcaption>{}</figcaption>\n<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\">",
            self.label(c.title)
        );
        for (i, b) in c.bars.iter().enumerate() {
            let y = 4.0 + ROW * i as f64;
            let w = if max > 0.0 {
                (b.value / max * track).max(if b.value > 0.0 { 1.0 } else { 0.0 })
            } else {
                0.0
            };
            let _ = writeln!(
                o,
                "<g><title>{title}</title><text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{label}</text><rect class=\"track\" x=\"{LABEL}\" y=\"{ry}\" width=\"{track:.1}\" height=\"16\" rx=\"2\"/><rect class=\"bar\" x=\"{LABEL}\" y=\"{ry}\" width=\"{w:.1}\" height=\"16\" rx=\"2\"/><text x=\"{vx}\" y=\"{ty}\">{value}</text></g>",
                title = esc(&plain(&b.label)),
                lx = LABEL - 8.0,
                ty = y + 13.0,
                ry = y + 1.0,
                label = self.svg_text(&b.label),
                vx = LABEL + track + 8.0,
                value = esc(&b.text),
            );
        }
        o.push_str("</svg></figure>\n");
    }
}

/// Plain text of an inline (English side of labels), for tooltips and SVG.
fn plain(i: &Inline) -> String {
    match i {
        Inline::L(t) | Inline::Flag(t) => t.en.to_string(),
        Inline::D(s) | Inline::N(s) | Inline::Code(s) => s.clone(),
        Inline::Nd => i18n::NOT_DECLARED.en.to_string(),
        Inline::Seq(parts) => parts.iter().map(plain).collect(),
        Inline::Bi { en, .. } => en.clone(),
    }
}

/// Width of a chart label's area, in half-em units (12 px text: a Latin letter is
/// about one unit, a Han character two). Labels are right-aligned against the bars,
/// so a longer label runs off the chart's left edge: it is cut to fit instead.
const LABEL_UNITS: usize = 36;
/// The Chinese half's share of [`LABEL_UNITS`] when both languages are shown.
const BOTH_ZH_UNITS: usize = 14;

/// Display width in half-em units: two for East Asian wide characters (Hangul, kana,
/// Han, CJK punctuation, full-width forms), one otherwise.
fn units(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// `s` cut to at most `max` units of width, with `…` when cut.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().map(units).sum::<usize>() <= max {
        return s.to_string();
    }
    let mut t = String::new();
    let mut width = 0;
    for c in s.chars() {
        if width + units(c) > max.saturating_sub(1) {
            break;
        }
        width += units(c);
        t.push(c);
    }
    t.push('…');
    t
}

/// Escapes text for HTML element content and quoted attribute values; controls and
/// bidirectional controls (which could make a name read backwards) become U+FFFD.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c if is_bidi_control(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chart label never runs off the chart's left edge: Chinese characters count
    /// double, and a cut label ends with `…` within the width.
    #[test]
    fn labels_are_cut_by_display_width() {
        let width = |s: &str| s.chars().map(units).sum::<usize>();
        assert_eq!(truncate("short", LABEL_UNITS), "short");
        let zh = "非常长的来源名称用于测试图表标签是否会被截断而不溢出左边界";
        let cut = truncate(zh, LABEL_UNITS);
        assert!(cut.ends_with('…') && width(&cut) <= LABEL_UNITS, "{cut}");
        let en = "a very long English source name that goes on and on";
        let cut = truncate(en, LABEL_UNITS);
        assert!(cut.ends_with('…') && width(&cut) <= LABEL_UNITS, "{cut}");
        assert_eq!(width(&truncate(zh, BOTH_ZH_UNITS)), BOTH_ZH_UNITS - 1);
    }
}
