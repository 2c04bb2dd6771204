//! Knowledge gaps and experts of a group, from courses, attempts, completions, discussions,
//! suggested edits, needs and reactions written through the use cases: every figure checked
//! exactly (mean score and pass rate per topic, content per 100 people, expert counts), the
//! drill-downs, the pages and CSV against the API, and the refusals (a group not coached, a
//! group id that is not a number or not a group).

use lore_app::Caller;
use lore_app::courses::authoring::{CourseFields, NewCourse};
use lore_app::discussions::NewThreadInput;
use lore_app::evaluations::authoring::SettingsInput;
use lore_app::needs::asking::NeedInput;
use lore_domain::question::{Answer, ChoiceOption, Question, QuestionBody};
use reqwest::StatusCode;
use serde_json::Value;

use crate::api::token_for;
use crate::feedback_api::expect_error;
use crate::story;
use crate::support::{Api, TestApp};

fn choice(prompt: &str) -> Question {
    let opt = |id: &str| ChoiceOption {
        id: id.into(),
        text: format!("Option {id}"),
        correct: id == "a",
        feedback: String::new(),
        weight: None,
    };
    Question {
        prompt: prompt.into(),
        body: QuestionBody::SingleChoice {
            options: vec![opt("a"), opt("b")],
        },
        points: 1.0,
        explanation: String::new(),
    }
}

/// A published course of `group` with `tags` and one single-choice question per prompt
/// (the right answer is `a`; pass mark 50 %); its id, question keys and first step's key.
async fn course(
    t: &TestApp,
    author: &Caller,
    group: i64,
    title: &str,
    tags: &str,
    prompts: &[&str],
) -> (i64, Vec<String>, String) {
    let app = &t.app;
    let id = app
        .create_course(
            author,
            NewCourse {
                title,
                group_id: Some(group),
                first_step_title: "Read this",
                first_step_body: "The whole story.",
            },
        )
        .await
        .expect("course");
    let draft = app.draft(author, id).await.expect("draft");
    app.save_course_fields(
        author,
        id,
        draft.version.revision,
        CourseFields {
            title,
            summary: "",
            language: "en",
            tags,
            estimated_minutes: "",
        },
    )
    .await
    .expect("tags");
    let mut keys = Vec::new();
    for p in prompts {
        keys.push(
            app.add_question(author, id, None, &choice(p))
                .await
                .expect("question")
                .question_key,
        );
    }
    app.save_evaluation_settings(
        author,
        id,
        &SettingsInput {
            mode: "practice",
            pass_mark: "50",
            ..SettingsInput::default()
        },
    )
    .await
    .expect("settings");
    let step = app.draft(author, id).await.expect("draft").steps[0]
        .step_key
        .clone();
    app.publish(author, id, "").await.expect("publish");
    (id, keys, step)
}

/// `who` takes the course's evaluation once with these answers.
async fn attempt(t: &TestApp, who: &Caller, course: i64, keys: &[String], answers: &[&str]) {
    t.app.enrol(who, course).await.ok();
    let a = t.app.start_attempt(who, course).await.expect("attempt");
    for (key, answer) in keys.iter().zip(answers) {
        t.app
            .answer(who, a.id, key, Answer::Choices(vec![(*answer).into()]))
            .await
            .expect("answer");
    }
    t.app.submit_attempt(who, a.id).await.expect("submit");
}

async fn json(api: &Api, path: &str) -> Value {
    let page = api.get(path).await;
    page.expect_status(StatusCode::OK);
    page.json()
}

fn close(v: &Value, expected: f64) {
    let got = v.as_f64().unwrap_or(f64::NAN);
    assert!((got - expected).abs() < 1e-9, "{got} ≠ {expected}");
}

/// (name, courses written, answers, edits, needs, shared, completions) of each expert.
fn expert_rows(doc: &Value) -> Vec<(String, u64, u64, u64, u64, u64, u64)> {
    doc["experts"]
        .as_array()
        .expect("experts")
        .iter()
        .map(|e| {
            let n = |k: &str| e[k].as_u64().expect(k);
            (
                e["name"].as_str().expect("name").to_owned(),
                n("courses_written"),
                n("answers_accepted"),
                n("edits_accepted"),
                n("needs_answered"),
                n("shared"),
                n("completions"),
            )
        })
        .collect()
}

