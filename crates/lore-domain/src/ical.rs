//! A personal calendar of due dates as iCalendar text (RFC 5545): CRLF line ends, long lines
//! folded at 75 octets (never inside a character), text escaped, a UID and DTSTAMP on every
//! event. Each due date is an all-day event on its (UTC) day.

use time::OffsetDateTime;
use time::macros::format_description;

/// One due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueEvent {
    /// Stable across feeds, so calendar apps update the event instead of adding one.
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub url: String,
    pub due_at: OffsetDateTime,
}

/// Escape a TEXT value (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Append one content line, folded so no line exceeds 75 octets (§3.1).
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn stamp(t: OffsetDateTime) -> String {
    let utc = t.to_offset(time::UtcOffset::UTC);
    utc.format(format_description!(
        "[year][month][day]T[hour][minute][second]Z"
    ))
    .unwrap_or_default()
}

fn day(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .date()
        .format(format_description!("[year][month][day]"))
        .unwrap_or_default()
}

/// The whole calendar; `now` is every event's DTSTAMP.
pub fn calendar(name: &str, events: &[DueEvent], now: OffsetDateTime) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Lore//Due dates//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
    for e in events {
        let next_day = e.due_at + time::Duration::days(1);
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{}", escape(&e.uid)));
        line(&mut out, &format!("DTSTAMP:{}", stamp(now)));
        line(&mut out, &format!("DTSTART;VALUE=DATE:{}", day(e.due_at)));
        line(&mut out, &format!("DTEND;VALUE=DATE:{}", day(next_day)));
        line(&mut out, &format!("SUMMARY:{}", escape(&e.summary)));
        line(&mut out, &format!("DESCRIPTION:{}", escape(&e.description)));
        line(&mut out, &format!("URL:{}", e.url));
        line(&mut out, "TRANSP:TRANSPARENT");
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_in_crlf_and_fold_at_75_octets_between_characters() {
        let at = OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
        let long = "Sécurité; ".repeat(20);
        let text = calendar(
            "Ada's due dates",
            &[DueEvent {
                uid: "assignee-1@lore".to_owned(),
                summary: long.clone(),
                description: "line one\nline two, with a comma".to_owned(),
                url: "http://lore.test/paths/1".to_owned(),
                due_at: at,
            }],
            at,
        );
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        for l in text.split("\r\n") {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
            assert!(!l.contains('\n'));
        }
        // Unfolded, the summary comes back escaped.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{}", long.replace(';', "\\;"))));
        assert!(unfolded.contains("DESCRIPTION:line one\\nline two\\, with a comma"));
        assert!(unfolded.contains("DTSTART;VALUE=DATE:20241004"));
        assert!(unfolded.contains("DTEND;VALUE=DATE:20241005"));
        assert!(unfolded.contains("DTSTAMP:20241004T000000Z"));
    }
}
