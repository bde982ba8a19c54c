//! Record kinds, recognised from field names alone.
//!
//! Kinds matter for the disclosure: preference pairs and labelled records are the
//! "manually labelled data" Article 8 asks providers to size. Layouts are a data table
//! ([`LAYOUTS`]) so supporting a new dataset convention is a one-line change.

use crate::wire::wire_enum;

wire_enum! {
    /// What a record is for, as far as its layout tells.
    pub enum RecordKind("record kind") {
        /// A pre-training document.
        Text = "text",
        /// instruction/input/output, prompt/completion, question/answer.
        Instruction = "instruction",
        /// A conversation: OpenAI `messages` (role/content) or ShareGPT `conversations`.
        Chat = "chat",
        /// A preference pair (DPO chosen/rejected) or a KTO desirability label.
        Preference = "preference",
        /// A text with a human-assigned label or category.
        Labeled = "labeled",
        /// A layout none of [`LAYOUTS`] recognises (not an unknown value: see `Other`).
        Unrecognised = "other",
    }
}

impl RecordKind {
    /// Kinds whose records carry annotation by their layout (a preference judgement,
    /// a label): the disclosure's labelled data. Instruction and chat records are
    /// written, not labelled; they count as labelled only where a source declares an
    /// `[annotation]`.
    pub fn is_labelled(&self) -> bool {
        matches!(self, RecordKind::Preference | RecordKind::Labeled)
    }
}

/// One recognised layout: every field in `all` must be present (case-insensitive), and
/// at least one of `any` when `any` is not empty. First match wins, so the table runs
/// from the most specific layout to the most general.
pub struct Layout {
    /// Short layout name (`dpo`, `alpaca`, ...), for tests and diagnostics.
    pub name: &'static str,
    /// The kind a record with this layout gets.
    pub kind: RecordKind,
    /// Field names that must all be present.
    pub all: &'static [&'static str],
    /// Field names of which at least one must be present (ignored when empty).
    pub any: &'static [&'static str],
}

/// The layouts provaudit knows, most specific first.
pub const LAYOUTS: &[Layout] = &[
    // DPO / ORPO / SimPO pairs, with a prompt, messages or a bare pair.
    Layout {
        name: "dpo",
        kind: RecordKind::Preference,
        all: &["chosen", "rejected"],
        any: &[],
    },
    Layout {
        name: "dpo_response",
        kind: RecordKind::Preference,
        all: &["response_chosen", "response_rejected"],
        any: &[],
    },
    // KTO: a completion with a boolean desirability label.
    Layout {
        name: "kto",
        kind: RecordKind::Preference,
        all: &["completion", "label"],
        any: &["prompt", "messages"],
    },
    // KTO in chat form (LLaMA-Factory, TRL conversational): messages with a
    // desirability label. Before `openai_messages`, which has no label.
    Layout {
        name: "kto_messages",
        kind: RecordKind::Preference,
        all: &["messages", "label"],
        any: &[],
    },
    Layout {
        name: "kto_kto_tag",
        kind: RecordKind::Preference,
        all: &["kto_tag"],
        any: &[],
    },
    // OpenAI chat format and ShareGPT.
    Layout {
        name: "openai_messages",
        kind: RecordKind::Chat,
        all: &["messages"],
        any: &[],
    },
    Layout {
        name: "sharegpt",
        kind: RecordKind::Chat,
        all: &["conversations"],
        any: &[],
    },
    Layout {
        name: "conversation",
        kind: RecordKind::Chat,
        all: &["conversation"],
        any: &[],
    },
    Layout {
        name: "dialog",
        kind: RecordKind::Chat,
        all: &["dialog"],
        any: &[],
    },
    // Instruction tuning: Alpaca, prompt/completion, QA, query/response.
    Layout {
        name: "alpaca",
        kind: RecordKind::Instruction,
        all: &["instruction"],
        any: &["output", "response", "input", "instances"],
    },
    Layout {
        name: "prompt_completion",
        kind: RecordKind::Instruction,
        all: &["prompt"],
        any: &["completion", "response", "answer", "output"],
    },
    Layout {
        name: "question_answer",
        kind: RecordKind::Instruction,
        all: &["question", "answer"],
        any: &[],
    },
    Layout {
        name: "query_response",
        kind: RecordKind::Instruction,
        all: &["query"],
        any: &["response", "answer"],
    },
    Layout {
        name: "problem_solution",
        kind: RecordKind::Instruction,
        all: &["problem", "solution"],
        any: &[],
    },
    // A text with a human label.
    Layout {
        name: "labeled",
        kind: RecordKind::Labeled,
        all: &[],
        any: &[
            "label",
            "labels",
            "category",
            "class",
            "sentiment",
            "target",
        ],
    },
    // Pre-training documents.
    Layout {
        name: "text",
        kind: RecordKind::Text,
        all: &[],
        any: &[
            "text",
            "content",
            "document",
            "body",
            "article",
            "passage",
            "raw_content",
        ],
    },
];

/// Text-bearing fields that, together with a label field, make a record `labeled`
/// rather than `other`.
const LABELED_TEXT: &[&str] = &[
    "text", "sentence", "content", "review", "document", "premise", "question",
];

/// Classifies a record by its top-level field names.
pub fn classify<'k>(keys: impl IntoIterator<Item = &'k str> + Clone) -> RecordKind {
    let has = |name: &str| {
        keys.clone()
            .into_iter()
            .any(|k| k.eq_ignore_ascii_case(name))
    };
    for layout in LAYOUTS {
        if !layout.all.iter().all(|f| has(f)) {
            continue;
        }
        if !layout.any.is_empty() && !layout.any.iter().any(|f| has(f)) {
            continue;
        }
        if layout.kind == RecordKind::Labeled && !LABELED_TEXT.iter().any(|f| has(f)) {
            continue;
        }
        return layout.kind.clone();
    }
    RecordKind::Unrecognised
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_common_layouts() {
        let cases: &[(&[&str], RecordKind)] = &[
            (&["instruction", "input", "output"], RecordKind::Instruction),
            (&["prompt", "completion"], RecordKind::Instruction),
            (&["question", "answer"], RecordKind::Instruction),
            (&["messages"], RecordKind::Chat),
            (&["conversations", "system", "tools"], RecordKind::Chat),
            (&["prompt", "chosen", "rejected"], RecordKind::Preference),
            (
                &["conversations", "chosen", "rejected"],
                RecordKind::Preference,
            ),
            (&["prompt", "completion", "label"], RecordKind::Preference),
            (&["text", "label"], RecordKind::Labeled),
            (&["Text"], RecordKind::Text),
            (&["id", "url", "text"], RecordKind::Text),
            (&["id", "score"], RecordKind::Unrecognised),
            (&["label"], RecordKind::Unrecognised),
        ];
        for (keys, want) in cases {
            assert_eq!(classify(keys.iter().copied()), *want, "{keys:?}");
        }
    }
}
