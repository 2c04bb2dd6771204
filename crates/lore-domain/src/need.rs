//! Learning needs: what a need says, how urgent it is, where it may go next, and how much
//! demand it carries. The demand formula lives here and nowhere else.

use serde::{Deserialize, Serialize};

use crate::Invalid;

/// A need's title: what someone wants to learn, in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedTitle(String);

impl NeedTitle {
    pub const MIN_CHARS: usize = 4;
    pub const MAX_CHARS: usize = 160;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.chars().count() < Self::MIN_CHARS {
            return Err(Invalid::new(
                "title",
                "Say what you need to learn in a few words (at least 4 characters).",
            ));
        }
        if t.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(
                "title",
                "Keep the title under 160 characters; the details go in the problem.",
            ));
        }
        Ok(Self(t))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The longest problem description.
pub const PROBLEM_MAX_CHARS: usize = 4000;
/// The longest topic.
pub const TOPIC_MAX_CHARS: usize = 60;
/// The most questions a need lists, and the longest question.
pub const MAX_QUESTIONS: usize = 20;
/// The most groups a need may be addressed to.
pub const MAX_AUDIENCES: usize = 20;
pub const QUESTION_MAX_CHARS: usize = 300;

/// The problem learning this would solve (plain text, may be empty).
pub fn parse_problem(raw: &str) -> Result<String, Invalid> {
    let t = raw.trim();
    if t.chars().count() > PROBLEM_MAX_CHARS {
        return Err(Invalid::new(
            "problem",
            "Describe the problem in under 4,000 characters.",
        ));
    }
    Ok(t.to_owned())
}

/// A short topic (for the board), may be empty.
pub fn parse_topic(raw: &str) -> Result<String, Invalid> {
    let t = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > TOPIC_MAX_CHARS {
        return Err(Invalid::new("topic", "Keep the topic under 60 characters."));
    }
    Ok(t)
}

/// The questions a course should answer: one per line, blank lines dropped, at most 20.
pub fn parse_questions(raw: &str) -> Result<Vec<String>, Invalid> {
    let qs: Vec<String> = raw
        .lines()
        .map(|l| l.trim().trim_start_matches(['-', '*', '•']).trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if qs.len() > MAX_QUESTIONS {
        return Err(Invalid::new(
            "questions",
            "List at most 20 questions; split a bigger need in two.",
        ));
    }
    if qs.iter().any(|q| q.chars().count() > QUESTION_MAX_CHARS) {
        return Err(Invalid::new(
            "questions",
            "Keep each question under 300 characters.",
        ));
    }
    Ok(qs)
}

/// How soon people need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Urgency {
    Low,
    Normal,
    High,
    Critical,
}

impl Urgency {
    pub const ALL: [Urgency; 4] = [
        Urgency::Low,
        Urgency::Normal,
        Urgency::High,
        Urgency::Critical,
    ];

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(Urgency::Normal);
        }
        Self::ALL
            .into_iter()
            .find(|u| u.as_str() == raw)
            .ok_or_else(|| Invalid::new("urgency", "Urgency is low, normal, high or critical."))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Low => "low",
            Urgency::Normal => "normal",
            Urgency::High => "high",
            Urgency::Critical => "critical",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Urgency::Low => "Low — nice to have",
            Urgency::Normal => "Normal — within a quarter",
            Urgency::High => "High — within a month",
            Urgency::Critical => "Critical — blocking work now",
        }
    }

    /// How much one vote counts at this urgency.
    pub fn weight(self) -> f64 {
        match self {
            Urgency::Low => 0.5,
            Urgency::Normal => 1.0,
            Urgency::High => 2.0,
            Urgency::Critical => 3.0,
        }
    }
}

/// Where a need is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NeedStatus {
    Open,
    Exploring,
    InProgress,
    Answered,
    Closed,
    Declined,
    /// Folded into another need; its votes and followers moved there.
    Merged,
}

