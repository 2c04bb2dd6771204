//! Courses, versions and steps: the values an author types, and what changes between versions.

use serde::{Deserialize, Serialize};

use crate::Invalid;

fn collapse(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $field:literal, $what:literal, $required:expr, $max:expr, $collapse:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, Invalid> {
                let s = if $collapse { collapse(raw) } else { raw.trim().to_owned() };
                let n = s.chars().count();
                if $required && n == 0 {
                    return Err(Invalid::new($field, concat!("Enter ", $what, ".")));
                }
                if n > $max {
                    return Err(Invalid::new(
                        $field,
                        format!(concat!("Keep ", $what, " to {} characters (this one has {})."), $max, n),
                    ));
                }
                if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
                    return Err(Invalid::new($field, concat!("Remove the control characters from ", $what, ".")));
                }
                Ok(Self(s))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

bounded_text!(
    /// A course's title: 1 to 150 characters on one line.
    CourseTitle, "title", "a title", true, 150, true
);
bounded_text!(
    /// A short summary shown in the catalogue: up to 500 characters.
    CourseSummary, "summary", "the summary", false, 500, true
);
bounded_text!(
    /// A step's title: 1 to 150 characters on one line.
    StepTitle, "step_title", "a step title", true, 150, true
);
bounded_text!(
    /// A step's Markdown: up to 100,000 characters.
    StepBody, "body", "the step text", false, 100_000, false
);
bounded_text!(
    /// What changed in a version, in the author's words.
    ChangeNote, "change_note", "the change note", false, 1_000, true
);

/// Topics, lower-case, deduplicated: at most 12 of at most 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Tags(Vec<String>);

impl Tags {
    pub const MAX: usize = 12;
    /// The longest topic.
    pub const MAX_CHARS: usize = 40;

    /// Parse a comma-separated list as typed in a form.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::from_list(raw.split(','))
    }

    pub fn from_list<'a>(items: impl IntoIterator<Item = &'a str>) -> Result<Self, Invalid> {
        let mut tags: Vec<String> = Vec::new();
        for item in items {
            let t = collapse(item).to_lowercase();
            if t.is_empty() {
                continue;
            }
            if t.chars().count() > Self::MAX_CHARS {
                return Err(Invalid::new(
                    "tags",
                    format!("Keep each topic to 40 characters: {t:?} is longer."),
                ));
            }
            if t.chars().any(char::is_control) {
                return Err(Invalid::new(
                    "tags",
                    "Topics cannot contain control characters.",
                ));
            }
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        if tags.len() > Self::MAX {
            return Err(Invalid::new(
                "tags",
                format!("Give at most {} topics.", Self::MAX),
            ));
        }
        Ok(Self(tags))
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn joined(&self) -> String {
        self.0.join(", ")
    }
}

/// A language code such as `en` or `pt-BR`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Language(String);

impl Language {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        let mut parts = s.split('-');
        let primary = parts.next().unwrap_or("");
        let region = parts.next();
        let ok_primary =
            (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
        let ok_region = region.is_none_or(|r| {
            (2..=4).contains(&r.len()) && r.chars().all(|c| c.is_ascii_alphanumeric())
        });
        if !ok_primary || !ok_region || parts.next().is_some() {
            return Err(Invalid::new(
                "language",
                "Use a language code like en, fr or pt-BR.",
            ));
        }
        let normalised = match region {
            Some(r) => format!("{}-{}", primary.to_lowercase(), r.to_uppercase()),
            None => primary.to_lowercase(),
        };
        Ok(Self(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Language {
    fn default() -> Self {
        Self("en".to_owned())
    }
}

/// Estimated time to take a course, in minutes (1 to 6,000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Minutes(u32);

impl Minutes {
    pub fn parse(raw: &str) -> Result<Option<Self>, Invalid> {
        let s = raw.trim();
        if s.is_empty() {
            return Ok(None);
        }
        match s.parse::<u32>() {
            Ok(m) if (1..=6_000).contains(&m) => Ok(Some(Self(m))),
            _ => Err(Invalid::new(
                "estimated_minutes",
                "Give the estimated time in whole minutes, 1 to 6000.",
            )),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// What a step holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// Markdown text with images.
    Text,
    /// An uploaded video, or a link to one elsewhere.
    Video,
    /// A document to download or view.
    File,
    /// A question; its kinds come with evaluations.
    Question,
}

impl StepKind {
    pub const ALL: [StepKind; 4] = [
        StepKind::Text,
        StepKind::Video,
        StepKind::File,
        StepKind::Question,
    ];

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw.trim().to_lowercase().as_str() {
            "text" => Ok(StepKind::Text),
            "video" => Ok(StepKind::Video),
            "file" => Ok(StepKind::File),
            "question" => Ok(StepKind::Question),
            other => Err(Invalid::new(
                "kind",
                format!("Unknown step kind {other:?}; use text, video, file or question."),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Text => "text",
            StepKind::Video => "video",
            StepKind::File => "file",
            StepKind::Question => "question",
        }
    }
}

impl std::fmt::Display for StepKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A step's identity across versions: progress, reactions and statistics follow it.
/// 1 to 40 characters of `a-z`, `0-9` and `-` (so it also names a file on export).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StepKey(String);

impl StepKey {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        let ok = !s.is_empty()
            && s.len() <= 40
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(Invalid::new(
                "step_key",
                "A step key is 1 to 40 characters of a-z, 0-9 and -.",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for StepKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One step as the diff between versions sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepSnapshot {
    pub key: String,
    pub title: String,
    pub body: String,
}

/// A piece of a word-level diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum DiffPart {
    Same(String),
    Added(String),
    Removed(String),
}

/// How a step differs between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Changed,
    Removed,
}

/// One changed step, with the word diff of its title and text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepChange {
    pub key: String,
    pub title: String,
    pub kind: ChangeKind,
    pub diff: Vec<DiffPart>,
}

/// Word-level diff of two texts, adjacent pieces of the same kind merged.
pub fn word_diff(old: &str, new: &str) -> Vec<DiffPart> {
    let diff = similar::TextDiff::from_words(old, new);
    let mut parts: Vec<DiffPart> = Vec::new();
    for change in diff.iter_all_changes() {
        let text = change.value().to_owned();
        let next = match change.tag() {
            similar::ChangeTag::Equal => DiffPart::Same(text),
            similar::ChangeTag::Insert => DiffPart::Added(text),
            similar::ChangeTag::Delete => DiffPart::Removed(text),
        };
        match (parts.last_mut(), next) {
            (Some(DiffPart::Same(a)), DiffPart::Same(b))
            | (Some(DiffPart::Added(a)), DiffPart::Added(b))
            | (Some(DiffPart::Removed(a)), DiffPart::Removed(b)) => a.push_str(&b),
            (_, next) => parts.push(next),
        }
    }
    parts
}

/// The steps added, changed or removed from `old` to `new`, in the new version's order
/// (removed steps last). Steps are matched by key, so a moved step is not a change.
pub fn changes_between(old: &[StepSnapshot], new: &[StepSnapshot]) -> Vec<StepChange> {
    let mut out = Vec::new();
    for step in new {
        match old.iter().find(|o| o.key == step.key) {
            None => out.push(StepChange {
                key: step.key.clone(),
                title: step.title.clone(),
                kind: ChangeKind::Added,
                diff: vec![DiffPart::Added(format!("{}\n\n{}", step.title, step.body))],
            }),
            Some(o) if o.title != step.title || o.body != step.body => out.push(StepChange {
                key: step.key.clone(),
                title: step.title.clone(),
                kind: ChangeKind::Changed,
                diff: word_diff(
                    &format!("{}\n\n{}", o.title, o.body),
                    &format!("{}\n\n{}", step.title, step.body),
                ),
            }),
            Some(_) => {}
        }
    }
    for o in old {
        if !new.iter().any(|s| s.key == o.key) {
            out.push(StepChange {
                key: o.key.clone(),
                title: o.title.clone(),
                kind: ChangeKind::Removed,
                diff: vec![DiffPart::Removed(format!("{}\n\n{}", o.title, o.body))],
            });
        }
    }
    out
}

/// A course is complete when every required step is done.
pub fn is_complete<'a>(required: impl IntoIterator<Item = &'a str>, done: &[String]) -> bool {
    required.into_iter().all(|k| done.iter().any(|d| d == k))
}

word_enum! {
    /// Whether a course is offered: archived courses stay readable but take no new learners.
    pub enum CourseStatus in "status" {
        Active = "active",
        Archived = "archived",
    }
}

word_enum! {
    /// A version is a draft its authors edit until it is published; then it never changes.
    pub enum VersionState in "state" {
        Draft = "draft",
        Published = "published",
    }
}

word_enum! {
    /// How someone came to take a course: they enrolled themselves, or a coach assigned it.
    pub enum EnrolmentSource in "source" {
        SelfEnrolled = "self",
        Assigned = "assigned",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_refuse_empty_and_ten_thousand_characters() {
        assert!(CourseTitle::parse("   ").is_err());
        let long = "x".repeat(10_000);
        let err = CourseTitle::parse(&long).expect_err("too long");
        assert!(err.message.contains("150") && err.message.contains("10000"));
        assert_eq!(
            CourseTitle::parse("  On-call   runbook ").map(|t| t.to_string()),
            Ok("On-call runbook".to_owned())
        );
    }

    #[test]
    fn tags_language_and_minutes_are_normalised() {
        assert_eq!(
            Tags::parse("Sales, objections ,sales,").map(|t| t.joined()),
            Ok("sales, objections".to_owned())
        );
        let thirteen: Vec<String> = (0..13).map(|i| format!("topic{i}")).collect();
        assert!(Tags::parse(&thirteen.join(",")).is_err());
        assert_eq!(
            Language::parse("PT-br").map(|l| l.as_str().to_owned()),
            Ok("pt-BR".to_owned())
        );
        assert!(Language::parse("english").is_err());
        assert_eq!(Minutes::parse(""), Ok(None));
        assert!(Minutes::parse("0").is_err() && Minutes::parse("ten").is_err());
    }

    #[test]
    fn step_keys_are_file_name_safe() {
        assert!(StepKey::parse("s-1a2b").is_ok());
        for bad in ["", "../x", "A", "a b", "-a", &"a".repeat(41)] {
            assert!(StepKey::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn word_diff_marks_added_and_removed_words() {
        let d = word_diff("rotate the keys every month", "rotate the keys every week");
        assert_eq!(
            d,
            vec![
                DiffPart::Same("rotate the keys every ".to_owned()),
                DiffPart::Removed("month".to_owned()),
                DiffPart::Added("week".to_owned()),
            ]
        );
    }

    #[test]
    fn changes_follow_step_keys_not_positions() {
        let s = |k: &str, t: &str, b: &str| StepSnapshot {
            key: k.into(),
            title: t.into(),
            body: b.into(),
        };
        let v1 = vec![
            s("a", "Intro", "hello"),
            s("b", "Keys", "rotate monthly"),
            s("c", "Old", "gone"),
        ];
        let v2 = vec![
            s("b", "Keys", "rotate weekly"),
            s("a", "Intro", "hello"),
            s("d", "New", "fresh"),
        ];
        let changes = changes_between(&v1, &v2);
        let kinds: Vec<(&str, &ChangeKind)> =
            changes.iter().map(|c| (c.key.as_str(), &c.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                ("b", &ChangeKind::Changed),
                ("d", &ChangeKind::Added),
                ("c", &ChangeKind::Removed)
            ]
        );
    }

    #[test]
    fn completion_needs_every_required_step() {
        let done = vec!["a".to_owned(), "b".to_owned()];
        assert!(is_complete(["a", "b"], &done));
        assert!(!is_complete(["a", "b", "c"], &done));
    }

    #[test]
    fn course_status_words_round_trip_and_others_are_refused() {
        for &x in CourseStatus::ALL {
            assert_eq!(CourseStatus::parse(x.as_str()), Ok(x));
            assert_eq!(
                serde_json::to_string(&x).unwrap(),
                format!("\"{}\"", x.as_str())
            );
        }
        assert!(CourseStatus::parse("deleted").is_err());
        assert!(CourseStatus::parse("").is_err());
    }

    #[test]
    fn version_state_words_round_trip_and_others_are_refused() {
        for &x in VersionState::ALL {
            assert_eq!(VersionState::parse(x.as_str()), Ok(x));
            assert_eq!(
                serde_json::to_string(&x).unwrap(),
                format!("\"{}\"", x.as_str())
            );
        }
        assert!(VersionState::parse("Draft").is_err());
        assert!(VersionState::parse("").is_err());
    }

    #[test]
    fn enrolment_source_words_round_trip_and_others_are_refused() {
        for &x in EnrolmentSource::ALL {
            assert_eq!(EnrolmentSource::parse(x.as_str()), Ok(x));
            assert_eq!(
                serde_json::to_string(&x).unwrap(),
                format!("\"{}\"", x.as_str())
            );
        }
        assert!(EnrolmentSource::parse("coach").is_err());
        assert!(EnrolmentSource::parse("").is_err());
    }
}
