//! Markdown back end (GitHub-flavoured tables). Dataset-derived text is escaped so it
//! cannot break a table, start markup, or become HTML when the Markdown is rendered.

use super::Lang;
use super::disclosure::Disclosure;
use super::doc::{self, Block, Inline, Table};
use super::i18n;
use crate::discover::path_text::is_bidi_control;

pub fn render(d: &Disclosure, lang: Lang) -> String {
    let doc = doc::build(d);
    let mut out = String::new();
    out.push_str(&format!("# {}\n\n", esc(&doc.title.pick(lang))));
    out.push_str(&inline(&doc.subtitle, lang));
    out.push_str("\n\n");
    for block in &doc.blocks {
        match block {
            Block::Section(n, t) => out.push_str(&format!("## {n}. {}\n\n", esc(&t.pick(lang)))),
            Block::Sub(t) => out.push_str(&format!("### {}\n\n", esc(&t.pick(lang)))),
            Block::Para(i) => {
                out.push_str(&inline(i, lang));
                out.push_str("\n\n");
            }
            Block::Facts(facts) => {
                for (label, value) in facts {
                    out.push_str(&format!(
                        "- **{}**: {}\n",
                        esc(&label.pick(lang)),
                        inline(value, lang)
                    ));
                }
                out.push('\n');
            }
            Block::Table(t) => table(&mut out, t, lang),
            // Charts are drawn in HTML only; their figures are in the tables.
            Block::Chart(_) => {}
        }
    }
    out
}

fn table(out: &mut String, t: &Table, lang: Lang) {
    let cells: Vec<String> = t.head.iter().map(|h| inline(h, lang)).collect();
    out.push_str(&format!("| {} |\n", cells.join(" | ")));
    let aligns: Vec<&str> = (0..t.head.len())
        .map(|c| {
            let numeric =
                !t.rows.is_empty() && t.rows.iter().all(|r| r.get(c).is_some_and(is_numeric));
            if numeric { "---:" } else { "---" }
        })
        .collect();
    out.push_str(&format!("| {} |\n", aligns.join(" | ")));
    let last = t.rows.len().saturating_sub(1);
    for (i, row) in t.rows.iter().enumerate() {
        let mut cells: Vec<String> = row.iter().map(|c| inline(c, lang)).collect();
        if t.total_last
            && i == last
            && let Some(first) = cells.first_mut()
        {
            *first = format!("**{first}**");
        }
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out.push('\n');
}

pub fn is_numeric(i: &Inline) -> bool {
    match i {
        Inline::N(_) => true,
        Inline::Seq(parts) => parts
            .first()
            .is_some_and(|p| matches!(p, Inline::N(_) | Inline::Flag(_))),
        _ => false,
    }
}

fn inline(i: &Inline, lang: Lang) -> String {
    match i {
        Inline::L(t) => esc(&t.pick(lang)),
        Inline::D(s) | Inline::N(s) => esc(s),
        Inline::Code(s) => code(s),
        Inline::Nd => format!("*{}*", esc(&i18n::NOT_DECLARED.pick(lang))),
        Inline::Flag(t) => format!("**⚠ {}**", esc(&t.pick(lang))),
        Inline::Seq(parts) => parts.iter().map(|p| inline(p, lang)).collect(),
        Inline::Bi { zh, en } => match lang {
            Lang::Zh => esc(zh),
            Lang::En => esc(en),
            Lang::Both => format!("{} / {}", esc(zh), esc(en)),
        },
    }
}

/// A code span; text that a code span cannot hold safely is escaped instead.
pub(super) fn code(s: &str) -> String {
    if s.is_empty() || s.contains('`') || s.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return esc(s);
    }
    format!("`{}`", s.replace('|', "\\|"))
}

/// Escapes Markdown punctuation and HTML: the result is plain text in any renderer.
/// Bidirectional controls become U+FFFD, so a declared name cannot read backwards.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c if is_bidi_control(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
