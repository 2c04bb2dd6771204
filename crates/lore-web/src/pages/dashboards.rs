//! `/dashboard`: a coach's or administrator's dashboard of a group (charts with their tables
//! beneath), and under it the pages behind every figure, each with its CSV. Every handler
//! calls one `lore_app::dashboards` use case, as the API twins do.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use lore_app::AppError;
use lore_app::dashboards::drill::{Lines, Person, assignee_filter, passed_filter};
use lore_app::dashboards::{
    AssignmentFigure, CourseFigure, Dashboard, HealthLine, InsightQuery, Listing, csv,
};
use serde::Deserialize;

use crate::WebState;
use crate::charts::{Point, Series, bar_chart, line_chart};
use crate::error::PageError;
use crate::layout::Layout;
use crate::session::Viewer;

/// Everything a dashboard address may carry; each view reads what it needs.
#[derive(Debug, Default, Deserialize)]
pub struct DashQuery {
    pub group: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<String>,
    pub week: Option<String>,
    pub assignment: Option<String>,
    pub status: Option<String>,
    pub course: Option<String>,
    pub outcome: Option<String>,
    pub order: Option<String>,
}

impl DashQuery {
    pub fn insight(&self) -> InsightQuery {
        InsightQuery {
            group: self.group.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            page: self.page.clone(),
        }
    }

    fn id(raw: Option<&str>, field: &'static str) -> Result<i64, AppError> {
        raw.and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| AppError::invalid(field, "Give it by its number."))
    }
}

/// A rate as a percentage for people ("50%"), a dash without one.
pub fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(
        || "—".to_owned(),
        |r| format!("{}%", crate::charts::number(r * 100.0)),
    )
}

fn days(d: Option<f64>) -> String {
    d.map_or_else(|| "—".to_owned(), crate::charts::number)
}

/// One cell of a table: text, and where it leads.
pub struct Cell {
    pub text: String,
    pub href: Option<String>,
}

fn text(t: impl Into<String>) -> Cell {
    Cell {
        text: t.into(),
        href: None,
    }
}

