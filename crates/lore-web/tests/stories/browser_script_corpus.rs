//! Stored scripts never run: a corpus of script payloads is written into every field people
//! fill in (names, titles, step bodies, questions, posts, reactions, needs, paths, outcomes,
//! suggestions, review comments, notifications), then every kind of page each demo role
//! reaches is opened in Chromium. It fails on any console error (a payload stopped only by the
//! Content Security Policy still shows up there), on any element or attribute in the page that
//! could run script (`<script>` that is not Lore's own, `<iframe>`, `<object>`, `<embed>`,
//! `<base>`, a refresh `<meta>`, an `on…` attribute, a `javascript:`/`data:` address, script in
//! a style), and on a field whose marker no page showed (so a field the crawl never reaches
//! cannot pass unseen).
//!
//! The payloads are written straight into the database, as an operator's shell would: pages
//! must be safe whatever is stored, not only what today's forms let through.

use std::collections::BTreeSet;

use thirtyfour::prelude::*;

use crate::browser::{browser_tests_wanted, chromium, sign_in_with, start_driver};
use crate::browser_crawl::Crawl;
use crate::browser_layout::{LAPTOP, set_size};
use crate::support::{Db, TestApp};

/// Classic and mutation payloads; `F` is replaced by the field's name.
const PAYLOADS: &[&str] = &[
    "<script>__xss('F')</script>",
    "<img src=x onerror=__xss('F')>",
    "<svg onload=__xss('F')>",
    "\"><script>__xss('F')</script>",
    "'><img src=x onerror=__xss('F')>",
    "<a href=\"javascript:__xss('F')\">a</a>",
    "<a href=\"&#106;avascript:__xss('F')\">b</a>",
    "<a href=\"data:text/html,<script>__xss('F')</script>\">c</a>",
    "[d](javascript:__xss('F'))",
    "![e](javascript:__xss('F'))",
    "<iframe src=\"javascript:__xss('F')\"></iframe>",
    "<object data=\"javascript:__xss('F')\"></object>",
    "<embed src=\"javascript:__xss('F')\">",
    "<base href=\"//evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:__xss('F')\">",
    "<form action=\"javascript:__xss('F')\"><button>f</button></form>",
    "<input autofocus onfocus=__xss('F')>",
    "<details open ontoggle=__xss('F')>g</details>",
    "<body onload=__xss('F')>",
    "<div style=\"background:url(javascript:__xss('F'))\">h</div>",
    "</textarea><script>__xss('F')</script>",
    "</title><script>__xss('F')</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss('F')>",
    "<noscript><p title=\"</noscript><img src=x onerror=__xss('F')>\">",
    "<svg><animate onbegin=__xss('F') attributeName=x dur=1s>",
];

/// The field's marker, then every payload: `zq-table-column-qz <script>…`.
fn corpus(field: &str) -> String {
    let marker = format!("zq-{}-qz ", field.replace('.', "-"));
    let payloads: Vec<String> = PAYLOADS.iter().map(|p| p.replace('F', field)).collect();
    format!("{marker}{}", payloads.join(" "))
}

/// SQLite text literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Plain text columns: (table, column), appended to where they hold something. (A path's
/// published copies, `path_versions`, are left out: no page the demo roles reach shows their
/// title or description, the path's pages show the path itself.)
const TEXT_FIELDS: &[(&str, &str)] = &[
    ("users", "name"),
    ("groups", "name"),
    ("course_versions", "title"),
    ("course_versions", "summary"),
    ("course_versions", "change_note"),
    ("course_steps", "title"),
    ("course_steps", "body"),
    ("threads", "title"),
    ("posts", "body"),
    ("reactions", "comment"),
    ("reactions", "resolution_note"),
    ("needs", "title"),
    ("needs", "problem"),
    ("needs", "decline_reason"),
    ("paths", "title"),
    ("paths", "description"),
    ("outcome_metrics", "name"),
    ("outcome_metrics", "description"),
    ("suggested_edits", "proposed_body"),
    ("suggested_edits", "reason"),
    ("suggested_edits", "decision_note"),
    ("review_comments", "body"),
    ("notifications", "title"),
    ("notifications", "body"),
];

