//! What each person might learn next, each with its reason in words: the next course of a
//! path of their group, courses that answer
//! needs they voted for, courses their peers in a group completed lately and rated well, and
//! refreshers of courses they completed long ago that changed since. Read in a few limited,
//! scoped statements; nothing is written.

use std::collections::BTreeSet;

use lore_domain::reactions::reaction_score;
use lore_store::{Candidate, CandidateReason};
use time::{Duration, OffsetDateTime};

use crate::{App, AppResult, Caller};

/// How far back peers' completions count.
const PEERS_SINCE: Duration = Duration::days(180);

/// A completion older than this, of a course that changed since, suggests a refresher.
const REFRESH_AFTER: Duration = Duration::days(180);

/// A course peers completed is not suggested when its reaction score is below this.
const WELL_RATED: i32 = 0;

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub course_id: i64,
    pub title: String,
    /// Why, in words: "3 people in Sales completed this; rated 82".
    pub reason: String,
    /// `path`, `need`, `peers` or `refresher`.
    pub source: &'static str,
}

fn months_ago(then: OffsetDateTime, now: OffsetDateTime) -> String {
    let days = (now - then).whole_days().max(0);
    match days / 30 {
        0 | 1 => format!("{days} days ago"),
        m if m < 24 => format!("{m} months ago"),
        m => format!("{} years ago", m / 12),
    }
}

/// The reason of a candidate in words, or `None` when it should not be suggested (peers'
/// course rated poorly).
pub fn reason_of(c: &Candidate, now: OffsetDateTime) -> Option<(String, &'static str)> {
    let score = reaction_score(c.positive, c.negative, c.viewers);
    let rated = score.map(|s| format!("; rated {s}")).unwrap_or_default();
    match &c.reason {
        CandidateReason::Path { path_title, group } => Some((
            format!("Next in “{path_title}”, a path for {group}"),
            "path",
        )),
        CandidateReason::Need { need_title } => Some((
            format!("It answers “{need_title}”, a need you voted for{rated}"),
            "need",
        )),
        CandidateReason::Peers { group, people } => {
            if score.is_some_and(|s| s < WELL_RATED) {
                return None;
            }
            let who = if *people == 1 {
                "1 person".to_owned()
            } else {
                format!("{people} people")
            };
            Some((format!("{who} in {group} completed this{rated}"), "peers"))
        }
        CandidateReason::Refresher {
            version,
            latest,
            completed_at,
        } => Some((
            format!(
                "You completed it {} (version {version}); it is at version {latest} now",
                months_ago(*completed_at, now)
            ),
            "refresher",
        )),
    }
}

impl App {
    /// Up to `limit` suggestions for the caller: their groups' paths first, then needs, then
    /// peers, then refreshers; each course once.
    pub async fn recommendations(
        &self,
        caller: &Caller,
        limit: usize,
    ) -> AppResult<Vec<Recommendation>> {
        let now = self.now();
        let scope = caller.scope();
        let fetch = (limit as u64).saturating_mul(2).max(4);
        // One course per path: the first of its order the caller does not take yet.
        let mut candidates = Vec::new();
        let mut paths_seen = BTreeSet::new();
        for c in self.store.path_candidates(&scope, fetch * 4).await? {
            if let CandidateReason::Path { path_title, .. } = &c.reason
                && paths_seen.insert(path_title.clone())
            {
                candidates.push(c);
            }
        }
        candidates.extend(self.store.need_candidates(&scope, fetch).await?);
        candidates.extend(
            self.store
                .peer_candidates(&scope, now - PEERS_SINCE, fetch)
                .await?,
        );
        candidates.extend(
            self.store
                .refresher_candidates(&scope, now - REFRESH_AFTER, fetch)
                .await?,
        );
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for c in &candidates {
            if out.len() >= limit {
                break;
            }
            let Some((reason, source)) = reason_of(c, now) else {
                continue;
            };
            if seen.insert(c.course_id) {
                out.push(Recommendation {
                    course_id: c.course_id,
                    title: c.title.clone(),
                    reason,
                    source,
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(reason: CandidateReason, positive: u64, negative: u64) -> Candidate {
        Candidate {
            course_id: 1,
            title: "Discovery calls".to_owned(),
            reason,
            positive,
            negative,
            viewers: 20,
        }
    }

    #[test]
    fn reasons_read_as_words_and_poorly_rated_peers_courses_are_left_out() {
        let now = OffsetDateTime::UNIX_EPOCH + Duration::days(1000);
        let peers = candidate(
            CandidateReason::Peers {
                group: "Sales".to_owned(),
                people: 3,
            },
            9,
            1,
        );
        assert_eq!(
            reason_of(&peers, now),
            Some((
                "3 people in Sales completed this; rated 80".to_owned(),
                "peers"
            ))
        );
        let disliked = candidate(
            CandidateReason::Peers {
                group: "Sales".to_owned(),
                people: 3,
            },
            1,
            9,
        );
        assert_eq!(reason_of(&disliked, now), None);
        let refresher = candidate(
            CandidateReason::Refresher {
                version: 1,
                latest: 3,
                completed_at: now - Duration::days(250),
            },
            0,
            0,
        );
        assert_eq!(
            reason_of(&refresher, now).map(|r| r.0),
            Some("You completed it 8 months ago (version 1); it is at version 3 now".to_owned())
        );
    }
}
