//! The courses: each owned by an author in a division (or by the company as a whole), one or
//! two published versions of text and question steps, and for some a final evaluation.

use lore_domain::question::{ChoiceOption, Question, QuestionBody};
use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};
use time::{Duration, OffsetDateTime};

use super::loader::{Buffer, Loader, at};
use super::organisation::Org;
use super::{Scale, words};
use crate::AppResult;

pub(super) struct Step {
    pub(super) key: String,
    /// The key of the question inside it, for a question step.
    pub(super) question: Option<String>,
}

pub(super) struct Version {
    pub(super) number: i32,
    pub(super) published_at: OffsetDateTime,
    pub(super) steps: Vec<Step>,
}

/// A final evaluation: its mode, and the keys of its questions (all single choice, `a` right).
pub(super) struct Evaluation {
    pub(super) exam: bool,
    pub(super) questions: Vec<String>,
}

pub(super) struct Course {
    pub(super) id: i64,
    pub(super) group_id: i64,
    /// The division whose people see it; `None` for a company-wide course.
    pub(super) division: Option<usize>,
    /// Share of all learning that goes to it (Zipf over a random ranking).
    pub(super) popularity: f64,
    /// Published versions, oldest first.
    pub(super) versions: Vec<Version>,
    pub(super) evaluation: Option<Evaluation>,
}

pub(super) struct Catalogue {
    pub(super) courses: Vec<Course>,
    /// `published` events written (they count toward the scale's events).
    pub(super) published_events: u64,
}

/// The question every generated question step and evaluation asks, as stored.
pub(super) fn question() -> Question {
    let option = |id: &str, text: &str, correct: bool| ChoiceOption {
        id: id.to_owned(),
        text: text.to_owned(),
        correct,
        feedback: String::new(),
        weight: None,
    };
    Question {
        prompt: "Which habit does this step recommend?".to_owned(),
        body: QuestionBody::SingleChoice {
            options: vec![
                option("a", "Write down what you decided and why", true),
                option("b", "Keep decisions in your head", false),
                option("c", "Decide later", false),
            ],
        },
        points: 1.0,
        explanation: "Written decisions save the next person a guess.".to_owned(),
    }
}