fn row(name: &str, figures: [u64; 6]) -> (String, u64, u64, u64, u64, u64, u64) {
    let [w, a, e, n, s, c] = figures;
    (name.to_owned(), w, a, e, n, s, c)
}

/// What the seeded group holds.
pub(crate) struct Seeded {
    pub eng: i64,
    platform: i64,
    sales: i64,
    basics: i64,
    traits: i64,
    joins: i64,
    asynch: i64,
}

/// Acme with Engineering (authors Ada and Bo, coach Cora, four learners), Platform below it
/// (two learners) and Sales (Sam): three courses on Rust, testing and SQL with attempts,
/// completions, an accepted answer and edit, needs and reactions, all through the use cases.
pub(crate) async fn seeded(t: &TestApp) -> Seeded {
    let acme = t.group(None, "Acme").await;
    let eng = t.group(Some(acme), "Engineering").await;
    let platform = t.group(Some(eng), "Platform").await;
    let sales = t.group(Some(acme), "Sales").await;
    for (email, name, group, role) in [
        ("ada@acme.test", "Ada Author", eng, "author"),
        ("bo@acme.test", "Bo Builder", eng, "author"),
        ("cora@acme.test", "Cora Coach", eng, "coach"),
        ("l1@acme.test", "Learner 1", eng, "learner"),
        ("l2@acme.test", "Learner 2", eng, "learner"),
        ("l3@acme.test", "Learner 3", eng, "learner"),
        ("l4@acme.test", "Learner 4", eng, "learner"),
        ("l5@acme.test", "Learner 5", platform, "learner"),
        ("l6@acme.test", "Learner 6", platform, "learner"),
        ("sam@acme.test", "Sam Sales", sales, "learner"),
    ] {
        let id = t.person(email, name, false).await;
        t.member(id, group, role).await;
    }
    let c = |email: &'static str| t.caller(email);
    let (ada, bo, cora) = (
        c("ada@acme.test").await,
        c("bo@acme.test").await,
        c("cora@acme.test").await,
    );
    let l: Vec<Caller> = {
        let mut v = Vec::new();
        for i in 1..=6 {
            v.push(t.caller(&format!("l{i}@acme.test")).await);
        }
        v
    };
    let sam = c("sam@acme.test").await;

    // Two courses on Rust (one also on testing), one on SQL; Bo co-writes Ada's Rust course.
    let (basics, basics_keys, basics_step) = course(
        t,
        &ada,
        eng,
        "Rust basics",
        "Rust, testing",
        &["Borrow?", "Move?"],
    )
    .await;
    t.app
        .add_coauthor(&ada, basics, "bo@acme.test")
        .await
        .expect("co-author");
    let (traits, traits_keys, traits_step) =
        course(t, &bo, eng, "Rust traits", "rust", &["Dyn?"]).await;
    let (joins, joins_keys, joins_step) =
        course(t, &ada, eng, "SQL joins", "SQL", &["Left?"]).await;

    // Rust basics: 100 %, 50 %, 0 %, 50 % (three pass at 50 %); traits: 100 %; SQL: 0 %.
    attempt(t, &l[0], basics, &basics_keys, &["a", "a"]).await;
    attempt(t, &l[1], basics, &basics_keys, &["a", "b"]).await;
    attempt(t, &l[2], basics, &basics_keys, &["b", "b"]).await;
    attempt(t, &l[3], basics, &basics_keys, &["b", "a"]).await;
    attempt(t, &l[4], traits, &traits_keys, &["a"]).await;
    attempt(t, &l[0], joins, &joins_keys, &["b"]).await;
    // Two learners complete Rust basics.
    for who in &l[0..2] {
        t.app
            .complete_step(who, basics, &basics_step, 30)
            .await
            .expect("complete");
    }
    // Learner 2's answer is accepted in a discussion of Rust basics.
    let (thread, _) = t
        .app
        .start_thread(
            &l[0],
            basics,
            NewThreadInput {
                title: "Why does the borrow end here?",
                body: "The compiler says so.",
                step_key: None,
            },
        )
        .await
        .expect("thread");
    let answer = t
        .app
        .reply(&l[1], basics, thread.id, "Non-lexical lifetimes.")
        .await
        .expect("reply");
    t.app
        .accept_answer(&ada, basics, thread.id, Some(answer.id))
        .await
        .expect("accept");
    // Learner 3's edit of Rust traits is accepted.
    let edit = t
        .app
        .propose_edit(
            &l[2],
            traits,
            &traits_step,
            "The whole story, with an example.",
            "An example helps.",
        )
        .await
        .expect("propose");
    t.app
        .accept_edit(&bo, traits, edit.id, None)
        .await
        .expect("accept edit");
    // Needs: one open with votes, one answered by SQL joins, one for Sales.
    let need = |title: &'static str, topic: &'static str, groups: Vec<i64>| NeedInput {
        title,
        problem: "We keep getting this wrong.",
        topic,
        urgency: "normal",
        questions: "",
        audiences: groups,
    };
    let asynch = t
        .app
        .ask_need(&l[0], need("Async Rust in services", "rust", vec![eng]))
        .await
        .expect("need");
    for who in &l[1..3] {
        t.app.vote_need(who, asynch).await.expect("vote");
    }
    let plans = t
        .app
        .ask_need(&l[3], need("Reading query plans", "sql", vec![eng]))
        .await
        .expect("need");
    t.app
        .link_course_to_need(&cora, plans, joins)
        .await
        .expect("link");
    t.app
        .ask_need(&sam, need("Pricing talks", "sales", vec![sales]))
        .await
        .expect("sales need");
    // Reactions: Rust basics is useful; SQL joins is flagged outdated.
    t.app
        .react(&l[1], basics, &basics_step, "useful", "")
        .await
        .expect("useful");
    t.app
        .react(&l[0], joins, &joins_step, "outdated", "Joins changed.")
        .await
        .expect("outdated");
    Seeded {
        eng,
        platform,
        sales,
        basics,
        traits,
        joins,
        asynch,
    }
}

