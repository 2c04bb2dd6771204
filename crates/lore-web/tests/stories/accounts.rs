//! Invitations, sign-in, sessions, deactivation, passwords.

use reqwest::StatusCode;

use crate::story;
use crate::support::{PASSWORD, TestApp};

/// An admin invites a person into a group; they set a password, sign in and see their group.
async fn invite_set_password_sign_in_see_groups(t: TestApp) {
    t.person("admin@acme.test", "Avery Admin", true).await;
    let admin = t.signed_in("admin@acme.test").await;

    admin.get("/groups").await.expect_status(StatusCode::OK);
    let created = admin.post("/groups", &[("name", "Acme")]).await;
    created.expect_status(StatusCode::SEE_OTHER);
    let acme_url = created
        .location()
        .split('?')
        .next()
        .unwrap_or("")
        .to_owned();
    let acme_id = acme_url.trim_start_matches("/groups/").to_owned();
    admin.get(&acme_url).await.expect_status(StatusCode::OK);
    let eng = admin
        .post(
            "/groups",
            &[("name", "Engineering"), ("parent_id", &acme_id)],
        )
        .await;
    eng.expect_status(StatusCode::SEE_OTHER);
    let eng_id = eng
        .location()
        .split('?')
        .next()
        .unwrap_or("")
        .trim_start_matches("/groups/")
        .to_owned();

    admin
        .get("/people/invite")
        .await
        .expect_status(StatusCode::OK);
    let invited = admin
        .post(
            "/people/invite",
            &[
                ("email", "Ada@Acme.test"),
                ("name", "Ada Lovelace"),
                ("group_id", &eng_id),
                ("role", "author"),
            ],
        )
        .await;
    invited
        .expect_status(StatusCode::OK)
        .expect_contains("Ada Lovelace is invited");
    let link = invited.testid("invite-link");
    let path = link
        .strip_prefix(&t.base)
        .expect("link points at this server")
        .to_owned();

    // Before setting a password the account cannot sign in.
    let ada = t.browser();
    ada.sign_in("ada@acme.test", PASSWORD)
        .await
        .expect_status(StatusCode::UNAUTHORIZED);

    ada.get(&path)
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Welcome to Lore, Ada Lovelace");
    // Too short: refused, explained, nothing changes, the link still works.
    ada.post(&path, &[("password", "short")])
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("at least 10 characters");
    let welcomed = ada.post(&path, &[("password", PASSWORD)]).await;
    welcomed.expect_status(StatusCode::SEE_OTHER);
    let home = ada.get("/").await;
    home.expect_status(StatusCode::OK)
        .expect_contains("Hello, Ada")
        .expect_contains("Acme/Engineering")
        .expect_contains("badge-author");

    // The link is single-use.
    t.browser()
        .get(&path)
        .await
        .expect_status(StatusCode::GONE)
        .expect_contains("already been used");

    // And Ada can sign in again from another browser with her new password.
    t.signed_in("ada@acme.test")
        .await
        .get("/")
        .await
        .expect_contains("Acme/Engineering");
}
story!(invite_set_password_sign_in_see_groups);

/// An invitation link stops working after seven days, and the account stays without a password.
async fn an_expired_invitation_is_refused(t: TestApp) {
    t.person("admin@acme.test", "Avery Admin", true).await;
    let admin = t.signed_in("admin@acme.test").await;
    admin.get("/people/invite").await;
    let invited = admin
        .post(
            "/people/invite",
            &[
                ("email", "late@acme.test"),
                ("name", "Late Larry"),
                ("group_id", ""),
                ("role", "learner"),
            ],
        )
        .await;
    let link = invited.expect_status(StatusCode::OK).testid("invite-link");
    let path = link.strip_prefix(&t.base).expect("local link").to_owned();

    // Larry opens the link on time but submits after it expired.
    let larry = t.browser();
    larry.get(&path).await.expect_status(StatusCode::OK);
    t.clock.advance(time::Duration::days(8));
    larry
        .post(&path, &[("password", PASSWORD)])
        .await
        .expect_status(StatusCode::GONE)
        .expect_contains("expired");
    larry.get(&path).await.expect_status(StatusCode::GONE);
    larry
        .sign_in("late@acme.test", PASSWORD)
        .await
        .expect_status(StatusCode::UNAUTHORIZED);

    // A new link from the admin works.
    let admin = t.signed_in("admin@acme.test").await;
    let people = admin.get("/people?q=larry").await;
    people
        .expect_contains("Late Larry")
        .expect_contains("invited");
    let id = t
        .app
        .store()
        .user_by_email("late@acme.test")
        .await
        .expect("query")
        .expect("larry")
        .id;
    admin.get(&format!("/people/{id}")).await;
    let fresh = admin.post(&format!("/people/{id}/reset-link"), &[]).await;
    let path = fresh
        .expect_status(StatusCode::OK)
        .testid("one-time-link")
        .replace(&t.base, "");
    larry.get(&path).await;
    larry
        .post(&path, &[("password", PASSWORD)])
        .await
        .expect_status(StatusCode::SEE_OTHER);
}
story!(an_expired_invitation_is_refused);