pub(super) async fn generate(
    loader: &mut Loader,
    rng: &mut impl Rng,
    scale: &Scale,
    org: &Org,
    now: OffsetDateTime,
) -> AppResult<Catalogue> {
    let question_json =
        serde_json::to_string(&question()).map_err(|e| crate::AppError::Internal(e.to_string()))?;
    let mut courses_buf = Buffer::new(
        "courses",
        &[
            "id",
            "owner_id",
            "group_id",
            "status",
            "latest_version",
            "created_at",
            "updated_at",
        ],
    );
    let mut versions_buf = Buffer::new(
        "course_versions",
        &[
            "id",
            "course_id",
            "number",
            "state",
            "title",
            "summary",
            "language",
            "tags",
            "estimated_minutes",
            "change_note",
            "created_at",
            "updated_at",
            "published_at",
            "published_by",
        ],
    );
    let mut steps_buf = Buffer::new(
        "course_steps",
        &[
            "id",
            "version_id",
            "step_key",
            "position",
            "kind",
            "title",
            "body",
            "required",
        ],
    );
    let mut questions_buf = Buffer::new(
        "course_questions",
        &[
            "id",
            "version_id",
            "question_key",
            "step_key",
            "position",
            "body",
        ],
    );
    let mut settings_buf = Buffer::new(
        "evaluation_settings",
        &[
            "id",
            "version_id",
            "mode",
            "pass_mark",
            "max_attempts",
            "shuffle",
            "required_for_completion",
        ],
    );
    let mut events_buf = Buffer::new(
        "events",
        &[
            "id",
            "user_id",
            "verb",
            "course_id",
            "version_number",
            "group_id",
            "occurred_at",
        ],
    );
    // Popularity: Zipf (s = 1.1) over a random ranking of the courses.
    let mut ranks: Vec<usize> = (1..=scale.courses).collect();
    ranks.shuffle(rng);
    let total: f64 = (1..=scale.courses)
        .map(|r| 1.0 / (r as f64).powf(1.1))
        .sum();
    let (mut version_id, mut step_id, mut question_id, mut settings_id) =
        (1_i64, 1_i64, 1_i64, 1_i64);
    let mut out = Catalogue {
        courses: Vec::with_capacity(scale.courses),
        published_events: 0,
    };
    for (c, rank) in ranks.iter().enumerate() {
        let id = c as i64 + 1;
        // A fifth are for the whole company, the rest for one division.
        let division = (!rng.random_bool(0.2)).then(|| rng.random_range(0..org.divisions.len()));
        let authors = &org.authors_by_division[division.unwrap_or(c % org.divisions.len())];
        let owner = authors.choose(rng).copied().unwrap_or(1);
        let group_id = division.map_or(org.root, |d| org.divisions[d]);
        let topic = rng.random_range(0..words::TOPICS.len());
        let title = words::course_title(topic, rng);
        let step_count = rng.random_range(4..=12);
        let mut steps: Vec<(Step, String, String)> = (0..step_count)
            .map(|p| {
                let question = rng.random_bool(0.2);
                let key = format!("s-{id}x{p}");
                let step_title = format!(
                    "{} {}",
                    words::TOPICS[(topic + p) % words::TOPICS.len()],
                    p + 1
                );
                let body = words::paragraph(rng.random_range(3..8), rng);
                (
                    Step {
                        question: question.then(|| format!("q-{id}x{p}")),
                        key,
                    },
                    step_title,
                    body,
                )
            })
            .collect();
        let evaluation = rng.random_bool(0.3).then(|| Evaluation {
            exam: rng.random_bool(0.5),
            questions: (0..3).map(|n| format!("e-{id}x{n}")).collect(),
        });
        let first_published = now - Duration::days(rng.random_range(190..360));
        let mut published = vec![first_published];
        if rng.random_bool(0.3) {
            published.push(now - Duration::days(rng.random_range(20..150)));
        }
        let latest = published.len() as i32;
        courses_buf.push([
            id.into(),
            owner.into(),
            group_id.into(),
            "active".into(),
            Some(latest).into(),
            at(first_published - Duration::days(3)),
            at(*published.last().unwrap_or(&first_published)),
        ]);
        let mut versions = Vec::new();
        for (n, &when) in published.iter().enumerate() {
            let number = n as i32 + 1;
            if number > 1 {
                // A later version adds a step at the end.
                let p = steps.len();
                steps.push((
                    Step {
                        key: format!("s-{id}x{p}"),
                        question: None,
                    },
                    format!("What changed in version {number}"),
                    words::paragraph(3, rng),
                ));
            }
            let tags = format!("[\"{}\"]", words::TOPICS[topic].to_lowercase());
            versions_buf.push([
                version_id.into(),
                id.into(),
                number.into(),
                "published".into(),
                title.clone().into(),
                words::paragraph(2, rng).into(),
                "en".into(),
                tags.into(),
                Some(steps.len() as i32 * 5).into(),
                (if number == 1 {
                    String::new()
                } else {
                    "Added a step on what changed.".to_owned()
                })
                .into(),
                at(when - Duration::days(2)),
                at(when),
                Some(when).into(),
                Some(owner).into(),
            ]);
            for (position, (step, step_title, body)) in steps.iter().enumerate() {
                let kind = if step.question.is_some() {
                    "question"
                } else {
                    "text"
                };
                steps_buf.push([
                    step_id.into(),
                    version_id.into(),
                    step.key.clone().into(),
                    (position as i32).into(),
                    kind.into(),
                    step_title.clone().into(),
                    body.clone().into(),
                    true.into(),
                ]);
                step_id += 1;
            }
            let in_steps = steps
                .iter()
                .filter_map(|(s, _, _)| s.question.clone().map(|q| (q, Some(s.key.clone()))));
            let final_ones = evaluation
                .iter()
                .flat_map(|e| e.questions.iter().map(|q| (q.clone(), None)));
            for (position, (key, step_key)) in in_steps.chain(final_ones).enumerate() {
                questions_buf.push([
                    question_id.into(),
                    version_id.into(),
                    key.into(),
                    step_key.into(),
                    (position as i32).into(),
                    question_json.clone().into(),
                ]);
                question_id += 1;
            }
            if let Some(e) = &evaluation {
                settings_buf.push([
                    settings_id.into(),
                    version_id.into(),
                    (if e.exam { "exam" } else { "practice" }).into(),
                    80_i32.into(),
                    (if e.exam { Some(3_i32) } else { None }).into(),
                    false.into(),
                    e.exam.into(),
                ]);
                settings_id += 1;
            }
            out.published_events += 1;
            events_buf.push([
                loader.event_id().into(),
                owner.into(),
                "published".into(),
                Some(id).into(),
                Some(number).into(),
                Some(group_id).into(),
                at(when),
            ]);
            versions.push(Version {
                number,
                published_at: when,
                steps: steps
                    .iter()
                    .map(|(s, _, _)| Step {
                        key: s.key.clone(),
                        question: s.question.clone(),
                    })
                    .collect(),
            });
            version_id += 1;
        }
        out.courses.push(Course {
            id,
            group_id,
            division,
            popularity: 1.0 / (*rank as f64).powf(1.1) / total,
            versions,
            evaluation,
        });
        loader
            .flush_in_order(
                &mut [
                    &mut courses_buf,
                    &mut versions_buf,
                    &mut steps_buf,
                    &mut questions_buf,
                    &mut settings_buf,
                    &mut events_buf,
                ],
                false,
            )
            .await?;
        loader.advance(1);
    }
    loader
        .flush_in_order(
            &mut [
                &mut courses_buf,
                &mut versions_buf,
                &mut steps_buf,
                &mut questions_buf,
                &mut settings_buf,
                &mut events_buf,
            ],
            true,
        )
        .await?;
    Ok(out)
}
