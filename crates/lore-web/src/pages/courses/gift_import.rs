//! The editor's GIFT import, in two steps: the pasted (or uploaded) text is checked first —
//! every good question with a tick box, every bad one with its line, its reasons and its text
//! to fix in place — and only "Add the N chosen questions" adds the ticked ones
//! (`App::add_chosen_questions`). Question CSV keeps its all-or-nothing import.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lore_app::AppError;
use lore_app::evaluations::question_import::{ImportReport, MAX_IMPORT_CHARS};
use lore_domain::gift;

use super::super::parse_id;
use super::editor::{Override, refuse};
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

/// The largest body the two forms take: a 5 MB paste must reach the check and be refused
/// there with a clear message, not by the form limit.
pub const BODY_LIMIT: usize = 8 * 1024 * 1024;

/// The longest prompt shown in the check result, in characters.
const PROMPT_CHARS: usize = 240;

#[derive(Template, WebTemplate)]
#[template(path = "course_gift_check.html")]
pub struct CheckPage {
    layout: Layout,
    course_id: i64,
    course_title: String,
    /// The text as checked, sent back with the ticks.
    gift: String,
    items: Vec<CheckLine>,
    good: usize,
    bad: usize,
    ticked: usize,
    error: Option<String>,
    /// Said above the result after a re-check.
    note: Option<String>,
}

/// One entry of the check result.
pub struct CheckLine {
    index: usize,
    line: usize,
    good: bool,
    ticked: bool,
    kind: String,
    title: String,
    prompt: String,
    category: String,
    /// (line, reason) for a bad entry.
    problems: Vec<(usize, String)>,
    /// A bad entry's text as written, to fix in place.
    source: String,
}

/// What the result form (or the first form) sent.
#[derive(Default)]
struct Sent {
    gift: String,
    file: Option<String>,
    /// Indices ticked.
    chosen: BTreeSet<usize>,
    /// Good indices that were shown with a tick box (so an unticked one stays unticked).
    shown: BTreeSet<usize>,
    /// Fixed texts of bad entries, by index.
    fixes: BTreeMap<usize, String>,
}

fn unreadable(_: axum::extract::multipart::MultipartError) -> AppError {
    AppError::invalid("gift", "The form was interrupted; send it again.")
}

async fn read(mut multipart: Multipart) -> Result<Sent, AppError> {
    let mut sent = Sent::default();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let bytes = field.bytes().await.map_err(unreadable)?;
            if !bytes.is_empty() {
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                    AppError::invalid(
                        "gift",
                        "The file is not UTF-8 text; save it as UTF-8 (Moodle's export is) \
                         and upload it again.",
                    )
                })?;
                sent.file = Some(text);
            }
            continue;
        }
        let value = field.text().await.map_err(unreadable)?;
        let index = |prefix: &str| {
            name.strip_prefix(prefix)
                .and_then(|i| i.parse::<usize>().ok())
        };
        match name.as_str() {
            "gift" => sent.gift = value,
            "chosen" => sent.chosen.extend(value.trim().parse::<usize>().ok()),
            "shown" => sent.shown.extend(value.trim().parse::<usize>().ok()),
            _ => {
                if let Some(i) = index("fix_") {
                    sent.fixes.insert(i, value);
                }
            }
        }
    }
    Ok(sent)
}

/// The text to check: an uploaded file, else the paste; a text over the limit is refused
/// before anything reads it.
fn too_long(text: &str) -> Option<String> {
    let chars = text.chars().count();
    (chars > MAX_IMPORT_CHARS).then(|| {
        format!(
            "The text has {chars} characters; check at most {MAX_IMPORT_CHARS} at a time \
             (split the file where a question ends). Nothing was added."
        )
    })
}

fn is_csv(text: &str) -> bool {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_lowercase();
    first.starts_with("kind,") || first.starts_with("\"kind\"")
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(PROMPT_CHARS).collect();
    if s.chars().count() > PROMPT_CHARS {
        out.push('…');
    }
    out
}

fn lines_of(text: &str, report: &ImportReport, ticked: impl Fn(usize) -> bool) -> Vec<CheckLine> {
    report
        .items
        .iter()
        .map(|item| match &item.outcome {
            Ok(q) => CheckLine {
                index: item.index,
                line: item.line,
                good: true,
                ticked: ticked(item.index),
                kind: q.question.kind_name().replace('_', " "),
                title: q.title.clone().unwrap_or_default(),
                prompt: short(&q.question.prompt),
                category: q.category.clone().unwrap_or_default(),
                problems: Vec::new(),
                source: String::new(),
            },
            Err(problems) => CheckLine {
                index: item.index,
                line: item.line,
                good: false,
                ticked: false,
                kind: String::new(),
                title: String::new(),
                prompt: String::new(),
                category: String::new(),
                problems: problems
                    .iter()
                    .map(|p| (p.line, p.reason.clone()))
                    .collect(),
                source: gift::source_text(text, item.line),
            },
        })
        .collect()
}

async fn page(
    state: &WebState,
    viewer: &Viewer,
    course_id: i64,
    text: String,
    report: &ImportReport,
    ticked: impl Fn(usize) -> bool,
) -> Result<CheckPage, PageError> {
    let draft = state.app.draft(viewer.caller(), course_id).await?;
    let items = lines_of(&text, report, ticked);
    let ticked = items.iter().filter(|i| i.ticked).count();
    Ok(CheckPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        course_id,
        course_title: draft.version.title.clone(),
        gift: text,
        good: report.good_count(),
        bad: report.bad_count(),
        ticked,
        items,
        error: None,
        note: None,
    })
}

