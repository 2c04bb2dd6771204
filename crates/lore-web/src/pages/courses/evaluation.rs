//! Taking an evaluation (practice or exam), its results, and the item analysis page.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use lore_app::AppError;
use lore_app::evaluations::attempts::{AttemptQuestion, AttemptView, QuestionResult};
use lore_domain::course::VersionState;
use lore_domain::item_analysis::{Flag, ItemStats};
use lore_domain::question::{Answer, EvaluationMode, QuestionKind};

use super::super::parse_id;
use crate::WebState;
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

/// A question on the attempt page, with the learner's answer ready for the inputs.
pub struct Shown {
    pub q: AttemptQuestion,
    pub number: usize,
    /// Ids chosen (choice kinds), or the text/number typed.
    pub chosen: Vec<String>,
    pub text: String,
    /// Ordering: item id → chosen position; matching: left id → chosen right id.
    pub picks: BTreeMap<String, String>,
    /// Practice feedback or results after submission.
    pub result: Option<QuestionResult>,
    /// An essay's answer rendered from Markdown and sanitised, for after submission.
    pub html: String,
}

impl Shown {
    /// An essay's result before a reviewer scored it (decision 0043).
    pub fn waiting(&self) -> bool {
        self.q.question.kind == QuestionKind::Essay
            && self.result.as_ref().is_some_and(|r| {
                r.score
                    .feedback
                    .iter()
                    .any(|f| f == lore_domain::scoring::ESSAY_PENDING)
            })
    }

    pub fn is_chosen(&self, id: &str) -> bool {
        self.chosen.iter().any(|c| c == id)
    }

    pub fn pick(&self, id: &str) -> String {
        self.picks.get(id).cloned().unwrap_or_default()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "attempt.html")]
pub struct AttemptPage {
    layout: Layout,
    attempt_id: i64,
    course_id: i64,
    exam: bool,
    submitted: bool,
    seconds_left: Option<i64>,
    score: String,
    passed: Option<bool>,
    pass_mark: i32,
    questions: Vec<Shown>,
    message: Option<String>,
    /// An exam's Submit was pressed: ask before closing the attempt.
    confirming: bool,
    /// The essay questions and the file attached to each answer, if any (decision 0050).
    essay_files: Vec<EssayFile>,
}

/// An essay question of the attempt page and the name of the file with its answer.
pub struct EssayFile {
    pub key: String,
    pub number: usize,
    pub name: Option<String>,
}

fn shown(view: AttemptView, feedback: &BTreeMap<String, QuestionResult>) -> Vec<Shown> {
    let results: BTreeMap<String, QuestionResult> = view
        .results
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|r| (r.key.clone(), r))
        .collect();
    shown_with(view.questions, &results, feedback)
}

/// Questions ready for `question_inputs.html`, with results where there are some.
pub fn shown_with(
    questions: Vec<AttemptQuestion>,
    results: &BTreeMap<String, QuestionResult>,
    feedback: &BTreeMap<String, QuestionResult>,
) -> Vec<Shown> {
    questions
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            let (mut chosen, mut text, mut picks) = (Vec::new(), String::new(), BTreeMap::new());
            match &q.answer {
                Some(Answer::Choices(ids)) => chosen = ids.clone(),
                Some(Answer::Bool(b)) => chosen = vec![b.to_string()],
                Some(Answer::Text(t)) => text = t.clone(),
                Some(Answer::Number(n)) => text = n.to_string(),
                Some(Answer::Order(ids)) => {
                    picks = ids
                        .iter()
                        .enumerate()
                        .map(|(i, id)| (id.clone(), (i + 1).to_string()))
                        .collect()
                }
                Some(Answer::Matches(pairs)) => picks = pairs.iter().cloned().collect(),
                None => {}
            }
            let result = results
                .get(&q.key)
                .or_else(|| feedback.get(&q.key))
                .cloned();
            let html = if q.question.kind == QuestionKind::Essay {
                lore_app::markdown::render(&text)
            } else {
                String::new()
            };
            Shown {
                html,
                number: i + 1,
                chosen,
                text,
                picks,
                result,
                q,
            }
        })
        .collect()
}

