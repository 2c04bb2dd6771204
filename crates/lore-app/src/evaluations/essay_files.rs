//! A file with an essay answer (issue 18, item 3; decision 0050): the learner attaches one
//! file to an essay answer of an open attempt, checked as uploads are (a document's types and
//! size limit). The file is private: it is stored under a name no one else's file can have
//! and served only by its answer's route, to the learner, the people who may review the
//! answer, and platform admins; everyone else is told it does not exist.

use bytes::Bytes;
use lore_domain::question::QuestionBody;
use lore_store::{EssayFileRow, NewEvent};

use super::authoring::question_of;
use super::peer_review::ReviewerRole;
use crate::blobs::{BlobPurpose, BlobRead, ByteRange};
use crate::{App, AppError, AppResult, Caller};

impl App {
    /// Attach `data` to the essay `question_key` of the caller's open attempt, replacing the
    /// file it had. Nothing changes unless every check passes.
    pub async fn attach_essay_file(
        &self,
        caller: &Caller,
        attempt_id: i64,
        question_key: &str,
        data: Bytes,
        declared_content_type: &str,
        original_name: &str,
    ) -> AppResult<EssayFileRow> {
        self.unit_of_work(|app| async move {
            let app = &app;
            let attempt = app.own_attempt(caller, attempt_id).await?;
            if attempt.submitted_at.is_some() {
                return Err(AppError::AttemptClosed(
                    "This attempt is submitted; it cannot change.".to_owned(),
                ));
            }
            let (questions, _) = app.attempt_questions(&attempt).await?;
            let row = questions
                .iter()
                .find(|q| q.question_key == question_key)
                .ok_or(AppError::NotFound("That question"))?;
            if !matches!(question_of(row)?.body, QuestionBody::Essay { .. }) {
                return Err(AppError::invalid(
                    "file",
                    "Only an open answer (an essay) takes a file.",
                ));
            }
            let blob = app
                .put_blob_named(
                    caller,
                    data,
                    declared_content_type,
                    original_name,
                    BlobPurpose::Document,
                    Some(format!("essay-file:{attempt_id}:{question_key}")),
                )
                .await?;
            let now = app.now();
            app.store
                .put_essay_file(attempt.id, question_key, &blob.hash, &blob.name, now)
                .await?;
            app.course_event(NewEvent {
                user_id: caller.id.0,
                verb: "attached-essay-file",
                course_id: Some(attempt.course_id),
                version_number: Some(attempt.version_number),
                attempt_id: Some(attempt.id),
                step_key: Some(question_key.to_owned()),
                data: Some(
                    serde_json::json!({ "size": blob.size, "content_type": blob.content_type })
                        .to_string(),
                ),
                ..NewEvent::default()
            })
            .await?;
            app.store
                .essay_file(attempt.id, question_key)
                .await?
                .ok_or_else(|| AppError::Internal("the essay file just written is gone".to_owned()))
        })
        .await
    }

    /// The file attached to an answer, if the caller may see it: the learner, someone who
    /// may review the course's answers (a coach, an editor, a named expert), a peer for an
    /// answer they are asked to review or reviewed (`App::peer_sees_answer`), or a platform
    /// admin. Anyone else: not found.
    pub async fn essay_file(
        &self,
        caller: &Caller,
        attempt_id: i64,
        question_key: &str,
    ) -> AppResult<EssayFileRow> {
        const MISSING: AppError = AppError::NotFound("That file");
        if !caller.actor.active {
            return Err(MISSING);
        }
        let Some(attempt) = self.store.attempt(attempt_id).await? else {
            return Err(MISSING);
        };
        let allowed = attempt.user_id == caller.id.0
            || caller.platform_admin
            || (attempt.submitted_at.is_some()
                && match self.essay_reviewer(caller, attempt.course_id).await {
                    Ok((_, ReviewerRole::Coach)) => true,
                    Ok((_, ReviewerRole::Peer(setting))) => {
                        self.peer_sees_answer(caller, &attempt, question_key, setting)
                            .await?
                    }
                    Err(_) => false,
                });
        if !allowed {
            return Err(MISSING);
        }
        self.store
            .essay_file(attempt_id, question_key)
            .await?
            .ok_or(MISSING)
    }

    /// Read an answer's file (who may: as [`App::essay_file`]), whole or one range of it.
    pub async fn read_essay_file(
        &self,
        caller: &Caller,
        attempt_id: i64,
        question_key: &str,
        range: Option<ByteRange>,
    ) -> AppResult<BlobRead> {
        let file = self.essay_file(caller, attempt_id, question_key).await?;
        let blob = self
            .store
            .blob(&file.hash)
            .await?
            .ok_or(AppError::NotFound("That file"))?;
        self.read_blob_row(blob, range).await
    }
}
