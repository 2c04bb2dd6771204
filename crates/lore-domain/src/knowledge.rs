//! The arithmetic of knowledge gaps: a course's topics from its tags, evaluation figures summed
//! per topic (mean score and pass rate), and content for a group's size (courses per 100
//! people). Pure functions; `lore_app::insights` feeds them stored figures.

/// Topics with fewer submitted attempts than this are left out of "weakest topics": a mean
/// over a handful of attempts says little.
pub const MIN_TOPIC_ATTEMPTS: u64 = 5;

/// A course's topics from its tags (a JSON array of strings): trimmed, lower case, each once,
/// in the order written. Anything unreadable is no topic.
pub fn topics_of(tags_json: &str) -> Vec<String> {
    let tags: Vec<String> = serde_json::from_str(tags_json).unwrap_or_default();
    let mut topics: Vec<String> = Vec::with_capacity(tags.len());
    for t in tags {
        let t = t.trim().to_lowercase();
        if !t.is_empty() && !topics.contains(&t) {
            topics.push(t);
        }
    }
    topics
}

/// Submitted attempts, the sum of their scores in per cent and the passes, of one course or
/// summed over several.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AttemptFigures {
    pub attempts: u64,
    pub score_percent_sum: f64,
    pub passed: u64,
}

impl AttemptFigures {
    pub fn add(&mut self, other: AttemptFigures) {
        self.attempts += other.attempts;
        self.score_percent_sum += other.score_percent_sum;
        self.passed += other.passed;
    }

    /// The mean score in per cent over the attempts (`None` without attempts).
    pub fn mean_percent(&self) -> Option<f64> {
        (self.attempts > 0).then(|| self.score_percent_sum / self.attempts as f64)
    }

    /// Passes per 100 attempts (`None` without attempts).
    pub fn pass_rate_percent(&self) -> Option<f64> {
        (self.attempts > 0).then(|| self.passed as f64 * 100.0 / self.attempts as f64)
    }

    /// Enough attempts to rank the topic among the weakest.
    pub fn enough(&self) -> bool {
        self.attempts >= MIN_TOPIC_ATTEMPTS
    }
}

/// Courses per 100 people (`None` for a group without people).
pub fn per_hundred(courses: u64, people: u64) -> Option<f64> {
    (people > 0).then(|| courses as f64 * 100.0 / people as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_trimmed_lower_case_and_once() {
        assert_eq!(
            topics_of(r#"["Rust", " rust ", "Testing", ""]"#),
            vec!["rust".to_owned(), "testing".to_owned()]
        );
        assert!(topics_of("not json").is_empty());
    }

    #[test]
    fn mean_and_pass_rate_over_summed_courses() {
        let mut f = AttemptFigures {
            attempts: 2,
            score_percent_sum: 150.0,
            passed: 1,
        };
        f.add(AttemptFigures {
            attempts: 2,
            score_percent_sum: 50.0,
            passed: 0,
        });
        assert_eq!(f.mean_percent(), Some(50.0));
        assert_eq!(f.pass_rate_percent(), Some(25.0));
        assert!(!f.enough());
        assert_eq!(AttemptFigures::default().mean_percent(), None);
    }

    #[test]
    fn content_per_hundred_people() {
        assert_eq!(per_hundred(3, 40), Some(7.5));
        assert_eq!(per_hundred(0, 10), Some(0.0));
        assert_eq!(per_hundred(2, 0), None);
    }
}
