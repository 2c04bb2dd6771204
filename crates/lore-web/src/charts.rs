//! Charts drawn on the server as SVG: lines over time, horizontal bars (funnels, rankings) and
//! vertical bars (distributions). No script is needed to read them; colours come from the
//! style sheet's classes (`.chart …` in lore.css), so they follow the light and dark themes and
//! the content security policy (no inline styles). Each chart is an image with a label; the
//! page puts the same figures in a table beneath it for screen readers and the CSV download.

use std::fmt::Write;

/// One value with its label (a week, a step, a bucket).
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub label: String,
    pub value: f64,
}

impl Point {
    pub fn new(label: impl Into<String>, value: f64) -> Self {
        Self {
            label: label.into(),
            value,
        }
    }
}

/// A named line of a line chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<Point>,
}

const WIDTH: f64 = 640.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
/// The series classes the style sheet colours (`.chart .s0` …); more series reuse them.
const SERIES_CLASSES: usize = 4;
/// At most this many labels under the x axis; the others are skipped evenly.
const MAX_X_LABELS: usize = 8;

/// Lines over a shared x axis (the first series' labels), the y axis from zero.
pub fn line_chart(title: &str, unit: &str, series: &[Series]) -> String {
    let height = 240.0;
    let bottom = if series.len() > 1 { 56.0 } else { 36.0 };
    let plot_h = height - TOP - bottom;
    let plot_w = WIDTH - LEFT - RIGHT;
    let labels: Vec<&str> = series
        .first()
        .map(|s| s.points.iter().map(|p| p.label.as_str()).collect())
        .unwrap_or_default();
    let max = nice_max(series.iter().flat_map(|s| s.points.iter().map(|p| p.value)));
    let n = labels.len().max(1);
    let x = |i: usize| {
        if n == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| TOP + plot_h - plot_h * (v.max(0.0) / max);
    let mut svg = open(title, unit, height);
    grid(&mut svg, max, y);
    let step = labels.len().div_ceil(MAX_X_LABELS).max(1);
    for (i, label) in labels.iter().enumerate() {
        if i % step == 0 || i + 1 == labels.len() {
            let _ = write!(
                svg,
                r#"<text class="axis" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x(i),
                TOP + plot_h + 18.0,
                escape(&shorten(label, 12))
            );
        }
    }
    for (k, s) in series.iter().enumerate() {
        let class = format!("s{}", k % SERIES_CLASSES);
        let path: Vec<String> = s
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.value)))
            .collect();
        if path.len() > 1 {
            let _ = write!(
                svg,
                r#"<polyline class="line {class}" points="{}"/>"#,
                path.join(" ")
            );
        }
        for (i, p) in s.points.iter().enumerate() {
            let _ = write!(
                svg,
                r#"<circle class="dot {class}" cx="{:.1}" cy="{:.1}" r="3"><title>{}: {} {}</title></circle>"#,
                x(i),
                y(p.value),
                escape(&p.label),
                number(p.value),
                escape(unit)
            );
        }
        if series.len() > 1 {
            let lx = LEFT + 150.0 * k as f64;
            let ly = height - 12.0;
            let _ = write!(
                svg,
                r#"<rect class="key {class}" x="{lx:.1}" y="{:.1}" width="12" height="12"/><text class="axis" x="{:.1}" y="{ly:.1}">{}</text>"#,
                ly - 10.0,
                lx + 16.0,
                escape(&shorten(&s.name, 20))
            );
        }
    }
    close(svg)
}

/// Horizontal bars, one per row, longest value the full width; the value written at the end.
pub fn bar_chart(title: &str, unit: &str, bars: &[Point]) -> String {
    let row = 28.0;
    let label_w = 190.0;
    let height = TOP * 2.0 + row * bars.len().max(1) as f64;
    let plot_w = WIDTH - label_w - 80.0;
    let max = nice_max(bars.iter().map(|b| b.value));
    let mut svg = open(title, unit, height);
    for (i, b) in bars.iter().enumerate() {
        let top = TOP + row * i as f64;
        let w = (plot_w * b.value.max(0.0) / max).max(if b.value > 0.0 { 1.0 } else { 0.0 });
        let _ = write!(
            svg,
            r#"<text class="axis" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect class="bar s0" x="{label_w:.1}" y="{:.1}" width="{w:.1}" height="{:.1}"><title>{}: {} {}</title></rect><text class="value" x="{:.1}" y="{:.1}">{}</text>"#,
            label_w - 8.0,
            top + row * 0.62,
            escape(&shorten(&b.label, 28)),
            top + 4.0,
            row - 8.0,
            escape(&b.label),
            number(b.value),
            escape(unit),
            label_w + w + 6.0,
            top + row * 0.62,
            escape(format!("{} {}", number(b.value), unit).trim_end()),
        );
    }
    close(svg)
}

