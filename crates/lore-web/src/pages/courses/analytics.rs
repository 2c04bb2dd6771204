//! The author's course page (`/courses/{id}/analytics`): the funnel with its filters, two
//! versions side by side, reactions over the weeks and per step, item analysis, open questions,
//! suggestions and health; each table also as CSV.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use lore_app::AppError;
use lore_app::course_analytics::CourseAnalytics;
use lore_app::funnels::{FunnelQuery, VersionComparison, parse_via};
use serde::Deserialize;

use super::super::parse_id;
use crate::WebState;
use crate::charts::{self, Point, Series};
use crate::error::{PageError, status_of};
use crate::layout::Layout;
use crate::session::Viewer;

/// The filters as typed (every field a string, so a bad one gets a sentence, not a 400).
#[derive(Deserialize, Default, Clone)]
pub struct AnalyticsQuery {
    #[serde(default)]
    version: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    group: String,
    #[serde(default)]
    via: String,
    /// Versions to compare.
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
    /// For the CSV: funnel, compare, reactions, steps.
    #[serde(default)]
    table: String,
}

fn number<T: std::str::FromStr>(field: &'static str, raw: &str) -> Result<Option<T>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse()
        .map(Some)
        .map_err(|_| AppError::invalid(field, format!("“{raw}” is not a number.")))
}

impl AnalyticsQuery {
    pub fn funnel(&self) -> Result<FunnelQuery, AppError> {
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        Ok(FunnelQuery {
            version: number("version", &self.version)?,
            from: text(&self.from),
            to: text(&self.to),
            group_id: number("group", &self.group)?,
            via: parse_via(self.via.trim())?,
        })
    }

    fn versions(&self) -> Result<Option<(i32, i32)>, AppError> {
        match (number("a", &self.a)?, number("b", &self.b)?) {
            (Some(a), Some(b)) => Ok(Some((a, b))),
            (None, None) => Ok(None),
            _ => Err(AppError::invalid("b", "Choose both versions to compare.")),
        }
    }

    /// The query string of the filters, for links (CSV, comparisons).
    fn filters(&self) -> String {
        let pairs = [
            ("version", &self.version),
            ("from", &self.from),
            ("to", &self.to),
            ("group", &self.group),
            ("via", &self.via),
            ("a", &self.a),
            ("b", &self.b),
        ];
        let kept: Vec<(&str, &str)> = pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (*k, v.trim()))
            .collect();
        serde_urlencoded::to_string(kept).unwrap_or_default()
    }
}

/// One funnel row as the page shows it.
pub struct StageLine {
    pub label: String,
    pub people: u64,
    pub conversion: String,
    pub drop_off: String,
    pub of_enrolled: String,
    pub median: String,
}

fn percent(v: Option<f64>) -> String {
    v.map(|r| format!("{:.1} %", r * 100.0))
        .unwrap_or_else(|| "—".to_owned())
}

