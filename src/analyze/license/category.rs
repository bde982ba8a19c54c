//! License categories and obligations, derived from SPDX expressions.

use serde::Serialize;
use spdx::LicenseItem;
use spdx::expression::{ExprNode, Operator};

use super::expr::to_expression;
use super::rules::{LICENSE_REF_CATEGORIES, SPDX_CATEGORY_TABLE};
use crate::wire::wire_enum;

wire_enum! {
    /// What a license allows, coarsely, for deciding whether data may be used to
    /// train a model.
    ///
    /// Strictness order, used by "strictest wins" (see [`Category::strictness`]):
    /// `public_domain < permissive < weak_copyleft < strong_copyleft <
    /// non_commercial < no_derivatives < model_terms < proprietary < unknown`.
    /// ND ranks above NC because it forbids adaptations even for non-commercial
    /// use; model terms add use restrictions on top of a grant; proprietary
    /// grants nothing. `unknown` ranks strictest: a license nobody has assessed
    /// must go to review, and must never be averaged away by a permissive
    /// neighbour under AND. Under OR it is the least preferred alternative, so
    /// any known option wins.
    pub enum Category("license category") {
        /// No rights reserved at all (CC0, the Unlicense, public-domain dedications).
        PublicDomain = "public_domain",
        /// Use with attribution only (MIT, BSD, Apache-2.0, CC-BY).
        Permissive = "permissive",
        /// Share-alike on the licensed files only (LGPL, MPL, EPL).
        WeakCopyleft = "weak_copyleft",
        /// Share-alike on derived works as a whole (GPL, AGPL, CC-BY-SA).
        StrongCopyleft = "strong_copyleft",
        /// No commercial use (CC-BY-NC and its variants).
        NonCommercial = "non_commercial",
        /// No adaptations, even non-commercial ones (CC-BY-ND and its variants).
        NoDerivatives = "no_derivatives",
        /// Model licenses with use restrictions on top of a grant (OpenRAIL, Llama terms).
        ModelTerms = "model_terms",
        /// No grant: proprietary terms, EULAs, terms of use.
        Proprietary = "proprietary",
        /// Not assessed: must go to a human, so it ranks strictest.
        Unknown = "unknown",
    }
}

impl Category {
    /// Rank in the strictness order (0 = least strict): the declaration order. A
    /// category this version does not know ranks with `unknown`, strictest.
    pub fn strictness(&self) -> u8 {
        let unknown = Category::ALL.len() - 1;
        self.position().unwrap_or(unknown) as u8
    }

    /// The stricter of two categories (AND: both licenses apply).
    pub fn stricter(self, other: Category) -> Category {
        if other.strictness() > self.strictness() {
            other
        } else {
            self
        }
    }

    /// The more permissive of two categories (OR: the user may pick).
    pub fn more_permissive(self, other: Category) -> Category {
        if other.strictness() < self.strictness() {
            other
        } else {
            self
        }
    }
}

/// Nothing assessed yet: never assumed free.
impl Default for Category {
    fn default() -> Self {
        Category::Unknown
    }
}

/// Obligations that survive into the use of the data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LicenseFlags {
    /// Credit must be given to the licensor when the data is used.
    pub attribution: bool,
    /// Derived works must be released under the same terms.
    pub share_alike: bool,
}

impl LicenseFlags {
    /// Both sets of obligations apply (AND, or summing evidence).
    pub fn union(self, o: LicenseFlags) -> LicenseFlags {
        LicenseFlags {
            attribution: self.attribution || o.attribution,
            share_alike: self.share_alike || o.share_alike,
        }
    }

    /// Obligations common to both alternatives (OR). Per flag, so it is a
    /// lower bound: it may combine two branches' absences.
    pub fn intersect(self, o: LicenseFlags) -> LicenseFlags {
        LicenseFlags {
            attribution: self.attribution && o.attribution,
            share_alike: self.share_alike && o.share_alike,
        }
    }
}

fn table_lookup(id: &str) -> Option<Category> {
    SPDX_CATEGORY_TABLE.iter().find_map(|(pat, cat)| {
        let hit = match pat.strip_suffix('*') {
            Some(prefix) => id.starts_with(prefix),
            None => id == *pat,
        };
        hit.then(|| cat.clone())
    })
}

