//! Hostile input that once got through: redirects off the site after sign-in, header
//! injection in `next`, page numbers that overflowed, tokens that outlived a deactivation.

use reqwest::{Method, StatusCode};

use crate::story;
use crate::support::{PASSWORD, Page, TestApp};

/// `next` values a browser would follow to another site, or that cannot be a header.
const HOSTILE_NEXT: &[&str] = &[
    "/\t/evil.example/",
    "/\\evil.example",
    "/\\/evil.example",
    "//evil.example",
    "/\n/evil",
    "/\r\n/evil.example",
    "/%0a/evil",
    "https://evil.example",
    "\t//evil",
    " //evil.example",
    "/\0/evil",
    "/\x7f/evil",
    "/ok\r\nSet-Cookie: planted=1",
];

/// Percent-encode every byte but letters and digits, for a query string.
fn encoded(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Whether a browser, reading `url` as it does (tab, CR and LF dropped, `\` taken for `/`),
/// stays on this site; and `url` holds nothing that needs such reading.
fn on_this_site(url: &str) -> bool {
    let as_followed: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    as_followed.starts_with('/')
        && !as_followed.starts_with("//")
        && !url.chars().any(|c| c == '\\' || c.is_control())
}

/// A redirect that keeps the browser on this site, and plants no cookie.
#[track_caller]
fn assert_stays_on_site(r: &Page, next: &str) {
    assert_eq!(r.status, StatusCode::SEE_OTHER, "next={next:?}: {}", r.body);
    let location = r.location();
    assert!(
        on_this_site(&location),
        "next={next:?} sent the browser to {location:?}"
    );
    assert!(
        r.headers
            .get_all(reqwest::header::SET_COOKIE)
            .iter()
            .all(|v| !v.to_str().unwrap_or("").contains("planted")),
        "next={next:?} planted a cookie"
    );
}

/// After signing in, `next` leads only to a path on this site, whatever a link puts there.
async fn sign_in_never_sends_people_to_another_site(t: TestApp) {
    t.person("ann@acme.test", "Ann Lee", false).await;

    // The form posted from the sign-in page.
    for next in HOSTILE_NEXT {
        let anon = t.browser();
        let form = anon.get(&format!("/sign-in?next={}", encoded(next))).await;
        form.expect_status(StatusCode::OK);
        let kept = form
            .body
            .split("name=\"next\" value=\"")
            .nth(1)
            .unwrap_or("");
        let kept = &kept[..kept.find('"').unwrap_or(0)];
        assert!(on_this_site(kept), "next={next:?} kept as {kept:?}");
        let r = anon
            .post(
                "/sign-in",
                &[
                    ("email", "ann@acme.test"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_stays_on_site(&r, next);
    }

    // The sign-in page visited while already signed in redirects at once.
    let ann = t.signed_in("ann@acme.test").await;
    for next in HOSTILE_NEXT {
        let r = ann.get(&format!("/sign-in?next={}", encoded(next))).await;
        assert_stays_on_site(&r, next);
    }
    // The very links from the report, as written.
    for query in [
        "next=%2F%09%2Fevil.example%2F",
        "next=/%0a/evil",
        "next=%5C%09//evil",
    ] {
        let r = ann.get(&format!("/sign-in?{query}")).await;
        assert_stays_on_site(&r, query);
    }

    // A path on this site is kept, query string and all.
    let good = "/courses/1?x=2";
    let r = ann.get(&format!("/sign-in?next={}", encoded(good))).await;
    assert_eq!(r.location(), good);
    let anon = t.browser();
    anon.get(&format!("/sign-in?next={}", encoded(good)))
        .await
        .expect_contains("value=\"/courses/1?x=2\"");
    let r = anon
        .post(
            "/sign-in",
            &[
                ("email", "ann@acme.test"),
                ("password", PASSWORD),
                ("next", good),
            ],
        )
        .await;
    r.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(r.location(), good);
}
story!(sign_in_never_sends_people_to_another_site);

/// CR, LF, NUL or DEL in `next` once made the signed-in answer a 500 (the session cookie
/// already set); now it is a normal redirect and the session works.
async fn control_characters_in_next_still_sign_in(t: TestApp) {
    t.person("ann@acme.test", "Ann Lee", false).await;
    for next in [
        "/\r",
        "/\n",
        "/account\r\n",
        "/\0",
        "/\x7f",
        "/a\r\nLocation: //evil",
    ] {
        let b = t.browser();
        b.get("/sign-in").await.expect_status(StatusCode::OK);
        let r = b
            .post(
                "/sign-in",
                &[
                    ("email", "ann@acme.test"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_stays_on_site(&r, next);
        b.get("/account")
            .await
            .expect_status(StatusCode::OK)
            .expect_contains("Ann Lee");
    }
    // What a browser makes of stray line breaks is the same path without them.
    let b = t.browser();
    b.get("/sign-in").await;
    let r = b
        .post(
            "/sign-in",
            &[
                ("email", "ann@acme.test"),
                ("password", PASSWORD),
                ("next", "/acc\r\nount"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/account");
}
story!(control_characters_in_next_still_sign_in);

/// A page number far past the end is an empty page, not a crash; nonsense is refused.
async fn huge_page_numbers_are_an_empty_page(t: TestApp) {
    t.person("admin@acme.test", "Avery Admin", true).await;
    t.person("ann@acme.test", "Ann Lee", false).await;
    let admin = t.signed_in("admin@acme.test").await;
    admin.get("/account").await.expect_status(StatusCode::OK);
    let token = admin
        .post("/account/tokens", &[("name", "directory")])
        .await
        .expect_status(StatusCode::OK)
        .testid("new-token");
    let api = t.api(&token);

    let first = api.get("/users?page=1").await;
    first.expect_status(StatusCode::OK);
    assert_eq!(first.json()["people"].as_array().map(Vec::len), Some(2));

    let huge = [
        "2",
        "1000000000000000000",
        "368934881474191033", // × 50 is just past u64::MAX
        "9223372036854775807",
        "18446744073709551615",
    ];
    for page in huge {
        let r = api.get(&format!("/users?page={page}")).await;
        r.expect_status(StatusCode::OK);
        let body = r.json();
        assert_eq!(body["people"], serde_json::json!([]), "page {page}");
        assert_eq!(body["total"], 2, "page {page}");
        assert_eq!(body["page"].to_string(), page);
        let r = api.get(&format!("/users?page={page}&q=ann")).await;
        r.expect_status(StatusCode::OK);
        assert_eq!(r.json()["total"], 1, "page {page}");

        admin
            .get(&format!("/people?page={page}"))
            .await
            .expect_status(StatusCode::OK)
            .expect_contains("<h1>People</h1>")
            .expect_contains("2 people");
    }

    for page in ["0", "18446744073709551616", "-1", "x"] {
        let r = api.get(&format!("/users?page={page}")).await;
        r.expect_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["code"], "invalid_input", "page {page}");
        // A person who edits the address gets the first page, not a bare error.
        admin
            .get(&format!("/people?page={page}"))
            .await
            .expect_status(StatusCode::OK)
            .expect_contains("<h1>People</h1>");
    }
}
story!(huge_page_numbers_are_an_empty_page);

/// Deactivation revokes a person's API tokens for good: reactivating them lets them sign in
/// and make new tokens, but revives none of the old ones.
async fn deactivation_revokes_tokens_for_good(t: TestApp) {
    t.person("admin@acme.test", "Avery Admin", true).await;
    let admin = t.signed_in("admin@acme.test").await;
    admin.get("/account").await;
    let admin_token = admin
        .post("/account/tokens", &[("name", "admin script")])
        .await
        .expect_status(StatusCode::OK)
        .testid("new-token");
    let admin_api = t.api(&admin_token);

    // The admin makes a learner, who makes a token that works.
    let made = admin_api
        .send(
            Method::POST,
            "/users",
            Some(serde_json::json!({"email": "lee@acme.test", "name": "Lee Park"})),
        )
        .await;
    made.expect_status(StatusCode::CREATED);
    let lee_id = made.json()["user_id"].as_i64().expect("user id");
    let invite = made.json()["invite_url"]
        .as_str()
        .expect("invite url")
        .to_owned();
    let welcome = invite.trim_start_matches(&t.base);
    let lee = t.browser();
    lee.get(welcome).await.expect_status(StatusCode::OK);
    lee.post(welcome, &[("password", PASSWORD)])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    lee.get("/account").await.expect_status(StatusCode::OK);
    let old = lee
        .post("/account/tokens", &[("name", "my script")])
        .await
        .expect_status(StatusCode::OK)
        .testid("new-token");
    t.api(&old).get("/me").await.expect_status(StatusCode::OK);

    // Deactivated through the API: the token is refused.
    admin_api
        .send(Method::POST, &format!("/users/{lee_id}/deactivate"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    let refused = t.api(&old).get("/me").await;
    refused.expect_status(StatusCode::UNAUTHORIZED);
    assert_eq!(refused.json()["error"]["code"], "unauthenticated");

    // Reactivated through the page: still refused.
    admin.get(&format!("/people/{lee_id}")).await;
    admin
        .post(&format!("/people/{lee_id}/reactivate"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    t.api(&old)
        .get("/me")
        .await
        .expect_status(StatusCode::UNAUTHORIZED);

    // Lee signs in again and makes a new token, which works; the old one shows as revoked.
    let lee = t.signed_in("lee@acme.test").await;
    lee.get("/account").await.expect_status(StatusCode::OK);
    let new = lee
        .post("/account/tokens", &[("name", "my script again")])
        .await
        .expect_status(StatusCode::OK)
        .testid("new-token");
    let lee_api = t.api(&new);
    lee_api.get("/me").await.expect_status(StatusCode::OK);
    t.api(&old)
        .get("/me")
        .await
        .expect_status(StatusCode::UNAUTHORIZED);
    let tokens = lee_api.get("/tokens").await;
    tokens.expect_status(StatusCode::OK);
    let list = tokens.json();
    let revoked: Vec<bool> = list
        .as_array()
        .expect("a list of tokens")
        .iter()
        .map(|t| !t["revoked_at"].is_null())
        .collect();
    assert_eq!(revoked, [false, true], "newest first: {list}");

    // The command line (`lore users deactivate/reactivate`) does the same.
    lore_app::people::operator::set_active(&t.app, "lee@acme.test", false)
        .await
        .expect("deactivate");
    lee_api
        .get("/me")
        .await
        .expect_status(StatusCode::UNAUTHORIZED);
    lore_app::people::operator::set_active(&t.app, "lee@acme.test", true)
        .await
        .expect("reactivate");
    lee_api
        .get("/me")
        .await
        .expect_status(StatusCode::UNAUTHORIZED);

    // A token left live on a deactivated person (deactivated before this fix, or made by a
    // request that raced the deactivation) does not come back with them either.
    admin_api
        .send(Method::POST, &format!("/users/{lee_id}/deactivate"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    let stray = format!("{}{}", lore_app::tokens::TOKEN_PREFIX, "stray0123456789");
    t.app
        .store()
        .insert_token(
            lee_id,
            "left over",
            lore_app::secrets::sha256_hex(&stray),
            stray[..11].to_owned(),
            t.app.now(),
        )
        .await
        .expect("insert a token");
    t.api(&stray)
        .get("/me")
        .await
        .expect_status(StatusCode::UNAUTHORIZED);
    admin_api
        .send(Method::POST, &format!("/users/{lee_id}/reactivate"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    t.api(&stray)
        .get("/me")
        .await
        .expect_status(StatusCode::UNAUTHORIZED);
    // Reactivating someone already active revokes nothing.
    let lee = t.signed_in("lee@acme.test").await;
    lee.get("/account").await;
    let live = lee
        .post("/account/tokens", &[("name", "live")])
        .await
        .expect_status(StatusCode::OK)
        .testid("new-token");
    admin_api
        .send(Method::POST, &format!("/users/{lee_id}/reactivate"), None)
        .await
        .expect_status(StatusCode::NO_CONTENT);
    t.api(&live).get("/me").await.expect_status(StatusCode::OK);
}
story!(deactivation_revokes_tokens_for_good);

/// The step-completion form carries numbers from the browser: values chosen to overflow
/// complete the step as usual (no time counted, the next step or the course page next).
async fn overflowing_numbers_in_the_player_complete_the_step(t: TestApp) {
    crate::courses::team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = crate::courses::write_runbook(&ada).await;
    let bo = t.signed_in("bo@acme.test").await;
    bo.start_course(id).await;
    let player = bo.get(&format!("/courses/{id}/learn/1")).await;
    let key = crate::feedback::step_key(&player.body, id);
    let done = bo
        .post(
            &format!("/courses/{id}/steps/{key}/complete"),
            &[
                ("opened_at", &i64::MIN.to_string()),
                ("position", &usize::MAX.to_string()),
            ],
        )
        .await;
    done.expect_status(StatusCode::SEE_OTHER);
    bo.get(&format!("/courses/{id}"))
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("33% done");
}
story!(overflowing_numbers_in_the_player_complete_the_step);
