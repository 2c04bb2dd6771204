//! Question banks: the banks of the caller's groups with the form to start one
//! (`/question-banks`), a bank's questions with their topics and figures across courses and
//! the GIFT form to add more (`/question-banks/{id}`), and a course draft's draw from a bank
//! (`/courses/{id}/edit/draw`). Decision 0044.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use lore_app::AppError;
use lore_app::evaluations::banks::{BankDetail, BankImport, BankView, DrawInput, DrawView};
use lore_app::evaluations::question_import::ImportReport;
use lore_domain::question_bank::{Difficulty, MIN_RATED_ANSWERS};
use serde::Deserialize;

use super::{NoticeQuery, done, parse_id};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

#[derive(Deserialize, Default)]
pub struct CreateForm {
    #[serde(default)]
    group_id: String,
    #[serde(default)]
    name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "question_banks.html")]
pub struct BanksPage {
    layout: Layout,
    banks: Vec<BankView>,
    groups: Vec<(i64, String)>,
    form: CreateForm,
    error: Option<String>,
}

async fn list_page(
    state: &WebState,
    viewer: &Viewer,
    form: CreateForm,
    error: Option<String>,
    notice: Option<&str>,
) -> Result<BanksPage, PageError> {
    let caller = viewer.caller();
    Ok(BanksPage {
        layout: Layout::for_session(&viewer.0, "banks").with_notice(notice),
        banks: state.app.question_banks(caller).await?,
        groups: state.app.bank_groups(caller).await?,
        form,
        error,
    })
}

pub async fn index(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<NoticeQuery>,
) -> Result<BanksPage, PageError> {
    list_page(
        &state,
        &viewer,
        CreateForm::default(),
        None,
        q.notice.as_deref(),
    )
    .await
}