impl NeedStatus {
    pub const ALL: [NeedStatus; 7] = [
        NeedStatus::Open,
        NeedStatus::Exploring,
        NeedStatus::InProgress,
        NeedStatus::Answered,
        NeedStatus::Closed,
        NeedStatus::Declined,
        NeedStatus::Merged,
    ];

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or_else(|| {
                Invalid::new(
                    "status",
                    "Status is open, exploring, in-progress, answered, closed or declined.",
                )
            })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NeedStatus::Open => "open",
            NeedStatus::Exploring => "exploring",
            NeedStatus::InProgress => "in-progress",
            NeedStatus::Answered => "answered",
            NeedStatus::Closed => "closed",
            NeedStatus::Declined => "declined",
            NeedStatus::Merged => "merged",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NeedStatus::Open => "Open",
            NeedStatus::Exploring => "Exploring",
            NeedStatus::InProgress => "In progress",
            NeedStatus::Answered => "Answered",
            NeedStatus::Closed => "Closed",
            NeedStatus::Declined => "Declined",
            NeedStatus::Merged => "Merged",
        }
    }

    /// Order on the board when sorted by status: live needs first, in the order of the flow.
    pub fn rank(self) -> u8 {
        match self {
            NeedStatus::Open => 0,
            NeedStatus::Exploring => 1,
            NeedStatus::InProgress => 2,
            NeedStatus::Answered => 3,
            NeedStatus::Closed => 4,
            NeedStatus::Declined => 5,
            NeedStatus::Merged => 6,
        }
    }

    /// Does the need still collect votes? Only while nobody has answered or ended it.
    pub fn takes_votes(self) -> bool {
        matches!(
            self,
            NeedStatus::Open | NeedStatus::Exploring | NeedStatus::InProgress
        )
    }

    /// May a coach move a need from `self` to `to` by hand? `Answered` also needs a course,
    /// `Declined` a reason, and `Merged` happens only by merging; the caller checks those.
    pub fn can_move_to(self, to: NeedStatus) -> bool {
        use NeedStatus::*;
        if self == to {
            return false;
        }
        match self {
            Open | Exploring | InProgress => matches!(
                to,
                Open | Exploring | InProgress | Answered | Declined | Closed
            ),
            Answered => matches!(to, InProgress | Closed),
            Closed | Declined => to == Open,
            Merged => false,
        }
    }

    /// The statuses a coach may pick from here.
    pub fn next(self) -> Vec<NeedStatus> {
        Self::ALL
            .into_iter()
            .filter(|to| *to != NeedStatus::Merged && self.can_move_to(*to))
            .collect()
    }
}

/// Half-life of a vote: a vote this many days old counts half.
pub const VOTE_HALF_LIFE_DAYS: f64 = 90.0;

/// The demand a need carries:
///
/// `demand = round(10 · urgency · (1 + log2(1 + audience)) · Σ 2^(−age_of_vote / 90 days))`
///
/// Each vote counts fully on the day it is cast and half after 90 days, so old demand fades
/// unless people keep asking. Votes are weighed by the size of the audience (log-scaled: a
/// need for 1,000 people outweighs one for 10, but not a hundred times) and by urgency (low
/// 0.5, normal 1, high 2, critical 3).
pub fn demand_score(urgency: Urgency, audience: u64, vote_ages_days: &[f64]) -> i64 {
    let votes: f64 = vote_ages_days
        .iter()
        .map(|age| (-age.max(0.0) / VOTE_HALF_LIFE_DAYS).exp2())
        .sum();
    let reach = 1.0 + (1.0 + audience as f64).log2();
    (10.0 * urgency.weight() * reach * votes).round() as i64
}

/// Median of durations in days, for "time from need to first course".
pub fn median_days(mut days: Vec<f64>) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    days.sort_by(f64::total_cmp);
    let mid = days.len() / 2;
    Some(if days.len() % 2 == 1 {
        days[mid]
    } else {
        (days[mid - 1] + days[mid]) / 2.0
    })
}

/// The steps a draft course starts with, as (title, Markdown body): why the course exists
/// (the need's problem), then one step per question, so the expert writes answers rather
/// than structure. Step titles are cut at 150 characters; a cut question is repeated whole.
pub fn outline(problem: &str, questions: &[String]) -> Vec<(String, String)> {
    const TODO: &str = "_Write the answer here._";
    let mut why = "This course answers a learning need people asked for.".to_owned();
    if !problem.is_empty() {
        why.push_str("\n\n> ");
        why.push_str(&problem.replace('\n', "\n> "));
    }
    let mut steps = vec![("Why this course".to_owned(), why)];
    if questions.is_empty() {
        steps.push(("What you will learn".to_owned(), TODO.to_owned()));
    }
    for q in questions {
        if q.chars().count() > 150 {
            let cut: String = q.chars().take(149).collect();
            steps.push((format!("{cut}…"), format!("**{q}**\n\n{TODO}")));
        } else {
            steps.push((q.clone(), TODO.to_owned()));
        }
    }
    steps
}