/// Text inside JSON columns: (table, column, JSON path).
const JSON_FIELDS: &[(&str, &str, &str)] = &[
    ("course_questions", "body", "$.prompt"),
    // A submitted attempt shows the explanation it was scored with, kept in its results.
    ("attempts", "results", "$[0].explanation"),
    ("needs", "questions", "$[0]"),
];

fn field_name(table: &str, column: &str) -> String {
    format!("{table}.{column}")
}

/// Every field's marker, as the pages should show it (escaped text).
fn markers() -> BTreeSet<String> {
    TEXT_FIELDS
        .iter()
        .map(|(t, c)| field_name(t, c))
        .chain(
            JSON_FIELDS
                .iter()
                .map(|(t, c, p)| field_name(t, &format!("{c}{}", json_suffix(p)))),
        )
        .map(|f| f.replace('.', "-"))
        .collect()
}

/// `$.prompt` → `-prompt`, `$[0]` → `-0`: part of a field's name.
fn json_suffix(path: &str) -> String {
    let letters: String = path
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    format!("_{letters}")
}

fn statements() -> String {
    let mut sql = String::new();
    for (table, column) in TEXT_FIELDS {
        let text = literal(&format!(" {}", corpus(&field_name(table, column))));
        sql.push_str(&format!(
            "UPDATE {table} SET {column} = {column} || {text} WHERE {column} IS NOT NULL;\n"
        ));
    }
    for (table, column, path) in JSON_FIELDS {
        let name = field_name(table, &format!("{column}{}", json_suffix(path)));
        let text = literal(&format!(" {}", corpus(&name)));
        sql.push_str(&format!(
            "UPDATE {table} SET {column} = json_set({column}, '{path}', \
             json_extract({column}, '{path}') || {text}) \
             WHERE json_extract({column}, '{path}') IS NOT NULL;\n"
        ));
    }
    sql
}

/// What could run script in the page as the browser holds it now, and the markers shown.
const DOM_CHECK: &str = r#"
const problems = [];
const own = (src) => { try { const u = new URL(src, location.href);
  return u.origin === location.origin && u.pathname.startsWith('/assets/'); } catch (e) { return false; } };
for (const s of document.querySelectorAll('script')) {
  const type = (s.getAttribute('type') || '').toLowerCase();
  if (type === 'application/json' || type === 'application/ld+json') continue;
  if (!s.src || !own(s.src)) problems.push('a script not of Lore: ' + s.outerHTML.slice(0, 120));
}
for (const e of document.querySelectorAll('iframe, frame, object, embed, base, meta[http-equiv]')) {
  const equiv = (e.getAttribute('http-equiv') || '').toLowerCase();
  if (e.tagName === 'META' && equiv !== 'refresh') continue;
  problems.push('a dangerous element: ' + e.outerHTML.slice(0, 120));
}
const bad = /^\s*(javascript|vbscript|data)\s*:/i;
for (const e of document.querySelectorAll('*')) {
  for (const a of e.attributes) {
    const name = a.name.toLowerCase();
    if (name.startsWith('on')) problems.push('an event attribute: <' + e.tagName.toLowerCase() + ' ' + name + '="' + a.value.slice(0, 60) + '">');
    if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster'].includes(name)
        && bad.test(a.value) && !(e.tagName === 'IMG' && /^\s*data:image\/(png|gif|jpeg|webp);/i.test(a.value)))
      problems.push('a script address: <' + e.tagName.toLowerCase() + ' ' + name + '="' + a.value.slice(0, 60) + '">');
    if (name === 'style' && /javascript:|expression\(/i.test(a.value))
      problems.push('script in a style: ' + a.value.slice(0, 60));
  }
}
if (window.__xss_ran) problems.push('a payload ran: ' + window.__xss_ran);
const found = [...new Set((document.documentElement.outerHTML.match(/zq-[a-z_0-9-]+-qz/g) || [])
  .map(m => m.slice(3, -3)))];
