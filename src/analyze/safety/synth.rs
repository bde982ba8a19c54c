//! Generated made-up lexicons for benches and measurements: pseudo-words that mean
//! nothing in any language, so a measurement never ships a real sensitive-word list.

use super::lexicon::{Lexicon, LexiconIdentity, TermEntry};

/// Syllables of the made-up English-looking terms.
const SYLLABLES: &[&str] = &[
    "zor", "blax", "quib", "flum", "wort", "snar", "kle", "tup", "vex", "drim", "plo", "grix",
    "mun", "tov", "yarb", "kesh", "lib", "nop", "wuz", "fent",
];

/// Han characters the made-up Chinese terms are drawn from (common ones, so some
/// generated pairs do occur in text: a screening with hits, as a real one has).
const HAN: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府";

/// `count` made-up terms over the Appendix A classes (about a third Chinese), with a
/// deterministic generator seeded by `seed`.
pub fn lexicon(count: usize, seed: u64) -> Lexicon {
    let han: Vec<char> = HAN.chars().collect();
    let mut state = seed | 1;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let categories = ["A.1.1", "A.1.5", "A.2.3", "A.3.2", "A.4.5", "A.5.1"];
    let mut terms = Vec::with_capacity(count);
    for i in 0..count {
        let text: String = if i % 3 == 0 {
            (0..3 + next(2)).map(|_| han[next(han.len())]).collect()
        } else {
            (0..2 + next(3))
                .map(|_| SYLLABLES[next(SYLLABLES.len())])
                .collect()
        };
        terms.push(TermEntry {
            category: categories[next(categories.len())].to_string(),
            text,
            weight: 1.0,
            exclude: Vec::new(),
        });
    }
    Lexicon {
        identity: LexiconIdentity {
            name: format!("generated-{count}"),
            ..Default::default()
        },
        terms,
    }
}

/// The lexicon as the TOML format writes it (for a whole-scan measurement).
pub fn to_toml(lexicon: &Lexicon) -> String {
    let mut out = format!("name = {:?}\n", lexicon.identity.name);
    for t in &lexicon.terms {
        out.push_str(&format!(
            "[[term]]\ncategory = {:?}\ntext = {:?}\n",
            t.category, t.text
        ));
    }
    out
}
