//! Turns one JSON value into text fields without building a `serde_json::Value`.
//!
//! A visitor walks the value once, borrowing every string that had no escapes straight
//! from the input buffer, so a JSONL scan allocates little beyond field paths. Shared by
//! the JSONL and JSON readers.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::record::Field;

/// Everything one JSON value yields: its text fields and its top-level keys (which is
/// what the record kind is recognised from).
#[derive(Default)]
pub struct Extracted<'de> {
    /// The text fields, in document order, with their paths.
    pub fields: Vec<Field<'de>>,
    /// The keys of the top-level object (empty for other values).
    pub top_keys: Vec<Cow<'de, str>>,
}

/// Parses `text` as one JSON value and collects its text fields. It takes a `str`,
/// already validated by the reader, so serde_json does not validate UTF-8 again.
pub fn extract(text: &str) -> Result<Extracted<'_>, serde_json::Error> {
    let mut out = Extracted::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let mut path = String::new();
    Walker {
        path: &mut path,
        out: &mut out,
        depth: 0,
        key: None,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(out)
}

struct Walker<'w, 'de> {
    path: &'w mut String,
    out: &'w mut Extracted<'de>,
    depth: usize,
    /// The top-level key this value sits under, borrowed from the input: a string
    /// directly under it uses it as its path without allocating.
    key: Option<&'de str>,
}

impl<'w, 'de> Walker<'w, 'de> {
    fn child(&mut self) -> Walker<'_, 'de> {
        Walker {
            path: self.path,
            out: self.out,
            depth: self.depth + 1,
            key: None,
        }
    }

    fn push(&mut self, text: Cow<'de, str>) {
        let path = match self.key {
            Some(key) => Cow::Borrowed(key),
            None if self.path.is_empty() => Cow::Borrowed("$"),
            None => Cow::Owned(self.path.clone()),
        };
        self.out.fields.push(Field { path, text });
    }
}

impl<'de> DeserializeSeed<'de> for Walker<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walker<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(mut self, v: &'de str) -> Result<(), E> {
        self.push(Cow::Borrowed(v));
        Ok(())
    }
    fn visit_str<E>(mut self, v: &str) -> Result<(), E> {
        self.push(Cow::Owned(v.to_owned()));
        Ok(())
    }
    fn visit_string<E>(mut self, v: String) -> Result<(), E> {
        self.push(Cow::Owned(v));
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let base = self.path.len();
        let mut index = 0usize;
        loop {
            self.path.truncate(base);
            let _ = write!(self.path, "[{index}]");
            if seq.next_element_seed(self.child())?.is_none() {
                break;
            }
            index += 1;
        }
        self.path.truncate(base);
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let base = self.path.len();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            self.path.truncate(base);
            if base > 0 {
                self.path.push('.');
            }
            self.path.push_str(&key);
            let borrowed = match (&key, self.depth) {
                (Cow::Borrowed(k), 0) => Some(*k),
                _ => None,
            };
            if self.depth == 0 {
                self.out.top_keys.push(key);
            }
            let mut child = self.child();
            child.key = borrowed;
            map.next_value_seed(child)?;
        }
        self.path.truncate(base);
        Ok(())
    }
}

/// Deserialises an object key, borrowing it when it has no escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(json: &str) -> Vec<(String, String)> {
        extract(json)
            .unwrap()
            .fields
            .into_iter()
            .map(|f| (f.path.into_owned(), f.text.into_owned()))
            .collect()
    }

    #[test]
    fn walks_nested_values_with_paths() {
        let got = fields(
            r#"{"id": 7, "messages": [{"role": "user", "content": "hi \"there\""}], "meta": {"src": "web"}}"#,
        );
        assert_eq!(
            got,
            vec![
                ("messages[0].role".into(), "user".into()),
                ("messages[0].content".into(), "hi \"there\"".into()),
                ("meta.src".into(), "web".into()),
            ]
        );
    }

    #[test]
    fn records_top_level_keys_only() {
        let e = extract(r#"{"a": {"b": 1}, "c": [1]}"#).unwrap();
        assert_eq!(e.top_keys, vec!["a", "c"]);
    }

    #[test]
    fn a_bare_string_is_a_field() {
        assert_eq!(
            fields(r#""just text""#),
            vec![("$".into(), "just text".into())]
        );
    }

    #[test]
    fn rejects_trailing_garbage_and_deep_nesting() {
        assert!(extract("{} x").is_err());
        let deep = "[".repeat(10_000);
        assert!(extract(&deep).is_err());
    }
}
