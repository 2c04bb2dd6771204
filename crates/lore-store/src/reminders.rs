//! What the reminder sweep reads beyond the assignees: the people overdue in each coach's
//! groups, for the coaches' weekly digest.

use sea_orm::ConnectionTrait;

use crate::{Store, StoreResult, Timestamp};

/// A person overdue on an open assignment, with a coach of one of their groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueForCoach {
    pub coach_id: i64,
    pub person_id: i64,
    pub person_name: String,
    /// What they are overdue on: `course` or `path`, and its id.
    pub target_kind: String,
    pub target_id: i64,
}

impl Store {
    /// Every (coach, overdue person) pair at `now`: people past the due date of an open
    /// assignment they have not completed nor left, and the active coaches and admins of the
    /// groups they belong to. By coach, then name.
    pub async fn overdue_by_coach(&self, now: Timestamp) -> StoreResult<Vec<OverdueForCoach>> {
        let rows = self
            .db
            .query_all_raw(self.raw(
                "SELECT DISTINCT cm.user_id AS coach_id, a.user_id AS person_id, u.name AS person_name,
                        s.target_kind AS target_kind, s.target_id AS target_id
                 FROM assignees a
                 JOIN assignments s ON s.id = a.assignment_id AND s.ended_at IS NULL
                 JOIN users u ON u.id = a.user_id AND u.active = TRUE
                 JOIN memberships pm ON pm.user_id = a.user_id
                 JOIN memberships cm ON cm.group_id = pm.group_id
                      AND cm.role IN ('coach', 'admin') AND cm.user_id <> a.user_id
                 JOIN users c ON c.id = cm.user_id AND c.active = TRUE
                 WHERE a.due_at < $1 AND a.completed_at IS NULL AND a.left_at IS NULL
                 ORDER BY coach_id, person_name, person_id",
                vec![now.into()],
            ))
            .await?;
        rows.iter()
            .map(|r| {
                Ok(OverdueForCoach {
                    coach_id: r.try_get("", "coach_id")?,
                    person_id: r.try_get("", "person_id")?,
                    person_name: r.try_get("", "person_name")?,
                    target_kind: r.try_get("", "target_kind")?,
                    target_id: r.try_get("", "target_id")?,
                })
            })
            .collect()
    }
}
