//! The demo's courses: a dozen realistic courses across the demo groups, some with several
//! versions, and learners at every stage of them. Seeded once, after the demo organisation.
//!
//! The courses' text is data: one folder per course under `crates/lore-app/demo/courses/`, in
//! the format of `lore courses import|export` (see `folders`), embedded in the binary. This
//! code holds only the people and what they do over time: who owns and co-writes each course,
//! when each version came out and who wrote it, who learns what and when, how they answer the
//! evaluations, their feedback and their needs.
//!
//! Everything goes through the use cases a person would call (import, publish, enrol, assign,
//! the player), with the clock set back to when it "happened", weeks before `app.now()`. So the
//! versions, progress, events and due dates tell a believable story: someone finished version 1
//! before version 2 came out, an assignment fell overdue last week, a course is due next week.
//! Version 1 is imported as a draft, exactly as `lore courses import --no-publish` would, given
//! its co-authors and evaluation, and published; each later version is written into the draft
//! through the editor's use cases (`revisions`) and published.
//!
//! Eight courses end with an evaluation (practice quizzes and exams, see `evaluation`), which
//! their learners take after the last step, so the statistics pages have real attempts to show.
//! Then the feedback on them (`feedback`), the learning needs people asked for (`needs`), and
//! a business outcome tracked against the Sales courses (`outcomes`).

mod company;
mod customer_success;
mod engineering;
mod evaluation;
mod feedback;
mod folders;
mod learning_paths;
mod needs;
mod outcomes;
mod review;
mod revisions;
mod sales;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::Arc;

use time::{Duration, OffsetDateTime};

use crate::clock::ManualClock;
use crate::courses::archive::ImportOptions;
use crate::demo::DOMAIN;
use crate::evaluations::authoring::SettingsInput;
use crate::{App, AppError, AppResult, Caller};
use evaluation::{Ask, Evaluation, Mode, ask};
use folders::Version;

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

/// A course's story: who writes it, when its versions come out, and who takes it.
struct DemoCourse {
    /// Its folder in `demo/courses/`: the text of every version, the group that owns it and
    /// the groups that see it.
    folder: &'static str,
    /// Email local part of the owner (`priya.raman`), who imports version 1.
    owner: &'static str,
    coauthors: &'static [&'static str],
    /// Days before now that version 1 was published.
    published: i64,
    /// The versions after it, oldest first: one per `versions/<n>/` folder.
    revisions: &'static [Revision],
    learners: &'static [Learner],
    /// How the final evaluation is set up and answered; its questions are `questions.gift`.
    evaluation: Option<&'static Evaluation>,
}

/// Who published the next version, and when; what it says is in its folder.
struct Revision {
    /// Days before now that it was published.
    published: i64,
    by: &'static str,
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

    /// Every version from the course's folder, one more than its revisions.
    fn versions(&self) -> AppResult<Vec<Version>> {
        let versions = folders::versions(self.folder)?;
        if versions.len() != self.revisions.len() + 1 {
            return Err(AppError::Internal(format!(
                "the demo course {:?} has {} version folders for {} revisions",
                self.folder,
                versions.len(),
                self.revisions.len()
            )));
        }
        Ok(versions)
    }
}

/// The title of a course's version 1, which tells its course apart in the database.
fn title(versions: &[Version]) -> &str {
    versions
        .first()
        .map_or("", |v| v.content.meta.title.as_str())
}

/// The demo people the courses need, loaded once.
struct Cast {
    people: HashMap<&'static str, Caller>,
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
        Ok(Self { people })
    }

    fn person(&self, local: &str) -> AppResult<&Caller> {
        self.people
            .get(local)
            .ok_or_else(|| AppError::Internal(format!("the demo person {local} is missing")))
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
    // And a draft waiting for review, and a course due for a check.
    review::seed(app, now).await?;
    // And the coaches' paths, assigned to their groups.
    learning_paths::seed(app, now).await?;
    // Everyone browsed the catalogue yesterday: the funnel's first stage.
    for who in cast.people.values() {
        let browsing = at(app, now - Duration::days(1));
        let page = browsing
            .catalogue(
                who,
                &crate::courses::catalogue::CatalogueQuery::default(),
                1,
                24,
            )
            .await?;
        let listed: Vec<(i64, i32)> = page
            .entries
            .iter()
            .map(|e| (e.course_id, e.version))
            .collect();
        browsing.record_listing(who, &listed).await?;
    }
    // And Sales' deals per week, against who completed its courses.
    outcomes::seed(app, now).await?;
    tracing::info!(courses = COURSES.len(), "demo courses ready");
    Ok(())
}