/// Back to the editor with a message; a text refused for its size is not echoed back.
async fn to_editor(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    message: String,
    gift: String,
) -> Result<Response, PageError> {
    refuse(
        state,
        viewer,
        id,
        Override::evaluation(message, gift),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The text with the author's fixes put in, and which of the new report's good questions
/// stay ticked (all but the ones the author unticked before).
fn apply_fixes(sent: &Sent, old: &ImportReport) -> (String, BTreeSet<usize>, bool) {
    let fixes: Vec<(usize, String)> = old
        .items
        .iter()
        .filter(|i| i.outcome.is_err())
        .filter_map(|i| sent.fixes.get(&i.index).map(|f| (i.line, f.clone())))
        .filter(|(line, fix)| {
            gift::source_text(&sent.gift, *line).replace("\r\n", "\n") != fix.replace("\r\n", "\n")
        })
        .collect();
    let changed = !fixes.is_empty();
    let fixed = gift::with_fixes(&sent.gift, &fixes);
    let unticked: BTreeSet<usize> = old
        .good()
        .filter(|(i, _)| sent.shown.contains(i) && !sent.chosen.contains(i))
        .map(|(_, q)| fixed.moved(q.line))
        .collect();
    let text = if changed {
        fixed.text
    } else {
        sent.gift.clone()
    };
    (text, unticked, changed)
}

/// `POST /courses/{id}/edit/questions/check`: the check result, or the editor with the
/// reason when there is nothing to check. Changes nothing (question CSV excepted, which
/// imports all or nothing as before).
pub async fn check(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let sent = match read(multipart).await {
        Ok(s) => s,
        Err(AppError::Invalid(i)) => {
            return to_editor(&state, &viewer, id, i.message, String::new()).await;
        }
        Err(e) => return Err(PageError(e)),
    };
    let first = sent.file.clone().unwrap_or_else(|| sent.gift.clone());
    if let Some(message) = too_long(&first) {
        return to_editor(&state, &viewer, id, message, String::new()).await;
    }
    if is_csv(&first) {
        return super::editor::import_csv(&state, &viewer, id, first).await;
    }
    // A re-check: the checked text with the author's fixes in place of the bad questions.
    let recheck = !sent.fixes.is_empty() || !sent.shown.is_empty();
    let (text, unticked) = if sent.file.is_none() && recheck {
        let old = state
            .app
            .check_question_import(viewer.caller(), id, &sent.gift)
            .await?;
        let (text, unticked, _) = apply_fixes(&sent, &old);
        (text, unticked)
    } else {
        (first, BTreeSet::new())
    };
    if let Some(message) = too_long(&text) {
        return to_editor(&state, &viewer, id, message, String::new()).await;
    }
    let report = match state
        .app
        .check_question_import(viewer.caller(), id, &text)
        .await
    {
        Ok(r) => r,
        Err(AppError::Invalid(i)) => {
            return to_editor(&state, &viewer, id, i.message, String::new()).await;
        }
        Err(e) => return Err(PageError(e)),
    };
    if report.items.is_empty() {
        return to_editor(
            &state,
            &viewer,
            id,
            "No questions found. Write them in GIFT, e.g. What is 2+2? {=4 ~3 ~5}".to_owned(),
            text,
        )
        .await;
    }
    let lines: BTreeMap<usize, usize> = report.good().map(|(i, q)| (i, q.line)).collect();
    let ticked = |i: usize| lines.get(&i).is_some_and(|l| !unticked.contains(l));
    Ok(page(&state, &viewer, id, text, &report, ticked)
        .await?
        .into_response())
}

/// `POST /courses/{id}/edit/questions/add`: adds the ticked good questions of the checked
/// text, then back to the editor. Fixes not checked yet are checked first instead, and a
/// refused choice shows the result again with the reason; either way nothing is added.
pub async fn add(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let sent = match read(multipart).await {
        Ok(s) => s,
        Err(AppError::Invalid(i)) => {
            return to_editor(&state, &viewer, id, i.message, String::new()).await;
        }
        Err(e) => return Err(PageError(e)),
    };
    if let Some(message) = too_long(&sent.gift) {
        return to_editor(&state, &viewer, id, message, String::new()).await;
    }
    let old = state
        .app
        .check_question_import(viewer.caller(), id, &sent.gift)
        .await?;
    let (text, unticked, changed) = apply_fixes(&sent, &old);
    if changed {
        // The author fixed questions and clicked Add: show the fixed text checked first.
        let report = state
            .app
            .check_question_import(viewer.caller(), id, &text)
            .await?;
        let lines: BTreeMap<usize, usize> = report.good().map(|(i, q)| (i, q.line)).collect();
        let ticked = |i: usize| lines.get(&i).is_some_and(|l| !unticked.contains(l));
        let mut p = page(&state, &viewer, id, text, &report, ticked).await?;
        p.note = Some(
            "Your fixes are checked below; nothing was added yet. Tick the questions to add and \
             add them."
                .to_owned(),
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response());
    }
    let chosen: Vec<usize> = sent.chosen.iter().copied().collect();
    match state
        .app
        .add_chosen_questions(viewer.caller(), id, &sent.gift, Some(&chosen))
        .await
    {
        Ok(_) => Ok(axum::response::Redirect::to(&format!(
            "/courses/{id}/edit?notice=questions-added#evaluation"
        ))
        .into_response()),
        Err(AppError::Invalid(i)) => {
            let ticked = |i: usize| sent.chosen.contains(&i);
            let mut p = page(&state, &viewer, id, sent.gift.clone(), &old, ticked).await?;
            p.error = Some(i.message);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, p).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}
