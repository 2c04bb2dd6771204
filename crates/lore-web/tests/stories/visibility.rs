//! Lists filter in SQL: what each person sees in the catalogue and on the needs board is
//! exactly what the permission policy allows them, and long lists come in pages.

use lore_app::courses::catalogue::CatalogueQuery;
use lore_domain::policy::Action;
use reqwest::StatusCode;

use crate::courses::{team, write_runbook};
use crate::story;
use crate::support::TestApp;

/// Every person of the demo, as callers.
async fn everyone(t: &TestApp) -> Vec<lore_app::Caller> {
    let mut out = Vec::new();
    let admin = t.caller(&format!("admin@{}", lore_app::demo::DOMAIN)).await;
    let mut page = 0;
    loop {
        let (people, total) = t.app.people(&admin, None, page).await.expect("people");
        for p in people.iter().filter(|p| p.active) {
            out.push(t.caller(&p.email).await);
        }
        page += 1;
        if page * lore_app::people::PAGE_SIZE >= total {
            break;
        }
    }
    out
}

/// For every person of the demo, the catalogue (every page of it) lists exactly the published
/// courses the policy lets them take, and the needs board exactly the needs it lets them see.
async fn lists_show_what_the_policy_allows_to_every_demo_person(t: TestApp) {
    lore_app::demo::seed(&t.app).await.expect("seed");
    let courses = t.app.store().courses(false).await.expect("courses");
    let needs = t.app.store().all_needs().await.expect("needs");
    let people = everyone(&t).await;
    assert!(people.len() >= 30);
    let mut differs_between_people = false;
    let mut first: Option<Vec<i64>> = None;
    for caller in &people {
        let mut listed = Vec::new();
        let mut page = 1;
        loop {
            let found = t
                .app
                .catalogue(caller, &CatalogueQuery::default(), page, 5)
                .await
                .expect("catalogue");
            listed.extend(found.entries.iter().map(|e| e.course_id));
            if page >= found.pages() {
                assert_eq!(listed.len() as u64, found.total, "{}", caller.email);
                break;
            }
            page += 1;
        }
        listed.sort_unstable();
        let mut allowed = Vec::new();
        for c in courses.iter().filter(|c| c.latest_version.is_some()) {
            if t.app
                .course_for(caller, c.id, Action::TakeCourse)
                .await
                .is_ok()
            {
                allowed.push(c.id);
            }
        }
        allowed.sort_unstable();
        assert_eq!(listed, allowed, "catalogue of {}", caller.email);

        let mut board = Vec::new();
        let mut page = 1;
        loop {
            let found = t
                .app
                .needs_board(
                    caller,
                    &lore_app::needs::BoardQuery {
                        all: true,
                        page,
                        per_page: 4,
                        ..Default::default()
                    },
                )
                .await
                .expect("board");
            board.extend(found.needs.iter().map(|n| n.id));
            if page >= found.pages() {
                assert_eq!(board.len() as u64, found.total, "{}", caller.email);
                break;
            }
            page += 1;
        }
        board.sort_unstable();
        let mut may_see = Vec::new();
        for n in needs
            .iter()
            .filter(|n| n.status != lore_domain::need::NeedStatus::Merged)
        {
            if t.app.need_view(caller, n.id).await.is_ok() {
                may_see.push(n.id);
            }
        }
        may_see.sort_unstable();
        assert_eq!(board, may_see, "needs board of {}", caller.email);
        match &first {
            None => first = Some(listed),
            Some(f) => differs_between_people |= *f != listed,
        }
    }
    assert!(
        differs_between_people,
        "the demo gives people different catalogues"
    );
}
story!(lists_show_what_the_policy_allows_to_every_demo_person);

