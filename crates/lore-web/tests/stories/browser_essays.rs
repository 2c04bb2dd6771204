//! An essay from answer to result in Chromium (issue 18, decision 0043): the learner reads
//! the step, goes on to the evaluation, writes an open answer and sees "waiting for review";
//! the coach opens the course's review queue, gives points per rubric criterion and a
//! comment; the learner is told, reads the result with the comment, and the course shows
//! completed. At 1280 px, with the queue and the result checked at 390 px too.

use thirtyfour::prelude::*;

use crate::browser::{
    browser_tests_wanted, chromium, click_and_load, shot, sign_in, start_driver, text_with,
    wait_for_path,
};
use crate::browser_gift::fits;
use crate::browser_layout::{LAPTOP, PHONE, set_size};
use crate::essays::setup;
use crate::support::{Db, TestApp};

async fn as_person(web: &WebDriver, base: &str, email: &str) -> WebDriverResult<()> {
    web.delete_all_cookies().await?;
    sign_in(web, base, email).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_answers_an_essay_a_coach_reviews_it_and_the_course_completes_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let s = setup(&t).await;
    let course = s.course;
    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result: WebDriverResult<()> = async {
        set_size(&web, LAPTOP).await?;
        // Lea starts the course, reads its step and goes on to the evaluation.
        sign_in(&web, &t.base, "lea@acme.test").await?;
        web.goto(format!("{}/courses/{course}", t.base)).await?;
        click_and_load(&web, web.find(By::Id("start")).await?).await?;
        web.goto(format!("{}/courses/{course}/learn", t.base))
            .await?;
        let finish = web.find(By::Id("finish")).await?;
        assert!(
            finish.text().await?.contains("go to the evaluation"),
            "{}",
            finish.text().await?
        );
        click_and_load(&web, finish).await?;
        // The last step leads to the course's evaluation, where the learner starts it.
        wait_for_path(&web, &format!("/courses/{course}")).await?;
        click_and_load(&web, web.find(By::Id("take-evaluation")).await?).await?;
        wait_for_path(&web, "/attempts/").await?;
        let attempt_path = web.current_url().await?.path().to_owned();
        let attempt: i64 = attempt_path
            .trim_start_matches("/attempts/")
            .parse()
            .expect("attempt id");
        web.find(By::Css(format!(
            "input[name='q.{}'][value='a']",
            s.choice_key
        )))
        .await?
        .click()
        .await?;
        web.find(By::Id(format!("a-{}", s.essay_key)))
            .await?
            .send_keys("We met **the next day** and wrote the timeline together.")
            .await?;
        shot(&web, "essay-answering-1280").await;
        click_and_load(&web, web.find(By::Id("submit-attempt")).await?).await?;
        let waiting = text_with(&web, "[data-testid=attempt-result]", "Waiting for review").await;
        assert!(waiting.contains("Waiting for review"), "{waiting}");
        let answer = web
            .find(By::Css("[data-testid=essay-answer-2] strong"))
            .await?
            .text()
            .await?;
        assert_eq!(answer, "the next day", "the answer is shown rendered");
        fits(&web, "the waiting attempt at 1280 px").await?;
        shot(&web, "essay-waiting-1280").await;
        web.goto(format!("{}/courses/{course}", t.base)).await?;
        let progress = web
            .find(By::Css("[data-testid=progress]"))
            .await?
            .text()
            .await?;
        assert!(!progress.contains("completed"), "not yet: {progress}");

        // Cole opens the queue from the course page and reviews with the rubric.
        as_person(&web, &t.base, "cole@acme.test").await?;
        web.goto(format!("{}/courses/{course}", t.base)).await?;
        click_and_load(&web, web.find(By::Css("[data-testid=essays-link]")).await?).await?;
        wait_for_path(&web, &format!("/courses/{course}/essays")).await?;
        let card = web
            .find(By::Css(format!(
                "[data-testid='essay-{attempt}-{}']",
                s.essay_key
            )))
            .await?;
        let shown = card.text().await?;
        assert!(shown.contains("Lea Learner"), "{shown}");
        assert!(shown.contains("Argument (0 to 4)"), "{shown}");
        assert!(shown.contains("Sources (0 to 2)"), "{shown}");
        fits(&web, "the review queue at 1280 px").await?;
        shot(&web, "essay-queue-1280").await;
        set_size(&web, PHONE).await?;
        fits(&web, "the review queue at 390 px").await?;
        shot(&web, "essay-queue-390").await;
        set_size(&web, LAPTOP).await?;
        let field = |i: usize| format!("p-{attempt}-{}-{i}", s.essay_key);
        // Over the criterion's maximum first: refused, and what was typed stays.
        web.find(By::Id(field(0))).await?.send_keys("5").await?;
        web.find(By::Id(field(1))).await?.send_keys("2").await?;
        web.find(By::Id(format!("c-{attempt}-{}", s.essay_key)))
            .await?
            .send_keys("Clear timeline; name the sources.")
            .await?;
        click_and_load(
            &web,
            card.find(By::Css("[data-testid=review-form] button[type=submit]"))
                .await?,
        )
        .await?;
        let refused = text_with(&web, "[data-testid=essay-review-error]", "from 0 to 4").await;
        assert!(
            refused.contains("Give “Argument” from 0 to 4 points"),
            "{refused}"
        );
        let argument = web.find(By::Id(field(0))).await?;
        assert_eq!(argument.value().await?.as_deref(), Some("5"));
        argument.clear().await?;
        argument.send_keys("3").await?;
        let comment = web
            .find(By::Id(format!("c-{attempt}-{}", s.essay_key)))
            .await?
            .value()
            .await?;
        assert_eq!(
            comment.as_deref(),
            Some("Clear timeline; name the sources.")
        );
        click_and_load(
            &web,
            web.find(By::Css("[data-testid=review-form] button[type=submit]"))
                .await?,
        )
        .await?;
        let empty = text_with(&web, "[data-testid=essay-queue-empty]", "No answers").await;
        assert!(empty.contains("No answers wait for review"), "{empty}");
        shot(&web, "essay-reviewed-1280").await;

        // Lea is told; the notification opens the result with the comment.
        as_person(&web, &t.base, "lea@acme.test").await?;
        web.goto(format!("{}/notifications", t.base)).await?;
        let told = web
            .find(By::Css("[data-testid=notifications]"))
            .await?
            .text()
            .await?;
        assert!(
            told.contains("Your answers in “Incident reviews” were reviewed"),
            "{told}"
        );
        assert!(told.contains("passed"), "{told}");
        let mut open = None;
        for b in web
            .find_all(By::Css("[data-testid=notifications] .notification-title"))
            .await?
        {
            if b.text().await?.contains("were reviewed") {
                open = Some(b);
            }
        }
        click_and_load(&web, open.expect("the review's notification")).await?;
        wait_for_path(&web, &attempt_path).await?;
        let result = text_with(&web, "[data-testid=attempt-result]", "Passed").await;
        assert!(result.starts_with("Passed"), "{result}");
        let feedback = web
            .find(By::Css("[data-testid=feedback-2]"))
            .await?
            .text()
            .await?;
        assert!(
            feedback.contains("Clear timeline; name the sources."),
            "{feedback}"
        );
        fits(&web, "the reviewed attempt at 1280 px").await?;
        shot(&web, "essay-result-1280").await;
        set_size(&web, PHONE).await?;
        fits(&web, "the reviewed attempt at 390 px").await?;
        shot(&web, "essay-result-390").await;
        set_size(&web, LAPTOP).await?;
        web.goto(format!("{}/courses/{course}", t.base)).await?;
        let progress = web
            .find(By::Css("[data-testid=progress]"))
            .await?
            .text()
            .await?;
        assert!(progress.contains("completed"), "{progress}");
        assert!(
            !web.find_all(By::Css("[data-testid=evaluation-passed]"))
                .await?
                .is_empty(),
            "the evaluation shows passed"
        );
        shot(&web, "essay-course-completed-1280").await;
        Ok(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}
