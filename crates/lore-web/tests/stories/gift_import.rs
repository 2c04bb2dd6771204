//! Questions from a GIFT file as Moodle writes it, through the API: a report of the good and
//! the bad questions, then only the good ones the author chose are added; refusals add
//! nothing.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::api::token_for;
use crate::courses::{team, write_runbook};
use crate::feedback_api::expect_error;
use crate::story;
use crate::support::TestApp;

/// Five questions: a missing word, a weight over 100 % (bad), several graded numerical
/// answers, matching with a distractor, an essay.
const MIXED: &str = "// exported from Moodle
::Tomb:: Grant is {~buried =entombed ~living} in Grant's tomb.

::Too much:: Is this worth more than everything? {=%150%yes ~no}

::Born:: When was Ulysses S. Grant born? {#
    =1822:0      # Right.
    =%50%1822:2  # Close.
}

::Sounds:: Match the animals with their sounds. {
    =cat -> meow
    =dog -> woof
    = -> moo
}

::Shift:: Describe your last on-call shift. {}
";

story!(authors_add_the_good_questions_they_choose_from_a_gift_file);
async fn authors_add_the_good_questions_they_choose_from_a_gift_file(t: TestApp) {
    team(&t).await;
    let ada_b = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada_b).await;
    let ada = t.api(&token_for(&t, "ada@acme.test").await);
    let bo = t.api(&token_for(&t, "bo@acme.test").await);
    let check = format!("/courses/{id}/questions/gift/check");
    let import = format!("/courses/{id}/questions/gift/import");
    let exported = || async {
        ada_b
            .get(&format!("/courses/{id}/questions.gift"))
            .await
            .body
    };
    let before = exported().await;

    // The report: every question with its line, the bad one with its reason.
    let report = ada
        .send(Method::POST, &check, Some(json!({ "gift": MIXED })))
        .await;
    report.expect_status(StatusCode::OK);
    let report = report.json();
    assert_eq!(report["good"], 4, "{report}");
    assert_eq!(report["bad"], 1, "{report}");
    let items = report["questions"].as_array().expect("questions");
    assert_eq!(items.len(), 5);
    let bad = &items[1];
    assert_eq!(bad["good"], false);
    assert_eq!(bad["line"], 4, "{bad}");
    assert!(
        bad["problems"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("150")),
        "{bad}"
    );
    assert!(items[0]["kind"].as_str().is_some());
    assert_eq!(exported().await, before, "checking adds nothing");

    // A learner may not; a bad question cannot be chosen; nothing is added either way.
    let refused = bo
        .send(
            Method::POST,
            &import,
            Some(json!({ "gift": MIXED, "chosen": [0] })),
        )
        .await;
    assert!(
        matches!(
            refused.status,
            StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ),
        "{}",
        refused.body
    );
    let chose_bad = ada
        .send(
            Method::POST,
            &import,
            Some(json!({ "gift": MIXED, "chosen": [0, 1] })),
        )
        .await;
    expect_error(
        &chose_bad,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_input",
    );
    assert_eq!(exported().await, before, "a refusal adds nothing");

    // The author chooses two of the four good ones: exactly those are added.
    let added = ada
        .send(
            Method::POST,
            &import,
            Some(json!({ "gift": MIXED, "chosen": [0, 2] })),
        )
        .await;
    added.expect_status(StatusCode::CREATED);
    assert_eq!(added.json()["added"], 2);
    let after = exported().await;
    assert!(after.contains("Grant's tomb"), "{after}");
    assert!(after.contains("Ulysses"), "{after}");
    assert!(!after.contains("meow"), "{after}");
    assert!(!after.contains("on-call shift"), "{after}");
    assert!(!after.contains("worth more"), "{after}");

    // A text with no good question adds nothing, and says so.
    let none = ada
        .send(
            Method::POST,
            &import,
            Some(json!({ "gift": "::Broken:: No answers here {=a", "chosen": null })),
        )
        .await;
    none.expect_status(StatusCode::CREATED);
    assert_eq!(none.json()["added"], 0);
    assert_eq!(exported().await, after);
}