/// Thirty courses make two pages of the catalogue, on the page and in the API, and the page
/// links keep the filters.
async fn the_catalogue_comes_in_pages(t: TestApp) {
    team(&t).await;
    let ada_caller = t.caller("ada@acme.test").await;
    let ada = t.signed_in("ada@acme.test").await;
    write_runbook(&ada).await;
    for i in 0..29 {
        t.published_course(&ada_caller, &format!("Checklist number {i}"))
            .await;
    }
    let bo = t.signed_in("bo@acme.test").await;
    let first = bo.get("/courses").await;
    first
        .expect_status(StatusCode::OK)
        .expect_contains("30 courses · page 1 of 2")
        // Most recently changed first: the last checklist opens the list.
        .expect_contains("Checklist number 28")
        .expect_lacks("On-call runbook");
    let second = bo.get("/courses?page=2").await;
    second
        .expect_contains("page 2 of 2")
        .expect_contains("On-call runbook")
        .expect_contains("← Previous");
    // Filters stay on the page links (askama writes `&` as `&#38;`).
    bo.get("/courses?q=checklist")
        .await
        .expect_contains("29 courses · page 1 of 2")
        .expect_contains("href=\"/courses?q=checklist&#38;page=2\"");
    // A page that is not a number shows the first; one past the end says so.
    bo.get("/courses?page=abc")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("page 1 of 2");
    bo.get("/courses?page=99")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("No more courses");

    let token = {
        bo.get("/account").await;
        bo.post("/account/tokens", &[("name", "pages")])
            .await
            .testid("new-token")
    };
    let api = t.api(&token);
    let page = api.get("/courses?page=3&page_size=12").await.json();
    assert_eq!(page["total"], 30);
    assert_eq!(page["page_size"], 12);
    assert_eq!(page["courses"].as_array().map(Vec::len), Some(6));
    let mut all = Vec::new();
    for n in 1..=3 {
        let p = api
            .get(&format!("/courses?page={n}&page_size=12"))
            .await
            .json();
        for c in p["courses"].as_array().expect("courses") {
            all.push(c["id"].as_i64().expect("id"));
        }
    }
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 30, "every course once across the pages");
    for bad in ["page=0", "page_size=0", "page_size=201"] {
        let refused = api.get(&format!("/courses?{bad}")).await;
        refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.json()["error"]["code"], "invalid_input", "{bad}");
    }
}
story!(the_catalogue_comes_in_pages);

/// A group of sixty comes in pages of fifty, on the group's page and in the API.
async fn a_large_group_lists_its_members_in_pages(t: TestApp) {
    let acme = t.group(None, "Acme").await;
    let admin = t.person("gina@acme.test", "Aaron Admin", false).await;
    t.member(admin, acme, "admin").await;
    for i in 0..59 {
        let id = t
            .person(
                &format!("p{i:02}@acme.test"),
                &format!("Person {i:02}"),
                false,
            )
            .await;
        t.member(id, acme, "learner").await;
    }
    let gina = t.signed_in("gina@acme.test").await;
    let first = gina.get(&format!("/groups/{acme}")).await;
    first
        .expect_status(StatusCode::OK)
        .expect_contains("Page 1 of 2")
        .expect_contains("<td>gina@acme.test</td>")
        .expect_contains("Person 48")
        .expect_lacks("Person 49");
    gina.get(&format!("/groups/{acme}?page=2"))
        .await
        .expect_contains("Page 2 of 2")
        .expect_contains("Person 49")
        .expect_contains("Person 58")
        .expect_lacks("<td>gina@acme.test</td>");
    gina.get(&format!("/groups/{acme}?page=abc"))
        .await
        .expect_contains("Page 1 of 2");

    let token = {
        gina.get("/account").await;
        gina.post("/account/tokens", &[("name", "members")])
            .await
            .testid("new-token")
    };
    let api = t.api(&token);
    let page = api
        .get(&format!("/groups/{acme}/members?page=2"))
        .await
        .json();
    assert_eq!(page["total"], 60);
    assert_eq!(page["page"], 2);
    assert_eq!(page["members"].as_array().map(Vec::len), Some(10));
    assert_eq!(page["members"][9]["name"], "Person 58");
    let refused = api.get(&format!("/groups/{acme}/members?page=0")).await;
    refused.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["code"], "invalid_input");
}
story!(a_large_group_lists_its_members_in_pages);
