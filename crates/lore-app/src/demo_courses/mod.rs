//! The demo's courses: a dozen realistic courses across the demo groups, some with several
//! versions, and learners at every stage of them. Seeded once, after the demo organisation.
//!
//! Everything goes through the use cases a person would call (create, publish, enrol, assign,
//! the player), with the clock set back to when it "happened", weeks before `app.now()`. So the
//! versions, progress, events and due dates tell a believable story: someone finished version 1
//! before version 2 came out, an assignment fell overdue last week, a course is due next week.
//!
//! Eight courses end with an evaluation (practice quizzes and exams, see `evaluation`), which
//! their learners take after the last step, so the statistics pages have real attempts to show.
//! Then the feedback on them (`feedback`) and the learning needs people asked for (`needs`).

mod company;
mod customer_success;
mod engineering;
mod evaluation;
mod feedback;
mod needs;
mod sales;

use std::collections::HashMap;
use std::sync::Arc;

use lore_store::StepRow;
use time::{Duration, OffsetDateTime};

use crate::clock::ManualClock;
use crate::courses::authoring::{CourseFields, NewCourse, StepInput, tags_of};
use crate::demo::DOMAIN;
use crate::evaluations::authoring::SettingsInput;
use crate::{App, AppError, AppResult, Caller};
use evaluation::{Ask, Evaluation, Mode, ask};

/// Every demo course. The seed sorts what happens in them by time, not by this order.
const COURSES: &[&DemoCourse] = &[
    &company::SOC2_BASICS,
    &customer_success::PRODUCT_ONBOARDING,
    &customer_success::ESCALATIONS,
    &engineering::ON_CALL,
    &engineering::POSTMORTEMS,
    &engineering::CODE_REVIEW,
    &engineering::ROTATING_SECRETS,
    &engineering::ONE_ON_ONES,
    &sales::OBJECTIONS,
    &sales::DISCOVERY,
    &sales::SECURITY_QUESTIONNAIRES,
    &sales::FEEDBACK,
];

/// A course as the demo writes it: version 1, the versions after it, and who takes it.
struct DemoCourse {
    title: &'static str,
    /// Email local part of the owner (`priya.raman`).
    owner: &'static str,
    /// The owning group, by name.
    group: &'static str,
    coauthors: &'static [&'static str],
    /// Groups besides the owning one whose people see the course, by name.
    audiences: &'static [&'static str],
    summary: &'static str,
    language: &'static str,
    /// Comma-separated topics.
    tags: &'static str,
    minutes: u32,
    /// Days before now that version 1 was published.
    published: i64,
    steps: &'static [Step],
    /// Later versions, oldest first.
    revisions: &'static [Revision],
    learners: &'static [Learner],
    /// The final evaluation, written before version 1 was published.
    evaluation: Option<&'static Evaluation>,
}

/// A text step.
struct Step {
    title: &'static str,
    /// Markdown.
    body: &'static str,
}

/// The next version: who edits, what changes, and the note learners read.
struct Revision {
    /// Days before now that it was published.
    published: i64,
    by: &'static str,
    note: &'static str,
    /// The new estimated time, if it changed.
    minutes: Option<u32>,
    edits: &'static [Edit],
}

/// One change to the draft of the next version; steps are counted from 1.
enum Edit {
    /// Replace a passage of a step's text (it must occur exactly once).
    Patch {
        step: usize,
        find: &'static str,
        replace: &'static str,
    },
    Retitle {
        step: usize,
        title: &'static str,
    },
    /// Add a step so that it lands at position `at`.
    Insert {
        at: usize,
        step: Step,
    },
    /// Rewrite question `number` of the final evaluation (counted from 1) as this GIFT; the
    /// prompt stays the same.
    Question {
        number: usize,
        gift: &'static str,
    },
}

/// Someone taking the course, and how far they got.
struct Learner {
    who: &'static str,
    /// Days before now that they were assigned the course or first opened it.
    from: i64,
    stage: Stage,
    assigned: Option<Assignment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Looked at the course page and left.
    Viewed,
    /// Enrolled (or was assigned) and has not started.
    Enrolled,
    /// Completed this many steps and opened the next one.
    Steps(usize),
    Completed,
}

struct Assignment {
    /// The coach.
    by: &'static str,
    /// Days from now until it is due; negative is overdue.
    due_in: i64,
}

/// A learner who found the course themselves.
const fn took(who: &'static str, from: i64, stage: Stage) -> Learner {
    Learner {
        who,
        from,
        stage,
        assigned: None,
    }
}

/// A learner a coach assigned the course to, `due_in` days from now.
const fn assigned(
    who: &'static str,
    from: i64,
    stage: Stage,
    by: &'static str,
    due_in: i64,
) -> Learner {
    Learner {
        who,
        from,
        stage,
        assigned: Some(Assignment { by, due_in }),
    }
}

impl DemoCourse {
    /// Everyone the course's story needs, by email local part (with repeats).
    fn people(&self) -> impl Iterator<Item = &'static str> + '_ {
        std::iter::once(self.owner)
            .chain(self.coauthors.iter().copied())
            .chain(self.revisions.iter().map(|r| r.by))
            .chain(self.learners.iter().map(|l| l.who))
            .chain(
                self.learners
                    .iter()
                    .filter_map(|l| l.assigned.as_ref().map(|a| a.by)),
            )
    }
}

