//! The demo organisation: a tree of groups and about thirty people in every role.

use lore_domain::role::Role;

use crate::people::operator;
use crate::secrets::hash_password;
use crate::{App, AppResult};

/// The password every demo account shares; printed by `lore demo`.
pub const DEMO_PASSWORD: &str = "lore-demo-2026";

/// A sign-in to print for each role.
#[derive(Debug, Clone)]
pub struct DemoSignIn {
    pub role: &'static str,
    pub name: String,
    pub email: String,
}

const PEOPLE: &[(&str, &str, &str, Role)] = &[
    // (name, email local part, group, role)
    ("Amara Okafor", "amara.okafor", "Acme", Role::Admin),
    ("Lukas Becker", "lukas.becker", "Engineering", Role::Coach),
    ("Priya Raman", "priya.raman", "Engineering", Role::Author),
    (
        "Tomás Herrera",
        "tomas.herrera",
        "Engineering",
        Role::Author,
    ),
    ("Mei Chen", "mei.chen", "Engineering", Role::Learner),
    (
        "Jonas Lindqvist",
        "jonas.lindqvist",
        "Engineering",
        Role::Learner,
    ),
    ("Fatima Zahra", "fatima.zahra", "Engineering", Role::Learner),
    (
        "Daniel Kowalski",
        "daniel.kowalski",
        "Engineering",
        Role::Learner,
    ),
    ("Sofia Rossi", "sofia.rossi", "Engineering", Role::Learner),
    ("Kwame Mensah", "kwame.mensah", "Engineering", Role::Learner),
    ("Hannah Schmidt", "hannah.schmidt", "Sales", Role::Coach),
    ("Rafael Souza", "rafael.souza", "Sales", Role::Author),
    ("Chloé Martin", "chloe.martin", "Sales", Role::Learner),
    ("Ethan Walker", "ethan.walker", "Sales", Role::Learner),
    ("Aiko Tanaka", "aiko.tanaka", "Sales", Role::Learner),
    ("Omar Haddad", "omar.haddad", "Sales", Role::Learner),
    ("Grace Kim", "grace.kim", "Sales", Role::Learner),
    ("Liam O'Brien", "liam.obrien", "Sales", Role::Learner),
    ("Ana Sousa", "ana.sousa", "Sales", Role::Learner),
    ("Ben Carter", "ben.carter", "Sales", Role::Learner),
    ("Dara Singh", "dara.singh", "Sales", Role::Learner),
    ("Felix Moreau", "felix.moreau", "Sales", Role::Learner),
    (
        "Nadia Petrova",
        "nadia.petrova",
        "Customer Success",
        Role::Coach,
    ),
    (
        "Samuel Adeyemi",
        "samuel.adeyemi",
        "Customer Success",
        Role::Author,
    ),
    (
        "Isabel Fernández",
        "isabel.fernandez",
        "Customer Success",
        Role::Learner,
    ),
    (
        "Noah Fischer",
        "noah.fischer",
        "Customer Success",
        Role::Learner,
    ),
    (
        "Leila Ahmadi",
        "leila.ahmadi",
        "Customer Success",
        Role::Learner,
    ),
    (
        "Mateo García",
        "mateo.garcia",
        "Customer Success",
        Role::Learner,
    ),
    (
        "Zoe Williams",
        "zoe.williams",
        "Customer Success",
        Role::Learner,
    ),
    ("Arjun Patel", "arjun.patel", "Platform Team", Role::Admin),
    ("Elena Novak", "elena.novak", "Platform Team", Role::Learner),
    ("Yusuf Demir", "yusuf.demir", "Platform Team", Role::Learner),
    (
        "Ingrid Johansson",
        "ingrid.johansson",
        "Enterprise Sales",
        Role::Learner,
    ),
    (
        "Marcus Johnson",
        "marcus.johnson",
        "Enterprise Sales",
        Role::Author,
    ),
];

pub const DOMAIN: &str = "demo.lore.example";

/// Create the demo organisation unless it exists. Returns the sign-ins to print.
pub async fn seed(app: &App) -> AppResult<Vec<DemoSignIn>> {
    let admin_email = format!("admin@{DOMAIN}");
    if app.store.user_by_email(&admin_email).await?.is_none() {
        create(app, &admin_email).await?;
    }
    crate::demo_courses::seed(app).await?;
    let pick = |local: &str, role: &'static str| {
        PEOPLE.iter().find(|p| p.1 == local).map(|p| DemoSignIn {
            role,
            name: p.0.to_owned(),
            email: format!("{}@{DOMAIN}", p.1),
        })
    };
    let mut out = vec![DemoSignIn {
        role: "platform admin",
        name: "Avery Admin".to_owned(),
        email: admin_email,
    }];
    out.extend(pick("amara.okafor", "group admin (Acme)"));
    out.extend(pick("lukas.becker", "coach (Engineering)"));
    out.extend(pick("priya.raman", "author (Engineering)"));
    out.extend(pick("mei.chen", "learner (Engineering)"));
    Ok(out)
}

async fn create(app: &App, admin_email: &str) -> AppResult<()> {
    operator::add_user(app, admin_email, "Avery Admin", DEMO_PASSWORD, true).await?;
    let acme = operator::create_group(app, None, "Acme").await?;
    let engineering = operator::create_group(app, Some(acme), "Engineering").await?;
    let sales = operator::create_group(app, Some(acme), "Sales").await?;
    let success = operator::create_group(app, Some(acme), "Customer Success").await?;
    let platform = operator::create_group(app, Some(engineering), "Platform Team").await?;
    let enterprise = operator::create_group(app, Some(sales), "Enterprise Sales").await?;
    let group_of = |name: &str| match name {
        "Acme" => acme,
        "Engineering" => engineering,
        "Sales" => sales,
        "Customer Success" => success,
        "Platform Team" => platform,
        _ => enterprise,
    };
    // One hash for everyone: hashing thirty times would only slow the demo's start.
    let hash = hash_password(DEMO_PASSWORD.to_owned()).await?;
    let now = app.now();
    for (name, local, group, role) in PEOPLE {
        let user = app
            .store
            .insert_user(
                lore_store::NewUser {
                    email: &format!("{local}@{DOMAIN}"),
                    name,
                    password_hash: Some(hash.clone()),
                    platform_admin: false,
                },
                now,
            )
            .await?;
        operator::put_membership(app, user.id, group_of(group), *role).await?;
    }
    Ok(())
}
