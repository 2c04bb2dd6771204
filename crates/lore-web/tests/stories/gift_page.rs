//! The editor's GIFT import on the pages: a check first (good questions with a tick, bad
//! ones with their line, reason and text), then only the ticked questions are added; a bad
//! question fixed in place is checked again and added. Refusals add nothing.

use reqwest::StatusCode;

use crate::courses::{team, write_runbook};
use crate::story;
use crate::support::{Browser, Page, TestApp};

/// Lines: 1 category, 3 a wildcard short answer, 5 a weight over 100 % (bad), 7 a choice,
/// 9 unbalanced braces (bad).
pub(crate) const QUIZ: &str = "$CATEGORY: $course$/top/Geography

::Capital:: Which city is the capital of France? {=*Paris*}

::Too much:: Is this worth more than everything? {=%150%yes ~no}

::Sky:: The sky on a clear day is {=blue ~green}.

::Broken:: Where is the closing brace? {=here ~there
";

/// A form field's value as the page holds it (attribute escapes undone).
pub(crate) fn hidden_value(page: &Page, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.body.find(&marker).expect("field") + marker.len();
    let end = start + page.body[start..].find('"').expect("end of value");
    page.body[start..end]
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn ticked(page: &Page, index: usize) -> bool {
    page.body
        .contains(&format!("name=\"chosen\" value=\"{index}\" checked"))
}

async fn exported(ada: &Browser, id: i64) -> String {
    ada.get(&format!("/courses/{id}/questions.gift")).await.body
}

story!(authors_check_gift_on_the_editor_page_and_add_only_what_they_tick);
async fn authors_check_gift_on_the_editor_page_and_add_only_what_they_tick(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let check = format!("/courses/{id}/edit/questions/check");
    let add = format!("/courses/{id}/edit/questions/add");
    ada.get(&format!("/courses/{id}/edit"))
        .await
        .expect_contains(&format!("action=\"{check}\""))
        .expect_contains("Check the questions");
    let before = exported(&ada, id).await;

    // The check: two good questions ticked, two bad ones with their line, reason and text.
    let result = ada.post_multipart(&check, &[("gift", QUIZ)], None).await;
    result
        .expect_status(StatusCode::OK)
        .expect_contains("<strong>2</strong> ready to add")
        .expect_contains("<strong>2</strong> with problems")
        .expect_contains("Which city is the capital of France?")
        .expect_contains("Category: Geography")
        .expect_contains("short text")
        .expect_contains("Line 5")
        .expect_contains("%150% is not a percentage")
        .expect_contains("Line 9")
        .expect_contains("never closed")
        .expect_contains(
            "::Too much:: Is this worth more than everything? {=%150%yes ~no}</textarea>",
        )
        .expect_contains(
            "Add the <span data-gift-count>2</span> chosen <span data-gift-noun \
             data-one=\"question\" data-many=\"questions\">questions</span>",
        );
    assert!(ticked(&result, 0) && ticked(&result, 2), "{}", result.body);
    assert!(!result.body.contains("name=\"chosen\" value=\"1\""));
    assert_eq!(hidden_value(&result, "gift"), QUIZ);
    assert_eq!(exported(&ada, id).await, before, "checking adds nothing");
    // With one tick the button speaks of one question.
    ada.post_multipart(
        &check,
        &[
            ("gift", QUIZ),
            ("shown", "0"),
            ("shown", "2"),
            ("chosen", "2"),
        ],
        None,
    )
    .await
    .expect_status(StatusCode::OK)
    .expect_contains(
        "Add the <span data-gift-count>1</span> chosen <span data-gift-noun \
         data-one=\"question\" data-many=\"questions\">question</span>",
    );

    // Without a tick, or with a bad question chosen, nothing is added and the reason shows.
    let none = ada
        .post_multipart(
            &add,
            &[("gift", QUIZ), ("shown", "0"), ("shown", "2")],
            None,
        )
        .await;
    none.expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("Choose at least one question");
    let bad = ada
        .post_multipart(&add, &[("gift", QUIZ), ("chosen", "1")], None)
        .await;
    bad.expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("has problems");
    assert_eq!(exported(&ada, id).await, before);

    // Only the ticked question is added.
    ada.post_multipart(
        &add,
        &[
            ("gift", QUIZ),
            ("shown", "0"),
            ("shown", "2"),
            ("chosen", "2"),
        ],
        None,
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let after = exported(&ada, id).await;
    assert!(after.contains("The sky on a clear day"), "{after}");
    assert!(!after.contains("capital of France"), "{after}");
    assert!(!after.contains("worth more"), "{after}");

    // Fixed in place and checked again: the fix is good and ticked, the question already
    // added stays unticked, the other broken one is left out by emptying it.
    let fixed = ada
        .post_multipart(
            &check,
            &[
                ("gift", QUIZ),
                ("shown", "0"),
                ("shown", "2"),
                ("chosen", "0"),
                (
                    "fix_1",
                    "::Enough:: Is this worth half of everything? {=yes ~no}",
                ),
                ("fix_3", ""),
            ],
            None,
        )
        .await;
    fixed
        .expect_status(StatusCode::OK)
        .expect_contains("<strong>3</strong> ready to add")
        .expect_contains("<strong>0</strong> with problems")
        .expect_contains("Is this worth half of everything?");
    assert!(ticked(&fixed, 0) && ticked(&fixed, 1), "{}", fixed.body);
    assert!(!ticked(&fixed, 2), "unticked before, unticked now");
    let text = hidden_value(&fixed, "gift");
    assert!(
        text.contains("::Enough::") && !text.contains("Broken"),
        "{text}"
    );
    assert_eq!(
        exported(&ada, id).await,
        after,
        "checking again adds nothing"
    );

    ada.post_multipart(
        &add,
        &[
            ("gift", text.as_str()),
            ("shown", "0"),
            ("shown", "1"),
            ("shown", "2"),
            ("chosen", "0"),
            ("chosen", "1"),
        ],
        None,
    )
    .await
    .expect_status(StatusCode::SEE_OTHER);
    let last = exported(&ada, id).await;
    assert!(last.contains("capital of France"), "{last}");
    assert!(last.contains("*Paris*"), "the wildcard is kept: {last}");
    assert!(last.contains("worth half of everything"), "{last}");
    assert_eq!(last.matches("The sky on a clear day").count(), 1, "{last}");
    ada.get(&format!("/courses/{id}/edit"))
        .await
        .expect_contains("Which city is the capital of France?");
}

story!(the_gift_check_refuses_a_huge_paste_a_forged_form_and_a_learner);
async fn the_gift_check_refuses_a_huge_paste_a_forged_form_and_a_learner(t: TestApp) {
    team(&t).await;
    let ada = t.signed_in("ada@acme.test").await;
    let id = write_runbook(&ada).await;
    let check = format!("/courses/{id}/edit/questions/check");
    let add = format!("/courses/{id}/edit/questions/add");
    ada.get(&format!("/courses/{id}/edit")).await;
    let before = exported(&ada, id).await;

    // A 5 MB paste: a clear message on the editor, the text not echoed back.
    let huge = "Is this too long? {T}\n\n".repeat(5 * 1024 * 1024 / 23);
    let refused = ada
        .post_multipart(&check, &[("gift", huge.as_str())], None)
        .await;
    refused
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("check at most 100000 at a time")
        .expect_contains("data-testid=\"evaluation-error\"");
    assert!(
        refused.body.len() < 1024 * 1024,
        "the paste is not sent back"
    );

    // An uploaded file is checked like a paste; one that is not text is refused.
    let uploaded = ada
        .post_multipart(
            &check,
            &[("gift", "")],
            Some(("quiz.gift", "text/plain", QUIZ.as_bytes().to_vec())),
        )
        .await;
    uploaded
        .expect_status(StatusCode::OK)
        .expect_contains("<strong>2</strong> ready to add");
    ada.post_multipart(
        &check,
        &[("gift", "")],
        Some(("quiz.gift", "text/plain", vec![0xff, 0xfe, 0x00, 0x41])),
    )
    .await
    .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
    .expect_contains("not UTF-8");
    // Nothing to check.
    ada.post_multipart(&check, &[("gift", "  \n")], None)
        .await
        .expect_status(StatusCode::UNPROCESSABLE_ENTITY)
        .expect_contains("No questions found");

    // Both forms need the CSRF token.
    for path in [&check, &add] {
        let forged = ada.post_raw(path, &[("gift", QUIZ), ("chosen", "0")]).await;
        forged.expect_status(StatusCode::FORBIDDEN);
    }
    // A learner may not check nor add.
    let bo = t.signed_in("bo@acme.test").await;
    bo.get("/").await;
    for path in [&check, &add] {
        let page = bo
            .post_multipart(path, &[("gift", QUIZ), ("chosen", "0")], None)
            .await;
        assert!(
            matches!(page.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{}: {}",
            page.status,
            page.body
        );
    }
    assert_eq!(exported(&ada, id).await, before, "nothing was added");
}