pub(crate) async fn render(
    state: &WebState,
    viewer: &Viewer,
    attempt_id: i64,
    feedback: BTreeMap<String, QuestionResult>,
    message: Option<String>,
) -> Result<AttemptPage, PageError> {
    let view = state.app.attempt_view(viewer.caller(), attempt_id).await?;
    let mut essay_files = Vec::new();
    for (i, q) in view.questions.iter().enumerate() {
        if q.question.kind == QuestionKind::Essay {
            let name = match state
                .app
                .essay_file(viewer.caller(), attempt_id, &q.key)
                .await
            {
                Ok(f) => Some(f.name),
                Err(lore_app::AppError::NotFound(_)) => None,
                Err(e) => return Err(e.into()),
            };
            essay_files.push(EssayFile {
                key: q.key.clone(),
                number: i + 1,
                name,
            });
        }
    }
    let a = &view.attempt;
    Ok(AttemptPage {
        essay_files,
        layout: Layout::for_session(&viewer.0, "courses"),
        attempt_id,
        course_id: a.course_id,
        exam: a.mode == EvaluationMode::Exam,
        submitted: a.submitted_at.is_some(),
        seconds_left: view.seconds_left,
        score: match (a.score, a.max_score) {
            (Some(s), Some(m)) if m > 0.0 => {
                format!("{s:.1} of {m:.1} points ({:.0}%)", s / m * 100.0)
            }
            _ => String::new(),
        },
        passed: a.passed,
        pass_mark: view.settings.pass_mark,
        questions: shown(view, &feedback),
        message,
        confirming: false,
    })
}

