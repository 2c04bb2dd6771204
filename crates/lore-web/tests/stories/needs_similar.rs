//! "Already asked" offers needs about the same thing, not needs that share a common word.

use crate::support::TestApp;

async fn already_asked_offers_needs_on_the_topic_not_on_a_passing_word(t: TestApp) {
    lore_app::demo::seed(&t.app).await.expect("demo");
    let mei = t
        .caller(&format!("mei.chen@{}", lore_app::demo::DOMAIN))
        .await;
    let titles = |s: lore_app::needs::asking::Similar| {
        s.needs.into_iter().map(|n| n.title).collect::<Vec<_>>()
    };

    let terraform = t
        .app
        .similar_to(
            &mei,
            "Terraform for our cloud accounts\nWe click through the AWS console to change \
             production and nobody can review it. How do we write modules, keep state safe, \
             and plan changes before they ship?",
        )
        .await
        .expect("similar");
    let offered = titles(terraform);
    assert!(
        offered.is_empty(),
        "nothing in the demo is about Terraform, yet it offers {offered:?}"
    );

    let postgres = titles(
        t.app
            .similar_to(&mei, "Slow queries in PostgreSQL")
            .await
            .expect("similar"),
    );
    assert_eq!(
        postgres.first().map(String::as_str),
        Some("Finding and fixing slow PostgreSQL queries"),
        "{postgres:?}"
    );
    let stuck = titles(
        t.app
            .similar_to(&mei, "Why is my Kubernetes deploy stuck?")
            .await
            .expect("similar"),
    );
    assert!(
        stuck.contains(&"Kubernetes basics for application developers".to_owned()),
        "{stuck:?}"
    );
}
crate::story!(already_asked_offers_needs_on_the_topic_not_on_a_passing_word);
