//! Enums the audit's files spell as strings (stages, record kinds, PII types, formats,
//! statuses, license categories, conflict kinds).
//!
//! Each is declared once as a table of variants and their canonical strings with
//! `wire_enum!`, which gives it an `Other(String)` variant for values this version does
//! not know: an audit written by a newer (or older) provaudit still opens, and its unknown
//! values are carried through verbatim instead of failing the whole file. Equality,
//! hashing and ordering go by the string form, so a `BTreeMap` keyed by one of these
//! enums lists its keys in the same order as one keyed by the strings did, and the JSON
//! text stays the same.

/// Declares a string-spelled enum: `$name::ALL`, `as_str`, `parse` (lenient: unknown →
/// `Other`), `known` (strict, for user input), string-form `Eq`/`Hash`/`Ord`, `Display`,
/// `AsRef<str>` and serde through the string form.
///
/// ```ignore
/// wire_enum! {
///     /// The training stage a source feeds.
///     pub enum Stage("stage") {
///         Pretrain = "pretrain",
///         Finetune = "finetune",
///     }
/// }
/// ```
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as written (an audit made by
            /// another version).
            Other(String),
        }

        impl $name {
            /// Every known value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical string, as written to every output.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Other(text) => text,
                }
            }

            /// The value a string names; a string this version does not know is kept as
            /// [`Self::Other`].
            pub fn parse(text: &str) -> Self {
                match text {
                    $( $text => $name::$variant, )+
                    _ => $name::Other(text.to_string()),
                }
            }

            /// The known value a string names, or a message listing the known ones: for
            /// user input (manifests, policies, flags), where a typo must not pass.
            pub fn known(text: &str) -> Result<Self, String> {
                match Self::parse(text) {
                    $name::Other(_) => {
                        let all: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                        Err(format!(
                            "{text:?} is not a {}; expected one of {}",
                            $what,
                            all.join(", ")
                        ))
                    }
                    known => Ok(known),
                }
            }

            /// The value's position in [`Self::ALL`] (`None` for [`Self::Other`]), for
            /// per-value arrays on hot paths.
            pub fn position(&self) -> Option<usize> {
                let mut at = 0;
                $(
                    if matches!(self, $name::$variant) {
                        return Some(at);
                    }
                    at += 1;
                )+
                let _ = at;
                None
            }

            /// Whether this version knows the value.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                match (self, other) {
                    ($name::Other(_), _) | (_, $name::Other(_)) => self.as_str() == other.as_str(),
                    _ => std::mem::discriminant(self) == std::mem::discriminant(other),
                }
            }
        }

        impl Eq for $name {}

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
            }
        }

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        /// By the string form, so maps keyed by the enum keep the order of string keys.
        impl Ord for $name {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        /// Lenient, like reading an audit: see [`Self::parse`].
        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name::parse(text)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str($crate::wire::StrVisitor($name::parse))
            }
        }
    };
}

pub(crate) use wire_enum;

/// Deserialises any string (borrowed or owned) through a parse function.
pub(crate) struct StrVisitor<T>(pub fn(&str) -> T);

impl<T> serde::de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(v))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    wire_enum! {
        /// A test enum whose declaration order differs from its string order.
        pub enum Shade("shade") {
            Zinc = "zinc",
            Amber = "amber",
            Mauve = "mauve",
        }
    }

    #[test]
    fn unknown_values_round_trip_verbatim() {
        let v: Vec<Shade> = serde_json::from_str(r#"["amber","teal"]"#).unwrap();
        assert_eq!(v, [Shade::Amber, Shade::Other("teal".into())]);
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"["amber","teal"]"#);
        assert!(!v[1].is_known());
        assert_eq!(Shade::parse("mauve"), Shade::Mauve);
    }

    #[test]
    fn keys_order_as_their_strings() {
        let text = r#"{"amber":1,"mauve":2,"teal":3,"zinc":4}"#;
        let map: BTreeMap<Shade, u64> = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&map).unwrap(), text);
        assert!(Shade::Amber < Shade::Zinc);
        assert_eq!(Shade::Mauve.position(), Some(2));
        assert_eq!(Shade::Other("teal".into()).position(), None);
        assert_eq!(Shade::Other("zinc".into()), Shade::Zinc);
    }

    #[test]
    fn strict_parsing_names_the_known_values() {
        assert_eq!(Shade::known("zinc"), Ok(Shade::Zinc));
        let err = Shade::known("teal").unwrap_err();
        assert_eq!(
            err,
            "\"teal\" is not a shade; expected one of zinc, amber, mauve"
        );
    }
}