/// Category of one SPDX license id: the hand table first, then the SPDX
/// flags. Unflagged ids (neither OSI, FSF nor copyleft) are mostly
/// permissive notice variants (HPND, MIT-*, BSD-*); the restrictive ones we
/// know are in the hand table, and names saying non-commercial /
/// no-derivatives / public domain are honoured.
pub(super) fn category_of_id(id: &str) -> Category {
    if let Some(cat) = table_lookup(id) {
        return cat;
    }
    let Some(lic) = spdx::license_id(id) else {
        return Category::Unknown;
    };
    if lic.is_copyleft() {
        return Category::StrongCopyleft;
    }
    if lic.is_osi_approved() || lic.is_fsf_free_libre() {
        return Category::Permissive;
    }
    let full = lic.full_name.to_ascii_lowercase();
    if full.contains("non-commercial") || full.contains("noncommercial") {
        Category::NonCommercial
    } else if full.contains("no derivative") || full.contains("noderiv") {
        Category::NoDerivatives
    } else if full.contains("public domain") {
        Category::PublicDomain
    } else {
        Category::Permissive
    }
}

/// Category of `LicenseRef-<name>`. Unversioned Creative Commons refs
/// ("LicenseRef-CC-BY-NC") take the category of their elements.
pub(super) fn category_of_ref(name: &str) -> Category {
    let lower = name.to_ascii_lowercase();
    if let Some((_, cat)) = LICENSE_REF_CATEGORIES.iter().find(|(n, _)| *n == lower) {
        return cat.clone();
    }
    if lower.starts_with("cc-by") || lower.starts_with("cc-sa") {
        return table_lookup(&format!("{}-x", name.to_ascii_uppercase()))
            .unwrap_or(Category::Unknown);
    }
    Category::Unknown
}

fn category_of_item(item: &LicenseItem, has_exception: bool) -> Category {
    match item {
        LicenseItem::Spdx { id, .. } => {
            let cat = category_of_id(id.name);
            // GPL with a linking exception (Classpath, GCC runtime, ...) no
            // longer reaches the combined work: weak, not strong, copyleft.
            if has_exception && cat == Category::StrongCopyleft && id.name.starts_with("GPL") {
                Category::WeakCopyleft
            } else {
                cat
            }
        }
        LicenseItem::Other(r) => category_of_ref(&r.lic_ref),
    }
}

/// Evaluates a postfix SPDX expression with one combinator per operator.
fn fold_expr<T>(
    expr: &str,
    leaf: impl Fn(&LicenseItem, bool) -> T,
    and: fn(T, T) -> T,
    or: fn(T, T) -> T,
) -> Option<T> {
    let e = to_expression(expr)?;
    let mut stack: Vec<T> = Vec::new();
    for node in e.iter() {
        match node {
            ExprNode::Req(r) => stack.push(leaf(&r.req.license, r.req.addition.is_some())),
            ExprNode::Op(op) => {
                let (b, a) = (stack.pop()?, stack.pop()?);
                stack.push(match op {
                    Operator::And => and(a, b),
                    Operator::Or => or(a, b),
                });
            }
        }
    }
    stack.pop()
}

/// Category of an SPDX id, expression or LicenseRef: strictest wins over AND
/// (every term applies), most permissive over OR (the licensee may choose).
/// Anything that does not parse is `unknown`.
pub fn category_of(expr: &str) -> Category {
    fold_expr(
        expr,
        category_of_item,
        Category::stricter,
        Category::more_permissive,
    )
    .unwrap_or(Category::Unknown)
}

fn flags_of_item(item: &LicenseItem, has_exception: bool) -> LicenseFlags {
    let cat = category_of_item(item, has_exception);
    let name = match item {
        LicenseItem::Spdx { id, .. } => id.name.to_ascii_uppercase(),
        LicenseItem::Other(r) => r.lic_ref.to_ascii_uppercase(),
    };
    let attribution = !matches!(
        cat,
        Category::PublicDomain | Category::Proprietary | Category::Unknown
    );
    let share_alike = matches!(cat, Category::WeakCopyleft | Category::StrongCopyleft)
        || (name.starts_with("CC-") && name.contains("-SA"));
    LicenseFlags {
        attribution,
        share_alike,
    }
}

