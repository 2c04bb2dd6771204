//! Votes (one per person), following, and volunteering to answer a need.

use lore_domain::policy::Action;
use lore_store::StoreError;

use super::{NeedAction, NeedContext, verbs};
use crate::{App, AppError, AppResult, Caller};

fn refuse_if_done(ctx: &NeedContext, doing: &str) -> AppResult<()> {
    let status = ctx.status();
    if status.takes_votes() {
        return Ok(());
    }
    let why = match ctx.need.merged_into {
        Some(target) if status == lore_domain::need::NeedStatus::Merged => {
            format!("This need was merged into need {target}; {doing} there instead.")
        }
        _ => format!(
            "This need is {}; it no longer takes {doing}.",
            status.label().to_lowercase()
        ),
    };
    Err(AppError::refused("need_closed", why))
}

impl App {
    /// Upvote a need: once per person, only while it is open, exploring or in progress.
    /// Voting also follows the need, so the voter hears when it is answered.
    pub async fn vote_need(&self, caller: &Caller, need_id: i64) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app.need_for(caller, need_id, Action::ViewNeed).await?;
            refuse_if_done(&ctx, "votes")?;
            let now = app.now();
            match app.store.insert_need_vote(need_id, caller.id.0, now).await {
                Err(StoreError::Conflict) => {
                    return Err(AppError::refused(
                        "already_voted",
                        "You already voted for this need; each person has one vote.",
                    ));
                }
                other => other?,
            }
            app.store.follow_need(need_id, caller.id.0, now).await?;
            app.store
                .insert_need_event(
                    need_id,
                    Some(caller.id.0),
                    "voted",
                    "Voted for this need.",
                    now,
                )
                .await?;
            app.need_event(caller.id.0, need_id, NeedAction::new(verbs::VOTED_NEED))
                .await
        })
        .await
    }

    /// Which of `need_ids` the caller has voted for (for lists that offer "Upvote").
    pub async fn my_need_votes(&self, caller: &Caller, need_ids: &[i64]) -> AppResult<Vec<i64>> {
        Ok(self
            .store
            .need_votes(Some(need_ids))
            .await?
            .into_iter()
            .filter(|v| v.user_id == caller.id.0)
            .map(|v| v.need_id)
            .collect())
    }

    /// Take one's vote back (while the need takes votes).
    pub async fn unvote_need(&self, caller: &Caller, need_id: i64) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app.need_for(caller, need_id, Action::ViewNeed).await?;
            refuse_if_done(&ctx, "votes")?;
            if !app.store.delete_need_vote(need_id, caller.id.0).await? {
                return Err(AppError::NotFound("Your vote"));
            }
            app.store
                .insert_need_event(
                    need_id,
                    Some(caller.id.0),
                    "unvoted",
                    "Took their vote back.",
                    app.now(),
                )
                .await?;
            app.need_event(caller.id.0, need_id, NeedAction::new(verbs::UNVOTED_NEED))
                .await
        })
        .await
    }

    /// Follow or stop following a need; following twice is no change.
    pub async fn follow_need(&self, caller: &Caller, need_id: i64, follow: bool) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            app.need_for(caller, need_id, Action::ViewNeed).await?;
            let (changed, verb) = if follow {
                let changed = app
                    .store
                    .follow_need(need_id, caller.id.0, app.now())
                    .await?;
                (changed, verbs::FOLLOWED_NEED)
            } else {
                let changed = app.store.unfollow_need(need_id, caller.id.0).await?;
                (changed, verbs::UNFOLLOWED_NEED)
            };
            if changed {
                app.need_event(caller.id.0, need_id, NeedAction::new(verb))
                    .await?;
            }
            Ok(())
        })
        .await
    }

    /// Offer to answer a need with a course.
    pub async fn volunteer_for_need(&self, caller: &Caller, need_id: i64) -> AppResult<()> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let ctx = app.need_for(caller, need_id, Action::ViewNeed).await?;
            refuse_if_done(&ctx, "volunteers")?;
            let now = app.now();
            match app.store.insert_volunteer(need_id, caller.id.0, now).await {
                Err(StoreError::Conflict) => {
                    return Err(AppError::refused(
                        "already_expert",
                        "You are already an expert on this need.",
                    ));
                }
                other => other?,
            }
            app.store.follow_need(need_id, caller.id.0, now).await?;
            let detail = format!("{} volunteered to answer it.", caller.name);
            app.need_changed(
                Some(caller),
                &ctx.need,
                "volunteered",
                &detail,
                NeedAction::new(verbs::VOLUNTEERED),
            )
            .await
        })
        .await
    }
}
