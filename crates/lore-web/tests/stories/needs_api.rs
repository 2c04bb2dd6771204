//! Learning needs through the JSON API with tokens: asking, finding a duplicate worded
//! differently, voting and the refusals that change nothing, the lifecycle by a coach,
//! merging without losing a vote, the board's demand order, and an expert whose course
//! answers a need (with the lead time it shows and the notifications it sends).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::api::token_for;
use crate::courses::team;
use crate::feedback_api::{assert_rfc3339, expect_error};
use crate::story;
use crate::support::{Api, TestApp};

/// Engineering (Ada, Bo and Cy learn, Cora coaches) and Sales (Sam), each with a token.
struct People {
    eng: i64,
    sales: i64,
    ada: Api,
    bo: Api,
    cy: Api,
    cora: Api,
    sam: Api,
}

async fn people(t: &TestApp) -> People {
    let (eng, sales) = team(t).await;
    let cy = t.person("cy@acme.test", "Cy Peer", false).await;
    t.member(cy, eng, "learner").await;
    let cora = t.person("cora@acme.test", "Cora Coach", false).await;
    t.member(cora, eng, "coach").await;
    People {
        eng,
        sales,
        ada: t.api(&token_for(t, "ada@acme.test").await),
        bo: t.api(&token_for(t, "bo@acme.test").await),
        cy: t.api(&token_for(t, "cy@acme.test").await),
        cora: t.api(&token_for(t, "cora@acme.test").await),
        sam: t.api(&token_for(t, "sam@acme.test").await),
    }
}

/// Ask for a need; its id.
async fn ask(api: &Api, body: Value) -> i64 {
    let asked = api.send(Method::POST, "/needs", Some(body)).await;
    asked.expect_status(StatusCode::CREATED);
    asked.json()["id"].as_i64().expect("id")
}

async fn need(api: &Api, id: i64) -> Value {
    let page = api.get(&format!("/needs/{id}")).await;
    page.expect_status(StatusCode::OK);
    page.json()
}

async fn board(api: &Api, query: &str) -> Value {
    let page = api.get(&format!("/needs{query}")).await;
    page.expect_status(StatusCode::OK);
    page.json()
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .expect("a list")
        .iter()
        .filter_map(|n| n["id"].as_i64())
        .collect()
}

async fn send(api: &Api, method: Method, path: &str, body: Option<Value>) -> StatusCode {
    api.send(method, path, body).await.status
}

/// Kinds of the caller's notifications, newest first.
async fn notification_kinds(api: &Api) -> Vec<String> {
    let list = api.get("/notifications").await.json();
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|n| n["kind"].as_str().map(str::to_owned))
        .collect()
}