fn link(t: impl Into<String>, href: String) -> Cell {
    Cell {
        text: t.into(),
        href: Some(href),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    layout: Layout,
    d: Dashboard,
    /// (id, path, selected)
    groups: Vec<(i64, String, bool)>,
    q: String,
    active_chart: String,
    assignments_chart: String,
    pass_chart: String,
    assignments: Vec<Vec<Cell>>,
    courses: Vec<Vec<Cell>>,
    /// (heading, test id, order, rows): the healthiest and the weakest courses.
    health_tables: Vec<(&'static str, &'static str, &'static str, Vec<Vec<Cell>>)>,
    median: String,
}

fn assignment_cells(a: &AssignmentFigure, q: &str) -> Vec<Cell> {
    let people = |status: &str, n: u64| {
        link(
            n.to_string(),
            format!(
                "/dashboard/assignment?{q}&assignment={}&status={status}",
                a.assignment_id
            ),
        )
    };
    vec![
        link(a.title.clone(), format!("/{}s/{}", a.kind, a.target_id)),
        text(a.kind.clone()),
        people("all", a.assigned),
        people("done", a.done),
        people("overdue", a.overdue),
        text(percent(a.completion_rate)),
        text(percent(a.overdue_rate)),
    ]
}

fn course_cells(c: &CourseFigure, q: &str) -> Vec<Cell> {
    let id = c.course_id;
    vec![
        link(c.title.clone(), format!("/courses/{id}")),
        link(
            c.completions.to_string(),
            format!("/dashboard/completions?{q}&course={id}"),
        ),
        link(
            days(c.median_days),
            format!("/dashboard/completions?{q}&course={id}"),
        ),
        link(
            c.submitted.to_string(),
            format!("/dashboard/attempts?{q}&course={id}"),
        ),
        link(
            c.passed.to_string(),
            format!("/dashboard/attempts?{q}&course={id}&outcome=passed"),
        ),
        text(percent(c.pass_rate)),
    ]
}

fn health_cells(h: &HealthLine) -> Vec<Cell> {
    vec![
        link(h.title.clone(), format!("/courses/{}", h.course_id)),
        text(format!("{} ({})", h.health, h.label)),
        text(
            h.reaction_score
                .map_or_else(|| "—".to_owned(), |s| s.to_string()),
        ),
        text(h.viewers.to_string()),
    ]
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<DashQuery>,
) -> Result<DashboardPage, PageError> {
    let caller = viewer.caller();
    let d = state.app.dashboard(caller, &q.insight()).await?;
    let query = d.insight.query();
    let active = Series {
        name: "Active learners".to_owned(),
        points: d
            .active_per_week
            .iter()
            .map(|w| Point::new(w.week.clone(), w.active as f64))
            .collect(),
    };
    let bars: Vec<Point> = d
        .assignments
        .iter()
        .filter_map(|a| Some(Point::new(a.title.clone(), a.completion_rate? * 100.0)))
        .collect();
    let passes: Vec<Point> = d
        .courses
        .iter()
        .filter_map(|c| Some(Point::new(c.title.clone(), c.pass_rate? * 100.0)))
        .collect();
    Ok(DashboardPage {
        layout: Layout::for_session(&viewer.0, "learning"),
        groups: state
            .app
            .insight_groups(caller)
            .await?
            .into_iter()
            .map(|g| (g.id, g.path, g.id == d.insight.group_id))
            .collect(),
        active_chart: line_chart("Active learners per week", "people", &[active]),
        assignments_chart: if bars.is_empty() {
            String::new()
        } else {
            bar_chart("Completion rate per assignment", "%", &bars)
        },
        pass_chart: if passes.is_empty() {
            String::new()
        } else {
            bar_chart("Evaluation pass rate per course", "%", &passes)
        },
        assignments: d
            .assignments
            .iter()
            .map(|a| assignment_cells(a, &query))
            .collect(),
        courses: d.courses.iter().map(|c| course_cells(c, &query)).collect(),
        health_tables: vec![
            (
                "Healthiest",
                "healthiest",
                "top",
                d.healthiest.iter().map(health_cells).collect(),
            ),
            (
                "Weakest",
                "weakest",
                "weakest",
                d.weakest.iter().map(health_cells).collect(),
            ),
        ],
        median: days(d.median_days),
        q: query,
        d,
    })
}

fn csv_response(name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn weeks_csv(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(q): Query<DashQuery>,
) -> Result<Response, PageError> {
    let d = state.app.dashboard(viewer.caller(), &q.insight()).await?;
    Ok(csv_response("active-per-week", csv::weeks_csv(&d)?))
}

/// The table behind a figure, a page at a time.
#[derive(Template, WebTemplate)]
#[template(path = "dashboard_table.html")]
pub struct TablePage {
    layout: Layout,
    title: String,
    group: String,
    range: String,
    back: String,
    headers: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
    pager: super::Pager,
    csv: String,
    total: u64,
}

/// Which table behind the dashboard a request is for.
#[derive(Debug, Clone, Copy)]
pub enum View {
    Assignments,
    Courses,
    Health,
    Week,
    Assignment,
    Completions,
    Attempts,
}

impl View {
    fn path(self) -> &'static str {
        match self {
            View::Assignments => "assignments",
            View::Courses => "courses",
            View::Health => "health",
            View::Week => "week",
            View::Assignment => "assignment",
            View::Completions => "completions",
            View::Attempts => "attempts",
        }
    }
}

/// A table's rows as cells, with its title and headers.
struct Table {
    title: String,
    headers: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
    /// The view's own parameters, for the pager and the CSV link.
    extra: String,
    listing_total: u64,
    page: u64,
    page_size: u64,
    insight: lore_app::dashboards::Insight,
    csv: Vec<u8>,
}

fn people_table(
    title: String,
    headers: Vec<&'static str>,
    extra: String,
    l: Listing<Person>,
    cells: impl Fn(&Person) -> Vec<Cell>,
    want_csv: bool,
) -> Result<Table, AppError> {
    Ok(Table {
        title,
        headers,
        rows: l.rows.iter().map(cells).collect(),
        extra,
        listing_total: l.total,
        page: l.page,
        page_size: l.page_size,
        csv: if want_csv {
            csv::people_csv(&l)?
        } else {
            Vec::new()
        },
        insight: l.insight,
    })
}

async fn table(
    state: &WebState,
    viewer: &Viewer,
    view: View,
    q: &DashQuery,
    lines: Lines,
) -> Result<Table, AppError> {
    let app = &state.app;
    let caller = viewer.caller();
    let iq = q.insight();
    let want_csv = lines == Lines::All;
    let when = |t: Option<time::OffsetDateTime>| t.map(|t| viewer.when(t)).unwrap_or_default();
    let person = |p: &Person| text(format!("{} ({})", p.name, p.email));
    Ok(match view {
        View::Assignments => {
            let l = app.dashboard_assignments(caller, &iq, lines).await?;
            let query = l.insight.query();
            Table {
                title: "Assignments".to_owned(),
                headers: vec![
                    "Assigned",
                    "Kind",
                    "People",
                    "Done",
                    "Overdue",
                    "Completion",
                    "Overdue rate",
                ],
                rows: l.rows.iter().map(|a| assignment_cells(a, &query)).collect(),
                extra: String::new(),
                listing_total: l.total,
                page: l.page,
                page_size: l.page_size,
                csv: if want_csv {
                    csv::assignments_csv(&l)?
                } else {
                    Vec::new()
                },
                insight: l.insight,
            }
        }
        View::Courses => {
            let l = app.dashboard_courses(caller, &iq, lines).await?;
            let query = l.insight.query();
            Table {
                title: "Courses completed".to_owned(),
                headers: vec![
                    "Course",
                    "Completions",
                    "Median days",
                    "Attempts",
                    "Passed",
                    "Pass rate",
                ],
                rows: l.rows.iter().map(|c| course_cells(c, &query)).collect(),
                extra: String::new(),
                listing_total: l.total,
                page: l.page,
                page_size: l.page_size,
                csv: if want_csv {
                    csv::courses_csv(&l)?
                } else {
                    Vec::new()
                },
                insight: l.insight,
            }
        }
        View::Health => {
            let weakest = q.order.as_deref() == Some("weakest");
            let l = app.dashboard_health(caller, &iq, weakest, lines).await?;
            Table {
                title: if weakest {
                    "Courses, weakest first"
                } else {
                    "Courses, healthiest first"
                }
                .to_owned(),
                headers: vec!["Course", "Health", "Reaction score", "Viewers"],
                rows: l.rows.iter().map(health_cells).collect(),
                extra: format!("&order={}", if weakest { "weakest" } else { "top" }),
                listing_total: l.total,
                page: l.page,
                page_size: l.page_size,
                csv: if want_csv {
                    csv::health_csv(&l)?
                } else {
                    Vec::new()
                },
                insight: l.insight,
            }
        }
        View::Week => {
            let week = q.week.clone().unwrap_or_default();
            let l = app.active_in_week(caller, &iq, &week, lines).await?;
            people_table(
                format!("Active in the week of {week}"),
                vec!["Person"],
                format!("&week={week}"),
                l,
                |p| vec![person(p)],
                want_csv,
            )?
        }
        View::Assignment => {
            let id = DashQuery::id(q.assignment.as_deref(), "assignment")?;
            let filter = assignee_filter(q.status.as_deref())?;
            let status = q.status.clone().unwrap_or_else(|| "all".to_owned());
            let l = app
                .assignment_people(caller, &iq, id, filter, lines)
                .await?;
            people_table(
                format!("People on assignment {id}: {status}"),
                vec!["Person", "Due", "Completed"],
                format!("&assignment={id}&status={status}"),
                l,
                |p| vec![person(p), text(when(p.at)), text(when(p.done_at))],
                want_csv,
            )?
        }
        View::Completions => {
            let id = DashQuery::id(q.course.as_deref(), "course")?;
            let l = app.course_completions(caller, &iq, id, lines).await?;
            people_table(
                format!("Completions of course {id}"),
                vec!["Person", "Enrolled", "Completed", "Days"],
                format!("&course={id}"),
                l,
                |p| {
                    vec![
                        person(p),
                        text(when(p.at)),
                        text(when(p.done_at)),
                        text(days(p.number)),
                    ]
                },
                want_csv,
            )?
        }
        View::Attempts => {
            let id = DashQuery::id(q.course.as_deref(), "course")?;
            let passed = passed_filter(q.outcome.as_deref())?;
            let outcome = q.outcome.clone().unwrap_or_else(|| "all".to_owned());
            let l = app.course_attempts(caller, &iq, id, passed, lines).await?;
            people_table(
                format!("Evaluation attempts of course {id}: {outcome}"),
                vec!["Person", "Submitted", "Score", "Passed"],
                format!("&course={id}&outcome={outcome}"),
                l,
                |p| {
                    vec![
                        person(p),
                        text(when(p.at)),
                        text(
                            p.number
                                .map(|n| format!("{}%", crate::charts::number(n)))
                                .unwrap_or_default(),
                        ),
                        text(match p.passed {
                            Some(true) => "yes",
                            Some(false) => "no",
                            None => "",
                        }),
                    ]
                },
                want_csv,
            )?
        }
    })
}

pub async fn drill(
    state: WebState,
    viewer: Viewer,
    q: DashQuery,
    view: View,
) -> Result<TablePage, PageError> {
    let t = table(&state, &viewer, view, &q, Lines::Page).await?;
    let query = t.insight.query();
    let base = format!("/dashboard/{}?{query}{}", view.path(), t.extra);
    Ok(TablePage {
        layout: Layout::for_session(&viewer.0, "learning"),
        title: t.title,
        group: t.insight.group.clone(),
        range: format!(
            "{} to {}",
            t.insight.range.weeks_from, t.insight.range.weeks_to
        ),
        back: format!("/dashboard?{query}"),
        headers: t.headers,
        rows: t.rows,
        pager: super::Pager::new(&base, t.page, t.listing_total, t.page_size),
        csv: format!("/dashboard/{}.csv?{query}{}", view.path(), t.extra),
        total: t.listing_total,
    })
}

pub async fn drill_csv(
    state: WebState,
    viewer: Viewer,
    q: DashQuery,
    view: View,
) -> Result<Response, PageError> {
    let t = table(&state, &viewer, view, &q, Lines::All).await?;
    Ok(csv_response(view.path(), t.csv))
}

/// The routes of one view: its page and its CSV.
macro_rules! view_routes {
    ($page:ident, $csv:ident, $view:expr) => {
        pub async fn $page(
            State(state): State<WebState>,
            viewer: Viewer,
            Query(q): Query<DashQuery>,
        ) -> Result<TablePage, PageError> {
            drill(state, viewer, q, $view).await
        }

        pub async fn $csv(
            State(state): State<WebState>,
            viewer: Viewer,
            Query(q): Query<DashQuery>,
        ) -> Result<Response, PageError> {
            drill_csv(state, viewer, q, $view).await
        }
    };
}

view_routes!(assignments, assignments_csv, View::Assignments);
view_routes!(courses, courses_csv, View::Courses);
view_routes!(health, health_csv, View::Health);
view_routes!(week, week_csv, View::Week);
view_routes!(assignment, assignment_csv, View::Assignment);
view_routes!(completions, completions_csv, View::Completions);
view_routes!(attempts, attempts_csv, View::Attempts);

/// The dashboard's routes.
pub fn routes() -> crate::route_table::Routes {
    use axum::routing::get;
    crate::route_table::Routes::new()
        .route("/dashboard", get(show))
        .route("/dashboard/weeks.csv", get(weeks_csv))
        .route("/dashboard/assignments", get(assignments))
        .route("/dashboard/assignments.csv", get(assignments_csv))
        .route("/dashboard/courses", get(courses))
        .route("/dashboard/courses.csv", get(courses_csv))
        .route("/dashboard/health", get(health))
        .route("/dashboard/health.csv", get(health_csv))
        .route("/dashboard/week", get(week))
        .route("/dashboard/week.csv", get(week_csv))
        .route("/dashboard/assignment", get(assignment))
        .route("/dashboard/assignment.csv", get(assignment_csv))
        .route("/dashboard/completions", get(completions))
        .route("/dashboard/completions.csv", get(completions_csv))
        .route("/dashboard/attempts", get(attempts))
        .route("/dashboard/attempts.csv", get(attempts_csv))
}
