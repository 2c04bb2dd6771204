//! The seeded demo: the same courses, learners, evaluations, feedback and needs at every
//! seed, and the course folders it is written from, which import on their own.

use lore_domain::item_analysis::Flag;

use super::*;
use crate::courses::archive::{CourseFolder, ImportOptions};

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
    let mut under_review = 0;
    for c in &courses {
        let mut all = app.store.versions_of(c.id).await.expect("versions");
        if all
            .last()
            .is_some_and(|v| v.state == lore_domain::course::VersionState::Draft)
        {
            // The one draft left is Rotating secrets' update, waiting for review.
            let draft = all.pop().expect("the draft");
            assert_eq!(draft.title, "Rotating secrets safely");
            let review = app
                .store
                .review_of_version(c.id, draft.number)
                .await
                .expect("review")
                .expect("under review");
            assert_eq!(review.state, lore_domain::review::ReviewState::Open);
            under_review += 1;
        }
        assert!(
            all.iter()
                .all(|v| v.state == lore_domain::course::VersionState::Published),
            "no other drafts left"
        );
        assert_eq!(c.latest_version, all.last().map(|v| v.number));
        versions += all.len();
    }
    // 16 written with the courses, and Discovery's version 2 publishing a suggested edit.
    assert_eq!(versions, 17);
    assert_eq!(under_review, 1, "one update waits for review");

    // Mei finished version 1 of SOC 2 before version 2: she sees what changed.
    let mei = person(&app, "mei.chen").await;
    let soc2 = course_titled(&app, &title_of(&company::SOC2_BASICS)).await;
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

    // SOC 2's certificates: some expired, some about to, some valid.
    let certificates = app
        .course_certificates(&person(&app, "amara.okafor").await, soc2)
        .await
        .expect("certificates");
    assert!(!certificates.expired.is_empty(), "expired certificates");
    assert!(!certificates.expiring.is_empty(), "expiring certificates");
    assert!(!certificates.valid.is_empty(), "valid certificates");

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
        let title = title_of(demo);
        let id = course_titled(&app, &title).await;
        let owner = person(&app, demo.owner).await;
        let mut attempts = 0;
        for v in app.store.versions_of(id).await.expect("versions") {
            let (number, summary, stats) = app
                .item_analysis(&owner, id, Some(v.number))
                .await
                .expect("item analysis");
            attempts += summary.attempts;
            table.push_str(&format!("{title} v{number}:"));
            for s in stats.into_iter().map(|q| q.stats) {
                table.push_str(&format!(
                    " [{} f={:.2} r={:.2} {:?}]",
                    s.responses,
                    s.facility.unwrap_or(f64::NAN),
                    s.point_biserial.unwrap_or(f64::NAN),
                    s.flags
                ));
                flags.extend(s.flags.into_iter().map(|f| (demo.folder, number, f)));
            }
            table.push('\n');
        }
        assert_eq!(
            attempts > 0,
            demo.evaluation.is_some(),
            "{}: attempts where there is an evaluation",
            demo.folder
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
                    demo.folder
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
                modes.insert(a.mode.as_str());
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
        .filter(|(folder, _, f)| {
            *folder == company::SOC2_BASICS.folder && *f == Flag::NegativeDiscrimination
        })
        .map(|(_, v, _)| *v)
        .collect();
    assert_eq!(soc2_negative, [1], "{table}");
    assert_eq!(
        modes.into_iter().collect::<Vec<_>>(),
        ["exam", "practice"],
        "attempts in both modes"
    );

    // Sales' deals per week: seven people completed a linked course, six did not, and the
    // report shows its figures (both sides above the minimum of five), once.
    let hannah = person(&app, "hannah.schmidt").await;
    let metrics = app.outcome_metrics(&hannah).await.expect("metrics");
    assert_eq!(metrics.len(), 1, "seeding twice defines it once");
    let report = app
        .outcome_report(&hannah, metrics[0].id)
        .await
        .expect("report");
    assert_eq!((report.report.completers, report.report.others), (7, 6));
    let shown = report.report.comparison.shown().expect("figures shown");
    assert!(shown.difference > 0.0, "completers close more");
    assert!(report.report.before_after.shown().is_some());
    assert!(
        report
            .report
            .periods
            .iter()
            .all(|p| p.completers.mean.is_some() && p.others.mean.is_some()),
        "every week on the chart"
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
        let id = course_titled(&app, &title_of(demo)).await;
        for r in app.store.course_reactions(id).await.expect("reactions") {
            assert!(r.created_at <= now);
            kinds.insert(r.kind.as_str());
            match (r.kind.as_str(), r.status.map(|s| s.as_str())) {
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
            *suggestions.entry(s.status.as_str()).or_insert(0) += 1;
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
    let on_call = course_titled(&app, &title_of(&engineering::ON_CALL)).await;
    let priya = app
        .needs_attention(&person(&app, "priya.raman").await, 0)
        .await
        .expect("needs attention")
        .0;
    let entry = priya
        .iter()
        .find(|e| e.course_id == on_call)
        .expect("the on-call runbook needs attention");
    assert_eq!(entry.because, "author");
    assert!(entry.health.open_outdated >= 2 && entry.health.open_suggestions >= 1);
    assert!(!entry.health.health.reasons.is_empty());
    let lukas = app
        .needs_attention(&person(&app, "lukas.becker").await, 0)
        .await
        .expect("needs attention")
        .0;
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
        let id = course_titled(&app, &title_of(demo)).await;
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

/// A folder's files as text, in path order, for readable differences.
fn texts(folder: &CourseFolder) -> Vec<(String, String)> {
    folder
        .files()
        .map(|(p, d)| (p.to_owned(), String::from_utf8_lossy(d).into_owned()))
        .collect()
}

#[tokio::test]
async fn every_folder_imports_on_its_own_and_exports_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = demo_app(dir.path()).await;
    crate::demo::seed(&app).await.expect("seed");
    for c in COURSES {
        let owner = person(&app, c.owner).await;
        let root = source_dir().join(c.folder);
        let later = (2..=c.revisions.len() + 1).map(|n| root.join(format!("versions/{n}")));
        for path in std::iter::once(root.clone()).chain(later) {
            // What `lore courses import <path>` does.
            let folder = CourseFolder::from_dir(&path).expect("read");
            let id = app
                .import_course_with(&owner, &folder, ImportOptions::default())
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let exported = app.export_course(&owner, id, None).await.expect("export");
            // The export is the folder, without what the format does not carry.
            let mut expected = texts(&folder);
            expected.retain(|(p, _)| !p.starts_with("versions/") && p != folders::QUESTIONS);
            assert_eq!(texts(&exported), expected, "{}", path.display());
        }
    }
}

#[tokio::test]
async fn every_seeded_version_exports_as_its_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = demo_app(dir.path()).await;
    crate::demo::seed(&app).await.expect("seed");
    for c in COURSES {
        let owner = person(&app, c.owner).await;
        let versions = versions_of(c);
        let id = course_titled(&app, title(&versions)).await;
        // Import keeps the keys of version 1; the editor makes up the key of a step it adds.
        let kept: Vec<&str> = versions[0]
            .content
            .steps
            .iter()
            .map(|s| s.step_key.as_str())
            .collect();
        for (n, v) in versions.iter().enumerate() {
            let number = i32::try_from(n + 1).expect("version number");
            let exported = app
                .export_course(&owner, id, Some(number))
                .await
                .expect("export");
            let mut got = texts(&exported);
            for ((_, text), step) in got.iter_mut().skip(1).zip(&v.content.steps) {
                if !kept.contains(&step.step_key.as_str()) {
                    let made_up = text.lines().nth(1).unwrap_or_default().to_owned();
                    *text = text.replacen(&made_up, &format!("key = {:?}", step.step_key), 1);
                }
            }
            assert_eq!(got, texts(&v.folder), "{} v{}", c.folder, n + 1);
        }
    }
}