story!(a_need_is_asked_found_voted_and_refused);
/// Bo asks; Ada finds it under other words and votes; refusals store nothing; Cora runs it.
async fn a_need_is_asked_found_voted_and_refused(t: TestApp) {
    let p = people(&t).await;
    let asked =
        p.bo.send(
            Method::POST,
            "/needs",
            Some(json!({
                "title": "How do we rotate certificates?",
                "problem": "Internal TLS certificates expire and take services down with them.",
                "topic": "Security",
                "urgency": "high",
                "questions": ["How often do we rotate?", "Who approves a new certificate?"],
                "audiences": [],
            })),
        )
        .await;
    asked.expect_status(StatusCode::CREATED);
    let n = asked.json();
    let id = n["id"].as_i64().expect("id");
    assert_eq!(asked.location(), format!("/api/v1/needs/{id}"));
    assert_eq!(n["title"], "How do we rotate certificates?");
    assert_eq!(n["topic"], "Security");
    assert_eq!(n["status"], "open");
    assert_eq!(n["urgency"], "high");
    assert_eq!(n["votes"], 1);
    assert_eq!(n["audience"], 4, "Ada, Bo, Cy and Cora");
    assert!(n["demand"].as_i64().is_some_and(|d| d > 0));
    assert_eq!(
        n["groups"],
        json!([{"id": p.eng, "name": "Acme/Engineering"}])
    );
    assert_rfc3339(&n["created_at"]);
    assert_eq!(n["age_days"], 0);
    assert_eq!(
        n["questions"],
        json!(["How often do we rotate?", "Who approves a new certificate?"])
    );
    assert_eq!(n["asked_by"]["name"], "Bo Learner");
    assert!(n["asked_by"]["id"].is_i64());
    assert!(n["decline_reason"].is_null() && n["merged_into"].is_null());
    assert_eq!(n["followers"], 1);
    assert_eq!(
        (&n["i_voted"], &n["i_follow"]),
        (&json!(true), &json!(true))
    );
    assert_eq!(n["can_manage"], false);
    assert_eq!(n["next_statuses"], json!([]));
    assert_eq!(n["events"][0]["kind"], "created");
    assert_eq!(n["events"][0]["actor"], "Bo Learner");
    assert_rfc3339(&n["events"][0]["at"]);
    assert_eq!((&n["experts"], &n["courses"]), (&json!([]), &json!([])));
    assert_eq!(need(&p.bo, id).await, n, "GET answers as POST did");

    // Ada, about to ask the same in other words, finds it first; Sam (Sales) does not.
    let similar = p
        .ada
        .get("/needs/similar?q=Rotating%20TLS%20certificates")
        .await;
    similar.expect_status(StatusCode::OK);
    assert_eq!(ids(&similar.json()["needs"]).first(), Some(&id));
    assert!(similar.json()["courses"].is_array());
    let sams = p
        .sam
        .get("/needs/similar?q=Rotating%20TLS%20certificates")
        .await;
    assert_eq!(sams.json()["needs"], json!([]));

    // So she votes instead: once.
    let vote = format!("/needs/{id}/vote");
    assert_eq!(
        send(&p.ada, Method::POST, &vote, None).await,
        StatusCode::NO_CONTENT
    );
    let seen = need(&p.ada, id).await;
    assert_eq!(
        (&seen["votes"], &seen["i_voted"]),
        (&json!(2), &json!(true))
    );
    assert_eq!(seen["i_follow"], true, "voting follows");
    expect_error(
        &p.ada.send(Method::POST, &vote, None).await,
        StatusCode::CONFLICT,
        "already_voted",
    );
    assert_eq!(need(&p.bo, id).await["votes"], 2);
    assert_eq!(
        send(&p.ada, Method::DELETE, &vote, None).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(need(&p.bo, id).await["votes"], 1);
    expect_error(
        &p.ada.send(Method::DELETE, &vote, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert_eq!(
        send(&p.ada, Method::POST, &vote, None).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(need(&p.bo, id).await["votes"], 2);

    // Bad needs are refused field by field, and nothing is stored.
    for (body, field) in [
        (json!({"title": "ab"}), Some("title")),
        (json!({"title": "x".repeat(161)}), Some("title")),
        (
            json!({"title": "Kubernetes", "urgency": "yesterday"}),
            Some("urgency"),
        ),
        (
            json!({"title": "Kubernetes", "questions": vec!["Why?"; 21]}),
            Some("questions"),
        ),
        (
            json!({"title": "Kubernetes", "mood": "curious"}),
            Some("body"),
        ),
        (json!({"problem": "no title"}), Some("body")),
    ] {
        let refused = p.bo.send(Method::POST, "/needs", Some(body)).await;
        expect_error(&refused, StatusCode::UNPROCESSABLE_ENTITY, "invalid_input");
        if let Some(field) = field {
            assert_eq!(refused.json()["error"]["field"], field, "{}", refused.body);
        }
    }
    // A group the asker may not address is refused as a permission, one that does not
    // exist as not found (decision 0037); nothing is stored either.
    let refused =
        p.bo.send(
            Method::POST,
            "/needs",
            Some(json!({"title": "Kubernetes", "audiences": [p.sales]})),
        )
        .await;
    expect_error(&refused, StatusCode::FORBIDDEN, "forbidden");
    let refused =
        p.bo.send(
            Method::POST,
            "/needs",
            Some(json!({"title": "Kubernetes", "audiences": [999_999]})),
        )
        .await;
    expect_error(&refused, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(ids(&board(&p.cora, "?all=true").await["needs"]), [id]);

    // Sam is not in the audience: the need does not exist for him.
    for page in [
        p.sam.get(&format!("/needs/{id}")).await,
        p.sam.send(Method::POST, &vote, None).await,
        p.sam
            .send(Method::POST, &format!("/needs/{id}/follow"), None)
            .await,
    ] {
        expect_error(&page, StatusCode::NOT_FOUND, "not_found");
    }
    assert_eq!(board(&p.sam, "").await["needs"], json!([]));
    assert_eq!(need(&p.bo, id).await["votes"], 2);

    // Bo edits his need; fields left out stay. Cy, who did not ask, may not.
    let edited =
        p.bo.send(
            Method::PATCH,
            &format!("/needs/{id}"),
            Some(json!({"title": "How do we rotate TLS certificates?"})),
        )
        .await;
    edited.expect_status(StatusCode::OK);
    let e = edited.json();
    assert_eq!(e["title"], "How do we rotate TLS certificates?");
    assert_eq!(e["urgency"], "high");
    assert_eq!(e["questions"], n["questions"]);
    assert_eq!(e["groups"], n["groups"]);
    assert_eq!(
        e["events"]
            .as_array()
            .and_then(|a| a.last())
            .map(|l| &l["kind"]),
        Some(&json!("edited"))
    );
    expect_error(
        &p.cy
            .send(
                Method::PATCH,
                &format!("/needs/{id}"),
                Some(json!({"title": "Mine now"})),
            )
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    expect_error(
        &p.bo
            .send(
                Method::PATCH,
                &format!("/needs/{id}"),
                Some(json!({"title": "x"})),
            )
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    );
    assert_eq!(
        need(&p.bo, id).await["title"],
        "How do we rotate TLS certificates?"
    );

    // Cy follows and volunteers (once).
    let follow = format!("/needs/{id}/follow");
    assert_eq!(
        send(&p.cy, Method::POST, &follow, None).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(&p.cy, Method::POST, &follow, None).await,
        StatusCode::NO_CONTENT
    );
    let followed = need(&p.cy, id).await;
    assert_eq!(
        (&followed["i_follow"], &followed["followers"]),
        (&json!(true), &json!(3))
    );
    assert_eq!(
        send(&p.cy, Method::DELETE, &follow, None).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(need(&p.cy, id).await["i_follow"], false);
    let volunteer = format!("/needs/{id}/volunteer");
    assert_eq!(
        send(&p.cy, Method::POST, &volunteer, None).await,
        StatusCode::NO_CONTENT
    );
    expect_error(
        &p.cy.send(Method::POST, &volunteer, None).await,
        StatusCode::CONFLICT,
        "already_expert",
    );
    let v = need(&p.cy, id).await;
    assert_eq!(v["experts"][0]["name"], "Cy Peer");
    assert_eq!(v["experts"][0]["state"], "volunteer");
    assert!(v["experts"][0]["course_id"].is_null());
    assert_eq!(v["i_follow"], true, "volunteering follows");

    // Only a coach moves it. A learner is refused and nothing changes.
    let status = format!("/needs/{id}/status");
    expect_error(
        &p.bo
            .send(Method::POST, &status, Some(json!({"status": "exploring"})))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    assert_eq!(need(&p.bo, id).await["status"], "open");
    expect_error(
        &p.bo.get(&format!("/needs/{id}/experts")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let seen = need(&p.cora, id).await;
    assert_eq!(seen["can_manage"], true);
    assert_eq!(
        seen["next_statuses"],
        json!(["exploring", "in-progress", "answered", "closed", "declined"])
    );
    let moved = p
        .cora
        .send(Method::POST, &status, Some(json!({"status": "exploring"})))
        .await;
    moved.expect_status(StatusCode::OK);
    assert_eq!(moved.json()["status"], "exploring");
    let last = moved.json()["events"]
        .as_array()
        .and_then(|a| a.last().cloned());
    assert_eq!(
        last.as_ref().map(|l| &l["detail"]),
        Some(&json!("Open → Exploring."))
    );
    assert_eq!(
        last.as_ref().map(|l| &l["actor"]),
        Some(&json!("Cora Coach"))
    );
    assert_eq!(
        notification_kinds(&p.bo).await.first().map(String::as_str),
        Some("need")
    );
    for (body, code, status_code) in [
        // Answering needs a published course linked first: a state, not a bad body.
        (
            json!({"status": "answered"}),
            "no_course",
            StatusCode::CONFLICT,
        ),
        (
            json!({"status": "merged"}),
            "invalid_input",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"status": "declined"}),
            "invalid_input",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"status": "done"}),
            "invalid_input",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            json!({"status": "exploring"}),
            "bad_transition",
            StatusCode::CONFLICT,
        ),
    ] {
        expect_error(
            &p.cora.send(Method::POST, &status, Some(body)).await,
            status_code,
            code,
        );
    }
    expect_error(
        &p.cora
            .send(
                Method::POST,
                &format!("/needs/{id}/merge"),
                Some(json!({"into": id})),
            )
            .await,
        StatusCode::CONFLICT,
        "merge_into_itself",
    );
    assert_eq!(need(&p.bo, id).await["status"], "exploring");

    // Closed, it takes no votes and cannot jump back into progress; reopened, it does.
    let closed = p
        .cora
        .send(
            Method::POST,
            &status,
            Some(json!({"status": "closed", "reason": "The platform wiki covers it now."})),
        )
        .await;
    closed.expect_status(StatusCode::OK);
    assert_eq!(closed.json()["next_statuses"], json!(["open"]));
    expect_error(
        &p.cy.send(Method::POST, &vote, None).await,
        StatusCode::CONFLICT,
        "need_closed",
    );
    expect_error(
        &p.cora
            .send(
                Method::POST,
                &status,
                Some(json!({"status": "in-progress"})),
            )
            .await,
        StatusCode::CONFLICT,
        "bad_transition",
    );
    let after = need(&p.bo, id).await;
    assert_eq!(
        (&after["status"], &after["votes"]),
        (&json!("closed"), &json!(2))
    );
    assert_eq!(
        board(&p.cora, "").await["needs"],
        json!([]),
        "closed needs leave the board"
    );
    assert_eq!(ids(&board(&p.cora, "?status=closed").await["needs"]), [id]);
    let declined = p
        .cora
        .send(Method::POST, &status, Some(json!({"status": "open"})))
        .await;
    declined.expect_status(StatusCode::OK);
    let declined = p
        .cora
        .send(
            Method::POST,
            &status,
            Some(json!({"status": "declined", "reason": "Security owns certificates; ask them."})),
        )
        .await;
    declined.expect_status(StatusCode::OK);
    assert_eq!(
        declined.json()["decline_reason"],
        "Security owns certificates; ask them."
    );

    // Board filters are checked.
    for query in [
        "?status=bogus",
        "?sort=bogus",
        "?group=abc",
        "?all=maybe",
        "?colour=red",
    ] {
        expect_error(
            &p.cora.get(&format!("/needs{query}")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
        );
    }
    board(&p.cora, "?group=&topic=&status=&sort=").await;
    let security = board(
        &p.cora,
        &format!("?all=true&topic=security&group={}", p.eng),
    )
    .await;
    assert_eq!(ids(&security["needs"]), [id]);
    assert_eq!(security["topics"], json!(["Security"]));
    assert_eq!(
        board(&p.cora, "?all=true&topic=Sales").await["needs"],
        json!([])
    );
}

story!(merging_keeps_every_vote_once);
/// Two people asked the same; the coach merges them and nobody's vote is lost or doubled.
async fn merging_keeps_every_vote_once(t: TestApp) {
    let p = people(&t).await;
    let kept = ask(
        &p.bo,
        json!({"title": "How do we rotate certificates?", "questions": ["How often?"]}),
    )
    .await;
    let dup = ask(
        &p.ada,
        json!({"title": "Rotating TLS certificates", "questions": ["Who approves?"]}),
    )
    .await;
    // Cy votes for both; Cora only follows the duplicate.
    for id in [kept, dup] {
        assert_eq!(
            send(&p.cy, Method::POST, &format!("/needs/{id}/vote"), None).await,
            StatusCode::NO_CONTENT
        );
    }
    assert_eq!(
        send(&p.cora, Method::POST, &format!("/needs/{dup}/follow"), None).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(need(&p.bo, kept).await["votes"], 2);
    assert_eq!(need(&p.bo, dup).await["votes"], 2);

    let merge = format!("/needs/{dup}/merge");
    expect_error(
        &p.ada
            .send(Method::POST, &merge, Some(json!({"into": kept})))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    let merged = p
        .cora
        .send(Method::POST, &merge, Some(json!({"into": kept})))
        .await;
    merged.expect_status(StatusCode::OK);
    assert_eq!(
        merged.json(),
        json!({"votes_moved": 1, "votes_already_there": 1, "followers_moved": 2}),
        "Ada's vote moved and Cy's stands once; Ada and Cora follow it now (Cy already did)"
    );

    // Bo, Cy and Ada: three votes, Cy's counted once.
    let k = need(&p.bo, kept).await;
    assert_eq!(k["votes"], 3);
    assert_eq!(k["questions"], json!(["How often?", "Who approves?"]));
    assert_eq!(k["followers"], 4, "Bo, Cy, Ada and Cora");
    assert_eq!(need(&p.ada, kept).await["i_voted"], true);
    assert_eq!(need(&p.cora, kept).await["i_follow"], true);
    let d = need(&p.ada, dup).await;
    assert_eq!(d["status"], "merged");
    assert_eq!(d["merged_into"], kept);
    assert_eq!(d["next_statuses"], json!([]));
    assert_eq!(
        d["events"]
            .as_array()
            .and_then(|a| a.last())
            .map(|e| &e["kind"]),
        Some(&json!("merged"))
    );
    // The merged need refuses votes and a second merge; the board lists only the survivor.
    expect_error(
        &p.sam
            .send(Method::POST, &format!("/needs/{dup}/vote"), None)
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let late = p
        .cora
        .send(Method::POST, &format!("/needs/{dup}/vote"), None)
        .await;
    expect_error(&late, StatusCode::CONFLICT, "need_closed");
    assert!(
        late.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains(&kept.to_string()))
    );
    expect_error(
        &p.cora
            .send(Method::POST, &merge, Some(json!({"into": kept})))
            .await,
        StatusCode::CONFLICT,
        "need_closed",
    );
    assert_eq!(need(&p.bo, kept).await["votes"], 3);
    assert_eq!(ids(&board(&p.cora, "?all=true").await["needs"]), [kept]);
    let similar =
        p.bo.get("/needs/similar?q=rotating%20certificates")
            .await
            .json();
    assert_eq!(ids(&similar["needs"]), [kept]);
    // Ada heard where her need went.
    assert_eq!(
        notification_kinds(&p.ada).await.first().map(String::as_str),
        Some("need")
    );
}

story!(the_board_ranks_needs_by_demand);
/// More votes and more urgency rank higher; old votes count less than fresh ones.
async fn the_board_ranks_needs_by_demand(t: TestApp) {
    let p = people(&t).await;
    let postmortems = ask(&p.bo, json!({"title": "Writing blameless postmortems"})).await;
    t.clock.advance(time::Duration::hours(1));
    let kubernetes = ask(
        &p.ada,
        json!({"title": "Kubernetes for beginners", "urgency": "critical", "topic": "Platform"}),
    )
    .await;
    t.clock.advance(time::Duration::hours(1));
    let flames = ask(
        &p.cy,
        json!({"title": "Reading flame graphs", "topic": "Platform"}),
    )
    .await;
    assert_eq!(
        send(&p.ada, Method::POST, &format!("/needs/{flames}/vote"), None).await,
        StatusCode::NO_CONTENT
    );

    // Critical with one vote (3 × 33), normal with two (2 × 33), normal with one (33).
    let b = board(&p.cora, "").await;
    assert_eq!(ids(&b["needs"]), [kubernetes, flames, postmortems]);
    let demand: Vec<i64> = b["needs"]
        .as_array()
        .expect("needs")
        .iter()
        .filter_map(|n| n["demand"].as_i64())
        .collect();
    assert_eq!(demand, [100, 66, 33]);
    assert_eq!(
        ids(&board(&p.cora, "?sort=newest").await["needs"]),
        [flames, kubernetes, postmortems]
    );
    assert_eq!(
        ids(&board(&p.cora, "?sort=oldest").await["needs"]),
        [postmortems, kubernetes, flames]
    );
    assert_eq!(
        ids(&board(&p.cora, "?topic=platform").await["needs"]),
        [kubernetes, flames]
    );
    assert_eq!(b["topics"], json!(["Platform"]));

    // Ninety days on, every vote counts half; a fresh need with one vote outranks the old one.
    t.clock.advance(time::Duration::days(90));
    let fresh = ask(&p.bo, json!({"title": "Writing good incident timelines"})).await;
    let b = board(&p.cora, "").await;
    let order = ids(&b["needs"]);
    let of = |id: i64| {
        b["needs"]
            .as_array()
            .and_then(|a| a.iter().find(|n| n["id"] == id))
            .cloned()
            .expect("on the board")
    };
    assert_eq!(
        [kubernetes, flames, fresh, postmortems].map(|id| of(id)["demand"].as_i64()),
        [Some(50), Some(33), Some(33), Some(17)]
    );
    assert_eq!(order.first(), Some(&kubernetes));
    let at = |id: i64| order.iter().position(|n| *n == id);
    assert!(at(fresh) < at(postmortems), "{order:?}");
    assert_eq!(of(kubernetes)["age_days"], 90);
    assert_eq!(of(fresh)["age_days"], 0);
}

story!(an_expert_answers_a_need_with_a_course);
/// Cora assigns Ada, who wrote the on-call runbook; her draft has the need's questions as
/// steps; publishing it answers the need, tells its followers and shows the lead time.
async fn an_expert_answers_a_need_with_a_course(t: TestApp) {
    let p = people(&t).await;
    let ada_browser = t.signed_in("ada@acme.test").await;
    crate::courses::write_runbook(&ada_browser).await;
    let id = ask(
        &p.bo,
        json!({
            "title": "Handling pager alerts at night",
            "problem": "New people on call panic when the pager fires.",
            "questions": ["What do I do in the first five minutes?", "When do I wake someone up?"],
        }),
    )
    .await;
    let other = ask(&p.cy, json!({"title": "Estimating project timelines"})).await;
    assert_eq!(
        send(&p.cy, Method::POST, &format!("/needs/{id}/follow"), None).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(&p.cy, Method::POST, &format!("/needs/{id}/volunteer"), None).await,
        StatusCode::NO_CONTENT
    );

    // Ada wrote a healthy course on it; Cy volunteered.
    let experts = p.cora.get(&format!("/needs/{id}/experts")).await;
    experts.expect_status(StatusCode::OK);
    let list = experts.json()["experts"].clone();
    let ada = list
        .as_array()
        .expect("experts")
        .iter()
        .find(|e| e["name"] == "Ada Author")
        .cloned()
        .expect("Ada is suggested");
    assert_eq!(ada["email"], "ada@acme.test");
    assert!(ada["score"].as_u64().is_some_and(|s| s >= 3));
    assert!(
        ada["reasons"][0]
            .as_str()
            .is_some_and(|r| r.contains("On-call runbook"))
    );
    assert_eq!(
        (&ada["volunteered"], &ada["assigned"]),
        (&json!(false), &json!(false))
    );
    let cy = list
        .as_array()
        .expect("experts")
        .iter()
        .find(|e| e["name"] == "Cy Peer")
        .cloned()
        .expect("Cy volunteered");
    assert_eq!(cy["volunteered"], true);
    assert_eq!(cy["reasons"], json!(["Volunteered"]));
    let ada_id = ada["user_id"].as_i64().expect("id");

    // Assigning her makes a draft course with the questions as steps, and tells her.
    let assign = format!("/needs/{id}/experts");
    expect_error(
        &p.bo
            .send(Method::POST, &assign, Some(json!({"user_id": ada_id})))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    );
    expect_error(
        &p.cora
            .send(Method::POST, &assign, Some(json!({"user_id": 999_999})))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    let assigned = p
        .cora
        .send(Method::POST, &assign, Some(json!({"user_id": ada_id})))
        .await;
    assigned.expect_status(StatusCode::CREATED);
    let course = assigned.json()["course_id"].as_i64().expect("course id");
    expect_error(
        &p.cora
            .send(Method::POST, &assign, Some(json!({"user_id": ada_id})))
            .await,
        StatusCode::CONFLICT,
        "already_expert",
    );
    let ada_caller = t.caller("ada@acme.test").await;
    let draft = t.app.draft(&ada_caller, course).await.expect("Ada's draft");
    assert_eq!(draft.version.title, "Handling pager alerts at night");
    let steps: Vec<&str> = draft.steps.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        steps,
        [
            "Why this course",
            "What do I do in the first five minutes?",
            "When do I wake someone up?"
        ]
    );
    assert!(draft.steps[0].body.contains("New people on call panic"));
    let told = p.ada.get("/notifications").await.json();
    assert_eq!(told["items"][0]["kind"], "expert-request");
    assert_eq!(told["items"][0]["link"], format!("/courses/{course}/edit"));
    // The draft shows to the coach, not yet to learners.
    assert_eq!(need(&p.bo, id).await["courses"], json!([]));
    let n = need(&p.cora, id).await;
    assert_eq!(n["status"], "in-progress");
    assert_eq!(
        n["experts"],
        json!([
            {"user_id": cy["user_id"], "name": "Cy Peer", "state": "volunteer", "course_id": null},
            {"user_id": ada_id, "name": "Ada Author", "state": "assigned", "course_id": course},
        ])
    );
    assert_eq!(
        n["courses"],
        json!([{"course_id": course, "title": "Handling pager alerts at night", "published": false}])
    );
    expect_error(
        &p.cora
            .send(
                Method::POST,
                &format!("/needs/{id}/courses"),
                Some(json!({"course_id": course})),
            )
            .await,
        StatusCode::CONFLICT,
        "already_linked",
    );
    let lead = board(&p.cora, "").await["lead_times"].clone();
    assert_eq!(lead[0]["group_id"], p.eng);
    assert_eq!(lead[0]["group"], "Acme/Engineering");
    assert_eq!(
        (&lead[0]["answered"], &lead[0]["needs"]),
        (&json!(0), &json!(2))
    );
    assert!(lead[0]["median_days"].is_null());

    // Twelve days later Ada publishes: the need is answered and its followers hear of it.
    t.clock.advance(time::Duration::days(12));
    t.app
        .publish(&ada_caller, course, "First version.")
        .await
        .expect("publish");
    let n = need(&p.bo, id).await;
    assert_eq!(n["status"], "answered");
    assert_eq!(n["courses"][0]["published"], true);
    let last = n["events"]
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .expect("events");
    assert_eq!(last["kind"], "answered");
    assert_eq!(
        last["detail"],
        "Answered by the course “Handling pager alerts at night”."
    );
    for follower in [&p.bo, &p.cy] {
        let items = follower.get("/notifications").await.json()["items"].clone();
        assert_eq!(items[0]["kind"], "need");
        assert!(
            items[0]["title"]
                .as_str()
                .is_some_and(|t| t.contains("Answered by the course"))
        );
        assert_eq!(items[0]["link"], format!("/needs/{id}"));
    }
    expect_error(
        &p.cy
            .send(Method::POST, &format!("/needs/{id}/vote"), None)
            .await,
        StatusCode::CONFLICT,
        "need_closed",
    );
    assert_eq!(ids(&board(&p.cora, "").await["needs"]), [other]);
    assert_eq!(
        ids(&board(&p.cora, "?status=answered").await["needs"]),
        [id]
    );
    let lead = board(&p.cora, "").await["lead_times"].clone();
    assert_eq!(
        (&lead[0]["answered"], &lead[0]["needs"]),
        (&json!(1), &json!(2))
    );
    assert_eq!(lead[0]["median_days"], 12.0);

    // The published course is there for learners, and a closed need refuses links.
    p.bo.get(&format!("/courses/{course}"))
        .await
        .expect_status(StatusCode::OK);
    let status = format!("/needs/{other}/status");
    p.cora
        .send(Method::POST, &status, Some(json!({"status": "closed"})))
        .await
        .expect_status(StatusCode::OK);
    expect_error(
        &p.cora
            .send(
                Method::POST,
                &format!("/needs/{other}/courses"),
                Some(json!({"course_id": course})),
            )
            .await,
        StatusCode::CONFLICT,
        "need_closed",
    );
}

story!(the_document_lists_the_needs_api);
/// Every needs endpoint is documented, its refusals with the error body.
async fn the_document_lists_the_needs_api(t: TestApp) {
    let doc = t.browser().get("/api/v1/openapi.json").await.json();
    // The operation list itself is checked by the API's unit test; here, that each needs
    // operation documents its refusals with the error body clients parse.
    let paths = doc["paths"].as_object().expect("paths");
    let mut operations = 0;
    for (path, methods) in paths.iter().filter(|(p, _)| p.starts_with("/api/v1/needs")) {
        for (method, op) in methods.as_object().expect("methods") {
            operations += 1;
            let errors: Vec<&String> = op["responses"]
                .as_object()
                .expect("responses")
                .keys()
                .filter(|code| code.starts_with('4'))
                .collect();
            assert!(!errors.is_empty(), "{method} {path} documents its refusals");
            for code in errors {
                assert_eq!(
                    op["responses"][code]["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{method} {path} {code}"
                );
            }
        }
    }
    assert_eq!(operations, 15);
    let vote = &doc["paths"]["/api/v1/needs/{id}/vote"]["post"]["responses"]["409"];
    assert_eq!(
        vote["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorBody"
    );
    assert!(doc["components"]["schemas"]["Need"].is_object());
    assert!(doc["components"]["schemas"]["NeedSummary"].is_object());
}

story!(audience_sizes_follow_every_change_of_who_belongs);
/// A need's audience (people in its groups and below) is counted once and then kept between
/// requests; every change of who belongs shows at once: a member added, a person deactivated,
/// a new group below with its own member, a group renamed, a group removed.
async fn audience_sizes_follow_every_change_of_who_belongs(t: TestApp) {
    let p = people(&t).await;
    let id = ask(
        &p.bo,
        json!({"title": "Load balancing basics", "problem": "Nobody knows how our balancers work.",
               "audiences": [p.eng]}),
    )
    .await;
    async fn audience(api: &Api, id: i64) -> Option<i64> {
        need(api, id).await["audience"].as_i64()
    }
    assert_eq!(audience(&p.ada, id).await, Some(4), "Ada, Bo, Cy and Cora");
    // Asked twice: the second answer comes from what was kept, and is the same.
    assert_eq!(audience(&p.cy, id).await, Some(4));

    let dee = t.person("dee@acme.test", "Dee New", false).await;
    t.member(dee, p.eng, "learner").await;
    assert_eq!(
        audience(&p.ada, id).await,
        Some(5),
        "Dee joined Engineering"
    );
    let on_board = board(&p.ada, "").await;
    let line = on_board["needs"]
        .as_array()
        .and_then(|l| l.iter().find(|n| n["id"] == id))
        .cloned()
        .unwrap_or_default();
    assert_eq!(line["audience"], 5, "the board counts Dee too");

    lore_app::people::operator::set_active(&t.app, "dee@acme.test", false)
        .await
        .expect("deactivate");
    assert_eq!(audience(&p.ada, id).await, Some(4), "Dee was deactivated");

    let platform = lore_app::people::operator::create_group(&t.app, Some(p.eng), "Platform")
        .await
        .expect("group");
    let eve = t.person("eve@acme.test", "Eve Platform", false).await;
    t.member(eve, platform, "learner").await;
    assert_eq!(
        audience(&p.ada, id).await,
        Some(5),
        "Eve is in a group below Engineering"
    );

    // The group tree is kept between requests too: a new name shows at once.
    assert_eq!(
        need(&p.ada, id).await["groups"][0]["name"],
        "Acme/Engineering"
    );
    t.app
        .store()
        .rename_group(p.eng, "Product Engineering")
        .await
        .expect("rename");
    assert_eq!(
        need(&p.ada, id).await["groups"][0]["name"],
        "Acme/Product Engineering"
    );

    t.app
        .store()
        .delete_group(platform)
        .await
        .expect("remove the group");
    assert_eq!(audience(&p.ada, id).await, Some(4), "Platform is gone");
}