/// The demo people and groups the courses need, loaded once.
struct Cast {
    people: HashMap<&'static str, Caller>,
    groups: HashMap<String, i64>,
}

impl Cast {
    async fn load(app: &App) -> AppResult<Self> {
        let mut people = HashMap::new();
        for local in COURSES.iter().flat_map(|c| c.people()) {
            if people.contains_key(local) {
                continue;
            }
            let email = format!("{local}@{DOMAIN}");
            let caller = match app.store.user_by_email(&email).await? {
                Some(user) => app.caller(user.id).await?,
                None => None,
            };
            let caller = caller
                .ok_or_else(|| AppError::Internal(format!("the demo person {email} is missing")))?;
            people.insert(local, caller);
        }
        let groups = app
            .store
            .all_groups()
            .await?
            .into_iter()
            .map(|g| (g.name, g.id))
            .collect();
        Ok(Self { people, groups })
    }

    fn person(&self, local: &str) -> AppResult<&Caller> {
        self.people
            .get(local)
            .ok_or_else(|| AppError::Internal(format!("the demo person {local} is missing")))
    }

    fn group(&self, name: &str) -> AppResult<i64> {
        self.groups
            .get(name)
            .copied()
            .ok_or_else(|| AppError::Internal(format!("the demo group {name} is missing")))
    }
}

/// What happens at one moment of a course's history.
#[derive(Debug, Clone, Copy)]
enum Beat {
    /// Version 1 is written and published.
    Publish,
    /// The next version is published.
    Revise(usize),
    /// A learner's visit.
    Learn(usize),
}

/// Write the demo courses and their learners, unless they are there already.
pub async fn seed(app: &App) -> AppResult<()> {
    if seeded_before(app).await? {
        return Ok(());
    }
    let cast = Arc::new(Cast::load(app).await?);
    let now = app.now();
    // The courses' stories are independent of each other: play them side by side, which
    // overlaps the database round trips (about a third faster than one after the other).
    let mut stories = tokio::task::JoinSet::new();
    for course in COURSES {
        let (app, cast) = (app.clone(), Arc::clone(&cast));
        stories.spawn(async move { play(&app, &cast, course, now).await });
    }
    while let Some(story) = stories.join_next().await {
        story.map_err(|e| AppError::Internal(format!("a demo course stopped: {e}")))??;
    }
    // Then what learners said about them, and what the authors did about it.
    feedback::seed(app, now).await?;
    // And what people still need to learn, some of it answered by these courses.
    needs::seed(app, now).await?;
    tracing::info!(courses = COURSES.len(), "demo courses ready");
    Ok(())
}

/// One course's story, in time order: nobody takes a version before it is published.
async fn play(app: &App, cast: &Cast, course: &DemoCourse, now: OffsetDateTime) -> AppResult<()> {
    let mut history = vec![(now - Duration::days(course.published), Beat::Publish)];
    for (r, revision) in course.revisions.iter().enumerate() {
        history.push((now - Duration::days(revision.published), Beat::Revise(r)));
    }
    for (l, learner) in course.learners.iter().enumerate() {
        // Spread people over the day (up to about six hours late) so they don't all act
        // at the same minute.
        let late = Duration::minutes((l * 13 % 23) as i64 * 17);
        history.push((now - Duration::days(learner.from) + late, Beat::Learn(l)));
    }
    history.sort_by_key(|(when, _)| *when);
    let mut id = None;
    for (when, beat) in history {
        match (beat, id) {
            (Beat::Publish, _) => id = Some(publish_first(app, cast, course, when).await?),
            (Beat::Revise(r), Some(id)) => {
                revise(app, cast, id, &course.revisions[r], when).await?
            }
            (Beat::Learn(l), Some(id)) => {
                take(app, cast, id, course, &course.learners[l], when, now).await?
            }
            (_, None) => {
                return Err(AppError::Internal(format!(
                    "the demo course {:?} is used before it is published",
                    course.title
                )));
            }
        }
    }
    Ok(())
}

