//! Progress rebuilt from the event log, and the stored progress in the same shape, so a test
//! (or an operator) can check the two never drift.

use std::collections::BTreeMap;

use lore_domain::progress_replay::{LearningEvent, Progress, replay};

use crate::{App, AppResult};

const PAGE: u64 = 5_000;

impl App {
    /// Progress per (person, course) as the event log tells it.
    pub async fn progress_from_events(&self) -> AppResult<BTreeMap<(i64, i64), Progress>> {
        let mut events = Vec::new();
        let mut after = 0;
        loop {
            let page = self.store.events_after(after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            events.extend(page);
        }
        Ok(replay(events.iter().filter_map(|e| {
            Some(LearningEvent {
                user_id: e.user_id,
                course_id: e.course_id?,
                verb: &e.verb,
                version_number: e.version_number,
                step_key: e.step_key.as_deref(),
                restarts: e.verb == "assigned"
                    && e.data.as_deref().is_some_and(|d| {
                        serde_json::from_str::<serde_json::Value>(d)
                            .is_ok_and(|v| v["recertification"] == true)
                    }),
            })
        })))
    }

    /// Progress per (person, course) as stored (enrolments and step progress).
    pub async fn progress_stored(&self) -> AppResult<BTreeMap<(i64, i64), Progress>> {
        let mut all = BTreeMap::new();
        let mut after = 0;
        loop {
            let page = self.store.enrolments_after(after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            let ids: Vec<i64> = page.iter().map(|e| e.id).collect();
            let mut done: BTreeMap<i64, Vec<String>> = BTreeMap::new();
            for p in self.store.done_steps_of(&ids).await? {
                done.entry(p.enrolment_id).or_default().push(p.step_key);
            }
            for e in page {
                all.insert(
                    (e.user_id, e.course_id),
                    Progress {
                        version_number: e.version_number,
                        steps_done: done.remove(&e.id).unwrap_or_default().into_iter().collect(),
                        completed: e.completed_at.is_some(),
                    },
                );
            }
        }
        Ok(all)
    }
}