/// Deactivating a person ends their sessions and tokens at once; reactivating lets them sign in again.
async fn deactivation_locks_a_person_out_at_once(t: TestApp) {
    t.person("admin@acme.test", "Avery Admin", true).await;
    let bob_id = t.person("bob@acme.test", "Bob Stone", false).await;
    let bob = t.signed_in("bob@acme.test").await;
    bob.get("/account").await.expect_status(StatusCode::OK);
    let made = bob.post("/account/tokens", &[("name", "my script")]).await;
    let token = made.expect_status(StatusCode::OK).testid("new-token");
    t.api(&token).get("/me").await.expect_status(StatusCode::OK);

    let admin = t.signed_in("admin@acme.test").await;
    admin.get(&format!("/people/{bob_id}")).await;
    admin
        .post(&format!("/people/{bob_id}/deactivate"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    admin
        .get(&format!("/people/{bob_id}"))
        .await
        .expect_contains("deactivated");

    // Bob's open browser is sent to the sign-in page; his token is refused.
    let after = bob.get("/").await;
    after.expect_status(StatusCode::SEE_OTHER);
    assert_eq!(after.location(), "/sign-in");
    let refused = t.api(&token).get("/me").await;
    refused.expect_status(StatusCode::UNAUTHORIZED);
    assert_eq!(refused.json()["error"]["code"], "unauthenticated");
    // The right password now says the account is deactivated.
    t.browser()
        .sign_in("bob@acme.test", PASSWORD)
        .await
        .expect_status(StatusCode::FORBIDDEN)
        .expect_contains("deactivated");

    admin
        .post(&format!("/people/{bob_id}/reactivate"), &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    t.signed_in("bob@acme.test")
        .await
        .get("/")
        .await
        .expect_status(StatusCode::OK);
    // Deactivation revoked the token for good (see stories/hardening.rs).
    t.api(&token)
        .get("/me")
        .await
        .expect_status(StatusCode::UNAUTHORIZED);
}
story!(deactivation_locks_a_person_out_at_once);

/// Unknown email and wrong password get the same answer; repeated failures are slowed down.
async fn wrong_password_and_unknown_email_look_the_same_then_get_limited(t: TestApp) {
    t.person("cy@acme.test", "Cy Young", false).await;
    let b = t.browser();
    let wrong = b.sign_in("cy@acme.test", "not the password").await;
    wrong.expect_status(StatusCode::UNAUTHORIZED);
    let unknown = b.sign_in("nobody@acme.test", "not the password").await;
    unknown.expect_status(StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong.testid("sign-in-error"),
        unknown.testid("sign-in-error")
    );
    // The form keeps what was typed (but never the password).
    wrong
        .expect_contains("value=\"cy@acme.test\"")
        .expect_lacks("not the password");

    for _ in 0..4 {
        b.sign_in("cy@acme.test", "still wrong")
            .await
            .expect_status(StatusCode::UNAUTHORIZED);
    }
    let limited = b.sign_in("cy@acme.test", PASSWORD).await;
    limited
        .expect_status(StatusCode::TOO_MANY_REQUESTS)
        .expect_contains("Too many attempts");
    assert!(limited.headers.contains_key("retry-after"));
    // After the window, the right password works.
    t.clock.advance(time::Duration::minutes(16));
    b.sign_in("cy@acme.test", PASSWORD)
        .await
        .expect_status(StatusCode::SEE_OTHER);
}
story!(wrong_password_and_unknown_email_look_the_same_then_get_limited);

/// Sessions are listed, survive a restart, and can be signed out everywhere else.
async fn sessions_survive_restarts_and_sign_out_everywhere(mut t: TestApp) {
    t.person("dee@acme.test", "Dee Park", false).await;
    let laptop = t.signed_in("dee@acme.test").await;
    let phone = t.signed_in("dee@acme.test").await;
    let account = laptop.get("/account").await;
    account
        .expect_status(StatusCode::OK)
        .expect_contains("this browser");
    assert_eq!(
        account.body.matches("/revoke\"").count(),
        2,
        "two sessions listed"
    );

    t.restart().await;
    let laptop = laptop.moved_to(&t.base);
    let phone = phone.moved_to(&t.base);
    laptop
        .get("/")
        .await
        .expect_status(StatusCode::OK)
        .expect_contains("Hello, Dee");
    phone.get("/").await.expect_status(StatusCode::OK);

    laptop.get("/account").await;
    laptop
        .post("/account/sessions/revoke-others", &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    assert_eq!(
        phone.get("/").await.status,
        StatusCode::SEE_OTHER,
        "the phone is signed out"
    );
    laptop.get("/").await.expect_status(StatusCode::OK);

    // Plain sign out ends this session too.
    laptop
        .post("/sign-out", &[])
        .await
        .expect_status(StatusCode::SEE_OTHER);
    assert_eq!(
        laptop.get("/account").await.location(),
        "/sign-in?next=/account"
    );
}
story!(sessions_survive_restarts_and_sign_out_everywhere);

/// Changing one's password needs the current one; afterwards only the new one works.
async fn changing_the_password(t: TestApp) {
    t.person("eve@acme.test", "Eve Moss", false).await;
    let eve = t.signed_in("eve@acme.test").await;
    eve.get("/account").await;
    eve.post(
        "/account/password",
        &[
            ("current_password", "wrong one!!"),
            ("new_password", "a brand new secret"),
        ],
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("current password is not right");
    eve.post(
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", "a brand new secret"),
        ],
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    t.browser()
        .sign_in("eve@acme.test", PASSWORD)
        .await
        .expect_status(StatusCode::UNAUTHORIZED);
    t.browser()
        .sign_in("eve@acme.test", "a brand new secret")
        .await
        .expect_status(StatusCode::SEE_OTHER);
}
story!(changing_the_password);