/// Seconds as people read them: "45 s", "3 min 20 s".
fn duration(seconds: Option<f64>) -> String {
    match seconds {
        None => "—".to_owned(),
        Some(s) if s < 60.0 => format!("{} s", s.round()),
        Some(s) => {
            let s = s.round() as i64;
            if s % 60 == 0 {
                format!("{} min", s / 60)
            } else {
                format!("{} min {} s", s / 60, s % 60)
            }
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "course_analytics.html")]
pub struct AnalyticsPage {
    layout: Layout,
    course_id: i64,
    v: CourseAnalytics,
    q: AnalyticsQuery,
    filters: String,
    error: String,
    stages: Vec<StageLine>,
    funnel_chart: String,
    reactions_chart: String,
    comparison: Option<VersionComparison>,
    week_labels: Vec<String>,
}

impl AnalyticsPage {
    fn comparison_percent(&self, v: &Option<f64>) -> String {
        percent(*v)
    }

    fn signed_points(&self, v: &f64) -> String {
        format!("{:+.1} points", v * 100.0)
    }
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<AnalyticsQuery>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    match build(&state, &viewer, id, q.clone()).await {
        Ok(page) => Ok(page.into_response()),
        Err(e @ AppError::Invalid(_)) => {
            // The page without the bad filter, saying what was wrong.
            let mut page = build(&state, &viewer, id, AnalyticsQuery::default()).await?;
            page.error = e.to_string();
            page.q = q;
            Ok((status_of(&e), page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn build(
    state: &WebState,
    viewer: &Viewer,
    id: i64,
    q: AnalyticsQuery,
) -> Result<AnalyticsPage, AppError> {
    let funnel = q.funnel()?;
    let versions = q.versions()?;
    let v = state
        .app
        .course_analytics(viewer.caller(), id, &funnel)
        .await?;
    let comparison = match versions {
        Some((a, b)) => Some(
            state
                .app
                .compare_versions(viewer.caller(), id, a, b, &funnel)
                .await?,
        ),
        None => None,
    };
    let stages = v
        .report
        .funnel
        .rows
        .iter()
        .map(|r| StageLine {
            label: r.label.clone(),
            people: r.people,
            conversion: percent(r.conversion),
            drop_off: if r.previous.is_some() {
                r.drop_off.to_string()
            } else {
                "—".to_owned()
            },
            of_enrolled: percent(r.of_enrolled),
            median: duration(r.median_seconds),
        })
        .collect();
    let funnel_chart = charts::bar_chart(
        "People at each stage",
        "people",
        &v.report
            .funnel
            .rows
            .iter()
            .map(|r| Point::new(r.label.clone(), r.people as f64))
            .collect::<Vec<_>>(),
    );
    let week_labels: Vec<String> = v
        .weeks
        .iter()
        .map(|w| format!("{} {}", w.week.day(), &w.week.month().to_string()[..3]))
        .collect();
    let series = |name: &str, pick: fn(&lore_app::course_analytics::ReactionWeek) -> u64| Series {
        name: name.to_owned(),
        points: v
            .weeks
            .iter()
            .zip(&week_labels)
            .map(|(w, l)| Point::new(l.clone(), pick(w) as f64))
            .collect(),
    };
    let reactions_chart = charts::line_chart(
        "Reactions per week",
        "reactions",
        &[
            series("Positive", |w| w.positive),
            series("Critical", |w| w.negative),
        ],
    );
    Ok(AnalyticsPage {
        layout: Layout::for_session(&viewer.0, "courses"),
        course_id: id,
        filters: q.filters(),
        q,
        error: String::new(),
        stages,
        funnel_chart,
        reactions_chart,
        comparison,
        week_labels,
        v,
    })
}

pub async fn csv(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<AnalyticsQuery>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let funnel = q.funnel()?;
    let (name, body) = match q.table.as_str() {
        "" | "funnel" => {
            let r = state
                .app
                .course_funnel(viewer.caller(), id, &funnel)
                .await?;
            ("funnel", lore_app::App::funnel_csv(&r)?)
        }
        "compare" => {
            let (a, b) = q
                .versions()?
                .ok_or_else(|| AppError::invalid("a", "Choose two versions to compare."))?;
            let c = state
                .app
                .compare_versions(viewer.caller(), id, a, b, &funnel)
                .await?;
            ("versions-compared", lore_app::App::comparison_csv(&c)?)
        }
        "reactions" | "steps" => {
            let v = state
                .app
                .course_analytics(viewer.caller(), id, &funnel)
                .await?;
            if q.table == "reactions" {
                let rows = v.weeks.iter().map(|w| {
                    vec![
                        w.week.to_string(),
                        w.positive.to_string(),
                        w.negative.to_string(),
                        w.net().map(|n| n.to_string()).unwrap_or_default(),
                    ]
                });
                (
                    "reactions-per-week",
                    lore_app::funnels::csv_of(&["week", "positive", "critical", "net"], rows)?,
                )
            } else {
                let rows = v.steps.iter().map(|s| {
                    vec![
                        s.title.clone(),
                        s.viewers.to_string(),
                        s.positive.to_string(),
                        s.negative.to_string(),
                        s.score.map(|n| n.to_string()).unwrap_or_default(),
                    ]
                });
                (
                    "reactions-per-step",
                    lore_app::funnels::csv_of(
                        &["step", "viewed_by", "positive", "critical", "score"],
                        rows,
                    )?,
                )
            }
        }
        _ => {
            return Err(
                AppError::invalid("table", "Choose funnel, compare, reactions or steps.").into(),
            );
        }
    };
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"course-{id}-{name}.csv\""),
            ),
        ],
        body,
    )
        .into_response())
}
