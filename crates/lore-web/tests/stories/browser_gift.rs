//! A new author brings a Moodle quiz in Chromium: pastes the GIFT text in the editor, sees
//! the good questions ticked and the bad ones with their lines, fixes one in place, unticks
//! one, and adds exactly the ticked ones — on a laptop (1280 px) and a phone (390 px), where
//! the check result fits without sideways scrolling.

use thirtyfour::prelude::*;

use crate::browser::{browser_tests_wanted, chromium, click_and_load, shot, sign_in, start_driver};
use crate::browser_layout::{LAPTOP, MEASURE, PHONE, set_size};
use crate::courses::team;
use crate::gift_page::QUIZ;
use crate::support::{Db, TestApp};

pub(crate) async fn fits(web: &WebDriver, what: &str) -> WebDriverResult<()> {
    let m = web.execute(MEASURE, Vec::new()).await?.json().clone();
    let scroll = m["scroll"].as_f64().unwrap_or(f64::MAX);
    let client = m["client"].as_f64().unwrap_or(0.0);
    assert!(
        scroll <= client,
        "{what} scrolls sideways: {scroll} px in {client} px; sticking out: {}",
        m["offenders"]
    );
    Ok(())
}

/// The summary's figures, in one line ("2 ready to add 2 with problems").
async fn summary(web: &WebDriver) -> WebDriverResult<String> {
    let text = web
        .find(By::Css("[data-testid=gift-summary]"))
        .await?
        .text()
        .await?;
    Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_author_checks_fixes_and_adds_chosen_gift_questions_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    team(&t).await;
    let ada = t.caller("ada@acme.test").await;
    let id = t
        .app
        .create_course(
            &ada,
            lore_app::courses::authoring::NewCourse {
                title: "Geography basics",
                group_id: None,
                first_step_title: "Capitals",
                first_step_body: "Paris is the capital of France.",
            },
        )
        .await
        .expect("create");
    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result: WebDriverResult<String> = async {
        set_size(&web, LAPTOP).await?;
        sign_in(&web, &t.base, "ada@acme.test").await?;
        web.goto(format!("{}/courses/{id}/edit#evaluation", t.base))
            .await?;
        // Pasted, as an author copying from Moodle's export would.
        web.find(By::Id("gift")).await?.click().await?;
        web.execute(
            "const el = document.getElementById('gift'); el.value = arguments[0]; \
             el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::json!(QUIZ)],
        )
        .await?;
        click_and_load(&web, web.find(By::Css("[data-testid=gift-check]")).await?).await?;

        // Good ones ticked, bad ones with their line and reason, nothing added yet.
        let said = summary(&web).await?;
        assert_eq!(said, "2 ready to add 2 with problems");
        let good = web
            .find(By::Css("[data-testid=gift-good]"))
            .await?
            .text()
            .await?;
        assert!(
            good.contains("Which city is the capital of France?"),
            "{good}"
        );
        assert!(good.contains("Category: Geography"), "{good}");
        let bad = web
            .find(By::Css("[data-testid=gift-bad-1]"))
            .await?
            .text()
            .await?;
        assert!(bad.contains("Line 5") && bad.contains("%150%"), "{bad}");
        let broken = web
            .find(By::Css("[data-testid=gift-bad-3]"))
            .await?
            .text()
            .await?;
        assert!(
            broken.contains("Line 9") && broken.contains("never closed"),
            "{broken}"
        );
        let add = web.find(By::Css("[data-testid=gift-add]")).await?;
        let label = add.text().await?;
        assert!(label.contains("Add the 2 chosen questions"), "{label}");
        fits(&web, "the check result at 1280 px").await?;
        shot(&web, "gift-check-1280").await;

        // On a phone: the same page fits; the author goes on there.
        set_size(&web, PHONE).await?;
        fits(&web, "the check result at 390 px").await?;
        shot(&web, "gift-check-390").await;

        // Fix the weight in place, leave the broken one out by emptying it, check again.
        let fix = web.find(By::Id("fix-1")).await?;
        fix.send_keys(Key::Control + "a").await?;
        fix.send_keys("::Enough:: Is this worth half of everything? {=yes ~no}")
            .await?;
        let empty = web.find(By::Id("fix-3")).await?;
        empty.send_keys(Key::Control + "a").await?;
        empty.send_keys(Key::Backspace).await?;
        click_and_load(&web, web.find(By::Css("[data-testid=gift-recheck]")).await?).await?;
        let said = summary(&web).await?;
        assert_eq!(said, "3 ready to add 0 with problems");
        assert!(
            web.find_all(By::Css("[data-testid^=gift-bad-]"))
                .await?
                .is_empty()
        );
        fits(&web, "the re-checked result at 390 px").await?;
        shot(&web, "gift-rechecked-390").await;

        // Untick the sky: the button counts what will be added.
        web.find(By::Css("input[name=chosen][value='2']"))
            .await?
            .click()
            .await?;
        let add = web.find(By::Css("[data-testid=gift-add]")).await?;
        assert!(
            add.text().await?.contains("Add the 2 chosen questions"),
            "{}",
            add.text().await?
        );
        // One tick left: "question", in the singular; ticked again, two.
        let france = web.find(By::Css("input[name=chosen][value='0']")).await?;
        france.click().await?;
        assert_eq!(add.text().await?, "Add the 1 chosen question");
        france.click().await?;
        assert_eq!(add.text().await?, "Add the 2 chosen questions");
        click_and_load(&web, add).await?;
        assert_eq!(
            web.current_url().await?.path(),
            format!("/courses/{id}/edit")
        );
        set_size(&web, LAPTOP).await?;
        shot(&web, "gift-added").await;
        web.find(By::Css("[data-testid=questions]"))
            .await?
            .text()
            .await
    }
    .await;
    web.quit().await.ok();
    let listed = result.expect("browser story");
    assert!(
        listed.contains("Which city is the capital of France?"),
        "{listed}"
    );
    assert!(
        listed.contains("Is this worth half of everything?"),
        "{listed}"
    );
    assert!(
        !listed.contains("The sky on a clear day"),
        "unticked: {listed}"
    );
}