/// One course's story, in time order: nobody takes a version before it is published.
async fn play(app: &App, cast: &Cast, course: &DemoCourse, now: OffsetDateTime) -> AppResult<()> {
    let versions = course.versions()?;
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
    let mut keys = HashMap::new();
    for (when, beat) in history {
        match (beat, id) {
            (Beat::Publish, _) => {
                let course_id = publish_first(app, cast, course, &versions[0], when).await?;
                id = Some(course_id);
                // SOC 2 awards a certificate valid for 75 days: its early learners' have
                // expired, some are about to, the recent ones are valid.
                if course.folder == company::SOC2_BASICS.folder {
                    let rules =
                        lore_domain::certificate::CertificateRules::parse(true, "75", "30, 7")?;
                    at(app, when)
                        .set_certificate_rules(cast.person(course.owner)?, course_id, rules)
                        .await?;
                }
            }
            (Beat::Revise(r), Some(id)) => {
                let editor = cast.person(course.revisions[r].by)?;
                let version = &versions[r + 1];
                // Edited a few hours before it was published.
                let editing = at(app, when - Duration::hours(4));
                revisions::write_draft(&editing, editor, id, version, &mut keys).await?;
                at(app, when)
                    .publish(editor, id, &version.content.change_note)
                    .await?;
            }
            (Beat::Learn(l), Some(id)) => {
                let seeded = Seeded {
                    id,
                    story: course,
                    versions: &versions,
                };
                take(app, cast, &seeded, &course.learners[l], when, now).await?
            }
            (_, None) => {
                return Err(AppError::Internal(format!(
                    "the demo course {:?} is used before it is published",
                    course.folder
                )));
            }
        }
    }
    Ok(())
}

/// Has a demo course been written already? (The demo seeds at every start.)
async fn seeded_before(app: &App) -> AppResult<bool> {
    let mut titles = Vec::with_capacity(COURSES.len());
    for course in COURSES {
        titles.push(title(&course.versions()?).to_owned());
    }
    for course in app.store.courses(true).await? {
        for version in app.store.versions_of(course.id).await? {
            if titles.contains(&version.title) {
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

/// Version 1: imported by the owner as a draft two days before it was published, as
/// `lore courses import --no-publish` does, then given its co-authors and evaluation.
async fn publish_first(
    app: &App,
    cast: &Cast,
    course: &DemoCourse,
    first: &Version,
    published: OffsetDateTime,
) -> AppResult<i64> {
    let owner = cast.person(course.owner)?;
    let writing = at(app, published - Duration::days(2));
    let draft = ImportOptions {
        publish: false,
        group_id: None,
    };
    let id = writing
        .import_course_with(owner, &first.folder, draft)
        .await?;
    for local in course.coauthors {
        writing
            .add_coauthor(owner, id, &cast.person(local)?.email)
            .await?;
    }
    if let Some(evaluation) = course.evaluation {
        let gift = first.questions.ok_or_else(|| {
            AppError::Internal(format!(
                "the demo course {:?} has no questions",
                course.folder
            ))
        })?;
        writing.import_questions(owner, id, gift).await?;
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
        .publish(owner, id, &first.content.change_note)
        .await?;
    Ok(id)
}

/// A demo course in the database: its id, its story and its folders.
struct Seeded<'a> {
    id: i64,
    story: &'a DemoCourse,
    versions: &'a [Version],
}

/// A learner's visit: assigned (maybe), the course page, then step after step in the player.
async fn take(
    app: &App,
    cast: &Cast,
    course: &Seeded<'_>,
    learner: &Learner,
    from: OffsetDateTime,
    now: OffsetDateTime,
) -> AppResult<()> {
    let course_id = course.id;
    let me = cast.person(learner.who)?;
    let mut clock = from;
    if let Some(a) = &learner.assigned {
        let due = now + Duration::days(a.due_in);
        at(app, clock)
            .assign(cast.person(a.by)?, course_id, &me.email, Some(due))
            .await?;
        clock += Duration::hours(2);
    }
    // Seen in the catalogue a little before.
    if let Some(version) = app
        .store
        .course(course_id)
        .await?
        .and_then(|c| c.latest_version)
    {
        at(app, clock - Duration::minutes(10))
            .record_listing(me, &[(course_id, version)])
            .await?;
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
    let minutes = minutes(course.versions)?;
    let mut position = 1;
    let steps = loop {
        clock += Duration::minutes(1);
        let view = at(app, clock).player(me, course_id, Some(position)).await?;
        if position > done {
            break view.steps.len();
        }
        let seconds = seconds_on_step(minutes, learner.who, position, view.steps.len());
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
    if let Some(e) = course.story.evaluation
        && e.sits(done.min(steps), steps)
    {
        let gift = course
            .versions
            .first()
            .and_then(|v| v.questions)
            .unwrap_or("");
        evaluation::sit(app, course_id, e, gift, me, learner.who, clock).await?;
    }
    Ok(())
}

/// Version 1's estimated time, which sets the pace of every version.
fn minutes(versions: &[Version]) -> AppResult<u32> {
    versions
        .first()
        .and_then(|v| v.content.meta.estimated_minutes)
        .and_then(|m| u32::try_from(m).ok())
        .ok_or_else(|| {
            AppError::Internal(format!(
                "the demo course {:?} has no estimated time",
                title(versions)
            ))
        })
}

/// A steady, made-up pace per person and step: 60 % to 140 % of the course's estimate.
fn seconds_on_step(minutes: u32, who: &str, position: usize, steps: usize) -> i64 {
    let typical = i64::from(minutes) * 60 / steps.max(1) as i64;
    let salt = who.bytes().fold(position as u64, |h, b| {
        h.wrapping_mul(31).wrapping_add(u64::from(b))
    });
    typical * (60 + (salt % 81) as i64) / 100
}