pub async fn create(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(f): Form<CreateForm>,
) -> Result<Response, PageError> {
    let result = async {
        if state.app.bank_groups(viewer.caller()).await?.is_empty() {
            return Err(AppError::Forbidden);
        }
        let group_id: i64 = f
            .group_id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("group_id", "Choose a group."))?;
        state
            .app
            .create_bank(viewer.caller(), group_id, &f.name)
            .await
    }
    .await;
    match result {
        Ok(b) => Ok(done(&format!("/question-banks/{}", b.id), "bank-created")),
        Err(AppError::Invalid(i)) => {
            let page = list_page(&state, &viewer, f, Some(i.message), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        // A name the group's banks have already: the form again, with what was typed.
        Err(AppError::Refused { message, .. }) => {
            let page = list_page(&state, &viewer, f, Some(message), None).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

/// A bad question of a pasted text, for the table under the form.
pub struct BadLine {
    pub line: usize,
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "question_bank.html")]
pub struct BankPage {
    layout: Layout,
    detail: BankDetail,
    gift: String,
    topic: String,
    error: Option<String>,
    /// After a paste with bad questions: how many good ones wait for the author's choice.
    good_waiting: usize,
    bad: Vec<BadLine>,
}

impl BankPage {
    /// A share from 0 to 1 as a whole per cent, or a dash.
    fn percent(&self, v: &Option<f64>) -> String {
        v.map_or_else(|| "–".to_owned(), |x| format!("{:.0} %", x * 100.0))
    }

    fn min_rated(&self) -> u64 {
        MIN_RATED_ANSWERS
    }

    /// A question's band, or how far it is from being rated.
    fn band(&self, d: &Option<Difficulty>, rated_answers: &u64) -> String {
        difficulty_word(*d, *rated_answers)
    }
}

/// A band as a table cell says it: "easy", or "unrated (2 of 5 answers)".
pub(crate) fn difficulty_word(d: Option<Difficulty>, answers: u64) -> String {
    match d {
        Some(d) => d.as_str().to_owned(),
        None => format!("unrated ({answers} of {MIN_RATED_ANSWERS} answers)"),
    }
}

async fn bank_page(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    notice: Option<&str>,
) -> Result<BankPage, PageError> {
    Ok(BankPage {
        layout: Layout::for_session(&viewer.0, "banks").with_notice(notice),
        detail: state.app.question_bank(viewer.caller(), id).await?,
        gift: String::new(),
        topic: String::new(),
        error: None,
        good_waiting: 0,
        bad: Vec::new(),
    })
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<BankPage, PageError> {
    bank_page(&state, &viewer, parse_id(&id)?, q.notice.as_deref()).await
}

#[derive(Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    gift: String,
    #[serde(default)]
    topic: String,
    /// Set by the button that adds only the good questions of a text with bad ones.
    #[serde(default)]
    only_good: Option<String>,
}

fn bad_lines(report: &ImportReport) -> Vec<BadLine> {
    report
        .items
        .iter()
        .filter_map(|i| i.outcome.as_ref().err())
        .flatten()
        .map(|e| BadLine {
            line: e.line,
            reason: e.reason.clone(),
        })
        .collect()
}

pub async fn add(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<AddForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let result = state
        .app
        .import_bank_gift(
            viewer.caller(),
            id,
            &f.gift,
            &f.topic,
            None,
            f.only_good.is_some(),
        )
        .await;
    let mut page = match result {
        Ok(BankImport::Added(_)) => {
            return Ok(done(
                &format!("/question-banks/{id}"),
                "bank-questions-added",
            ));
        }
        Ok(BankImport::NeedsChoice(report)) => {
            let mut page = bank_page(&state, &viewer, id, None).await?;
            page.good_waiting = report.good_count();
            page.bad = bad_lines(&report);
            let bad = report.bad_count();
            let good = report.good_count();
            page.error = Some(format!(
                "{bad} of the questions {}; nothing was added. Fix {} below, or add only the \
                 {}.",
                crate::plural::noun(bad, "has a problem", "have problems"),
                crate::plural::noun(bad, "it", "them"),
                crate::plural::count(good, "good one", "good ones"),
            ));
            page
        }
        Err(AppError::Invalid(i)) => {
            let mut page = bank_page(&state, &viewer, id, None).await?;
            page.error = Some(i.message);
            page
        }
        Err(e) => return Err(PageError(e)),
    };
    page.gift = f.gift;
    page.topic = f.topic;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn delete_question(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((id, question_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let question_id = parse_id(&question_id)?;
    state
        .app
        .delete_bank_question(viewer.caller(), id, question_id)
        .await?;
    Ok(done(
        &format!("/question-banks/{id}"),
        "bank-question-removed",
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluation_draw.html")]
pub struct DrawPage {
    layout: Layout,
    course_id: i64,
    draw: Option<DrawView>,
    banks: Vec<BankView>,
    form: DrawForm,
    error: Option<String>,
    /// Each band with its words, for the select.
    difficulties: Vec<(&'static str, String)>,
}

impl DrawPage {
    fn min_rated(&self) -> u64 {
        MIN_RATED_ANSWERS
    }

    /// The bank the draft draws from, when the caller may open it.
    fn drawn_bank(&self) -> Option<&BankView> {
        let d = self.draw.as_ref()?;
        self.banks.iter().find(|b| b.id == d.bank_id && b.kept)
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct DrawForm {
    #[serde(default)]
    bank_id: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    count: String,
    /// Empty (or `any`), `easy`, `medium`, `hard`.
    #[serde(default)]
    difficulty: String,
    /// `clear` stops drawing.
    #[serde(default)]
    action: String,
}

async fn draw_page(
    state: &WebState,
    viewer: &Viewer,
    course_id: i64,
    form: Option<DrawForm>,
    error: Option<String>,
    notice: Option<&str>,
) -> Result<DrawPage, PageError> {
    let (draw, banks) = state.app.draft_draw(viewer.caller(), course_id).await?;
    let form = form.unwrap_or_else(|| match &draw {
        Some(d) => DrawForm {
            bank_id: d.bank_id.to_string(),
            topic: d.topic.clone().unwrap_or_default(),
            count: d.count.to_string(),
            difficulty: d
                .difficulty
                .map(|d| d.as_str().to_owned())
                .unwrap_or_default(),
            action: String::new(),
        },
        None => DrawForm::default(),
    });
    Ok(DrawPage {
        layout: Layout::for_session(&viewer.0, "courses").with_notice(notice),
        course_id,
        draw,
        banks,
        form,
        error,
        difficulties: Difficulty::ALL
            .iter()
            .map(|d| (d.as_str(), d.label()))
            .collect(),
    })
}

pub async fn draw(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<DrawPage, PageError> {
    draw_page(
        &state,
        &viewer,
        parse_id(&id)?,
        None,
        None,
        q.notice.as_deref(),
    )
    .await
}

pub async fn save_draw(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(f): Form<DrawForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let to = format!("/courses/{id}/edit/draw");
    if f.action == "clear" {
        state.app.clear_draw(viewer.caller(), id).await?;
        return Ok(done(&to, "draw-cleared"));
    }
    let input = DrawInput {
        bank_id: &f.bank_id,
        topic: &f.topic,
        count: &f.count,
        difficulty: &f.difficulty,
    };
    match state.app.set_draw(viewer.caller(), id, &input).await {
        Ok(_) => Ok(done(&to, "draw-saved")),
        Err(AppError::Invalid(i)) => {
            let page = draw_page(&state, &viewer, id, Some(f), Some(i.message), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
