//! Reviewing open answers (essays) in pages (docs/decisions/0043): a course's queue of
//! answers waiting for review, each with the model answer and the rubric, and the review
//! form (points per criterion and a comment).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use lore_app::AppError;
use lore_app::evaluations::essay_reviews::{EssayToReview, ReviewQueue};
use serde::Deserialize;

use super::super::{done, parse_id};
use crate::WebState;
use crate::error::{PageError, status_of};
use crate::layout::Layout;
use crate::session::Viewer;

/// One essay on the page, with what was typed into its form after a refusal.
pub struct EssayLine {
    pub e: EssayToReview,
    pub submitted: String,
    /// The points typed per criterion (empty strings on a fresh form).
    pub typed: Vec<String>,
    pub comment: String,
    pub error: String,
}

impl EssayLine {
    pub fn typed_at(&self, i: &usize) -> String {
        self.typed.get(*i).cloned().unwrap_or_default()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "essay_reviews.html")]
pub struct EssayReviewPage {
    layout: Layout,
    course_id: i64,
    course_title: String,
    /// The caller reviews as a peer (decision 0050).
    as_peer: bool,
    essays: Vec<EssayLine>,
    /// A refusal about an essay no longer in the queue (reviewed already, say).
    error: String,
}

/// What was typed into a refused form: (attempt, question, points, comment, error).
type Typed = (i64, String, Vec<String>, String, String);

fn page(viewer: &Viewer, q: ReviewQueue, typed: Option<Typed>) -> EssayReviewPage {
    let essays = q
        .essays
        .into_iter()
        .map(|e| {
            let mine = typed
                .as_ref()
                .filter(|t| t.0 == e.attempt_id && t.1 == e.question_key);
            EssayLine {
                submitted: e.submitted_at.map(|t| viewer.when(t)).unwrap_or_default(),
                typed: mine.map(|t| t.2.clone()).unwrap_or_default(),
                comment: mine.map(|t| t.3.clone()).unwrap_or_default(),
                error: mine.map(|t| t.4.clone()).unwrap_or_default(),
                e,
            }
        })
        .collect();
    EssayReviewPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        course_id: q.course_id,
        course_title: q.course_title,
        as_peer: q.as_peer,
        essays,
        error: String::new(),
    }
}

#[derive(Deserialize)]
pub struct QueueQuery {
    notice: Option<String>,
}

/// `GET /courses/{id}/essays`: the answers waiting for review.
pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<QueueQuery>,
) -> Result<EssayReviewPage, PageError> {
    let queue = state
        .app
        .essay_queue(viewer.caller(), parse_id(&id)?)
        .await?;
    let mut p = page(&viewer, queue, None);
    p.layout = p.layout.with_notice(q.notice.as_deref());
    Ok(p)
}

/// `POST /courses/{id}/essays/{attempt}/review`: fields `question`, `points` (one per
/// criterion, in order) and `comment`.
pub async fn review(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, attempt)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (id, attempt) = (parse_id(&id)?, parse_id(&attempt)?);
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let question = field("question");
    let comment = field("comment");
    let typed: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "points")
        .map(|(_, v)| v.clone())
        .collect();
    let result = match typed
        .iter()
        .map(|v| v.trim().replace(',', ".").parse::<f64>())
        .collect::<Result<Vec<f64>, _>>()
    {
        Ok(points) => {
            state
                .app
                .review_essay(viewer.caller(), id, attempt, &question, &points, &comment)
                .await
        }
        Err(_) => Err(AppError::invalid(
            "points",
            "Give a number of points for each criterion.",
        )),
    };
    match result {
        Ok(_) => Ok(done(&format!("/courses/{id}/essays"), "essay-reviewed")),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::Refused { .. })) => {
            let queue = state.app.essay_queue(viewer.caller(), id).await?;
            let mut p = page(
                &viewer,
                queue,
                Some((attempt, question, typed, comment, e.to_string())),
            );
            if !p.essays.iter().any(|l| !l.error.is_empty()) {
                p.error = e.to_string();
            }
            Ok((status_of(&e), p).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