/// Vertical bars side by side (a distribution), the y axis from zero.
pub fn histogram(title: &str, unit: &str, bins: &[Point]) -> String {
    let height = 240.0;
    let bottom = 36.0;
    let plot_h = height - TOP - bottom;
    let plot_w = WIDTH - LEFT - RIGHT;
    let max = nice_max(bins.iter().map(|b| b.value));
    let y = |v: f64| TOP + plot_h - plot_h * (v.max(0.0) / max);
    let mut svg = open(title, unit, height);
    grid(&mut svg, max, y);
    let slot = plot_w / bins.len().max(1) as f64;
    let step = bins.len().div_ceil(MAX_X_LABELS).max(1);
    for (i, b) in bins.iter().enumerate() {
        let left = LEFT + slot * i as f64;
        let _ = write!(
            svg,
            r#"<rect class="bar s0" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}"><title>{}: {} {}</title></rect>"#,
            left + slot * 0.1,
            y(b.value),
            slot * 0.8,
            TOP + plot_h - y(b.value),
            escape(&b.label),
            number(b.value),
            escape(unit)
        );
        if i % step == 0 {
            let _ = write!(
                svg,
                r#"<text class="axis" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                left + slot / 2.0,
                TOP + plot_h + 18.0,
                escape(&shorten(&b.label, 12))
            );
        }
    }
    close(svg)
}

fn open(title: &str, unit: &str, height: f64) -> String {
    let label = if unit.is_empty() {
        format!("{title} (the figures are in the table below)")
    } else {
        format!("{title}, in {unit} (the figures are in the table below)")
    };
    format!(
        r#"<figure class="chart"><figcaption>{}</figcaption><svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        escape(title),
        escape(&label),
        escape(title)
    )
}

fn close(mut svg: String) -> String {
    svg.push_str("</svg></figure>");
    svg
}

/// Four horizontal grid lines with their values on the left.
fn grid(svg: &mut String, max: f64, y: impl Fn(f64) -> f64) {
    for k in 0..=4 {
        let v = max * f64::from(k) / 4.0;
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{LEFT}" x2="{:.1}" y1="{:.1}" y2="{:.1}"/><text class="axis" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            y(v),
            y(v),
            LEFT - 6.0,
            y(v) + 4.0,
            escape(&number(v))
        );
    }
}

/// The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above every value (1 when all are zero or less).
fn nice_max(values: impl Iterator<Item = f64>) -> f64 {
    let top = values.filter(|v| v.is_finite()).fold(0.0_f64, f64::max);
    if top <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(top.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * magnitude >= top {
            return m * magnitude;
        }
    }
    10.0 * magnitude
}

/// A figure as people read it: whole numbers without decimals, others with up to one.
pub fn number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v:.1}")
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weeks() -> Vec<Point> {
        vec![
            Point::new("30 Nov", 4.0),
            Point::new("7 Dec", 10.0),
            Point::new("14 Dec", 0.0),
        ]
    }

    #[test]
    fn a_line_chart_draws_one_point_per_value_scaled_from_zero() {
        let svg = line_chart(
            "Active learners per week",
            "people",
            &[Series {
                name: "Active".into(),
                points: weeks(),
            }],
        );
        assert!(svg.starts_with(r#"<figure class="chart">"#));
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("<title>7 Dec: 10 people</title>"));
        // Max 10 → the top grid line is 10 (y = 16), zero sits on the x axis (y = 16 + 188).
        assert!(
            svg.contains(r#"cy="204.0" r="3"><title>14 Dec: 0 people"#),
            "{svg}"
        );
        assert!(svg.contains(r#"cy="16.0" r="3"><title>7 Dec"#), "{svg}");
        assert!(svg.contains("<polyline"));
    }

    #[test]
    fn bars_are_as_long_as_their_share_of_the_largest() {
        let svg = bar_chart(
            "Funnel",
            "people",
            &[Point::new("Opened", 40.0), Point::new("Enrolled", 20.0)],
        );
        // The scale runs to 50 (the next round figure): 40 is 4/5 of the plot's 370, 20 is 2/5.
        assert!(svg.contains(r#"width="296.0""#), "{svg}");
        assert!(svg.contains(r#"width="148.0""#), "{svg}");
        assert!(svg.contains(">20 people</text>"));
    }

    #[test]
    fn labels_are_escaped_and_empty_charts_still_draw() {
        let svg = histogram("<b>x</b>", "", &[Point::new("<script>", 1.0)]);
        assert!(!svg.contains("<script>") && !svg.contains("<b>"));
        assert!(svg.contains("&lt;script&gt;"));
        let empty = line_chart("Nothing yet", "", &[]);
        assert!(empty.ends_with("</svg></figure>"));
        assert_eq!(bar_chart("None", "", &[]).matches("<rect").count(), 0);
    }

    #[test]
    fn nice_maxima_round_up() {
        assert_eq!(nice_max([0.0].into_iter()), 1.0);
        assert_eq!(nice_max([7.0].into_iter()), 10.0);
        assert_eq!(nice_max([0.42].into_iter()), 0.5);
        assert_eq!(nice_max([230.0].into_iter()), 250.0);
        assert_eq!(number(0.26), "0.3");
        assert_eq!(number(3.0), "3");
    }
}
