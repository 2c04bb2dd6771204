//! Review and checks in the demo: the Platform Team requires review before publishing, and
//! Arjun's update of "Rotating secrets" waits for it, with Lukas's comment pinned to its
//! second step; "Code review etiquette" is checked every 90 days, and its last version is
//! older than that, so it shows as stale in the coaches' "needs attention".

use time::{Duration, OffsetDateTime};

use super::feedback::{People, course_ids, id_of};
use super::{at, engineering};
use crate::courses::authoring::DraftField;
use crate::{App, AppError, AppResult};

pub(super) async fn seed(app: &App, now: OffsetDateTime) -> AppResult<()> {
    let mut people = People::default();
    let ids = course_ids(app).await?;
    let admin = people.get(app, "admin").await?;
    let platform = app
        .store
        .all_groups()
        .await?
        .into_iter()
        .find(|g| g.name == "Platform Team")
        .ok_or_else(|| AppError::Internal("the demo's Platform Team is missing".to_owned()))?;
    at(app, now - Duration::days(6))
        .set_group_review_rules(&admin, platform.id, true, "")
        .await?;

    // Arjun updates step 2 of "Rotating secrets" and asks for review; Lukas comments on it.
    let secrets = id_of(&ids, &engineering::ROTATING_SECRETS)?;
    let arjun = people.get(app, "arjun.patel").await?;
    let then = at(app, now - Duration::days(3));
    let draft = then.draft(&arjun, secrets).await?;
    let step = draft
        .steps
        .get(1)
        .ok_or_else(|| AppError::Internal("Rotating secrets has no second step".to_owned()))?;
    let body = format!(
        "{}\n\nSince the move to the new vault, staging keys rotate on their own every 30 days: \
         rotate production keys by hand as above.",
        step.body.trim_end()
    );
    then.save_draft_field(
        &arjun,
        secrets,
        DraftField::StepBody(step.id),
        step.revision,
        &body,
    )
    .await?;
    then.submit_for_review(&arjun, secrets).await?;
    let lukas = people.get(app, "lukas.becker").await?;
    at(app, now - Duration::days(2))
        .comment_on_review(
            &lukas,
            secrets,
            Some(&step.step_key),
            None,
            "Which vault path do staging keys live under now? Name it here, so nobody rotates the wrong ones.",
        )
        .await?;

    // "Code review etiquette" should be checked every 90 days; its only version is older.
    let code_review = id_of(&ids, &engineering::CODE_REVIEW)?;
    let priya = people.get(app, "priya.raman").await?;
    app.set_course_review_days(&priya, code_review, "90")
        .await?;
    Ok(())
}