async fn a_coach_sees_the_gaps_and_experts_of_their_group(t: TestApp) {
    let Seeded {
        eng,
        platform,
        sales,
        basics,
        traits,
        joins,
        asynch,
    } = seeded(&t).await;
    let bo = t.caller("bo@acme.test").await;
    let api = t.api(&token_for(&t, "cora@acme.test").await);
    let gaps = json(&api, &format!("/insights/gaps?group={eng}&topic=Rust")).await;
    assert_eq!(gaps["group"]["path"], "Acme/Engineering");

    // Needs: the board's own figures, open needs of the group only.
    let board = json(&api, &format!("/needs?group={eng}&status=open")).await;
    let ids = |v: &Value| -> Vec<(i64, i64, u64)> {
        v.as_array()
            .expect("needs")
            .iter()
            .map(|n| {
                (
                    n["id"].as_i64().expect("id"),
                    n["demand"].as_i64().expect("demand"),
                    n["votes"].as_u64().expect("votes"),
                )
            })
            .collect()
    };
    assert_eq!(ids(&gaps["needs"]), ids(&board["needs"]));
    assert!(ids(&gaps["needs"]).iter().any(|n| n.0 == asynch));
    assert_eq!(gaps["open_needs"], board["total"]);

    // Topics: Rust has 5 attempts (mean (100+50+0+50+100)/5 = 60 %, 4 of 5 passed);
    // testing (4) and sql (1) have too few.
    let topics = gaps["topics"].as_array().expect("topics");
    assert_eq!(topics.len(), 1, "{topics:?}");
    assert_eq!(topics[0]["topic"], "rust");
    assert_eq!(topics[0]["courses"], 2);
    assert_eq!(topics[0]["attempts"], 5);
    close(&topics[0]["mean_score_percent"], 60.0);
    close(&topics[0]["pass_rate_percent"], 80.0);
    assert_eq!(gaps["topics_with_too_few_attempts"], 2);
    assert_eq!(gaps["min_attempts"], 5);
    // The drill-down: the courses behind Rust.
    let behind = gaps["topic_courses"].as_array().expect("courses");
    assert_eq!(behind.len(), 2);
    assert_eq!(behind[0]["course_id"], basics);
    assert_eq!(behind[0]["attempts"], 4);
    close(&behind[0]["mean_score_percent"], 50.0);
    close(&behind[0]["pass_rate_percent"], 75.0);
    assert_eq!(behind[1]["course_id"], traits);
    close(&behind[1]["mean_score_percent"], 100.0);

    // Flagged outdated once: listed, not yet stale.
    let stale = gaps["stale_courses"].as_array().expect("stale");
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0]["course_id"], joins);
    assert_eq!(stale[0]["stale"], false);
    assert_eq!(stale[0]["open_outdated"], 1);

    // Content: Platform has 2 people and no course; Engineering 9 people, 3 courses.
    let content = |doc: &Value| -> Vec<(String, u64, u64, f64)> {
        doc["content"]
            .as_array()
            .expect("content")
            .iter()
            .map(|c| {
                (
                    c["group"].as_str().expect("group").to_owned(),
                    c["people"].as_u64().expect("people"),
                    c["courses"].as_u64().expect("courses"),
                    c["courses_per_100_people"].as_f64().expect("rate"),
                )
            })
            .collect()
    };
    assert_eq!(
        content(&gaps),
        vec![
            ("Acme/Engineering/Platform".to_owned(), 2, 0, 0.0),
            ("Acme/Engineering".to_owned(), 9, 3, 300.0 / 9.0),
        ]
    );
    // Addressed to Platform, Rust traits counts there too: 1 per 2 people.
    t.app
        .set_audiences(&bo, traits, &[platform])
        .await
        .expect("audience");
    let after = json(&api, &format!("/insights/gaps?group={eng}")).await;
    assert_eq!(
        content(&after),
        vec![
            ("Acme/Engineering".to_owned(), 9, 3, 300.0 / 9.0),
            ("Acme/Engineering/Platform".to_owned(), 2, 1, 50.0),
        ]
    );

    // Experts on every topic: Ada wrote two courses and one answers a need; Bo wrote two;
    // Learner 2's answer and Learner 3's edit were accepted.
    let experts = json(&api, &format!("/insights/experts?group={eng}")).await;
    assert_eq!(
        expert_rows(&experts),
        vec![
            row("Ada Author", [2, 0, 0, 1, 3, 2]),
            row("Bo Builder", [2, 0, 0, 0, 2, 2]),
            row("Learner 2", [0, 1, 0, 0, 1, 0]),
            row("Learner 3", [0, 0, 1, 0, 1, 0]),
        ]
    );
    assert_eq!(experts["experts"][0]["positive"], 1);
    assert_eq!(
        experts["experts"][0]["negative"], 1,
        "the outdated flag on SQL joins"
    );
    // On Rust only: SQL joins and its need drop out.
    let rust = json(&api, &format!("/insights/experts?group={eng}&topic=rust")).await;
    assert_eq!(
        expert_rows(&rust),
        vec![
            row("Bo Builder", [2, 0, 0, 0, 2, 2]),
            row("Ada Author", [1, 0, 0, 0, 1, 2]),
            row("Learner 2", [0, 1, 0, 0, 1, 0]),
            row("Learner 3", [0, 0, 1, 0, 1, 0]),
        ]
    );
    let ada_courses: Vec<i64> = experts["experts"][0]["courses"]
        .as_array()
        .expect("courses")
        .iter()
        .map(|c| c["course_id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ada_courses, vec![basics, joins]);

    // The pages and CSV show the same numbers; the drill-downs link what is behind them.
    let b = t.signed_in("cora@acme.test").await;
    let page = b
        .get(&format!("/insights/gaps?group={eng}&topic=rust"))
        .await;
    page.expect_status(StatusCode::OK)
        .expect_contains("figure class=\"chart\"")
        .expect_contains("60.0%")
        .expect_contains("80.0%")
        .expect_contains(&format!("href=\"/courses/{basics}\""))
        .expect_contains(&format!("href=\"/needs/{asynch}\""))
        .expect_contains(&format!("href=\"/courses/{joins}/feedback#upkeep\""));
    let csv = b
        .get(&format!("/insights/gaps.csv?group={eng}&table=topics"))
        .await;
    csv.expect_status(StatusCode::OK)
        .expect_contains("topic,courses,attempts,mean_score_percent,pass_rate_percent")
        .expect_contains("rust,2,5,60.0000,80.0000");
    b.get(&format!("/insights/gaps.csv?group={eng}&table=content"))
        .await
        .expect_contains(&format!("{platform},Acme/Engineering/Platform,2,1,50.0000"));
    let ada_id = experts["experts"][0]["user_id"].as_i64().expect("id");
    b.get(&format!("/insights/experts?group={eng}&person={ada_id}"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("What Ada Author shared")
        .expect_contains(&format!("href=\"/courses/{joins}\""))
        .expect_contains("figure class=\"chart\"");
    b.get(&format!("/insights/experts.csv?group={eng}"))
        .await
        .expect_contains("Ada Author,2,0,0,1,3,");
    b.get(&format!("/groups/{eng}"))
        .await
        .expect_contains(&format!("href=\"/insights/gaps?group={eng}\""));
    b.get("/reports")
        .await
        .expect_contains("href=\"/insights/gaps\"");

    // After the review interval, every course is stale; the flagged one first.
    t.clock.advance(time::Duration::days(200));
    let later = json(&api, &format!("/insights/gaps?group={eng}")).await;
    let stale: Vec<(i64, bool)> = later["stale_courses"]
        .as_array()
        .expect("stale")
        .iter()
        .map(|s| {
            (
                s["course_id"].as_i64().expect("id"),
                s["stale"].as_bool().expect("stale"),
            )
        })
        .collect();
    assert_eq!(stale.len(), 3);
    assert_eq!(stale[0], (joins, true));
    assert!(stale.iter().all(|s| s.1));

    // Refusals: a group Cora does not coach, a learner, a group id that is not one.
    expect_error(
        &api.get(&format!("/insights/gaps?group={sales}")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let sam_api = t.api(&token_for(&t, "sam@acme.test").await);
    expect_error(
        &sam_api.get(&format!("/insights/experts?group={eng}")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    expect_error(
        &sam_api.get("/insights/gaps").await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let bad = api.get("/insights/gaps?group=engineering").await;
    expect_error(&bad, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
    assert_eq!(bad.json()["error"]["field"], "group");
    expect_error(
        &api.get("/insights/experts?group=999999").await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    // (Two hundred days later, Cora signs in again.)
    let b = t.signed_in("cora@acme.test").await;
    b.get(&format!("/insights/gaps?group={sales}"))
        .await
        .expect_status(StatusCode::FORBIDDEN)
        .expect_lacks("Reading query plans");
    b.get("/insights/gaps?group=abc")
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("Give the group as its number");
}
story!(a_coach_sees_the_gaps_and_experts_of_their_group);

/// The small demo gives every table and chart of both pages something real, for the group
/// administrator of Acme and for the coach of Engineering.
async fn the_demo_fills_every_table(t: TestApp) {
    lore_app::demo::seed(&t.app).await.expect("seed");
    let domain = lore_app::demo::DOMAIN;
    for who in ["amara.okafor", "lukas.becker"] {
        let caller = t.caller(&format!("{who}@{domain}")).await;
        let gaps = t
            .app
            .knowledge_gaps(&caller, &lore_app::insights::GapsQuery::default())
            .await
            .expect("gaps");
        let at = &gaps.group.path;
        assert!(!gaps.needs.is_empty(), "{who} ({at}): needs");
        assert!(
            !gaps.topics.is_empty(),
            "{who} ({at}): topics with enough attempts"
        );
        assert!(
            !gaps.stale.is_empty(),
            "{who} ({at}): flagged or stale courses"
        );
        assert!(
            gaps.content.iter().any(|c| c.courses > 0),
            "{who} ({at}): content per 100 people"
        );
        let experts = t
            .app
            .experts(&caller, &lore_app::insights::ExpertsQuery::default())
            .await
            .expect("experts");
        assert!(
            experts
                .experts
                .iter()
                .any(|e| e.answers_accepted + e.edits_accepted > 0),
            "{who} ({at}): accepted answers or edits"
        );
        assert!(experts.experts.iter().any(|e| e.courses_written > 0));
    }
}
story!(the_demo_fills_every_table);
