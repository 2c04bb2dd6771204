//! The demo's folders and stories checked without a database; the seeded demo in `seeded`.

mod revisions;
mod seeded;

use std::collections::BTreeSet;
use std::path::PathBuf;

use lore_domain::question::{Answer, Question, QuestionBody};
use time::macros::datetime;

use super::*;
use crate::courses::archive::CourseFolder;
use crate::{Settings, Store};

/// `crates/lore-app/demo/courses` in the source tree.
fn source_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("demo/courses")
}

fn versions_of(course: &DemoCourse) -> Vec<Version> {
    course
        .versions()
        .unwrap_or_else(|e| panic!("{}: {e}", course.folder))
}

/// The steps of each version, as (title, body).
fn steps_of(course: &DemoCourse) -> Vec<Vec<(String, String)>> {
    versions_of(course)
        .iter()
        .map(|v| {
            v.content
                .steps
                .iter()
                .map(|s| (s.title.clone(), s.body.clone()))
                .collect()
        })
        .collect()
}

fn words(markdown: &str) -> usize {
    markdown
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

#[test]
fn the_binary_holds_the_folders_of_the_source_tree() {
    // include_dir! sees a changed file, but not a new or deleted one until lore-app is built
    // again: touch src/demo_courses/folders.rs after adding or removing a demo file.
    let on_disk = CourseFolder::from_dir(&source_dir()).expect("demo/courses");
    let on_disk: Vec<(&str, &[u8])> = on_disk.files().collect();
    let embedded = folders::embedded();
    let embedded: Vec<(&str, &[u8])> = embedded.iter().map(|(p, d)| (p.as_str(), *d)).collect();
    assert_eq!(embedded, on_disk);
}

#[test]
fn a_dozen_courses_each_with_a_folder_and_a_title_of_its_own() {
    assert_eq!(COURSES.len(), 12);
    let folders: BTreeSet<String> = folders::embedded()
        .into_iter()
        .filter_map(|(p, _)| p.split_once('/').map(|(top, _)| top.to_owned()))
        .collect();
    let stories: BTreeSet<String> = COURSES.iter().map(|c| c.folder.to_owned()).collect();
    assert_eq!(folders, stories, "a story for every folder");
    let mut titles = BTreeSet::new();
    let mut languages = BTreeSet::new();
    for c in COURSES {
        let versions = versions_of(c);
        assert!(
            titles.insert(title(&versions).to_owned()),
            "{} twice",
            c.folder
        );
        for v in &versions {
            let meta = &v.content.meta;
            assert!(!meta.summary.is_empty(), "{} has a summary", c.folder);
            assert_ne!(meta.tags, "[]", "{} has tags", c.folder);
            assert!(
                meta.estimated_minutes
                    .is_some_and(|m| (5..=60).contains(&m)),
                "{}",
                c.folder
            );
            languages.insert(meta.language.clone());
        }
    }
    assert!(languages.len() > 1, "one course is not in English");
}

#[test]
fn every_version_has_three_to_six_steps_of_80_to_250_words() {
    for c in COURSES {
        for (n, steps) in steps_of(c).iter().enumerate() {
            assert!(
                (3..=6).contains(&steps.len()),
                "{} v{} has {} steps",
                c.folder,
                n + 1,
                steps.len()
            );
            for (title, body) in steps {
                let w = words(body);
                assert!((80..=250).contains(&w), "{} / {title}: {w} words", c.folder);
                assert!(!body.contains('\r'), "plain newlines");
            }
        }
    }
}

#[test]
fn revisions_change_something_and_come_in_order() {
    let revised: Vec<&&DemoCourse> = COURSES.iter().filter(|c| !c.revisions.is_empty()).collect();
    assert!(revised.len() >= 3, "three courses have a second version");
    assert!(
        revised.iter().any(|c| c.revisions.len() >= 2),
        "one has a third"
    );
    for c in COURSES {
        let versions = versions_of(c);
        let steps = steps_of(c);
        let mut before = c.published;
        for (r, revision) in c.revisions.iter().enumerate() {
            assert!(
                revision.published < before,
                "{} v{} after the one before",
                c.folder,
                r + 2
            );
            assert!(!versions[r + 1].content.change_note.is_empty());
            assert_ne!(
                steps[r],
                steps[r + 1],
                "{} v{} changes something",
                c.folder,
                r + 2
            );
            before = revision.published;
        }
    }
}

#[test]
fn learners_fit_the_course_history() {
    let mut completed_an_old_version = false;
    for c in COURSES {
        let v = steps_of(c);
        let mut stages = Vec::new();
        for (i, l) in c.learners.iter().enumerate() {
            assert!(
                c.learners[..i].iter().all(|o| o.who != l.who),
                "{} takes {} twice",
                l.who,
                c.folder
            );
            assert!(
                l.from >= 1 && l.from < c.published,
                "{} on {} before it existed",
                l.who,
                c.folder
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
                    c.folder
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
                    c.folder
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
                c.folder
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
    let minutes = minutes(&versions_of(COURSES[0])).expect("minutes");
    for who in ["mei.chen", "omar.haddad", "zoe.williams"] {
        for position in 1..=5 {
            let s = seconds_on_step(minutes, who, position, 5);
            let typical = i64::from(minutes) * 60 / 5;
            assert!(s >= typical * 6 / 10 && s <= typical * 14 / 10);
        }
    }
}

fn scores(q: &Question, a: &Answer) -> bool {
    lore_domain::scoring::score(q, a).correct
}

/// The questions of a version with how learners answer them, in the author's order.
fn asked<'a>(c: &DemoCourse, e: &'a Evaluation, v: &Version) -> Vec<(Question, &'a Ask)> {
    let gift = v.questions.expect("every version has its questions.gift");
    let titled = evaluation::parse(gift).expect("the GIFT imports");
    assert!(
        titled.iter().all(|q| q.title.is_some()),
        "{}: every question has a title",
        c.folder
    );
    e.questions(gift)
        .unwrap_or_else(|e| panic!("{}: {e}", c.folder))
}

#[test]
fn evaluations_are_good_gift_with_answers_that_fit() {
    let with: Vec<&&DemoCourse> = COURSES.iter().filter(|c| c.evaluation.is_some()).collect();
    assert!(with.len() >= 6, "{} courses have an evaluation", with.len());
    for c in COURSES.iter().filter(|c| c.evaluation.is_none()) {
        assert!(
            versions_of(c).iter().all(|v| v.questions.is_none()),
            "{}: questions nobody answers",
            c.folder
        );
    }
    let mut kinds = BTreeSet::new();
    let mut modes = (false, false);
    let (mut limited, mut required) = (false, false);
    for c in &with {
        let e = c.evaluation.expect("evaluation");
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
        // The settings pass the author's form.
        let (pass_mark, max_attempts, time_limit_minutes) = e.settings();
        crate::evaluations::authoring::parse_settings(&SettingsInput {
            mode: e.mode_name(),
            pass_mark: &pass_mark,
            max_attempts: &max_attempts,
            time_limit_minutes: &time_limit_minutes,
            ..SettingsInput::default()
        })
        .expect("settings");
        let versions = versions_of(c);
        let first = asked(c, e, &versions[0]);
        assert!(
            (3..=6).contains(&first.len()),
            "{}: {} questions",
            c.folder,
            first.len()
        );
        for (i, (q, a)) in first.iter().enumerate() {
            assert!(
                !q.explanation.is_empty(),
                "{}: {:?} explains",
                c.folder,
                q.prompt
            );
            assert!(
                first[..i].iter().all(|(o, _)| o.prompt != q.prompt),
                "{}: prompts tell questions apart",
                c.folder
            );
            assert!((0..=100).contains(&a.difficulty));
            kinds.insert(q.kind_name());
            if let QuestionBody::SingleChoice { options } = &q.body {
                assert!(
                    options.iter().all(|o| !o.feedback.is_empty()),
                    "{}: every option of {:?} has feedback",
                    c.folder,
                    q.prompt
                );
            }
            // Those who know give the key, except where the key is out of date.
            let knows = a
                .knows
                .map(|k| evaluation::given_answer(q, k))
                .unwrap_or_else(|| evaluation::key(q));
            assert_eq!(
                scores(q, &knows),
                a.knows.is_none(),
                "{}: {:?}",
                c.folder,
                q.prompt
            );
            // The others are wrong, each in a way the question can take.
            let is_true_false = matches!(q.body, QuestionBody::TrueFalse { .. });
            assert_eq!(
                a.guesses.is_empty(),
                is_true_false,
                "{}: {:?}",
                c.folder,
                q.prompt
            );
            for g in a.guesses {
                let given = evaluation::given_answer(q, g);
                if a.knows.is_none() {
                    assert_ne!(
                        given,
                        evaluation::key(q),
                        "{}: {g:?} is not the key",
                        c.folder
                    );
                }
                if let (Answer::Choices(ids), QuestionBody::SingleChoice { options }) =
                    (&given, &q.body)
                {
                    assert!(ids.iter().all(|id| options.iter().any(|o| &o.id == id)));
                }
                assert!(
                    !scores(q, &given) || a.knows.is_some(),
                    "{}: {g:?} is wrong",
                    c.folder
                );
            }
        }
        // A later version's questions are the same, or corrected: a corrected question keeps
        // its title and prompt, and what those who knew said is now right.
        for (n, v) in versions.iter().enumerate().skip(1) {
            let later = asked(c, e, v);
            assert_eq!(later.len(), first.len(), "{} v{}", c.folder, n + 1);
            for ((was, a), (is, b)) in first.iter().zip(&later) {
                assert_eq!(a.title, b.title, "{} v{}: same order", c.folder, n + 1);
                if was != is {
                    assert_eq!(was.prompt, is.prompt);
                    let knew = a
                        .knows
                        .expect("the corrected question had an out-of-date key");
                    assert!(scores(is, &evaluation::given_answer(is, knew)));
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

/// The title of a demo course's version 1.
fn title_of(course: &DemoCourse) -> String {
    title(&versions_of(course)).to_owned()
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
