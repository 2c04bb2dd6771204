//! Asking for a need and editing it; the "already asked" hints fetched while someone types.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use lore_app::AppError;
use lore_app::needs::asking::NeedInput;
use lore_domain::need::Urgency;
use serde::Deserialize;

use super::{NeedLine, lines};
use crate::WebState;
use crate::error::{PageError, status_of};
use crate::layout::Layout;
use crate::pages::parse_id;
use crate::session::Viewer;

pub struct AudienceChoice {
    pub id: i64,
    pub path: String,
    pub checked: bool,
}

/// What the "Already asked" hints show.
#[derive(Default)]
pub struct SimilarView {
    pub asked: bool,
    pub needs: Vec<NeedLine>,
    pub courses: Vec<(i64, String)>,
}

impl SimilarView {
    pub fn is_empty(&self) -> bool {
        self.needs.is_empty() && self.courses.is_empty()
    }
}

/// The fields of the form, as typed.
#[derive(Deserialize, Default)]
pub struct NeedForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    problem: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    urgency: String,
    #[serde(default)]
    questions: String,
    #[serde(default)]
    audiences: Vec<i64>,
}

impl NeedForm {
    fn input(&self) -> NeedInput<'_> {
        NeedInput {
            title: &self.title,
            problem: &self.problem,
            topic: &self.topic,
            urgency: &self.urgency,
            questions: &self.questions,
            audiences: self.audiences.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "need_new.html")]
pub struct NewNeedPage {
    layout: Layout,
    f: NeedForm,
    urgencies: Vec<(&'static str, &'static str)>,
    audiences: Vec<AudienceChoice>,
    similar: SimilarView,
    error: String,
    error_field: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "need_edit.html")]
pub struct EditNeedPage {
    layout: Layout,
    id: i64,
    f: NeedForm,
    urgencies: Vec<(&'static str, &'static str)>,
    audiences: Vec<AudienceChoice>,
    error: String,
    error_field: String,
}

/// The "Already asked" fragment (also included in the form page on first load).
#[derive(Template, WebTemplate)]
#[template(path = "need_similar.html")]
pub struct SimilarFragment {
    layout: Layout,
    similar: SimilarView,
}

fn urgencies() -> Vec<(&'static str, &'static str)> {
    Urgency::ALL
        .into_iter()
        .map(|u| (u.as_str(), u.label()))
        .collect()
}

async fn audience_choices(
    state: &WebState,
    viewer: &Viewer,
    checked: &[i64],
) -> Result<Vec<AudienceChoice>, AppError> {
    Ok(state
        .app
        .need_audience_choices(viewer.caller())
        .await?
        .into_iter()
        .map(|(id, path)| AudienceChoice {
            checked: checked.contains(&id),
            id,
            path,
        })
        .collect())
}

/// The caller's own groups: who most likely shares what they ask for.
fn own_groups(viewer: &Viewer) -> Vec<i64> {
    viewer
        .caller()
        .actor
        .memberships
        .iter()
        .map(|(g, _)| g.0)
        .collect()
}

async fn similar_view(
    state: &WebState,
    viewer: &Viewer,
    text: &str,
) -> Result<SimilarView, AppError> {
    if text.trim().is_empty() {
        return Ok(SimilarView::default());
    }
    let found = state.app.similar_to(viewer.caller(), text).await?;
    Ok(SimilarView {
        asked: true,
        needs: lines(state, viewer.caller(), found.needs).await?,
        courses: found.courses,
    })
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    title: Option<String>,
}

pub async fn new_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<NewQuery>,
) -> Result<NewNeedPage, PageError> {
    let title = q.title.unwrap_or_default();
    let similar = similar_view(&state, &viewer, &title).await?;
    Ok(NewNeedPage {
        layout: Layout::for_session(&viewer.0, "needs"),
        audiences: audience_choices(&state, &viewer, &own_groups(&viewer)).await?,
        f: NeedForm {
            title,
            urgency: Urgency::Normal.as_str().to_owned(),
            ..NeedForm::default()
        },
        urgencies: urgencies(),
        similar,
        error: String::new(),
        error_field: String::new(),
    })
}

pub async fn create(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(f): Form<NeedForm>,
) -> Result<Response, PageError> {
    match state.app.ask_need(viewer.caller(), f.input()).await {
        Ok(id) => Ok(Redirect::to(&format!("/needs/{id}")).into_response()),
        Err(
            e @ (AppError::Invalid(_)
            | AppError::Refused {
                code: "no_group", ..
            }),
        ) => {
            let error_field = match &e {
                AppError::Invalid(i) => i.field.to_owned(),
                _ => "audiences".to_owned(),
            };
            let similar =
                similar_view(&state, &viewer, &format!("{} {}", f.title, f.problem)).await?;
            let page = NewNeedPage {
                layout: Layout::for_session(&viewer.0, "needs"),
                audiences: audience_choices(&state, &viewer, &f.audiences).await?,
                f,
                urgencies: urgencies(),
                similar,
                error: e.to_string(),
                error_field,
            };
            Ok((status_of(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct SimilarQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    problem: String,
}

/// While someone types: needs already asked and courses that may help. The form sends its
/// title and problem; other callers send `q`.
pub async fn similar(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<SimilarQuery>,
) -> Result<SimilarFragment, PageError> {
    let text = [q.q.as_str(), &q.title, &q.problem]
        .into_iter()
        .filter(|t| !t.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(SimilarFragment {
        similar: similar_view(&state, &viewer, &text).await?,
        layout: Layout::for_session(&viewer.0, "needs"),
    })
}

pub async fn edit_page(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<EditNeedPage, PageError> {
    let id = parse_id(&id)?;
    let v = state.app.need_view(viewer.caller(), id).await?;
    if !v.can_edit {
        return Err(PageError(AppError::Forbidden));
    }
    let current: Vec<i64> = v.summary.groups.iter().map(|(g, _)| *g).collect();
    Ok(EditNeedPage {
        layout: Layout::for_session(&viewer.0, "needs"),
        id,
        audiences: audience_choices(&state, &viewer, &current).await?,
        f: NeedForm {
            title: v.summary.title,
            problem: v.problem,
            topic: v.summary.topic,
            urgency: v.summary.urgency.as_str().to_owned(),
            questions: v.questions.join("\n"),
            audiences: current,
        },
        urgencies: urgencies(),
        error: String::new(),
        error_field: String::new(),
    })
}

pub async fn edit(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<NeedForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match state.app.edit_need(viewer.caller(), id, f.input()).await {
        Ok(()) => Ok(Redirect::to(&format!("/needs/{id}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::Refused { .. })) => {
            let error_field = match &e {
                AppError::Invalid(i) => i.field.to_owned(),
                _ => String::new(),
            };
            let page = EditNeedPage {
                layout: Layout::for_session(&viewer.0, "needs"),
                id,
                audiences: audience_choices(&state, &viewer, &f.audiences).await?,
                f,
                urgencies: urgencies(),
                error: e.to_string(),
                error_field,
            };
            Ok((status_of(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
