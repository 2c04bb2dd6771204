//! A later version's folder written into a draft through the editor's use cases: steps
//! changed, dropped, moved and added; questions changed, added and removed.

use super::*;
use crate::courses::archive::{CourseFolder, ImportOptions};
use crate::people::operator;

/// A course folder with these (key, title, body) steps.
fn folder(minutes: u32, steps: &[(&str, &str, &str)]) -> CourseFolder {
    let mut f = CourseFolder::new();
    let manifest = format!(
        "format = 1\ntitle = \"Arithmetic\"\nestimated_minutes = {minutes}\ngroup = \"Acme\"\nchange_note = \"More sums.\"\n"
    );
    f.insert("course.toml", manifest.into_bytes())
        .expect("course.toml");
    for (i, (key, title, body)) in steps.iter().enumerate() {
        let text = format!("+++\nkey = \"{key}\"\ntitle = \"{title}\"\n+++\n\n{body}\n");
        f.insert(&format!("steps/{:02}.md", i + 1), text.into_bytes())
            .expect("step");
    }
    f
}

fn version(folder: CourseFolder, questions: &'static str) -> Version {
    let content = folder.content().expect("content");
    Version {
        folder,
        content,
        questions: Some(questions),
    }
}

/// Version `n`'s steps as (key, title, body), its estimated time and its questions' prompts.
async fn published(app: &App, course: i64, n: i32) -> (Vec<(String, String, String)>, i32, usize) {
    let v = app
        .store
        .version(course, n)
        .await
        .expect("version")
        .expect("published");
    let steps = app.store.steps_of(v.id).await.expect("steps");
    let questions = app.store.questions_of(v.id).await.expect("questions");
    let steps = steps
        .into_iter()
        .map(|s| (s.step_key, s.title, s.body))
        .collect();
    (steps, v.estimated_minutes.unwrap_or(0), questions.len())
}

fn step(key: &str, title: &str, body: &str) -> (String, String, String) {
    (key.to_owned(), title.to_owned(), body.to_owned())
}

#[tokio::test]
async fn a_later_version_is_written_into_the_draft_step_by_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = demo_app(dir.path()).await;
    let ada = operator::add_user(&app, "ada@acme.test", "Ada", "correct horse battery", true)
        .await
        .expect("user");
    operator::create_group(&app, None, "Acme")
        .await
        .expect("group");
    let ada = app.caller(ada.id).await.expect("caller").expect("active");

    let first = version(
        folder(
            10,
            &[
                ("s-a", "A", "Alpha."),
                ("s-b", "B", "Bravo."),
                ("s-c", "C", "Charlie."),
            ],
        ),
        "::One::1 + 1 = ? {=2 ~3}\n\n::Two::2 + 2 = ? {=4 ~5}\n",
    );
    let draft = ImportOptions {
        publish: false,
        group_id: None,
    };
    let course = app
        .import_course_with(&ada, &first.folder, draft)
        .await
        .expect("import");
    app.import_questions(&ada, course, first.questions.unwrap_or(""))
        .await
        .expect("questions");
    app.publish(&ada, course, "First.").await.expect("publish");

    // C first and changed, A dropped, B as it was, D new; a question changed and one added.
    let mut keys: HashMap<String, String> = HashMap::new();
    let second = version(
        folder(
            12,
            &[
                ("s-c", "C", "Charlie, changed."),
                ("s-b", "B", "Bravo."),
                ("s-d", "D", "Delta."),
            ],
        ),
        "::One::1 + 1 = ? {=2 ~4}\n\n::Two::2 + 2 = ? {=4 ~5}\n\n::Three::3 + 3 = ? {=6 ~7}\n",
    );
    crate::demo_courses::revisions::write_draft(&app, &ada, course, &second, &mut keys)
        .await
        .expect("write the draft");
    app.publish(&ada, course, &second.content.change_note)
        .await
        .expect("publish");
    let d = keys
        .get("s-d")
        .cloned()
        .expect("the editor made up D's key");
    assert_eq!(
        published(&app, course, 2).await,
        (
            vec![
                step("s-c", "C", "Charlie, changed."),
                step("s-b", "B", "Bravo."),
                step(&d, "D", "Delta."),
            ],
            12,
            3
        )
    );
    let (rows, _) = app.draft_evaluation(&ada, course).await.expect("questions");
    let got: Vec<Question> = rows
        .iter()
        .map(|row| crate::evaluations::authoring::question_of(row).expect("question"))
        .collect();
    let wanted: Vec<Question> = evaluation::parse(second.questions.unwrap_or(""))
        .expect("gift")
        .into_iter()
        .map(|q| q.question)
        .collect();
    assert_eq!(got, wanted);

    // The next version names D by its key in the folder; two questions go.
    let third = version(
        folder(
            12,
            &[
                ("s-c", "C", "Charlie, changed."),
                ("s-b", "B", "Bravo."),
                ("s-d", "D", "Delta, changed."),
            ],
        ),
        "::One::1 + 1 = ? {=2 ~4}\n",
    );
    crate::demo_courses::revisions::write_draft(&app, &ada, course, &third, &mut keys)
        .await
        .expect("write the draft");
    app.publish(&ada, course, "Fewer questions.")
        .await
        .expect("publish");
    let (steps, _, questions) = published(&app, course, 3).await;
    assert_eq!(steps[2], step(&d, "D", "Delta, changed."));
    assert_eq!(questions, 1);
}
