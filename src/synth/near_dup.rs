//! Near-duplicate pairs with controlled edits, for measuring MinHash-LSH accuracy.
//!
//! Each pair is a generated document (English-like words or Chinese characters) and a
//! copy edited by one kind of edit at a drawn rate: words or characters inserted,
//! deleted or substituted, blocks reordered, or a header and footer changed. The
//! pair's true similarity is the Jaccard similarity of the two shingle sets as the
//! scan cuts them ([`crate::analyze::minhash::jaccard`]), so the tests and the
//! evaluation can bucket pairs by it. A share of pairs are unrelated documents.

use super::Rng;

/// The kinds of edit a pair's copy went through.
pub const EDITS: &[&str] = &[
    "insert",
    "delete",
    "substitute",
    "reorder",
    "header_footer",
    "unrelated",
];

/// One generated pair.
#[derive(Debug, Clone)]
pub struct EditedPair {
    /// The original document.
    pub original: String,
    /// The edited copy (or an unrelated document).
    pub edited: String,
    /// Which of [`EDITS`].
    pub edit: &'static str,
    /// Chinese (character tokens) rather than English-like words.
    pub chinese: bool,
}

/// Syllables of the English-like words: 24 × 24 × 24 words of 2–3 syllables, enough
/// that unrelated documents share almost no 5-word shingle.
const SYLLABLES: &[&str] = &[
    "ka", "to", "ri", "men", "sa", "lo", "ve", "tan", "pi", "dor", "el", "us", "qua", "ni", "bre",
    "fo", "gim", "ha", "jo", "wex", "zu", "yal", "cri", "om",
];

fn en_word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    (0..n).map(|_| rng.word(SYLLABLES)).collect()
}

/// A Han character among the 3,000 first of the unified block.
fn zh_char(rng: &mut Rng) -> String {
    char::from_u32(0x4e00 + rng.below(3000) as u32)
        .map(String::from)
        .unwrap_or_default()
}

fn token(rng: &mut Rng, chinese: bool) -> String {
    if chinese { zh_char(rng) } else { en_word(rng) }
}

fn join(tokens: &[String], chinese: bool) -> String {
    tokens.join(if chinese { "" } else { " " })
}

/// `n` pairs from `seed`: edit kinds in turn, a third of them Chinese, edit rates
/// drawn so similarities spread over 0–1.
pub fn pairs(seed: u64, n: usize) -> Vec<EditedPair> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let edit = EDITS[i % EDITS.len()];
            let chinese = i % 3 == 0;
            let len = 40 + rng.below(360);
            let tokens: Vec<String> = (0..len).map(|_| token(&mut rng, chinese)).collect();
            // Half the pairs lightly edited (under 2% of tokens: one edited word
            // changes up to five 5-word shingles), half at up to 60%.
            let rate = if rng.below(2) == 0 {
                rng.below(20)
            } else {
                rng.below(600)
            };
            let edited = edit_tokens(&mut rng, &tokens, edit, rate, chinese);
            EditedPair {
                original: join(&tokens, chinese),
                edited,
                edit,
                chinese,
            }
        })
        .collect()
}

/// Applies `edit` to `rate`‰ of the tokens (at least one).
fn edit_tokens(rng: &mut Rng, tokens: &[String], edit: &str, rate: usize, chinese: bool) -> String {
    let count = (tokens.len() * rate / 1000).max(1);
    let mut out = tokens.to_vec();
    match edit {
        "insert" => {
            for _ in 0..count {
                let at = rng.below(out.len() + 1);
                out.insert(at, token(rng, chinese));
            }
        }
        "delete" => {
            for _ in 0..count.min(out.len() - 1) {
                let at = rng.below(out.len());
                out.remove(at);
            }
        }
        "substitute" => {
            for _ in 0..count {
                let at = rng.below(out.len());
                out[at] = token(rng, chinese);
            }
        }
        "reorder" => {
            // Cut into blocks and move `count / 8 + 1` of them elsewhere.
            let block = 8 + rng.below(24);
            let mut blocks: Vec<Vec<String>> = out.chunks(block).map(<[_]>::to_vec).collect();
            for _ in 0..count / 8 + 1 {
                let from = rng.below(blocks.len());
                let moved = blocks.remove(from);
                let to = rng.below(blocks.len() + 1);
                blocks.insert(to, moved);
            }
            out = blocks.concat();
        }
        "header_footer" => {
            let header: Vec<String> = (0..count / 2 + 1).map(|_| token(rng, chinese)).collect();
            let footer: Vec<String> = (0..count / 2).map(|_| token(rng, chinese)).collect();
            out = [header, out, footer].concat();
        }
        _ => {
            out = (0..tokens.len()).map(|_| token(rng, chinese)).collect();
        }
    }
    join(&out, chinese)
}
