//! A later version of a demo course, written into the draft the way its author would in the
//! editor: course fields, each changed or new step, the order, and the changed questions.
//!
//! Each version is a whole folder (`versions/<n>/`) rather than a list of edits: the folder
//! is what the version is, reads like any exported course, and its diff against the version
//! before is the change. Applying it only saves what differs, so the draft's history is the
//! same as an author's: changed steps keep their keys, and learners see what changed.

use std::collections::HashMap;

use lore_store::{StepFields, StepRow};

use super::evaluation;
use super::folders::Version;
use crate::courses::authoring::{CourseFields, StepInput};
use crate::evaluations::authoring::question_of;
use crate::{App, AppError, AppResult, Caller};

/// Make the draft of `course_id` say what `version` says, through the authoring use cases.
///
/// The editor makes up the key of a step it adds; `keys` maps the key in the folder to it, so
/// that a later version can name the step by its key in the folder.
pub(super) async fn write_draft(
    editing: &App,
    editor: &Caller,
    course_id: i64,
    version: &Version,
    keys: &mut HashMap<String, String>,
) -> AppResult<()> {
    save_fields(editing, editor, course_id, version).await?;
    save_steps(editing, editor, course_id, &version.content.steps, keys).await?;
    save_questions(editing, editor, course_id, version.questions.unwrap_or("")).await
}

async fn save_fields(
    editing: &App,
    editor: &Caller,
    course_id: i64,
    version: &Version,
) -> AppResult<()> {
    let draft = editing.draft(editor, course_id).await?;
    let (now, wanted) = (&draft.version, &version.content.meta);
    if (
        &now.title,
        &now.summary,
        &now.language,
        &now.tags,
        now.estimated_minutes,
    ) == (
        &wanted.title,
        &wanted.summary,
        &wanted.language,
        &wanted.tags,
        wanted.estimated_minutes,
    ) {
        return Ok(());
    }
    let tags: Vec<String> = serde_json::from_str(&wanted.tags)
        .map_err(|e| AppError::Internal(format!("demo tags {:?}: {e}", wanted.tags)))?;
    let minutes = wanted
        .estimated_minutes
        .map(|m| m.to_string())
        .unwrap_or_default();
    editing
        .save_course_fields(
            editor,
            course_id,
            now.revision,
            CourseFields {
                title: &wanted.title,
                summary: &wanted.summary,
                language: &wanted.language,
                tags: &tags.join(", "),
                estimated_minutes: &minutes,
            },
        )
        .await?;
    Ok(())
}

fn input(step: &StepFields) -> StepInput<'_> {
    StepInput {
        kind: step.kind.as_str(),
        title: &step.title,
        body: &step.body,
        video_url: step.video_url.as_deref().unwrap_or(""),
        blob_hash: None,
        required: step.required,
    }
}

async fn save_steps(
    editing: &App,
    editor: &Caller,
    course_id: i64,
    wanted: &[StepFields],
    keys: &mut HashMap<String, String>,
) -> AppResult<()> {
    let draft = editing.draft(editor, course_id).await?;
    let mut order = Vec::with_capacity(wanted.len());
    for step in wanted {
        let key = keys.get(&step.step_key).unwrap_or(&step.step_key);
        match draft.steps.iter().find(|s| &s.step_key == key) {
            Some(row) => {
                if differs(row, step) {
                    editing
                        .save_step(editor, course_id, row.id, row.revision, input(step))
                        .await?;
                }
                order.push(row.id);
            }
            None => {
                let added = editing.add_step(editor, course_id, input(step)).await?;
                keys.insert(step.step_key.clone(), added.step_key);
                order.push(added.id);
            }
        }
    }
    for row in draft.steps.iter().filter(|s| !order.contains(&s.id)) {
        editing.delete_step(editor, course_id, row.id).await?;
    }
    // New steps went to the end; put every step where the folder has it.
    let draft = editing.draft(editor, course_id).await?;
    if draft.steps.iter().map(|s| s.id).ne(order.iter().copied()) {
        editing.reorder_steps(editor, course_id, &order).await?;
    }
    Ok(())
}

fn differs(row: &StepRow, step: &StepFields) -> bool {
    row.kind != step.kind
        || row.title != step.title
        || row.body != step.body
        || row.video_url != step.video_url
        || row.required != step.required
}

/// The final evaluation's questions, position by position: changed ones saved, missing ones
/// added, extra ones removed.
async fn save_questions(
    editing: &App,
    editor: &Caller,
    course_id: i64,
    gift: &str,
) -> AppResult<()> {
    let wanted = evaluation::parse(gift)?;
    let (rows, _) = editing.draft_evaluation(editor, course_id).await?;
    let rows: Vec<_> = rows.into_iter().filter(|q| q.step_key.is_none()).collect();
    for (row, q) in rows.iter().zip(&wanted) {
        if question_of(row)? != q.question {
            editing
                .save_question(editor, course_id, row.id, row.revision, &q.question)
                .await?;
        }
    }
    for q in wanted.iter().skip(rows.len()) {
        editing
            .add_question(editor, course_id, None, &q.question)
            .await?;
    }
    for row in rows.iter().skip(wanted.len()) {
        editing.delete_question(editor, course_id, row.id).await?;
    }
    Ok(())
}