/// Has a demo course been written already? (The demo seeds at every start.)
async fn seeded_before(app: &App) -> AppResult<bool> {
    for course in app.store.courses(true).await? {
        for version in app.store.versions_of(course.id).await? {
            if COURSES.iter().any(|d| d.title == version.title) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// The app as it was at `when`: the demo's history is written with the clock set back.
fn at(app: &App, when: OffsetDateTime) -> App {
    App {
        clock: Arc::new(ManualClock::new(when)),
        ..app.clone()
    }
}

fn text<'a>(title: &'a str, body: &'a str) -> StepInput<'a> {
    StepInput {
        kind: "text",
        title,
        body,
        required: true,
        ..Default::default()
    }
}

/// `body` with `find` replaced, if `find` occurs exactly once.
fn patched(body: &str, find: &str, replace: &str) -> Option<String> {
    (body.matches(find).count() == 1).then(|| body.replacen(find, replace, 1))
}

/// Version 1, written by the owner over the two days before it was published.
async fn publish_first(
    app: &App,
    cast: &Cast,
    course: &DemoCourse,
    published: OffsetDateTime,
) -> AppResult<i64> {
    let owner = cast.person(course.owner)?;
    let writing = at(app, published - Duration::days(2));
    let first = course.steps.first().ok_or_else(|| {
        AppError::Internal(format!("the demo course {:?} has no steps", course.title))
    })?;
    let id = writing
        .create_course(
            owner,
            NewCourse {
                title: course.title,
                group_id: Some(cast.group(course.group)?),
                first_step_title: first.title,
                first_step_body: first.body,
            },
        )
        .await?;
    let draft = writing.draft(owner, id).await?;
    writing
        .save_course_fields(
            owner,
            id,
            draft.version.revision,
            CourseFields {
                title: course.title,
                summary: course.summary,
                language: course.language,
                tags: course.tags,
                estimated_minutes: &course.minutes.to_string(),
            },
        )
        .await?;
    for step in course.steps.iter().skip(1) {
        writing
            .add_step(owner, id, text(step.title, step.body))
            .await?;
    }
    for local in course.coauthors {
        writing
            .add_coauthor(owner, id, &cast.person(local)?.email)
            .await?;
    }
    if !course.audiences.is_empty() {
        let groups = course
            .audiences
            .iter()
            .map(|name| cast.group(name))
            .collect::<AppResult<Vec<i64>>>()?;
        writing.set_audiences(owner, id, &groups).await?;
    }
    if let Some(evaluation) = course.evaluation {
        writing
            .import_questions(owner, id, &evaluation.gift())
            .await?;
        let (pass_mark, max_attempts, time_limit_minutes) = evaluation.settings();
        writing
            .save_evaluation_settings(
                owner,
                id,
                &SettingsInput {
                    mode: evaluation.mode_name(),
                    pass_mark: &pass_mark,
                    max_attempts: &max_attempts,
                    time_limit_minutes: &time_limit_minutes,
                    shuffle: evaluation.shuffle,
                    required_for_completion: evaluation.required_for_completion,
                },
            )
            .await?;
    }
    at(app, published)
        .publish(owner, id, "First version.")
        .await?;
    Ok(id)
}

fn step_at(steps: &[StepRow], position: usize) -> AppResult<&StepRow> {
    position
        .checked_sub(1)
        .and_then(|i| steps.get(i))
        .ok_or_else(|| {
            AppError::Internal(format!(
                "a demo edit names step {position}, which is not there"
            ))
        })
}

/// The next version, edited a few hours before it was published.
async fn revise(
    app: &App,
    cast: &Cast,
    course_id: i64,
    revision: &Revision,
    published: OffsetDateTime,
) -> AppResult<()> {
    let editor = cast.person(revision.by)?;
    let editing = at(app, published - Duration::hours(4));
    for edit in revision.edits {
        let draft = editing.draft(editor, course_id).await?;
        match edit {
            Edit::Patch {
                step,
                find,
                replace,
            } => {
                let row = step_at(&draft.steps, *step)?;
                let body = patched(&row.body, find, replace).ok_or_else(|| {
                    AppError::Internal(format!("a demo edit of step {step} does not fit its text"))
                })?;
                editing
                    .save_step(
                        editor,
                        course_id,
                        row.id,
                        row.revision,
                        text(&row.title, &body),
                    )
                    .await?;
            }
            Edit::Retitle { step, title } => {
                let row = step_at(&draft.steps, *step)?;
                editing
                    .save_step(
                        editor,
                        course_id,
                        row.id,
                        row.revision,
                        text(title, &row.body),
                    )
                    .await?;
            }
            Edit::Insert { at: position, step } => {
                let added = editing
                    .add_step(editor, course_id, text(step.title, step.body))
                    .await?;
                let mut order: Vec<i64> = draft.steps.iter().map(|s| s.id).collect();
                order.insert(position.saturating_sub(1).min(order.len()), added.id);
                editing.reorder_steps(editor, course_id, &order).await?;
            }
            Edit::Question { number, gift } => {
                let (questions, _) = editing.draft_evaluation(editor, course_id).await?;
                let row = questions
                    .iter()
                    .filter(|q| q.step_key.is_none())
                    .nth(number.saturating_sub(1))
                    .ok_or_else(|| {
                        AppError::Internal(format!(
                            "a demo edit names question {number}, which is not there"
                        ))
                    })?;
                editing
                    .save_question(
                        editor,
                        course_id,
                        row.id,
                        row.revision,
                        &evaluation::parse_one(gift)?,
                    )
                    .await?;
            }
        }
    }
    if let Some(minutes) = revision.minutes {
        let draft = editing.draft(editor, course_id).await?;
        let v = &draft.version;
        editing
            .save_course_fields(
                editor,
                course_id,
                v.revision,
                CourseFields {
                    title: &v.title,
                    summary: &v.summary,
                    language: &v.language,
                    tags: &tags_of(v).join(", "),
                    estimated_minutes: &minutes.to_string(),
                },
            )
            .await?;
    }
    at(app, published)
        .publish(editor, course_id, revision.note)
        .await?;
    Ok(())
}

/// A learner's visit: assigned (maybe), the course page, then step after step in the player.
async fn take(
    app: &App,
    cast: &Cast,
    course_id: i64,
    course: &DemoCourse,
    learner: &Learner,
    from: OffsetDateTime,
    now: OffsetDateTime,
) -> AppResult<()> {
    let me = cast.person(learner.who)?;
    let mut clock = from;
    if let Some(a) = &learner.assigned {
        let due = now + Duration::days(a.due_in);
        at(app, clock)
            .assign(cast.person(a.by)?, course_id, &me.email, Some(due))
            .await?;
        clock += Duration::hours(2);
    }
    at(app, clock).course_overview(me, course_id).await?;
    let done = match learner.stage {
        Stage::Viewed => return Ok(()),
        Stage::Enrolled => {
            at(app, clock + Duration::minutes(1))
                .enrol(me, course_id)
                .await?;
            return Ok(());
        }
        Stage::Steps(n) => n,
        Stage::Completed => usize::MAX,
    };
    // Opening the player enrols no one: the learner presses Start first.
    at(app, clock).enrol(me, course_id).await?;
    let mut position = 1;
    let steps = loop {
        clock += Duration::minutes(1);
        let view = at(app, clock).player(me, course_id, Some(position)).await?;
        if position > done {
            break view.steps.len();
        }
        let seconds = seconds_on_step(course, learner.who, position, view.steps.len());
        clock += Duration::seconds(seconds);
        at(app, clock)
            .complete_step(me, course_id, &view.step().step_key, seconds)
            .await?;
        if position >= view.steps.len() {
            break view.steps.len();
        }
        position += 1;
    };
    // Then the final evaluation: after the last step, or a practice try halfway through.
    if let Some(e) = course.evaluation
        && e.sits(done.min(steps), steps)
    {
        evaluation::sit(app, course_id, e, me, learner.who, clock).await?;
    }
    Ok(())
}

/// A steady, made-up pace per person and step: 60 % to 140 % of the course's estimate.
fn seconds_on_step(course: &DemoCourse, who: &str, position: usize, steps: usize) -> i64 {
    let typical = i64::from(course.minutes) * 60 / steps.max(1) as i64;
    let salt = who.bytes().fold(position as u64, |h, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(b))
    });
    typical * (60 + (salt % 81) as i64) / 100
}

#[cfg(test)]
mod tests {
    use lore_domain::course::{CourseSummary, CourseTitle, Language, StepTitle, Tags};
    use lore_domain::item_analysis::Flag;
    use lore_domain::question::{Answer, Question, QuestionBody};
    use time::macros::datetime;

    use super::*;
    use crate::{Settings, Store};

    /// The steps of each version, applying the edits as the seed does.
    fn versions(course: &DemoCourse) -> Vec<Vec<(String, String)>> {
        let mut steps: Vec<(String, String)> = course
            .steps
            .iter()
            .map(|s| (s.title.to_owned(), s.body.to_owned()))
            .collect();
        let mut out = vec![steps.clone()];
        for (r, revision) in course.revisions.iter().enumerate() {
            for edit in revision.edits {
                match edit {
                    Edit::Patch {
                        step,
                        find,
                        replace,
                    } => {
                        let s = &mut steps[step - 1];
                        s.1 = patched(&s.1, find, replace).unwrap_or_else(|| {
                            panic!(
                                "{}: revision {} patch {find:?} must occur once",
                                course.title,
                                r + 2
                            )
                        });
                    }
                    Edit::Retitle { step, title } => steps[step - 1].0 = (*title).to_owned(),
                    Edit::Insert { at, step } => {
                        steps.insert(at - 1, (step.title.to_owned(), step.body.to_owned()));
                    }
                    Edit::Question { .. } => {}
                }
            }
            out.push(steps.clone());
        }
        out
    }

    fn words(markdown: &str) -> usize {
        markdown
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
    }

    #[test]
    fn a_dozen_courses_with_distinct_titles_and_valid_fields() {
        assert_eq!(COURSES.len(), 12);
        for (i, c) in COURSES.iter().enumerate() {
            assert!(
                COURSES[..i].iter().all(|o| o.title != c.title),
                "{} twice",
                c.title
            );
            CourseTitle::parse(c.title).expect("title");
            CourseSummary::parse(c.summary).expect("summary");
            assert!(!c.summary.is_empty(), "{} has a summary", c.title);
            Language::parse(c.language).expect("language");
            assert!(!Tags::parse(c.tags).expect("tags").as_slice().is_empty());
            assert!((5..=60).contains(&c.minutes));
        }
        assert!(
            COURSES.iter().any(|c| c.language != "en"),
            "one course is not in English"
        );
    }

    #[test]
    fn every_version_has_three_to_six_steps_of_80_to_250_words() {
        for c in COURSES {
            for (n, steps) in versions(c).iter().enumerate() {
                assert!(
                    (3..=6).contains(&steps.len()),
                    "{} v{} has {} steps",
                    c.title,
                    n + 1,
                    steps.len()
                );
                for (title, body) in steps {
                    StepTitle::parse(title).expect("step title");
                    let w = words(body);
                    assert!((80..=250).contains(&w), "{} / {title}: {w} words", c.title);
                    assert!(!body.contains("\r"), "plain newlines");
                }
            }
        }
    }

    #[test]
    fn revisions_change_something_and_come_in_order() {
        let revised: Vec<&&DemoCourse> =
            COURSES.iter().filter(|c| !c.revisions.is_empty()).collect();
        assert!(revised.len() >= 3, "three courses have a second version");
        assert!(
            revised.iter().any(|c| c.revisions.len() >= 2),
            "one has a third"
        );
        for c in COURSES {
            let v = versions(c);
            let mut before = c.published;
            for (r, revision) in c.revisions.iter().enumerate() {
                assert!(
                    revision.published < before,
                    "{} v{} after the one before",
                    c.title,
                    r + 2
                );
                assert!(!revision.note.is_empty() && !revision.edits.is_empty());
                assert_ne!(v[r], v[r + 1], "{} v{} changes something", c.title, r + 2);
                before = revision.published;
            }
        }
    }

    #[test]
    fn learners_fit_the_course_history() {
        let mut completed_an_old_version = false;
        for c in COURSES {
            let v = versions(c);
            let mut stages = Vec::new();
            for (i, l) in c.learners.iter().enumerate() {
                assert!(
                    c.learners[..i].iter().all(|o| o.who != l.who),
                    "{} takes {} twice",
                    l.who,
                    c.title
                );
                assert!(
                    l.from >= 1 && l.from < c.published,
                    "{} on {} before it existed",
                    l.who,
                    c.title
                );
                assert!(
                    c.revisions.iter().all(|r| r.published != l.from),
                    "no ties with a publication"
                );
                // The version they take is the newest one published before they came.
                let version = c.revisions.iter().filter(|r| r.published > l.from).count();
                if let Stage::Steps(n) = l.stage {
                    assert!(
                        n >= 1 && n < v[version].len(),
                        "{} on {}: {n} steps",
                        l.who,
                        c.title
                    );
                }
                if l.stage == Stage::Completed && version < c.revisions.len() {
                    completed_an_old_version = true;
                }
                if let Some(a) = &l.assigned {
                    assert!(
                        a.due_in > -l.from,
                        "{} on {}: due after being assigned",
                        l.who,
                        c.title
                    );
                    assert_ne!(l.stage, Stage::Viewed, "an assignment enrols");
                }
                stages.push(std::mem::discriminant(&l.stage));
            }
            for stage in [
                Stage::Viewed,
                Stage::Enrolled,
                Stage::Steps(1),
                Stage::Completed,
            ] {
                assert!(
                    stages.contains(&std::mem::discriminant(&stage)),
                    "{} has a learner at {stage:?}",
                    c.title
                );
            }
        }
        assert!(completed_an_old_version, "someone sees what changed");
        let assignments: Vec<&Assignment> = COURSES
            .iter()
            .flat_map(|c| c.learners.iter().filter_map(|l| l.assigned.as_ref()))
            .collect();
        assert!(
            assignments.iter().any(|a| a.due_in < 0),
            "an overdue assignment"
        );
        assert!(
            assignments.iter().any(|a| a.due_in > 0),
            "an upcoming assignment"
        );
    }

    #[test]
    fn paces_are_plausible() {
        let c = COURSES[0];
        for who in ["mei.chen", "omar.haddad", "zoe.williams"] {
            for position in 1..=5 {
                let s = seconds_on_step(c, who, position, 5);
                let typical = i64::from(c.minutes) * 60 / 5;
                assert!(s >= typical * 6 / 10 && s <= typical * 14 / 10);
            }
        }
    }

    async fn demo_app(dir: &std::path::Path) -> App {
        let url = format!("sqlite://{}?mode=rwc", dir.join("demo.db").display());
        let store = Store::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let settings = Settings {
            blob_dir: dir.join("blobs"),
            ..Settings::default()
        };
        let clock = Arc::new(ManualClock::new(datetime!(2026-03-02 09:00 UTC)));
        App::new(store, clock, settings).expect("app")
    }

    async fn person(app: &App, local: &str) -> Caller {
        let user = app
            .store
            .user_by_email(&format!("{local}@{DOMAIN}"))
            .await
            .expect("user")
            .expect("demo person");
        app.caller(user.id).await.expect("caller").expect("active")
    }

    async fn course_titled(app: &App, title: &str) -> i64 {
        for c in app.store.courses(true).await.expect("courses") {
            let versions = app.store.versions_of(c.id).await.expect("versions");
            if versions.iter().any(|v| v.title == title) {
                return c.id;
            }
        }
        panic!("no course {title:?}");
    }

    /// The question a GIFT text holds (the test panics if it is not exactly one).
    fn question(gift: &str) -> Question {
        evaluation::parse_one(gift).unwrap_or_else(|e| panic!("{e}"))
    }

    fn scores(q: &Question, a: &Answer) -> bool {
        lore_domain::scoring::score(q, a).correct
    }

    #[test]
    fn evaluations_are_good_gift_with_answers_that_fit() {
        let with: Vec<&&DemoCourse> = COURSES.iter().filter(|c| c.evaluation.is_some()).collect();
        assert!(with.len() >= 6, "{} courses have an evaluation", with.len());
        let mut kinds = std::collections::BTreeSet::new();
        let mut modes = (false, false);
        let (mut limited, mut required) = (false, false);
        for c in &with {
            let e = c.evaluation.expect("evaluation");
            assert!(
                (3..=6).contains(&e.questions.len()),
                "{}: {} questions",
                c.title,
                e.questions.len()
            );
            match e.mode {
                Mode::Practice => modes.0 = true,
                Mode::Exam {
                    max_attempts,
                    time_limit_minutes,
                } => {
                    modes.1 = true;
                    limited |= max_attempts.is_some() && time_limit_minutes.is_some();
                }
            }
            required |= e.required_for_completion;
            // The settings pass the author's form, and the whole text imports.
            let (pass_mark, max_attempts, time_limit_minutes) = e.settings();
            crate::evaluations::authoring::parse_settings(&SettingsInput {
                mode: e.mode_name(),
                pass_mark: &pass_mark,
                max_attempts: &max_attempts,
                time_limit_minutes: &time_limit_minutes,
                ..SettingsInput::default()
            })
            .expect("settings");
            let all = lore_domain::gift::parse_gift(&e.gift()).expect("the GIFT imports");
            assert_eq!(all.len(), e.questions.len());
            for (i, a) in e.questions.iter().enumerate() {
                let q = question(a.gift);
                assert_eq!(all[i].question, q);
                assert!(
                    all[i].title.is_some(),
                    "{}: question {} has a title",
                    c.title,
                    i + 1
                );
                assert!(
                    !q.explanation.is_empty(),
                    "{}: {:?} explains",
                    c.title,
                    q.prompt
                );
                assert!(
                    e.questions[..i]
                        .iter()
                        .all(|o| question(o.gift).prompt != q.prompt),
                    "{}: prompts tell questions apart",
                    c.title
                );
                assert!((0..=100).contains(&a.difficulty));
                kinds.insert(q.kind_name());
                if let QuestionBody::SingleChoice { options } = &q.body {
                    assert!(
                        options.iter().all(|o| !o.feedback.is_empty()),
                        "{}: every option of {:?} has feedback",
                        c.title,
                        q.prompt
                    );
                }
                // Those who know give the key, except where the key is out of date.
                let knows = a
                    .knows
                    .map(|k| evaluation::given_answer(&q, k))
                    .unwrap_or_else(|| evaluation::key(&q));
                assert_eq!(
                    scores(&q, &knows),
                    a.knows.is_none(),
                    "{}: {:?}",
                    c.title,
                    q.prompt
                );
                // The others are wrong, each in a way the question can take.
                let is_true_false = matches!(q.body, QuestionBody::TrueFalse { .. });
                assert_eq!(
                    a.guesses.is_empty(),
                    is_true_false,
                    "{}: {:?}",
                    c.title,
                    q.prompt
                );
                for g in a.guesses {
                    let given = evaluation::given_answer(&q, g);
                    if a.knows.is_none() {
                        assert_ne!(
                            given,
                            evaluation::key(&q),
                            "{}: {g:?} is not the key",
                            c.title
                        );
                    }
                    if let (Answer::Choices(ids), QuestionBody::SingleChoice { options }) =
                        (&given, &q.body)
                    {
                        assert!(ids.iter().all(|id| options.iter().any(|o| &o.id == id)));
                    }
                    assert!(
                        !scores(&q, &given) || a.knows.is_some(),
                        "{}: {g:?} is wrong",
                        c.title
                    );
                }
            }
            // A corrected question keeps its prompt, and what those who knew said is now right.
            for r in c.revisions {
                for edit in r.edits {
                    if let Edit::Question { number, gift } = edit {
                        let fixed = question(gift);
                        let a = &e.questions[number - 1];
                        assert_eq!(fixed.prompt, question(a.gift).prompt);
                        let knew = a
                            .knows
                            .expect("the corrected question had an out-of-date key");
                        assert!(scores(&fixed, &evaluation::given_answer(&fixed, knew)));
                    }
                }
            }
        }
        assert_eq!(modes, (true, true), "practice and exam");
        assert!(
            limited,
            "an exam with a number of attempts and a time limit"
        );
        assert!(required, "an evaluation required for completion");
        for kind in [
            "single_choice",
            "true_false",
            "short_text",
            "number",
            "matching",
        ] {
            assert!(kinds.contains(kind), "a {kind} question");
        }
    }

    #[tokio::test]
    async fn the_demo_gets_its_courses_and_learners_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let app = demo_app(dir.path()).await;
        crate::demo::seed(&app).await.expect("seed");
        crate::demo::seed(&app).await.expect("seed again");

        // The twelve courses, and the draft an expert is writing to answer a learning need.
        let (courses, drafts): (Vec<_>, Vec<_>) = app
            .store
            .courses(true)
            .await
            .expect("courses")
            .into_iter()
            .partition(|c| c.latest_version.is_some());
        assert_eq!(courses.len(), 12, "seeding twice writes the courses once");
        assert_eq!(drafts.len(), 1, "one need is in progress");
        let mut versions = 0;
        for c in &courses {
            let all = app.store.versions_of(c.id).await.expect("versions");
            assert!(
                all.iter().all(|v| v.state == lore_store::PUBLISHED),
                "no drafts left"
            );
            assert_eq!(c.latest_version, all.last().map(|v| v.number));
            versions += all.len();
        }
        // 16 written with the courses, and Discovery's version 2 publishing a suggested edit.
        assert_eq!(versions, 17);

        // Mei finished version 1 of SOC 2 before version 2: she sees what changed.
        let mei = person(&app, "mei.chen").await;
        let soc2 = course_titled(&app, company::SOC2_BASICS.title).await;
        let (from, to, changes) = app
            .changes_since_finished(&mei, soc2)
            .await
            .expect("changes")
            .expect("an older version finished");
        assert_eq!((from, to), (1, 2));
        assert!(
            changes.len() >= 3,
            "changed and added steps: {}",
            changes.len()
        );

        needs::assert_needs_in_every_state(&app, &person(&app, "lukas.becker").await).await;

        // Kwame's assignment is overdue; Zoe's is coming up.
        let kwame = app
            .my_learning(&person(&app, "kwame.mensah").await)
            .await
            .expect("learning");
        assert!(
            kwame
                .assigned
                .iter()
                .any(|e| e.overdue && e.percent > 0 && e.percent < 100)
        );
        let zoe = app
            .my_learning(&person(&app, "zoe.williams").await)
            .await
            .expect("learning");
        assert!(
            zoe.assigned
                .iter()
                .any(|e| !e.overdue && e.due_at.is_some())
        );

        // Every stage is there, and nothing happened in the future.
        let now = app.now();
        let mut started = 0;
        let mut completed = 0;
        let mut not_started = 0;
        for c in &courses {
            for e in app.store.enrolments_in(c.id).await.expect("enrolments") {
                assert!(e.created_at <= now && e.completed_at.is_none_or(|t| t <= now));
                match (e.started_at, e.completed_at) {
                    (None, _) => not_started += 1,
                    (Some(_), None) => started += 1,
                    (Some(_), Some(_)) => completed += 1,
                }
                for event in app.store.events_of(e.user_id, c.id).await.expect("events") {
                    assert!(event.occurred_at <= now);
                }
            }
        }
        assert!(
            not_started >= 12 && started >= 12 && completed >= 12,
            "{not_started} {started} {completed}"
        );

        // The evaluations: item analysis of every version, as the course's owner, shows every
        // flag somewhere in the demo.
        let mut flags: Vec<(&str, i32, Flag)> = Vec::new();
        let mut table = String::new();
        let mut modes = std::collections::BTreeSet::new();
        for demo in COURSES {
            let id = course_titled(&app, demo.title).await;
            let owner = person(&app, demo.owner).await;
            let mut attempts = 0;
            for v in app.store.versions_of(id).await.expect("versions") {
                let (number, summary, stats) = app
                    .item_analysis(&owner, id, Some(v.number))
                    .await
                    .expect("item analysis");
                attempts += summary.attempts;
                table.push_str(&format!("{} v{number}:", demo.title));
                for s in stats.into_iter().map(|q| q.stats) {
                    table.push_str(&format!(
                        " [{} f={:.2} r={:.2} {:?}]",
                        s.responses,
                        s.facility.unwrap_or(f64::NAN),
                        s.point_biserial.unwrap_or(f64::NAN),
                        s.flags
                    ));
                    flags.extend(s.flags.into_iter().map(|f| (demo.title, number, f)));
                }
                table.push('\n');
            }
            assert_eq!(
                attempts > 0,
                demo.evaluation.is_some(),
                "{}: attempts where there is an evaluation",
                demo.title
            );
            // Where passing is required, everyone who completed the steps passed in the end.
            if demo.evaluation.is_some_and(|e| e.required_for_completion) {
                for l in demo.learners.iter().filter(|l| l.stage == Stage::Completed) {
                    let who = person(&app, l.who).await;
                    let e = app.store.enrolment(who.id.0, id).await.expect("enrolment");
                    assert!(
                        e.is_some_and(|e| e.completed_at.is_some()),
                        "{} passed {}",
                        l.who,
                        demo.title
                    );
                }
            }
            for e in app.store.enrolments_in(id).await.expect("enrolments") {
                for a in app
                    .store
                    .attempts_of(e.user_id, id)
                    .await
                    .expect("attempts")
                {
                    assert!(
                        a.submitted_at.is_some_and(|t| t <= now),
                        "submitted in the past"
                    );
                    modes.insert(a.mode);
                }
            }
        }
        let flagged = |wanted: &dyn Fn(&Flag) -> bool| flags.iter().any(|(_, _, f)| wanted(f));
        for wanted in [
            Flag::TooEasy,
            Flag::TooHard,
            Flag::PoorDiscrimination,
            Flag::NegativeDiscrimination,
            Flag::TooFewResponses,
        ] {
            assert!(flagged(&|f| *f == wanted), "somewhere {wanted:?}:\n{table}");
        }
        assert!(
            flagged(&|f| matches!(f, Flag::UnusedOption(_))),
            "somewhere an unused option:\n{table}"
        );
        // The out-of-date key of SOC 2's version 1 shows, and version 2's fix removes it.
        let soc2_negative: Vec<i32> = flags
            .iter()
            .filter(|(title, _, f)| {
                *title == company::SOC2_BASICS.title && *f == Flag::NegativeDiscrimination
            })
            .map(|(_, v, _)| *v)
            .collect();
        assert_eq!(soc2_negative, [1], "{table}");
        assert_eq!(
            modes.into_iter().collect::<Vec<_>>(),
            ["exam", "practice"],
            "attempts in both modes"
        );
    }

    #[tokio::test]
    async fn the_demo_has_feedback_that_needs_attention() {
        let dir = tempfile::tempdir().expect("temp dir");
        let app = demo_app(dir.path()).await;
        crate::demo::seed(&app).await.expect("seed");
        let now = app.now();

        let mut kinds = std::collections::BTreeSet::new();
        let (mut open_outdated, mut fixed_outdated, mut dismissed, mut answered) = (0, 0, 0, 0);
        let (mut accepted_thread, mut unanswered_thread, mut mention) = (false, false, false);
        let mut suggestions = std::collections::BTreeMap::new();
        let mut credited = false;
        let mut scored = 0;
        for demo in COURSES {
            let id = course_titled(&app, demo.title).await;
            for r in app.store.course_reactions(id).await.expect("reactions") {
                assert!(r.created_at <= now);
                kinds.insert(r.kind.clone());
                match (r.kind.as_str(), r.status.as_deref()) {
                    ("outdated", Some("open")) => open_outdated += 1,
                    ("outdated", Some("fixed")) => {
                        fixed_outdated += 1;
                        assert!(r.fixed_in_version > Some(r.version_number));
                    }
                    (_, Some("dismissed")) => dismissed += 1,
                    (_, Some("answered")) => answered += 1,
                    _ => {}
                }
                assert!(r.resolved_at.is_none_or(|t| t >= r.created_at && t <= now));
            }
            for t in app
                .store
                .threads_of(id, None, false)
                .await
                .expect("threads")
            {
                accepted_thread |= t.accepted_post_id.is_some();
                unanswered_thread |= t.reply_count == 0;
                for p in app.store.posts_of(t.id).await.expect("posts") {
                    assert!(p.created_at >= t.created_at && p.created_at <= now);
                    mention |= !lore_domain::discussion::mentions(&p.body).is_empty();
                }
            }
            for s in app.store.suggested_edits_of(id).await.expect("suggestions") {
                *suggestions.entry(s.status.clone()).or_insert(0) += 1;
            }
            for v in app.store.versions_of(id).await.expect("versions") {
                credited |= v.change_note.contains("Suggested edits by");
            }
            let owner = person(&app, demo.owner).await;
            let feedback = app.course_feedback(&owner, id).await.expect("feedback");
            if feedback.health.reaction_score.is_some() {
                scored += 1;
            }
        }
        for kind in [
            "useful", "learned", "liked", "outdated", "question", "unclear",
        ] {
            assert!(kinds.contains(kind), "a {kind} reaction");
        }
        assert!(
            open_outdated >= 1 && fixed_outdated >= 1,
            "outdated flags open and fixed"
        );
        assert!(
            dismissed >= 1 && answered >= 1,
            "answered and dismissed reactions"
        );
        assert!(
            accepted_thread && unanswered_thread && mention,
            "discussions"
        );
        assert!(
            suggestions.get("open").is_some_and(|n| *n >= 2),
            "{suggestions:?}"
        );
        assert!(suggestions.contains_key("accepted") && suggestions.contains_key("declined"));
        assert!(credited, "a published change note credits a suggested edit");
        assert!(scored >= 3, "{scored} courses show a reaction score");

        // The on-call runbook needs its owner's attention, and its coach's.
        let on_call = course_titled(&app, engineering::ON_CALL.title).await;
        let priya = app
            .needs_attention(&person(&app, "priya.raman").await)
            .await
            .expect("needs attention");
        let entry = priya
            .iter()
            .find(|e| e.course_id == on_call)
            .expect("the on-call runbook needs attention");
        assert_eq!(entry.because, "author");
        assert!(entry.health.open_outdated >= 2 && entry.health.open_suggestions >= 1);
        assert!(!entry.health.health.reasons.is_empty());
        let lukas = app
            .needs_attention(&person(&app, "lukas.becker").await)
            .await
            .expect("needs attention");
        assert!(
            lukas
                .iter()
                .any(|e| e.course_id == on_call && e.because == "coach"),
            "the Engineering coach sees the runbook"
        );

        // Health differs between courses, and several are below 100.
        let amara = person(&app, "amara.okafor").await;
        let mut health = Vec::new();
        for demo in COURSES {
            let id = course_titled(&app, demo.title).await;
            let owner = if demo.owner == "amara.okafor" {
                amara.clone()
            } else {
                person(&app, demo.owner).await
            };
            let h = app
                .course_feedback(&owner, id)
                .await
                .expect("feedback")
                .health;
            // Below 100 because of the feedback, not only the evaluation's statistics.
            if h.open_outdated + h.unanswered > 0 {
                health.push(h.health.score);
            }
        }
        assert!(health.len() >= 3, "{health:?}");
        assert!(health.iter().all(|h| *h < 100), "{health:?}");
        assert!(health.iter().any(|h| *h != health[0]), "{health:?}");
    }
}
