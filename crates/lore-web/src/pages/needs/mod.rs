//! Learning-need pages: the board, asking (with live "already asked" hints), the page of one
//! need with its votes, followers, experts and record, and the coach's tools on it.

mod board;
mod forms;
mod need;

use crate::route_table::Routes;
use axum::routing::{get, post};
use lore_app::needs::NeedSummary;

use crate::WebState;

pub use board::top_needs;

pub fn routes() -> Routes {
    Routes::new()
        .route("/needs", get(board::index).post(forms::create))
        .route("/needs/new", get(forms::new_page))
        .route("/needs/similar", get(forms::similar))
        .route("/needs/{id}", get(need::show))
        .route("/needs/{id}/edit", get(forms::edit_page).post(forms::edit))
        .route("/needs/{id}/vote", post(need::vote))
        .route("/needs/{id}/unvote", post(need::unvote))
        .route("/needs/{id}/follow", post(need::follow))
        .route("/needs/{id}/unfollow", post(need::unfollow))
        .route("/needs/{id}/volunteer", post(need::volunteer))
        .route("/needs/{id}/status", post(need::status))
        .route("/needs/{id}/merge", post(need::merge))
        .route("/needs/{id}/experts", post(need::assign))
        .route("/needs/{id}/courses", post(need::link_course))
}

/// A need as lists show it, with the words and marks the templates need.
pub struct NeedLine {
    pub s: NeedSummary,
    pub age: String,
    pub i_voted: bool,
}

impl NeedLine {
    pub fn new(s: NeedSummary, my_votes: &[i64]) -> Self {
        NeedLine {
            age: age_text(s.age_days),
            i_voted: my_votes.contains(&s.id),
            s,
        }
    }

    /// Audience groups, as one line.
    pub fn audience(&self) -> String {
        self.s
            .groups
            .iter()
            .map(|(_, p)| p.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// "today", "1 day ago", "12 days ago".
pub fn age_text(days: i64) -> String {
    match days {
        ..=0 => "today".to_owned(),
        1 => "1 day ago".to_owned(),
        n => format!("{n} days ago"),
    }
}

/// Median lead time as people read it.
pub fn days_text(days: f64) -> String {
    if days < 1.0 {
        return "under a day".to_owned();
    }
    let n = days.round() as i64;
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

/// Summaries with whether the caller voted for each.
pub async fn lines(
    state: &WebState,
    caller: &lore_app::Caller,
    needs: Vec<NeedSummary>,
) -> Result<Vec<NeedLine>, lore_app::AppError> {
    let ids: Vec<i64> = needs.iter().map(|n| n.id).collect();
    let mine = if ids.is_empty() {
        Vec::new()
    } else {
        state.app.my_need_votes(caller, &ids).await?
    };
    Ok(needs.into_iter().map(|n| NeedLine::new(n, &mine)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_lead_times_read_naturally() {
        assert_eq!(age_text(0), "today");
        assert_eq!(age_text(1), "1 day ago");
        assert_eq!(age_text(40), "40 days ago");
        assert_eq!(days_text(0.2), "under a day");
        assert_eq!(days_text(1.4), "1 day");
        assert_eq!(days_text(6.5), "7 days");
    }
}