pub async fn start(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let attempt = state
        .app
        .start_attempt(viewer.caller(), parse_id(&id)?)
        .await?;
    Ok(Redirect::to(&format!("/attempts/{}", attempt.id)).into_response())
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<AttemptPage, PageError> {
    render(&state, &viewer, parse_id(&id)?, BTreeMap::new(), None).await
}

/// Turn the attempt form into one answer per question the learner touched.
pub fn answers_from(
    form: &[(String, String)],
    questions: &[AttemptQuestion],
) -> Vec<(String, Answer)> {
    let values = |name: &str| {
        form.iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    let mut out = Vec::new();
    for q in questions {
        let name = format!("q.{}", q.key);
        let given = values(&name);
        let answer = match q.question.kind {
            QuestionKind::SingleChoice | QuestionKind::MultipleChoice if !given.is_empty() => {
                Some(Answer::Choices(given))
            }
            QuestionKind::TrueFalse => given.first().map(|v| Answer::Bool(v == "true")),
            QuestionKind::Essay => given
                .first()
                .filter(|v| !v.trim().is_empty())
                .map(|v| Answer::Text(v.clone())),
            QuestionKind::ShortText => given
                .first()
                .filter(|v| !v.trim().is_empty())
                .map(|v| Answer::Text(v.clone())),
            QuestionKind::Number => given
                .first()
                .filter(|v| !v.trim().is_empty())
                .map(|v| Answer::Number(v.trim().replace(',', ".").parse().unwrap_or(f64::NAN))),
            QuestionKind::Ordering => {
                let mut placed: Vec<(usize, String)> = q
                    .question
                    .items
                    .iter()
                    .filter_map(|item| {
                        values(&format!("o.{}.{}", q.key, item.id))
                            .first()
                            .and_then(|p| p.parse().ok())
                            .map(|p| (p, item.id.clone()))
                    })
                    .collect();
                placed.sort();
                (placed.len() == q.question.items.len())
                    .then(|| Answer::Order(placed.into_iter().map(|(_, id)| id).collect()))
            }
            QuestionKind::Matching => {
                let pairs: Vec<(String, String)> = q
                    .question
                    .lefts
                    .iter()
                    .filter_map(|l| {
                        values(&format!("m.{}.{}", q.key, l.id))
                            .first()
                            .filter(|v| !v.is_empty())
                            .map(|r| (l.id.clone(), r.clone()))
                    })
                    .collect();
                (!pairs.is_empty()).then_some(Answer::Matches(pairs))
            }
            _ => None,
        };
        if let Some(a) = answer {
            out.push((q.key.clone(), a));
        }
    }
    out
}

/// Save every answer on the form; `submit` closes the attempt afterwards.
pub async fn save(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let caller = viewer.caller();
    let view = state.app.attempt_view(caller, id).await?;
    let exam = view.attempt.mode == EvaluationMode::Exam;
    let asked = form.iter().any(|(k, v)| k == "action" && v == "submit");
    // An exam closes for good: its Submit saves and asks first; the answer submits.
    let confirmed = form.iter().any(|(k, v)| k == "confirmed" && v == "yes");
    let submit = asked && (!exam || confirmed);
    let mut feedback = BTreeMap::new();
    let result = async {
        for (key, answer) in answers_from(&form, &view.questions) {
            if let Some(r) = state.app.answer(caller, id, &key, answer).await? {
                feedback.insert(key, r);
            }
        }
        if submit {
            state.app.submit_attempt(caller, id).await?;
        }
        Ok::<(), AppError>(())
    }
    .await;
    match result {
        Ok(()) if submit => Ok(Redirect::to(&format!("/attempts/{id}")).into_response()),
        Ok(()) if asked => {
            let mut page = render(&state, &viewer, id, feedback, None).await?;
            page.confirming = true;
            Ok(page.into_response())
        }
        Ok(()) => Ok(render(&state, &viewer, id, feedback, Some(if view.attempt.mode == EvaluationMode::Exam { "Answers saved.".to_owned() } else { "Checked — see the feedback under each question. Change an answer and check again as often as you like.".to_owned() })).await?.into_response()),
        Err(e @ AppError::AttemptClosed(_)) => {
            let page = render(&state, &viewer, id, feedback, Some(e.to_string())).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(PageError(e)),
    }
}

pub struct StatLine {
    pub number: usize,
    pub prompt: String,
    pub stats: ItemStats,
    pub facility: String,
    pub point_biserial: String,
    pub discrimination: String,
    pub median_time: String,
    pub flags: Vec<String>,
    pub options: Vec<(String, usize)>,
}

/// One open question's (essay's) line: scores per band and reviewer agreement (0046).
pub struct OpenLine {
    pub prompt: String,
    pub points: f64,
    pub scored: usize,
    pub waiting: usize,
    /// (band, count) per band of the question's points.
    pub bands: Vec<(&'static str, usize)>,
    pub mean: String,
    /// "—" until an answer is reviewed more than once.
    pub agreement: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "course_stats.html")]
pub struct StatsPage {
    layout: Layout,
    open: Vec<OpenLine>,
    band_names: [&'static str; 4],
    course_id: i64,
    version: i32,
    versions: Vec<i32>,
    attempts: usize,
    alpha: String,
    mean: String,
    lines: Vec<StatLine>,
    /// The bank questions this course's attempts drew (decision 0047).
    drawn: Vec<DrawnLine>,
}

/// A bank question the course's attempts drew, with its figures in the course.
pub struct DrawnLine {
    pub prompt: String,
    /// (id, name) of its bank, when the viewer may open it.
    pub bank_link: Option<(i64, String)>,
    /// The bank's name when the viewer may not open it, or a word for a removed question.
    pub bank_text: String,
    pub drawn: String,
    pub answered: u64,
    pub right: String,
    pub difficulty: String,
}

fn num(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "—".to_owned(), |x| format!("{x:.digits$}"))
}

#[derive(serde::Deserialize)]
pub struct StatsQuery {
    version: Option<i32>,
}

pub async fn stats(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<StatsQuery>,
) -> Result<StatsPage, PageError> {
    let id = parse_id(&id)?;
    let (version, summary, stats) = state
        .app
        .item_analysis(viewer.caller(), id, q.version)
        .await?;
    let open = state
        .app
        .open_answer_analysis(viewer.caller(), id, Some(version))
        .await?
        .into_iter()
        .map(|o| OpenLine {
            prompt: o.prompt,
            points: o.points,
            scored: o.scored,
            waiting: o.waiting,
            bands: lore_domain::essay::SCORE_BANDS
                .into_iter()
                .zip(o.bands)
                .collect(),
            mean: o
                .mean_share
                .map_or_else(|| "—".to_owned(), |m| format!("{:.0}%", m * 100.0)),
            agreement: match (o.agreement.agreeing, o.agreement.mean_spread) {
                (Some(a), Some(d)) => format!(
                    "{:.0}% of {} agree (mean spread {:.0}% of the points)",
                    a * 100.0,
                    o.agreement.answers,
                    d * 100.0
                ),
                _ => "—".to_owned(),
            },
        })
        .collect();
    let versions = state
        .app
        .version_history(viewer.caller(), id)
        .await?
        .1
        .into_iter()
        .filter(|v| v.state == VersionState::Published)
        .map(|v| v.number)
        .collect();
    let drawn = state
        .app
        .course_drawn_questions(viewer.caller(), id)
        .await?
        .into_iter()
        .map(|d| {
            let (bank_link, bank_text) = match d.bank {
                Some((bank_id, name, true)) => (Some((bank_id, name)), String::new()),
                Some((_, name, false)) => (None, name),
                None => (None, "removed from its bank".to_owned()),
            };
            DrawnLine {
                prompt: d.question.prompt.clone(),
                bank_link,
                bank_text,
                drawn: crate::plural::count(d.drawn, "attempt", "attempts"),
                answered: d.answered,
                right: d
                    .share_right
                    .map_or_else(|| "—".to_owned(), |x| format!("{:.0}%", x * 100.0)),
                difficulty: d
                    .difficulty
                    .map_or_else(|| "unrated".to_owned(), |b| b.as_str().to_owned()),
            }
        })
        .collect();
    Ok(StatsPage {
        drawn,
        layout: Layout::for_session(&viewer.0, "courses"),
        open,
        band_names: lore_domain::essay::SCORE_BANDS,
        course_id: id,
        version,
        versions,
        attempts: summary.attempts,
        alpha: num(summary.cronbach_alpha, 2),
        mean: summary
            .mean_score_share
            .map_or_else(|| "—".to_owned(), |m| format!("{:.0}%", m * 100.0)),
        lines: stats
            .into_iter()
            .enumerate()
            .map(|(i, q)| StatLine {
                number: i + 1,
                prompt: q.question.prompt.clone(),
                facility: num(q.stats.facility, 2),
                point_biserial: num(q.stats.point_biserial, 2),
                discrimination: num(q.stats.discrimination_index, 2),
                median_time: q
                    .stats
                    .median_seconds
                    .map_or_else(|| "—".to_owned(), |s| format!("{s:.0} s")),
                flags: q
                    .stats
                    .flags
                    .iter()
                    .map(|f| match f {
                        Flag::TooEasy => "too easy".to_owned(),
                        Flag::TooHard => "too hard".to_owned(),
                        Flag::PoorDiscrimination => "discriminates poorly".to_owned(),
                        Flag::NegativeDiscrimination => "negative discrimination".to_owned(),
                        Flag::UnusedOption(o) => format!("option {o} unused"),
                        Flag::TooFewResponses => "too few attempts".to_owned(),
                    })
                    .collect(),
                options: q.stats.option_counts.clone(),
                stats: q.stats,
            })
            .collect(),
    })
}
