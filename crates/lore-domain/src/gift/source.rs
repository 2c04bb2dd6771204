//! Where an entry of [`check_gift`](super::check_gift)'s report came from, so an author can
//! fix a bad question in place: its lines, and the text with fixed questions put back.

use super::parse::category_path;

/// The 1-based lines (first, last, inclusive) of the report entry whose problem or start
/// is at `line`: the question's paragraph without the `$CATEGORY:` and comment lines that
/// open it, or the category line alone when that is where the problem is. `None` for a line
/// the text does not have.
pub fn source_span(text: &str, line: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let at = line.checked_sub(1)?;
    let here = *lines.get(at)?;
    if here.trim().is_empty() {
        return None;
    }
    if category_path(here).is_some() {
        return Some((line, line));
    }
    let blank = |i: &usize| lines.get(*i).is_none_or(|l| l.trim().is_empty());
    let mut first = at;
    while first > 0 && !blank(&(first - 1)) {
        first -= 1;
    }
    // Category lines opening the paragraph belong to the questions after them too, and
    // comments before the question (Moodle writes `// question: 12` there) stay put.
    let opening = |l: &&str| category_path(l).is_some() || l.trim_start().starts_with("//");
    while first < at && lines.get(first).is_some_and(opening) {
        first += 1;
    }
    let mut last = at;
    while !blank(&(last + 1)) {
        last += 1;
    }
    Some((first + 1, last + 1))
}

/// The text of the entry at `line`, as written (see [`source_span`]).
pub fn source_text(text: &str, line: usize) -> String {
    source_span(text, line)
        .map(|(first, last)| {
            text.lines()
                .skip(first - 1)
                .take(last + 1 - first)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

/// A text with some entries replaced by the author's fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub text: String,
    /// For each replaced span: its last line before, and how many lines it grew (or shrank).
    shifts: Vec<(usize, isize)>,
}

impl Fixed {
    /// Where a line outside every replaced span is in the new text.
    pub fn moved(&self, line: usize) -> usize {
        let delta: isize = self
            .shifts
            .iter()
            .filter(|(last, _)| *last < line)
            .map(|(_, d)| d)
            .sum();
        line.saturating_add_signed(delta)
    }
}

/// `text` with the entry at each `line` replaced by its fix (an empty fix removes it).
/// Lines that are not an entry's, or a second fix of the same entry, are ignored.
pub fn with_fixes(text: &str, fixes: &[(usize, String)]) -> Fixed {
    let mut spans: Vec<((usize, usize), &str)> = fixes
        .iter()
        .filter_map(|(line, fix)| source_span(text, *line).map(|s| (s, fix.as_str())))
        .collect();
    spans.sort_by_key(|(s, _)| *s);
    spans.dedup_by_key(|(s, _)| *s);
    let mut out: Vec<String> = Vec::new();
    let mut shifts = Vec::new();
    let mut next = 1;
    let old: Vec<&str> = text.lines().collect();
    for ((first, last), fix) in spans {
        if first < next {
            continue;
        }
        out.extend(
            old.iter()
                .skip(next - 1)
                .take(first - next)
                .map(|l| (*l).to_owned()),
        );
        let new_lines: Vec<&str> = fix.lines().collect();
        out.extend(new_lines.iter().map(|l| (*l).to_owned()));
        let grown = new_lines.len() as isize - (last + 1 - first) as isize;
        shifts.push((last, grown));
        next = last + 1;
    }
    out.extend(old.iter().skip(next - 1).map(|l| (*l).to_owned()));
    let mut text = out.join("\n");
    text.push('\n');
    Fixed { text, shifts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gift::check_gift;

    const TEXT: &str = "// quiz\n$CATEGORY: Maths\nTwo? {=2 ~3}\n\nBad {=%150%x ~y}\nstill bad\n\n\
                        $CATEGORY: <b>\nThree? {#3}\n\nFour? {=4\n";

    #[test]
    fn the_span_is_the_paragraph_without_its_category_lines() {
        assert_eq!(source_span(TEXT, 3), Some((3, 3)));
        assert_eq!(source_span(TEXT, 5), Some((5, 6)));
        assert_eq!(source_span(TEXT, 6), Some((5, 6)));
        assert_eq!(
            source_span(TEXT, 8),
            Some((8, 8)),
            "a bad category line alone"
        );
        assert_eq!(source_span(TEXT, 9), Some((9, 9)));
        assert_eq!(source_span(TEXT, 11), Some((11, 11)));
        assert_eq!(source_span(TEXT, 4), None);
        assert_eq!(source_span(TEXT, 99), None);
        assert_eq!(source_span(TEXT, 0), None);
        assert_eq!(source_text(TEXT, 6), "Bad {=%150%x ~y}\nstill bad");
    }

    #[test]
    fn every_bad_entry_of_a_report_has_its_text() {
        let bad: Vec<String> = check_gift(TEXT)
            .into_iter()
            .filter_map(Result::err)
            .map(|e| source_text(TEXT, e[0].line))
            .collect();
        assert_eq!(
            bad,
            ["Bad {=%150%x ~y}\nstill bad", "$CATEGORY: <b>", "Four? {=4"]
        );
    }

    #[test]
    fn fixes_replace_their_entries_and_lines_after_them_move() {
        let fixed = with_fixes(
            TEXT,
            &[
                (5, "Good {=x ~y}".to_owned()),
                (11, "Four? {=4}\n\nFive? {=5}".to_owned()),
                (6, "a second fix of the same entry is ignored".to_owned()),
                (4, "a blank line is no entry".to_owned()),
            ],
        );
        assert_eq!(
            fixed.text,
            "// quiz\n$CATEGORY: Maths\nTwo? {=2 ~3}\n\nGood {=x ~y}\n\n$CATEGORY: <b>\n\
             Three? {#3}\n\nFour? {=4}\n\nFive? {=5}\n"
        );
        assert_eq!(fixed.moved(3), 3);
        assert_eq!(fixed.moved(9), 8);
        let good = check_gift(&fixed.text)
            .into_iter()
            .filter(Result::is_ok)
            .count();
        assert_eq!(good, 5);
    }

    #[test]
    fn an_empty_fix_removes_the_question() {
        let fixed = with_fixes(TEXT, &[(5, String::new())]);
        assert!(!fixed.text.contains("Bad"), "{}", fixed.text);
        assert_eq!(fixed.moved(9), 7);
    }
}