/// Attribution / share-alike obligations of an expression: union over AND,
/// intersection over OR. Unparseable input has no known obligations.
pub fn flags_of(expr: &str) -> LicenseFlags {
    fold_expr(
        expr,
        flags_of_item,
        LicenseFlags::union,
        LicenseFlags::intersect,
    )
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_of_notable_ids() {
        assert_eq!(category_of("MIT"), Category::Permissive);
        assert_eq!(category_of("Apache-2.0"), Category::Permissive);
        assert_eq!(category_of("CC0-1.0"), Category::PublicDomain);
        assert_eq!(category_of("Unlicense"), Category::PublicDomain);
        assert_eq!(category_of("CC-BY-4.0"), Category::Permissive);
        assert_eq!(category_of("CC-BY-SA-4.0"), Category::StrongCopyleft);
        assert_eq!(category_of("CC-BY-NC-4.0"), Category::NonCommercial);
        assert_eq!(category_of("CC-BY-NC-SA-4.0"), Category::NonCommercial);
        assert_eq!(category_of("CC-BY-NC-ND-4.0"), Category::NoDerivatives);
        assert_eq!(category_of("CC-BY-ND-4.0"), Category::NoDerivatives);
        assert_eq!(category_of("LGPL-2.1-only"), Category::WeakCopyleft);
        assert_eq!(category_of("MPL-2.0"), Category::WeakCopyleft);
        assert_eq!(category_of("EPL-2.0"), Category::WeakCopyleft);
        assert_eq!(category_of("GPL-3.0-or-later"), Category::StrongCopyleft);
        assert_eq!(category_of("AGPL-3.0-only"), Category::StrongCopyleft);
        assert_eq!(
            category_of("GPL-2.0-only WITH Classpath-exception-2.0"),
            Category::WeakCopyleft
        );
        assert_eq!(category_of("PDDL-1.0"), Category::PublicDomain);
        assert_eq!(category_of("BUSL-1.1"), Category::Proprietary);
        assert_eq!(category_of("LicenseRef-llama2"), Category::ModelTerms);
        assert_eq!(category_of("LicenseRef-OpenAI-Terms"), Category::ModelTerms);
        assert_eq!(category_of("LicenseRef-CC-BY-NC"), Category::NonCommercial);
        assert_eq!(category_of("LicenseRef-whatever"), Category::Unknown);
        assert_eq!(category_of("not a license"), Category::Unknown);
        assert_eq!(category_of("mit"), Category::Permissive);
    }

    #[test]
    fn strictest_wins_over_and_most_permissive_over_or() {
        assert_eq!(
            category_of("MIT AND GPL-3.0-only"),
            Category::StrongCopyleft
        );
        assert_eq!(category_of("MIT OR GPL-3.0-only"), Category::Permissive);
        assert_eq!(
            category_of("CC-BY-4.0 AND CC-BY-NC-4.0"),
            Category::NonCommercial
        );
        assert_eq!(
            category_of("(MIT OR CC-BY-NC-4.0) AND LGPL-2.1-only"),
            Category::WeakCopyleft
        );
        assert_eq!(category_of("MIT AND LicenseRef-mystery"), Category::Unknown);
        assert_eq!(
            category_of("MIT OR LicenseRef-mystery"),
            Category::Permissive
        );
        assert!(Category::NoDerivatives.strictness() > Category::NonCommercial.strictness());
        assert!(Category::Unknown.strictness() > Category::Proprietary.strictness());
    }

    #[test]
    fn every_spdx_id_has_a_category() {
        let mut unknown = Vec::new();
        for l in spdx::identifiers::LICENSES {
            if category_of_id(l.name) == Category::Unknown {
                unknown.push(l.name);
            }
        }
        assert_eq!(unknown, vec!["NOASSERTION"]);
    }

    #[test]
    fn flags() {
        assert_eq!(
            flags_of("CC-BY-SA-4.0"),
            LicenseFlags {
                attribution: true,
                share_alike: true
            }
        );
        assert_eq!(
            flags_of("CC-BY-NC-SA-4.0"),
            LicenseFlags {
                attribution: true,
                share_alike: true
            }
        );
        assert_eq!(
            flags_of("CC0-1.0"),
            LicenseFlags {
                attribution: false,
                share_alike: false
            }
        );
        assert_eq!(
            flags_of("MIT"),
            LicenseFlags {
                attribution: true,
                share_alike: false
            }
        );
        assert_eq!(
            flags_of("MIT OR CC0-1.0"),
            LicenseFlags {
                attribution: false,
                share_alike: false
            }
        );
        assert_eq!(
            flags_of("MIT AND GPL-2.0-only"),
            LicenseFlags {
                attribution: true,
                share_alike: true
            }
        );
    }
}
