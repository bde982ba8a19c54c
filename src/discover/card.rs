//! Hugging Face dataset cards: the YAML front matter of a `README.md`.
//!
//! Only the keys provaudit reports are read (`license`, `license_name`, `license_link`,
//! `language`, `task_categories`, `pretty_name`), with a small reader for the YAML
//! subset cards use (scalars, block and flow lists). That avoids a YAML dependency for
//! four keys; anything it does not understand is ignored, never guessed.

use serde::{Deserialize, Serialize};

/// The dataset-card facts provaudit uses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DatasetCard {
    /// `license`: SPDX ids or Hugging Face license names (`other` with `license_name`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub license: Vec<String>,
    /// `license_name`: the name of an `other` license.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_name: Option<String>,
    /// `license_link`: where an `other` license's text is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_link: Option<String>,
    /// `language`: ISO 639 codes declared for the data.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub language: Vec<String>,
    /// `task_categories`: Hugging Face task tags.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub task_categories: Vec<String>,
    /// `pretty_name`: the dataset's human name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pretty_name: Option<String>,
    /// `configs[].data_files`: (split, path pattern relative to the card's folder), in
    /// card order; a bare `data_files: pattern` is the `train` split, as in `datasets`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_files: Vec<(String, String)>,
}

impl DatasetCard {
    /// Parses the front matter of a README, or `None` when it has none.
    pub fn parse(readme: &str) -> Option<DatasetCard> {
        let body = readme.strip_prefix('\u{feff}').unwrap_or(readme);
        let mut lines = body.lines();
        if lines.next()?.trim_end() != "---" {
            return None;
        }
        let mut card = DatasetCard::default();
        let mut current: Option<String> = None;
        let mut configs = DataFiles::default();
        for line in lines {
            if line.trim_end() == "---" {
                card.data_files = configs.found;
                return Some(card);
            }
            if current.as_deref() == Some("configs") && (line.starts_with([' ', '-'])) {
                configs.line(line);
                continue;
            }
            if let Some(item) = line.trim_start().strip_prefix("- ")
                && line.starts_with([' ', '-'])
            {
                if let Some(key) = &current {
                    card.push(key, unquote(item));
                }
                continue;
            }
            if line.starts_with(' ') || line.trim().is_empty() || line.trim_start().starts_with('#')
            {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                current = None;
                continue;
            };
            let key = key.trim().to_string();
            let value = value.trim();
            if let Some(list) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                list.split(',')
                    .map(unquote)
                    .filter(|v| !v.is_empty())
                    .for_each(|v| card.push(&key, v));
            } else if !value.is_empty() {
                card.push(&key, unquote(value));
            }
            current = Some(key);
        }
        // No closing `---`: not front matter after all.
        None
    }

    fn push(&mut self, key: &str, value: String) {
        match key {
            "license" => self.license.push(value),
            "license_name" => self.license_name = Some(value),
            "license_link" => self.license_link = Some(value),
            "language" => self.language.push(value),
            "task_categories" => self.task_categories.push(value),
            "pretty_name" => self.pretty_name = Some(value),
            _ => {}
        }
    }
}

/// Reads `configs:` list lines: `split: name` sets the split that the following
/// `path:` value (or `path:` list items) belong to; `data_files: pattern` with no
/// split is `train`.
#[derive(Default)]
struct DataFiles {
    split: Option<String>,
    in_path_list: bool,
    found: Vec<(String, String)>,
}

impl DataFiles {
    fn line(&mut self, line: &str) {
        let item = line.trim_start();
        let item = item.strip_prefix("- ").unwrap_or(item).trim();
        let Some((key, value)) = item.split_once(':') else {
            if self.in_path_list && !item.is_empty() {
                self.push(item);
            }
            return;
        };
        let (key, value) = (key.trim(), value.trim());
        self.in_path_list = false;
        match key {
            "config_name" => self.split = None,
            "split" => self.split = Some(unquote(value)),
            "path" | "data_files" if value.is_empty() => self.in_path_list = key == "path",
            "path" | "data_files" => {
                match value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                    Some(list) => list.split(',').for_each(|v| self.push(v)),
                    None => self.push(value),
                }
            }
            _ => {}
        }
    }

    fn push(&mut self, pattern: &str) {
        let pattern = unquote(pattern);
        if !pattern.is_empty() {
            let split = self.split.clone().unwrap_or_else(|| "train".to_string());
            self.found.push((split, pattern));
        }
    }
}

fn unquote(value: &str) -> String {
    let v = value.trim();
    let v = v.split(" #").next().unwrap_or(v).trim();
    v.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_scalars_and_lists() {
        let card = DatasetCard::parse(
            "---\nlicense: cc-by-nc-4.0\nlanguage:\n- zh\n- en\ntask_categories: [text-generation, question-answering]\npretty_name: \"Demo QA\"\nconfigs:\n  - config_name: default\n---\n# Demo\n",
        )
        .unwrap();
        assert_eq!(card.license, vec!["cc-by-nc-4.0"]);
        assert_eq!(card.language, vec!["zh", "en"]);
        assert_eq!(
            card.task_categories,
            vec!["text-generation", "question-answering"]
        );
        assert_eq!(card.pretty_name.as_deref(), Some("Demo QA"));
    }

    #[test]
    fn no_front_matter_no_card() {
        assert_eq!(DatasetCard::parse("# Title\n\ntext"), None);
        assert_eq!(DatasetCard::parse("---\nlicense: mit\n"), None);
    }
}
