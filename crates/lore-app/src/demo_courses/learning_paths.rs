//! Paths in the demo: "Sales onboarding" (in order) for Sales and "New engineer: first month"
//! (any order) for Engineering, each assigned to its group by its coach with a due date 30
//! days after being assigned and a reminder rule. Engineering's was assigned five weeks ago,
//! so who has not finished is overdue; Sales' ten days ago, so its people are ahead (done) or
//! on time.

use lore_domain::assignment::{Due, ReminderRule};
use lore_domain::path::{ItemRef, PathItem, PathOrder};
use time::{Duration, OffsetDateTime};

use super::feedback::{People, course_ids, id_of};
use super::{DemoCourse, at, engineering, sales};
use crate::assignments::{AssignRequest, Target};
use crate::paths::{PathDetails, PathEdit};
use crate::{App, AppError, AppResult};

struct DemoPath {
    title: &'static str,
    description: &'static str,
    group: &'static str,
    coach: &'static str,
    order: PathOrder,
    /// The courses, and whether each is mandatory.
    courses: &'static [(&'static DemoCourse, bool)],
    /// Days before now that it was published and assigned.
    assigned: i64,
}

const PATHS: &[DemoPath] = &[
    DemoPath {
        title: "Sales onboarding",
        description: "Your first weeks in Sales: how we run discovery calls, answer objections, and handle security questionnaires.",
        group: "Sales",
        coach: "hannah.schmidt",
        order: PathOrder::Linear,
        courses: &[
            (&sales::DISCOVERY, true),
            (&sales::OBJECTIONS, true),
            (&sales::SECURITY_QUESTIONNAIRES, false),
        ],
        assigned: 10,
    },
    DemoPath {
        title: "New engineer: first month",
        description: "What every engineer at Acme learns in their first month: on call, code review, and postmortems.",
        group: "Engineering",
        coach: "lukas.becker",
        order: PathOrder::Free,
        courses: &[
            (&engineering::ON_CALL, true),
            (&engineering::CODE_REVIEW, true),
            (&engineering::POSTMORTEMS, false),
        ],
        assigned: 35,
    },
];

pub(super) async fn seed(app: &App, now: OffsetDateTime) -> AppResult<()> {
    let mut people = People::default();
    let ids = course_ids(app).await?;
    let groups = app.store.all_groups().await?;
    for path in PATHS {
        let coach = people.get(app, path.coach).await?;
        let group = groups
            .iter()
            .find(|g| g.name == path.group)
            .ok_or_else(|| {
                AppError::Internal(format!("the demo group {} is missing", path.group))
            })?;
        let then = at(app, now - Duration::days(path.assigned));
        let created = then
            .create_path(
                &coach,
                group.id,
                PathDetails {
                    title: path.title.to_owned(),
                    description: path.description.to_owned(),
                    order: path.order,
                },
            )
            .await?;
        let mut items = Vec::new();
        for (course, mandatory) in path.courses {
            items.push(PathItem::new(
                ItemRef::course(id_of(&ids, course)?),
                *mandatory,
            ));
        }
        then.edit_path(&coach, created.id, PathEdit::Replace(items))
            .await?;
        then.publish_path(&coach, created.id).await?;
        then.assign_target(
            &coach,
            AssignRequest {
                target: Target::Path(created.id),
                group_ids: vec![group.id],
                emails: Vec::new(),
                due: Due::Within(30),
                reminder_rule: Some(ReminderRule {
                    before_days: vec![7, 1],
                    overdue_every_days: Some(7),
                }),
            },
        )
        .await?;
    }
    Ok(())
}
