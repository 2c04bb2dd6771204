//! The home page answers "what should I do now?": assigned courses with due dates first,
//! then what is in progress, then suggestions; and the person's groups. For people who write
//! or coach courses it also answers "what needs my attention?": the least healthy courses and
//! a short "Courses you write" with a way to each one's feedback.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use lore_app::courses::catalogue::{CatalogueEntry, CatalogueQuery};
use lore_app::courses::learning::{LearningEntry, MyLearning};

use super::NoticeQuery;
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

pub struct Due {
    pub entry: LearningEntry,
    pub due: String,
}

/// An assignment (course or path) with its due date in the reader's zone.
pub struct Assigned {
    pub a: lore_app::assignment_progress::MyAssignment,
    pub due: String,
}

/// The caller's assignments, for home and "My learning".
pub async fn assigned_lines(state: &WebState, viewer: &Viewer) -> Result<Vec<Assigned>, PageError> {
    Ok(state
        .app
        .my_assignments(viewer.caller())
        .await?
        .into_iter()
        .map(|a| Assigned {
            due: a.due_at.map(|t| viewer.when(t)).unwrap_or_default(),
            a,
        })
        .collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    layout: Layout,
    first_name: String,
    groups: Vec<lore_app::groups::MyGroup>,
    platform_admin: bool,
    assigned: Vec<Due>,
    /// Assignments of paths and courses, first on the page.
    assignments: Vec<Assigned>,
    in_progress: Vec<LearningEntry>,
    /// What to learn next, each with its reason.
    recommended: Vec<lore_app::recommendations::Recommendation>,
    /// Other courses of the person's catalogue, to fill the list up.
    suggested: Vec<CatalogueEntry>,
    /// The least healthy courses the person writes or coaches (the first few).
    attention: Vec<lore_app::feedback::health::AttentionEntry>,
    /// How many more there are (on every page of the list).
    attention_more: u64,
    /// The first few courses the person writes, least healthy first (empty for non-authors).
    authored: Vec<lore_app::feedback::health::AuthoredCourse>,
    /// How many more courses they write.
    authored_more: u64,
    /// The most wanted live needs the person can see.
    top_needs: Vec<super::needs::NeedLine>,
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<HomePage, PageError> {
    let caller = viewer.caller();
    let groups = state.app.my_groups(caller).await?;
    let MyLearning {
        assigned,
        in_progress,
        completed: _,
    } = state.app.my_learning(caller).await?;
    let suggested = state
        .app
        .catalogue(
            caller,
            &CatalogueQuery {
                not_taken: true,
                without_total: true,
                ..CatalogueQuery::default()
            },
            1,
            5,
        )
        .await?
        .entries;
    let recommended = state.app.recommendations(caller, 5).await?;
    let suggested: Vec<CatalogueEntry> = suggested
        .into_iter()
        .filter(|c| !recommended.iter().any(|r| r.course_id == c.course_id))
        .take(5usize.saturating_sub(recommended.len()))
        .collect();
    let (mut attention, attention_total) = state.app.needs_attention(caller, 0).await?;
    let attention_more = attention_total.saturating_sub(3);
    attention.truncate(3);
    let (authored, authored_total) = state
        .app
        .courses_i_write(caller, Some(lore_app::feedback::health::HOME_AUTHORED))
        .await?;
    let authored_more = authored_total.saturating_sub(authored.len() as u64);
    let top_needs = super::needs::top_needs(&state, caller, 3).await?;
    let assignments = assigned_lines(&state, &viewer).await?;
    // A course already listed with its assignment (or inside an assigned path) is not repeated.
    let covered = |course_id: i64| {
        let href = format!("/courses/{course_id}");
        assignments
            .iter()
            .any(|x| x.a.href == href || x.a.courses.iter().any(|(_, h, _)| *h == href))
    };
    let assigned: Vec<LearningEntry> = assigned
        .into_iter()
        .filter(|e| !covered(e.course_id))
        .collect();
    Ok(HomePage {
        assignments,
        authored,
        authored_more,
        top_needs,
        attention,
        attention_more,
        layout: Layout::for_session(&viewer.0, "home").with_notice(q.notice.as_deref()),
        first_name: caller
            .name
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_owned(),
        groups,
        platform_admin: caller.platform_admin,
        assigned: assigned
            .into_iter()
            .map(|e| Due {
                due: e.due_at.map(|t| viewer.when(t)).unwrap_or_default(),
                entry: e,
            })
            .collect(),
        in_progress,
        recommended,
        suggested,
    })
}