return { problems, found };
"#;

/// Pages that show fields a crawl of two pages of each kind may miss: for the platform
/// administrator every outcome, declined need and declined suggestion; for
/// everyone their own submitted attempts (where questions' explanations are shown).
async fn start_pages(t: &TestApp, email: &str) -> Vec<String> {
    let mut pages = Vec::new();
    if email.starts_with("admin@") {
        for id in t.sql_ids("SELECT id FROM outcome_metrics").await {
            pages.push(format!("/outcomes/{id}"));
        }
        for id in t
            .sql_ids("SELECT id FROM needs WHERE decline_reason IS NOT NULL")
            .await
        {
            pages.push(format!("/needs/{id}"));
        }
        let declined = "SELECT course_id * 1000000 + id FROM suggested_edits \
                        WHERE decision_note IS NOT NULL";
        for both in t.sql_ids(declined).await {
            pages.push(format!(
                "/courses/{}/suggestions/{}",
                both / 1_000_000,
                both % 1_000_000
            ));
        }
    }
    let mine = format!(
        "SELECT a.id FROM attempts a JOIN users u ON u.id = a.user_id \
         WHERE u.email = {} AND a.submitted_at IS NOT NULL ORDER BY a.id LIMIT 2",
        literal(email)
    );
    for id in t.sql_ids(&mine).await {
        pages.push(format!("/attempts/{id}"));
    }
    pages
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_scripts_never_run_on_any_page_in_chromium() {
    if !browser_tests_wanted() {
        return;
    }
    let mut t = TestApp::spawn(Db::Sqlite).await.expect("app");
    let sign_ins = lore_app::demo::seed(&t.app).await.expect("demo");
    t.sql(&statements()).await;
    // A new server process: nothing it keeps between requests predates the payloads.
    t.restart().await;

    let driver = start_driver().await;
    let web = chromium(&driver).await;
    let result = async {
        let mut problems = Vec::new();
        let mut found = BTreeSet::new();
        let mut report = Vec::new();
        for who in &sign_ins {
            web.delete_all_cookies().await?;
            set_size(&web, LAPTOP).await?;
            sign_in_with(&web, &t.base, &who.email, lore_app::demo::DEMO_PASSWORD).await?;
            let start = start_pages(&t, &who.email).await;
            let mut crawl = Crawl::with_dom_check(&web, &t.base, who.role, DOM_CHECK, start);
            crawl.run().await?;
            report.push(format!("{}: {} pages", who.role, crawl.opened));
            problems.extend(crawl.problems);
            found.extend(crawl.found);
        }
        eprintln!("script corpus: {}", report.join("; "));
        let unseen: Vec<String> = markers().difference(&found).cloned().collect();
        assert!(
            problems.is_empty() && unseen.is_empty(),
            "{} problems:\n{}\nno page showed these fields, so their payloads were not \
             tried: {unseen:?}",
            problems.len(),
            problems.join("\n")
        );
        Ok::<(), WebDriverError>(())
    }
    .await;
    web.quit().await.ok();
    result.expect("browser story");
}

#[test]
fn every_field_gets_every_payload_with_its_marker() {
    let sql = statements();
    assert_eq!(sql.lines().count(), TEXT_FIELDS.len() + JSON_FIELDS.len());
    assert!(sql.contains("zq-course_steps-body-qz <script>__xss(''course_steps.body'')"));
    assert!(sql.contains("'$.prompt'"));
    assert!(markers().contains("course_questions-body_prompt"));
    assert_eq!(markers().len(), TEXT_FIELDS.len() + JSON_FIELDS.len());
}