word_enum! {
    /// How a person stands toward a need: offered to answer it, or assigned to.
    pub enum ExpertState in "state" {
        Volunteer = "volunteer",
        Assigned = "assigned",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_questions_are_checked() {
        assert!(NeedTitle::parse("  ab ").is_err());
        assert_eq!(
            NeedTitle::parse(" Rotating   TLS certs ").map(|t| t.as_str().to_owned()),
            Ok("Rotating TLS certs".to_owned())
        );
        assert!(NeedTitle::parse(&"x".repeat(161)).is_err());
        assert_eq!(
            parse_questions("- How often?\n\n* Who approves?\n"),
            Ok(vec!["How often?".to_owned(), "Who approves?".to_owned()])
        );
        assert!(parse_questions(&"q\n".repeat(21)).is_err());
        assert_eq!(Urgency::parse(""), Ok(Urgency::Normal));
        assert!(Urgency::parse("yesterday").is_err());
    }

    #[test]
    fn demand_follows_the_formula() {
        // One fresh vote, normal urgency, audience of 1: 10 · 1 · (1 + 1) · 1 = 20.
        assert_eq!(demand_score(Urgency::Normal, 1, &[0.0]), 20);
        // Three fresh votes for 7 people: 10 · (1 + 3) · 3 = 120.
        assert_eq!(demand_score(Urgency::Normal, 7, &[0.0, 0.0, 0.0]), 120);
        // Critical triples it, low halves it.
        assert_eq!(demand_score(Urgency::Critical, 7, &[0.0, 0.0, 0.0]), 360);
        assert_eq!(demand_score(Urgency::Low, 7, &[0.0, 0.0, 0.0]), 60);
        // A vote 90 days old counts half; 180 days, a quarter.
        assert_eq!(demand_score(Urgency::Normal, 7, &[90.0]), 20);
        assert_eq!(demand_score(Urgency::Normal, 7, &[180.0]), 10);
        // A bigger audience weighs more, but far less than proportionally.
        let small = demand_score(Urgency::Normal, 10, &[0.0]);
        let big = demand_score(Urgency::Normal, 1000, &[0.0]);
        assert!(big > small && big < 3 * small, "{small} {big}");
        assert_eq!(demand_score(Urgency::High, 50, &[]), 0);
    }

    #[test]
    fn the_lifecycle_allows_only_sensible_moves() {
        use NeedStatus::*;
        assert!(Open.can_move_to(Exploring));
        assert!(Exploring.can_move_to(InProgress));
        assert!(InProgress.can_move_to(Answered));
        assert!(Answered.can_move_to(Closed));
        assert!(Open.can_move_to(Declined));
        assert!(Declined.can_move_to(Open));
        assert!(!Closed.can_move_to(InProgress));
        assert!(!Merged.can_move_to(Open));
        assert!(!Open.can_move_to(Open));
        assert!(!Open.next().contains(&Merged));
        assert!(Open.takes_votes() && InProgress.takes_votes());
        assert!(!Answered.takes_votes() && !Closed.takes_votes() && !Declined.takes_votes());
    }

    #[test]
    fn medians_and_outlines() {
        assert_eq!(median_days(vec![]), None);
        assert_eq!(median_days(vec![9.0, 1.0, 4.0]), Some(4.0));
        assert_eq!(median_days(vec![2.0, 4.0]), Some(3.0));
        let o = outline("We break prod", &["How often?".to_owned(), "q".repeat(200)]);
        assert_eq!(o.len(), 3);
        assert!(o[0].1.contains("> We break prod"));
        assert_eq!(
            o[1],
            (
                "How often?".to_owned(),
                "_Write the answer here._".to_owned()
            )
        );
        assert_eq!(o[2].0.chars().count(), 150);
        assert!(o[2].1.contains(&"q".repeat(200)));
        assert_eq!(outline("", &[]).len(), 2);
    }

    #[test]
    fn expert_state_words_round_trip_and_others_are_refused() {
        for &x in ExpertState::ALL {
            assert_eq!(ExpertState::parse(x.as_str()), Ok(x));
            assert_eq!(
                serde_json::to_string(&x).unwrap(),
                format!("\"{}\"", x.as_str())
            );
        }
        assert!(ExpertState::parse("volunteered").is_err());
        assert!(ExpertState::parse("").is_err());
    }

    #[test]
    fn need_status_words_round_trip_and_others_are_refused() {
        for x in NeedStatus::ALL {
            assert_eq!(NeedStatus::parse(x.as_str()), Ok(x));
            assert_eq!(
                serde_json::to_string(&x).unwrap(),
                format!("\"{}\"", x.as_str())
            );
        }
        assert!(NeedStatus::parse("in_progress").is_err());
    }
}
