//! Course pages: the catalogue, writing (new course, editor, publish), the course page,
//! the player, the editors' preview, "My learning", version history, and discussions.

mod analytics;
pub(crate) mod catalogue;
mod discussions;
mod editor;
pub(crate) mod essay_files;
mod essay_reviews;
pub(crate) mod evaluation;
mod feedback;
mod gift_import;
mod learning;
mod overview;
mod player;
mod preview;
mod review;
mod versions;

use crate::route_table::Routes;

/// The body limit of the editor's GIFT check and add forms.
pub(crate) const GIFT_BODY_LIMIT: usize = gift_import::BODY_LIMIT;
use axum::routing::{get, post};

pub fn routes() -> Routes {
    Routes::new()
        .route("/courses", get(catalogue::index).post(editor::create))
        .route("/courses/new", get(editor::new_page))
        .route("/courses/{id}", get(overview::show))
        .route("/courses/{id}/enrol", post(overview::enrol))
        .route("/courses/{id}/assign", post(overview::assign))
        .route("/courses/{id}/learn", get(player::resume))
        .route("/courses/{id}/learn/{position}", get(player::show))
        .route("/courses/{id}/steps/{key}/complete", post(player::complete))
        .route("/courses/{id}/switch-latest", post(player::switch_latest))
        .route("/courses/{id}/edit", get(editor::edit))
        .route("/courses/{id}/edit/details", post(editor::save_details))
        .route("/courses/{id}/edit/autosave", post(editor::autosave))
        .route("/courses/{id}/preview", get(preview::first))
        .route("/courses/{id}/preview/{position}", get(preview::step))
        .route("/courses/{id}/edit/steps", post(editor::add_step))
        .route("/courses/{id}/edit/order", post(editor::reorder))
        .route(
            "/courses/{id}/edit/cover",
            post(editor::cover).layer(axum::extract::DefaultBodyLimit::max(
                crate::pages::blobs::BODY_LIMIT,
            )),
        )
        .route(
            "/courses/{id}/edit/steps/{step_id}",
            post(editor::save_step),
        )
        .route(
            "/courses/{id}/edit/steps/{step_id}/move",
            post(editor::move_step),
        )
        .route(
            "/courses/{id}/edit/steps/{step_id}/attach",
            post(editor::attach).layer(axum::extract::DefaultBodyLimit::max(
                crate::pages::blobs::BODY_LIMIT,
            )),
        )
        .route(
            "/courses/{id}/edit/steps/{step_id}/delete",
            post(editor::delete_step),
        )
        .route("/courses/{id}/edit/people", post(editor::people))
        .route("/courses/{id}/publish", post(editor::publish))
        .route("/courses/{id}/archive", post(editor::archive))
        .route("/courses/{id}/restore", post(editor::restore))
        .route("/courses/{id}/delete", post(editor::delete))
        .route("/courses/{id}/versions", get(versions::history))
        .route("/courses/{id}/feedback", get(feedback::show))
        .route("/courses/{id}/analytics", get(analytics::show))
        .route("/courses/{id}/analytics.csv", get(analytics::csv))
        .route("/courses/{id}/steps/{key}/reactions", post(feedback::react))
        .route(
            "/courses/{id}/reactions/{reaction}/withdraw",
            post(feedback::withdraw),
        )
        .route(
            "/courses/{id}/reactions/{reaction}/resolve",
            post(feedback::resolve),
        )
        .route(
            "/courses/{id}/steps/{key}/suggest",
            get(feedback::suggest_page).post(feedback::suggest),
        )
        .route("/courses/{id}/suggestions/{sid}", get(feedback::suggestion))
        .route(
            "/courses/{id}/steps/{key}/history",
            get(feedback::step_history),
        )
        .route(
            "/courses/{id}/suggestions/{sid}/accept",
            post(feedback::accept),
        )
        .route(
            "/courses/{id}/suggestions/{sid}/decline",
            post(feedback::decline),
        )
        .route("/attention", get(feedback::attention))
        .route("/courses/{id}/review", get(review::show))
        .route("/courses/{id}/review/submit", post(review::submit))
        .route("/courses/{id}/review/comments", post(review::comment))
        .route(
            "/courses/{id}/review/comments/{comment}/resolve",
            post(review::resolve),
        )
        .route("/courses/{id}/review/verdict", post(review::verdict))
        .route("/courses/{id}/reviewers", post(review::add_reviewer))
        .route(
            "/courses/{id}/reviewers/{user}/remove",
            post(review::remove_reviewer),
        )
        .route("/courses/{id}/confirm", post(review::confirm))
        .route("/courses/{id}/review-interval", post(review::interval))
        .route("/courses/{id}/versions/diff", get(versions::diff))
        .route("/courses/{id}/evaluation", post(evaluation::start))
        .route("/courses/{id}/steps/{key}/check", post(player::check))
        .route(
            "/courses/{id}/edit/steps/{step_id}/questions",
            post(editor::import_step_questions),
        )
        .route(
            "/courses/{id}/edit/questions",
            post(editor::import_questions),
        )
        .route(
            "/courses/{id}/edit/questions/check",
            post(gift_import::check).layer(axum::extract::DefaultBodyLimit::max(GIFT_BODY_LIMIT)),
        )
        .route(
            "/courses/{id}/edit/questions/add",
            post(gift_import::add).layer(axum::extract::DefaultBodyLimit::max(GIFT_BODY_LIMIT)),
        )
        .route(
            "/courses/{id}/edit/questions/{question_id}/delete",
            post(editor::delete_question),
        )
        .route(
            "/courses/{id}/edit/questions/{question_id}/rubric",
            post(editor::save_rubric),
        )
        .route(
            "/courses/{id}/edit/evaluation",
            post(editor::save_evaluation),
        )
        .route("/courses/{id}/questions.gift", get(editor::gift))
        .route("/courses/{id}/stats", get(evaluation::stats))
        .route("/courses/{id}/essays", get(essay_reviews::show))
        .route(
            "/courses/{id}/essays/{attempt}/review",
            post(essay_reviews::review),
        )
        .route(
            "/attempts/{id}",
            get(evaluation::show).post(evaluation::save),
        )
        .route("/attempts/{id}/answers/{key}/file", essay_files::route())
        .route(
            "/courses/{id}/discussions",
            get(discussions::index).post(discussions::create),
        )
        .route(
            "/courses/{id}/discussions/{thread_id}",
            get(discussions::show),
        )
        .route(
            "/courses/{id}/discussions/{thread_id}/replies",
            post(discussions::reply),
        )
        .route(
            "/courses/{id}/discussions/{thread_id}/accept",
            post(discussions::accept),
        )
        .route(
            "/courses/{id}/discussions/{thread_id}/lock",
            post(discussions::lock),
        )
        .route(
            "/courses/{id}/discussions/{thread_id}/hide",
            post(discussions::hide_thread),
        )
        .route(
            "/courses/{id}/discussions/{thread_id}/posts/{post_id}/edit",
            post(discussions::edit),
        )
        .route(
            "/courses/{id}/discussions/{thread_id}/posts/{post_id}/delete",
            post(discussions::delete),
        )
        .route(
            "/courses/{id}/discussions/{thread_id}/posts/{post_id}/hide",
            post(discussions::hide_post),
        )
        .route("/learning", get(learning::show))
        .route("/preview", post(editor::preview))
}

/// Search snippets come marked with control characters; escape the text, then mark up.
pub fn highlight(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 32);
    for c in snippet.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c == lore_app::MARK_START => out.push_str("<mark>"),
            c if c == lore_app::MARK_END => out.push_str("</mark>"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_escaped_before_marking() {
        let s = format!(
            "<script>{}keys{} & more",
            lore_app::MARK_START,
            lore_app::MARK_END
        );
        assert_eq!(highlight(&s), "&lt;script&gt;<mark>keys</mark> &amp; more");
    }
}
